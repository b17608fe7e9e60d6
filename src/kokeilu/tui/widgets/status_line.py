"""The line that always shows: the file, in force or not, save state, errors and warnings, and
who the user is and what they may edit (on a second line when the terminal is too narrow).

At 80 columns the counts (who is missing, errors and warnings) always show whole: when the line
is too long, the file's name is shortened first, then the save state, each ending in "…"; the
whole line is the status line's tooltip."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from kokeilu.editing.rights import Rights
from kokeilu.text.display import date, literal
from kokeilu.text.strings import t
from kokeilu.tui.state import SaveState, State

# The fewest cells a shortened part keeps, its "…" included.
SHORTEST = {"file": 6, "saving": 8}


class StatusLine(Static):
    """One line at the bottom, above the footer (two when the user's rights do not fit)."""

    main_line = Text()
    who_line = Text()
    # The parts of the main line a narrow terminal may shorten, by name: (start, end) in it.
    shortenable: dict[str, tuple[int, int]] = {}

    def show(
        self, state: State | None, saving: SaveState, file_name: str, rights: Rights | None = None
    ) -> None:
        """Render the line for `state`; `saving` says what became of the last save."""
        self.main_line = self.main_text(state, saving, file_name)
        who = Text()
        if state is not None and rights is not None:
            style = "bold yellow" if rights.open else ("dim" if rights.access == "read" else "")
            who.append(literal(rights.describe(state.registry)), style=style)
        self.who_line = who
        self.draw()

    def on_resize(self) -> None:
        self.draw()

    def draw(self) -> None:
        width = self.size.width or self.app.size.width
        text = self.fitted(width)
        self.tooltip = None if text.plain == self.main_line.plain else self.main_line.plain
        if self.who_line:
            fits = text.cell_len + 3 + self.who_line.cell_len <= width
            text.append(" │ " if fits else "\n ")
            text.append_text(self.who_line)
        height = text.plain.count("\n") + 1
        if self.styles.height is None or self.styles.height.value != height:
            self.styles.height = height
        self.update(text)

    def fitted(self, width: int) -> Text:
        """The main line in `width` cells: the file's name, then the save state, shortened
        (down to `SHORTEST`) until it fits; the counts are never cut.

        The file's name goes first: the user chose the file; the save state is news."""
        text = self.main_line.copy()
        over = text.cell_len - width
        shift = 0  # how much shorter the parts already shortened made the text before
        for name in ("file", "saving"):
            if over <= 0 or name not in self.shortenable:
                continue
            start, end = (at - shift for at in self.shortenable[name])
            before, part, after = text.divide([start, end])
            keep = max(SHORTEST[name], part.cell_len - over)
            if keep >= part.cell_len:
                continue
            over -= part.cell_len - keep
            length = len(part)
            part.truncate(keep, overflow="ellipsis")
            shift += length - len(part)
            text = Text.assemble(before, part, after)
        return text

    def main_text(self, state: State | None, saving: SaveState, file_name: str) -> Text:
        """The file, whether the letter is in force, the last save, the findings."""
        text = Text(" ")
        start = len(text)
        text.append(literal(file_name), style="bold")
        self.shortenable = {"file": (start, len(text))}
        text.append(" │ ")
        if state is None:
            text.append(t("status.unreadable"), style="bold red")
            return text
        status = state.status
        if status.in_force:
            since = date(status.in_force_since) if status.in_force_since else ""
            text.append(t("ui.in_force", since=since).strip(), style="bold green")
        else:
            text.append(t("ui.not_in_force", count=len(status.missing)), style="bold yellow")
        text.append(" │ ")
        start = len(text)
        text.append(saving.text(), style="red" if saving.failed else "")
        self.shortenable["saving"] = (start, len(text))
        text.append(" │ ")
        text.append(
            t("ui.findings_count", errors=state.errors, warnings=state.warnings),
            style="bold red" if state.errors else ("yellow" if state.warnings else "green"),
        )
        return text
