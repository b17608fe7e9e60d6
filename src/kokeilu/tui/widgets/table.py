"""A data table for registry rows: keyed rows, literal text, in-place updates, filter and sort.

Rows are keyed by registry id, so the cursor stays on its row when the data changes, and a
changed value updates one cell instead of rebuilding the table. Cell text is always literal:
registry data is never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, CursorType

from kokeilu.registry.values import folded
from kokeilu.text.display import literal


@dataclass(frozen=True, slots=True)
class Row:
    """One row: its key, the text of each cell, and the value each column sorts by."""

    key: str
    cells: tuple[str, ...]
    sort_keys: tuple[Any, ...] | None = None
    style: str = ""
    # Text the filter finds the row by that no column shows (a detail line shows it).
    also: tuple[str, ...] = ()


def _sortable(value: Any) -> tuple[int, Any]:
    """Sort empty values last and never compare unlike types."""
    if value is None or value == "":
        return (2, "")
    if isinstance(value, int | float):
        return (0, value)
    return (1, str(value).casefold())


class RegistryTable(DataTable):
    """A DataTable whose rows come from the registry, moved with arrows or hjkl."""

    inherit_bindings = False
    BINDINGS = [
        Binding("up,k", "cursor_up", show=False),
        Binding("down,j", "cursor_down", show=False),
        Binding("left,h", "cursor_left", show=False),
        Binding("right,l", "cursor_right", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home", "scroll_top", show=False),
        Binding("end", "scroll_bottom", show=False),
    ]

    def __init__(
        self,
        columns: Sequence[tuple[str, str]],
        right: Sequence[str] = (),
        cursor: CursorType = "cell",
        **kwargs: Any,
    ) -> None:
        # A cell cursor: arrows reach every column (and scroll to it), and `s` sorts by it.
        super().__init__(cursor_type=cursor, zebra_stripes=True, **kwargs)
        self.column_specs = list(columns)
        # Columns of numbers, aligned right.
        self.right = set(right)
        self.registry_rows: list[Row] = []
        self.shown_order: list[str] = []
        # The rows as last drawn, by key: a row equal to its drawn self is not looked at again.
        self.drawn_rows: dict[str, Row] = {}
        self.filter_text = ""
        self.sort_column: int | None = None
        self.sort_reverse = False

    def on_mount(self) -> None:
        if not self.columns:
            for key, label in self.column_specs:
                self.add_column(self.heading(label), key=key)

    def cell_text(self, column: str, text: str, style: str) -> Text:
        return Text(literal(text), style=style, justify="right" if column in self.right else "left")

    def set_columns(self, columns: Sequence[tuple[str, str]]) -> None:
        """Change the columns (key, label); the rows are drawn again at the next `set_rows`."""
        if list(columns) == self.column_specs and self.columns:
            return
        self.column_specs = list(columns)
        self.clear(columns=True)
        self.shown_order = []
        self.drawn_rows = {}
        for key, label in self.column_specs:
            self.add_column(self.heading(label), key=key)

    @staticmethod
    def heading(label: str) -> Text:
        """A column's heading, literal: a string would be read as markup (a unit is data)."""
        return Text(literal(label))

    def shown_keys(self) -> list[str]:
        """The keys of the rows shown, in order."""
        return list(self.shown_order)

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor."""
        if not self.shown_order or self.cursor_row >= len(self.shown_order):
            return None
        return self.shown_order[self.cursor_row]

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Show `rows`: changed cells are updated in place; the cursor stays on its row."""
        self.registry_rows = list(rows)
        self.draw_rows()

    def set_filter(self, text: str) -> None:
        """Show only rows with `text` in some cell, case and diacritics aside (`jarvi`)."""
        self.filter_text = text
        self.draw_rows()

    def sort_by(self, column: int) -> None:
        """Sort by `column`; again by the same column reverses the order."""
        if self.sort_column == column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        for index, (key, label) in enumerate(self.column_specs):
            mark = (" ▼" if self.sort_reverse else " ▲") if index == column else ""
            self.columns[ColumnKey(key)].label = self.heading(label + mark)
        self.refresh()
        self.draw_rows()

    def go_to(self, key: str) -> bool:
        """Put the cursor on the row with `key`, if it is shown."""
        if key in self.shown_order:
            self.move_cursor(row=self.shown_order.index(key))
            return True
        return False

    def visible_rows(self) -> list[Row]:
        rows = self.registry_rows
        if self.filter_text:
            needle = folded(self.filter_text)
            rows = [r for r in rows if any(needle in folded(c) for c in (*r.cells, *r.also))]
        if self.sort_column is not None:
            col = self.sort_column

            def key(r: Row) -> tuple[int, Any]:
                value = r.sort_keys[col] if r.sort_keys is not None else r.cells[col]
                return _sortable(value)

            ordered = sorted(rows, key=key, reverse=self.sort_reverse)
            # Rows without a value stay at the end, whichever way the sort goes.
            rows = [r for r in ordered if key(r)[0] != 2] + [r for r in ordered if key(r)[0] == 2]
        return rows

    def draw_rows(self) -> None:
        rows = self.visible_rows()
        keys = [r.key for r in rows]
        column_keys = [key for key, _ in self.column_specs]
        if keys == self.shown_order and self.row_count == len(keys):
            changed = [row for row in rows if self.drawn_rows.get(row.key) != row]
            if not changed:
                return
            widths = {key: column.content_width for key, column in self.columns.items()}
            for row in changed:
                self.drawn_rows[row.key] = row
                for col, text in zip(column_keys, row.cells, strict=True):
                    new = self.cell_text(col, text, row.style)
                    if self.get_cell(row.key, col) != new:
                        # Re-measure the column only when the new text does not fit it.
                        grows = new.cell_len > widths[ColumnKey(col)]
                        self.update_cell(row.key, col, new, update_width=grows)
            return
        current = self.current_key
        self.clear()
        for row in rows:
            self.add_row(
                *(
                    self.cell_text(k, c, row.style)
                    for k, c in zip(column_keys, row.cells, strict=True)
                ),
                key=row.key,
            )
        self.shown_order = keys
        self.drawn_rows = {row.key: row for row in rows}
        if current in keys:
            self.move_cursor(row=keys.index(current), animate=False)
