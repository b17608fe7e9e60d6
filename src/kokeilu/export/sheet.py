"""One worksheet of an export, and Excel's limits: every cell is written through `Sheet`, so
registry text is always a literal string cell, never a formula."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kokeilu.text.display import literal

# Excel's limits: a sheet's name (31 characters, none of these), a cell's text.
SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = frozenset("[]:*?/\\")
CELL_TEXT_MAX = 32767

SHARE_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"


def amount_format(places: int) -> str:
    """The number format of an amount with `places` decimals: #,##0 or #,##0.0…"""
    return COUNT_FORMAT + ("." + "0" * places if places else "")


def sheet_name(text: str, taken: set[str]) -> str:
    """A sheet name Excel accepts, unique among `taken` (case aside), from registry text."""
    name = "".join("_" if ch in SHEET_NAME_FORBIDDEN else ch for ch in literal(text))
    name = name.strip("'").strip() or "_"
    if len(name) > SHEET_NAME_MAX:
        name = name[: SHEET_NAME_MAX - 1].rstrip() + "…"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


class Sheet:
    """One worksheet and the formats of the workbook: every cell written through here."""

    def __init__(self, book: Any, name: str, formats: dict[str, Any]) -> None:
        self.ws = book.add_worksheet(name)
        self.name = name
        self.f = formats

    def text(self, row: int, col: int, value: str | None, fmt: str | None = None) -> None:
        """Registry (or catalogue) text, literally, as a string cell; None writes nothing."""
        if value is None:
            return
        self.ws.write_string(row, col, literal(value)[:CELL_TEXT_MAX], self.f.get(fmt or ""))

    def number(self, row: int, col: int, value: int | Decimal | Fraction, fmt: str) -> None:
        """A number (Excel keeps a double), shown by the number format `fmt`."""
        self.ws.write_number(row, col, float(value), self.f[fmt])

    def date(self, row: int, col: int, value: dt.date | None) -> None:
        if value is not None:
            self.ws.write_datetime(
                row, col, dt.datetime(value.year, value.month, value.day), self.f["date"]
            )

    def header(self, row: int, labels: list[str]) -> None:
        for col, label in enumerate(labels):
            if label:
                self.text(row, col, label, "header")

    def widths(self, widths: list[int]) -> None:
        for col, width in enumerate(widths):
            self.ws.set_column(col, col, width)


def quoted(name: str) -> str:
    """A sheet's name as a formula refers to it: in quotes, a quote in it doubled."""
    return "'" + name.replace("'", "''") + "'"


def column(index: int) -> str:
    """A column's letters: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
