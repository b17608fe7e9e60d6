"""Help for the view in front: what it is for, and its keys, from the one command list."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from kokeilu.text.strings import t
from kokeilu.tui.commands import commands


class HelpScreen(ModalScreen[None]):
    """The help of one view; any of Escape, F1, ? or q closes it."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", t("cmd.close"), id="help.close")]

    def __init__(self, view: str) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        keys = Table.grid(padding=(0, 2))
        keys.add_column(style="bold")
        keys.add_column()
        for command in [*commands(self.view), *commands("app")]:
            keys.add_row(command.keys_shown or "ctrl+p", command.name)
        keys.add_row("ctrl+p", t("cmd.palette"))
        keys.add_row("tab", t("cmd.next_pane"))
        with Vertical(id="help"):
            yield Static(Text(t(f"view.{self.view}"), style="bold"), id="help-title")
            with VerticalScroll():
                yield Static(Text(t(f"help.{self.view}")), id="help-text")
                yield Static(keys, id="help-keys")

    async def action_dismiss(self, result: None = None) -> None:
        """Close the help."""
        self.dismiss(result)
