"""The one list of commands: it feeds the key bindings, the command palette, the footer and help.

A command belongs to the app or to one view. Its action runs in that scope: app actions on the
app, view actions on the view's widget. Every binding has an id (the command's), so keys can be
remapped with Textual's keymap.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

from kokeilu.text.strings import t

VIEWS = (
    "overview",
    "approvals",
    "responsibilities",
    "resources",
    "people",
    "findings",
    "history",
    "trends",
)


@dataclass(frozen=True, slots=True)
class Command:
    """One thing a user can do: its keys, its action, its name in the catalogue, and where."""

    id: str
    keys: str
    action: str
    label: str
    scope: str = "app"
    footer: bool = True
    key_display: str | None = None

    @property
    def name(self) -> str:
        """The command's name in the user's language."""
        return t(self.label)

    @property
    def keys_shown(self) -> str:
        """The keys as help shows them ("" for a command only the palette offers)."""
        return self.key_display or self.keys.split(",")[0]


COMMANDS: tuple[Command, ...] = (
    *(
        Command(f"view.{view}", str(n), f"show_view('{view}')", f"view.{view}", footer=False)
        for n, view in enumerate(VIEWS, start=1)
    ),
    Command("help", "f1,question_mark", "help", "cmd.help", key_display="F1/?"),
    Command("undo", "ctrl+z", "undo", "cmd.undo", key_display="^z"),
    Command("redo", "ctrl+y", "redo", "cmd.redo", key_display="^y"),
    Command("reload", "ctrl+r", "reload", "cmd.reload", footer=False, key_display="^r"),
    Command("quit", "ctrl+q", "quit", "cmd.quit", key_display="^q"),
    # In the palette only (ctrl+p): no key of its own.
    Command("application_report", "", "application_report", "cmd.application_report"),
    Command("export", "ctrl+e", "export", "cmd.export", footer=False, key_display="^e"),
    # Approvals
    Command("approvals.edit", "enter", "edit", "cmd.record_decision", "approvals"),
    Command("approvals.filter", "slash", "filter", "cmd.filter", "approvals", key_display="/"),
    Command("approvals.sort", "s", "sort", "cmd.sort", "approvals"),
    # Responsibilities
    Command("responsibilities.edit", "enter", "edit", "cmd.edit", "responsibilities"),
    Command("responsibilities.move", "m", "move", "cmd.move_party", "responsibilities"),
    Command("responsibilities.status", "t", "status", "cmd.set_status", "responsibilities"),
    Command(
        "responsibilities.coordinator",
        "c",
        "coordinator",
        "cmd.set_coordinator",
        "responsibilities",
    ),
    Command("responsibilities.add", "a", "add", "cmd.add", "responsibilities"),
    Command(
        "responsibilities.remove",
        "delete",
        "remove",
        "cmd.remove",
        "responsibilities",
        key_display="del",
    ),
    # Resources
    Command("resources.edit", "enter", "edit", "cmd.set_caseload", "resources"),
    Command(
        "resources.previous",
        "left_square_bracket",
        "previous_period",
        "cmd.previous_period",
        "resources",
        key_display="[",
    ),
    Command(
        "resources.next",
        "right_square_bracket",
        "next_period",
        "cmd.next_period",
        "resources",
        key_display="]",
    ),
    Command("resources.provisional", "p", "toggle_provisional", "cmd.provisional", "resources"),
    Command("resources.resource", "e", "edit_resource", "cmd.edit_resource", "resources"),
    # People
    Command("people.edit", "enter", "edit", "cmd.edit_person", "people"),
    Command("people.add", "a", "add", "cmd.add_person", "people"),
    Command("people.remove", "delete", "remove", "cmd.remove_person", "people", key_display="del"),
    Command("people.filter", "slash", "filter", "cmd.filter", "people", key_display="/"),
    # Findings
    Command("findings.goto", "enter", "goto", "cmd.goto_finding", "findings"),
    # History
    Command("history.revert", "r", "revert", "cmd.revert", "history"),
    Command("history.commit", "c", "commit", "cmd.commit", "history"),
    Command("history.discard", "x", "discard", "cmd.discard", "history"),
    # An old version, read-only: History's Enter opens it, Escape (anywhere) returns to now.
    Command("history.open", "enter", "open_version", "cmd.open_version", "history"),
    Command("now", "escape", "back_to_now", "cmd.back_to_now", key_display="esc"),
    # Trends
    Command("trends.level", "m,enter", "toggle_level", "cmd.trends_level", "trends"),
    Command(
        "trends.previous",
        "left_square_bracket",
        "previous_period",
        "cmd.previous_period",
        "trends",
        key_display="[",
    ),
    Command(
        "trends.next",
        "right_square_bracket",
        "next_period",
        "cmd.next_period",
        "trends",
        key_display="]",
    ),
)


def commands(scope: str) -> list[Command]:
    """The commands of the app or of one view."""
    return [c for c in COMMANDS if c.scope == scope]


def bindings(scope: str) -> list[BindingType]:
    """Textual bindings for a scope, each with its command's id."""
    # A view's Enter outranks the table's own (which only selects the row), so that the footer
    # names what Enter does in this view.
    return [
        Binding(
            c.keys,
            c.action,
            c.name,
            show=c.footer,
            key_display=c.key_display,
            priority=scope != "app" and c.keys == "enter",
            id=c.id,
        )
        for c in commands(scope)
        if c.keys
    ]


def tab_labels(width: int) -> list[str]:
    """The tabs' labels: with their keys ("1 Overview") when all fit in `width` columns (each
    tab takes its label and a cell of padding), else the names alone, so that no tab is cut
    (eight numbered tabs take 84 columns in English and 89 in Finnish)."""
    from rich.cells import cell_len

    numbered = [t("view.tab", n=n, name=t(f"tab.{v}")) for n, v in enumerate(VIEWS, 1)]
    if sum(cell_len(label) + 1 for label in numbered) <= width:
        return numbered
    return [t(f"tab.{v}") for v in VIEWS]
