"""The command palette: every command by name, and the registry's own destinations.

A hit's words hold registry names, so each is given to the palette as `Content` built from
literal text: a string would be parsed as markup (`[bold red]x[/]` drawn bold, `Kuopio [/nope]`
an error) and an escape sequence in a name would reach the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from kokeilu.text.display import literal
from kokeilu.text.strings import t
from kokeilu.tui.commands import COMMANDS

if TYPE_CHECKING:
    from kokeilu.tui.app import KokeiluApp


class KokeiluCommands(Provider):
    """Commands from the one command list, plus "Record decision: Iisalmi" and the like."""

    def entries(self) -> list[tuple[str, Callable[[], object], str]]:
        app: KokeiluApp = self.app  # type: ignore[assignment]
        main = app.main
        out: list[tuple[str, Callable[[], object], str]] = []
        for command in COMMANDS:
            if command.scope == "app":
                out.append(
                    (command.name, partial(app.run_action, command.action), command.keys_shown)
                )
            else:
                out.append(
                    (
                        f"{t('view.' + command.scope)}: {command.name}",
                        partial(main.run_view_action, command.scope, command.action),
                        command.keys_shown,
                    )
                )
        state = main.state
        if state is not None:
            for party in state.registry.parties.values():
                out.append(
                    (
                        t("palette.record_decision", name=literal(party.name)),
                        partial(main.record_decision, party.id),
                        "",
                    )
                )
                out.append(
                    (
                        t("palette.go_to_party", name=literal(party.name)),
                        partial(main.go_to_path, ("parties", party.id)),
                        "",
                    )
                )
            for period in state.registry.periods:
                out.append(
                    (
                        t("palette.show_period", period=literal(period)),
                        partial(main.show_period, period),
                        "",
                    )
                )
        return out

    async def discover(self) -> Hits:
        for name, callback, keys in self.entries():
            yield DiscoveryHit(Content(name), callback, text=name, help=keys or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, keys in self.entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, highlight(matcher, name), callback, text=name, help=keys or None)


def highlight(matcher: Matcher, candidate: str) -> Content:
    """The candidate as literal Content, the letters that match the query highlighted.

    `Matcher.highlight` parses the candidate as markup; this is the same highlight without that.
    """
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if not score:
        return content
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
