"""The command palette: every command by name, and the registry's own destinations."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from kokeilu.strings import t
from kokeilu.tui.commands import COMMANDS

if TYPE_CHECKING:
    from kokeilu.tui.app import KokeiluApp


class KokeiluCommands(Provider):
    """Commands from the one command list, plus "Record decision: Iisalmi" and the like."""

    def _entries(self) -> list[tuple[str, Callable[[], object], str]]:
        app: KokeiluApp = self.app  # type: ignore[assignment]
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
                        partial(app.run_view_action, command.scope, command.action),
                        command.keys_shown,
                    )
                )
        state = app.state
        if state is not None:
            for party in state.registry.parties.values():
                out.append(
                    (
                        t("palette.record_decision", name=party.name),
                        partial(app.record_decision, party.id),
                        "",
                    )
                )
                out.append(
                    (
                        t("palette.go_to_party", name=party.name),
                        partial(app.go_to_path, ("parties", party.id)),
                        "",
                    )
                )
            for period in state.registry.periods:
                out.append(
                    (t("palette.show_period", period=period), partial(app.show_period, period), "")
                )
        return out

    async def discover(self) -> Hits:
        for name, callback, keys in self._entries():
            yield DiscoveryHit(name, callback, help=keys or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, keys in self._entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=keys or None)
