"""The line that always shows: the file, in force or not, save state, errors and warnings."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from kokeilu.display import date, literal
from kokeilu.strings import t
from kokeilu.tui.state import State


class StatusLine(Static):
    """One line at the bottom, above the footer."""

    def show(self, state: State | None, saving: str, file_name: str) -> None:
        """Render the line for `state`; `saving` says what became of the last save."""
        text = Text(" ")
        text.append(literal(file_name), style="bold")
        text.append(" │ ")
        if state is None:
            text.append(t("status.unreadable"), style="bold red")
            self.update(text)
            return
        status = state.status
        if status.in_force:
            since = date(status.in_force_since) if status.in_force_since else ""
            text.append(t("ui.in_force", since=since).strip(), style="bold green")
        else:
            text.append(t("ui.not_in_force", count=len(status.missing)), style="bold yellow")
        text.append(" │ ")
        text.append(
            saving, style="red" if saving in (t("ui.save_failed"), t("ui.commit_failed")) else ""
        )
        text.append(" │ ")
        text.append(
            t("ui.findings_count", errors=state.errors, warnings=state.warnings),
            style="bold red" if state.errors else ("yellow" if state.warnings else "green"),
        )
        self.update(text)
