"""A data table for registry rows: keyed rows, literal text, in-place updates, filter and sort.

Rows are keyed by registry id, so the cursor stays on its row when the data changes, and a
changed value updates one cell instead of rebuilding the table. Cell text is always literal:
registry data is never read as markup.

At 80 columns a table fits its width instead of running off the screen: it leaves out the
columns it may `drop` (in order) while it is too wide, shown for the row under the cursor in a
`detail` line under it, and gives its `flex` column what is left, wrapped (`wrap`) or ending in
"…".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.console import JustifyMethod
from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable, Static
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

    # The fewest cells a `flex` column is given, its padding included.
    FLEX_MIN = 12

    def __init__(
        self,
        columns: Sequence[tuple[str, str]],
        right: Sequence[str] = (),
        cursor: CursorType = "cell",
        *,
        flex: str | None = None,
        wrap: bool = False,
        drop: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        # A cell cursor: arrows reach every column (and scroll to it), and `s` sorts by it.
        super().__init__(cursor_type=cursor, zebra_stripes=True, **kwargs)
        self.column_specs = list(columns)
        # The column that takes the width the others leave; wrapped, or cut with "…".
        self.flex = flex
        self.wrap = wrap
        # The columns left out, first first, while the table is wider than its room.
        self.drop = tuple(drop)
        # What is drawn now: the keys of the columns shown, and their widths (None: each as
        # wide as its text). A table that fits its width sets every width itself: DataTable
        # measures auto widths only when idle, and a row drawn before that would keep the old
        # widths (its render cache does not know widths).
        self.column_layout: tuple[tuple[str, ...], tuple[int, ...] | None] = (
            tuple(k for k, _ in columns),
            None,
        )
        # Whether the flex column is narrower than its text (wrapped, or cut with "…").
        self.flex_short = False
        # Where the cells of the columns left out are shown for the row under the cursor.
        self.detail: Static | None = None
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
            self.add_shown_columns()

    def on_resize(self) -> None:
        self.fit()

    def on_focus(self) -> None:
        self.show_detail()

    def on_data_table_cell_highlighted(self) -> None:
        self.show_detail()

    def on_data_table_row_highlighted(self) -> None:
        self.show_detail()

    def cell_text(self, column: str, text: str, style: str) -> Text:
        justify: JustifyMethod = "right" if column in self.right else "left"
        if column == self.flex and self.flex_short:
            if self.wrap:
                return Text(literal(text), style=style, justify=justify)
            return Text(
                literal(text), style=style, justify=justify, no_wrap=True, overflow="ellipsis"
            )
        return Text(literal(text), style=style, justify=justify)

    @property
    def shown_columns(self) -> tuple[str, ...]:
        """The keys of the columns drawn, left to right."""
        return self.column_layout[0]

    def add_shown_columns(self) -> None:
        shown, widths = self.column_layout
        labels = dict(self.column_specs)
        for i, key in enumerate(shown):
            width = widths[i] if widths is not None else None
            self.add_column(self.heading(labels[key]), key=key, width=width)

    def set_columns(self, columns: Sequence[tuple[str, str]]) -> None:
        """Change the columns (key, label); the rows are drawn again at the next `set_rows`."""
        if list(columns) == self.column_specs and self.columns:
            return
        self.column_specs = list(columns)
        self.column_layout = (tuple(k for k, _ in columns), None)
        self.clear(columns=True)
        self.shown_order = []
        self.drawn_rows = {}
        self.add_shown_columns()

    def wanted_layout(self) -> tuple[tuple[tuple[str, ...], tuple[int, ...] | None], bool]:
        """The columns that fit the table's width and their widths; and whether the flex
        column is narrower than its text."""
        every = tuple(key for key, _ in self.column_specs)
        room = self.size.width
        if room <= 0 or (self.flex is None and not self.drop):
            return (every, None), False
        if self.wrap or len(self.registry_rows) + 1 > self.size.height:
            room -= self.styles.scrollbar_size_vertical
        pad = 2 * self.cell_padding
        index = {key: i for i, key in enumerate(every)}
        natural = {
            key: pad
            + max(
                [cell_len(literal(label))]
                + [cell_len(literal(row.cells[index[key]])) for row in self.registry_rows]
            )
            for key, label in self.column_specs
        }
        shown = list(every)
        for key in self.drop:
            if sum(natural[k] for k in shown) <= room:
                break
            shown.remove(key)
        widths = {k: natural[k] - pad for k in shown}
        short = self.flex in shown and sum(natural[k] for k in shown) > room
        if short:
            others = sum(natural[k] for k in shown if k != self.flex)
            widths[str(self.flex)] = max(self.FLEX_MIN, room - others) - pad
        return (tuple(shown), tuple(widths[k] for k in shown)), short

    def fit(self) -> None:
        """Lay the columns out for the table's width; redraw the rows if that changed it."""
        wanted, short = self.wanted_layout()
        if wanted != self.column_layout or short != self.flex_short:
            self.column_layout, self.flex_short = wanted, short
            self.clear(columns=True)
            self.shown_order = []
            self.drawn_rows = {}
            self.add_shown_columns()
            self.draw_rows()
        self.show_detail()

    @property
    def dropped(self) -> list[tuple[str, str]]:
        """The columns left out at this width: (key, label)."""
        return [
            (key, label) for key, label in self.column_specs if key not in self.column_layout[0]
        ]

    def cells(self, key: str) -> list[str]:
        """Every cell of the row with `key` as the user reads it, shown in the table or (left out
        at this width) in the detail line; one for each column."""
        found = next(row for row in self.registry_rows if row.key == key)
        return [literal(text) for text in found.cells]

    def detail_text(self) -> Text:
        """What the detail line says: each column left out, for the row under the cursor."""
        text = Text()
        key = self.current_key
        if key is None:
            return text
        every = [k for k, _ in self.column_specs]
        cells = self.cells(key)
        for column, label in self.dropped:
            value = cells[every.index(column)]
            if not value:
                continue
            text.append(" · ")
            text.append(literal(label) + ": ", style="dim")
            text.append(value)
        if text:  # whose: the row's first cell drawn, its name
            name = cells[every.index(self.shown_columns[0])] if self.shown_columns else ""
            text = Text.assemble(Text(name, style="bold"), text)
        return text

    def show_detail(self) -> None:
        """Show the row under the cursor in the detail line, when this table has columns left
        out (the detail line of several tables is the focused one's)."""
        if self.detail is None:
            return
        others_focused = not self.has_focus and any(
            isinstance(w, RegistryTable) and w.detail is self.detail and w.has_focus
            for w in self.screen.query(RegistryTable)
        )
        if others_focused:
            return
        self.detail.display = bool(self.dropped)
        self.detail.update(self.detail_text())

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
        if self.wanted_layout() != (self.column_layout, self.flex_short):
            self.fit()
            return
        self.draw_rows()
        self.show_detail()

    def set_filter(self, text: str) -> None:
        """Show only rows with `text` in some cell, case and diacritics aside (`jarvi`)."""
        self.filter_text = text
        self.draw_rows()

    def sort_by(self, shown_column: int) -> None:
        """Sort by the column drawn at `shown_column`; again by the same column reverses the
        order."""
        every = [key for key, _ in self.column_specs]
        column = every.index(self.shown_columns[shown_column])
        if self.sort_column == column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        for index, (key, label) in enumerate(self.column_specs):
            mark = (" ▼" if self.sort_reverse else " ▲") if index == column else ""
            if key in self.shown_columns:
                self.columns[ColumnKey(key)].label = self.heading(label + mark)
        # Drawn again whole: DataTable's render cache does not know a heading changed, and the
        # rows may already be in this order.
        self.shown_order = []
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
        every = [key for key, _ in self.column_specs]
        column_keys = list(self.shown_columns)
        picked = [every.index(key) for key in column_keys]
        # Wrapped rows are as tall as their text: a changed row is drawn again whole.
        wrapped = self.wrap and self.flex_short
        unchanged = all(self.drawn_rows.get(row.key) == row for row in rows)
        if keys == self.shown_order and self.row_count == len(keys) and wrapped and unchanged:
            return
        if keys == self.shown_order and self.row_count == len(keys) and not wrapped:
            changed = [row for row in rows if self.drawn_rows.get(row.key) != row]
            if not changed:
                return
            widths = {key: column.content_width for key, column in self.columns.items()}
            for row in changed:
                self.drawn_rows[row.key] = row
                for col, i in zip(column_keys, picked, strict=True):
                    new = self.cell_text(col, row.cells[i], row.style)
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
                    self.cell_text(k, row.cells[i], row.style)
                    for k, i in zip(column_keys, picked, strict=True)
                ),
                key=row.key,
                height=None if wrapped else 1,
            )
        self.shown_order = keys
        self.drawn_rows = {row.key: row for row in rows}
        if current in keys:
            self.move_cursor(row=keys.index(current), animate=False)
