"""Shown instead of the tables when the registry is not TOML: where, and the file's lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from kokeilu.text.strings import t

if TYPE_CHECKING:
    from kokeilu.registry.load import Unreadable


class BrokenView(VerticalScroll):
    """The positioned error of a registry that cannot be read, and how to go on."""

    def compose(self) -> ComposeResult:
        yield Static(id="broken-error")

    def show_error(self, error: Unreadable) -> None:
        """Show `error` with its excerpt."""
        text = Text()
        text.append(t("ui.broken_title") + "\n\n", style="bold red")
        # Imported here: the report's module costs the first screen ~4 ms, and only a broken
        # file shows it.
        from kokeilu.registry.findings_report import render_unreadable

        text.append(render_unreadable(error) + "\n\n")  # already literal, line by line
        text.append(t("ui.broken_hint"), style="italic")
        self.query_one("#broken-error", Static).update(text)
