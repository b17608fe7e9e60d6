"""Monthly caseload imports: rows of (party, period, count) from a CSV or Excel file.

Every row is checked before anything is written, and every bad row is reported with its row and
column, so a coordinator fixes the whole sheet at once. The result is one edit: a whole import is
one commit.

A sheet is taken as its author sees it, or refused where it is not: a CSV that is not UTF-8 is
refused at the cell of the bad byte (never read as some other text), a column named twice or a
value in a column without a name is refused (never silently the first, or ignored), and a formula
that Excel never computed (openpyxl reads no value for it) is named as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kokeilu.registry.model import Registry
from kokeilu.registry.values import Invalid, parse_count, parse_period, party_id, visible
from kokeilu.text import display
from kokeilu.text.display import literal
from kokeilu.text.strings import t

COLUMNS = ("party", "period", "count")
# The longest cell read: the default limit of Python's csv reader, far beyond any name, period
# or count. A longer cell is refused at its row and column, never printed back whole.
MAX_CELL = 131_072
# The largest sheet read (16 MiB): a month of 10,000 municipalities is about 250 kB, and a sheet
# sent over SSH (`import-caseloads -`) must not fill the server's memory.
MAX_SHEET = 16 * 1024 * 1024


class TooLarge(ValueError):
    """A sheet larger than MAX_SHEET, or a source that is not a regular file; nothing was read."""


def read_capped(stream: Any) -> bytes:
    """At most MAX_SHEET bytes of a binary stream; raises TooLarge past that."""
    data = stream.read(MAX_SHEET + 1)
    if len(data) > MAX_SHEET:
        raise TooLarge(t("import.too_large", size=display.number(MAX_SHEET // (1024 * 1024))))
    return data


class Unparsable(ValueError):
    """A CSV the csv module cannot split into rows, at the row (1-based) where it stopped."""

    def __init__(self, row: int, message: str):
        super().__init__(message)
        self.row = row


@dataclass(frozen=True, slots=True)
class Formula:
    """A workbook cell holding a formula with no saved value (the workbook was written by a
    program that does not compute, so openpyxl's data_only read gives None)."""

    text: str


@dataclass(frozen=True, slots=True)
class Problem:
    """A bad cell or row: where (1-based row and column of the sheet) and what."""

    row: int
    col: int
    message: str


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One checked row."""

    row: int
    party: str
    period: str
    count: int


def read_table(file: Path) -> list[list[Any]]:
    """The cells of a CSV (`,` `;` or tab separated) or of an .xlsx file's first sheet.

    A workbook cell whose formula has no saved value is a `Formula`, so it can be named.
    """
    import stat

    if not stat.S_ISREG(file.stat().st_mode):  # a FIFO would hang, /dev/zero never end
        raise TooLarge(t("import.not_regular"))
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        return _workbook(file)
    with file.open("rb") as stream:
        return parse_csv(decode(read_capped(stream)))


def _workbook(file: Path) -> list[list[Any]]:
    from openpyxl import load_workbook

    def rows(data_only: bool) -> list[list[Any]]:
        book = load_workbook(file, read_only=True, data_only=data_only)
        try:
            return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()

    values = rows(True)
    if not any(cell is None for row in values for cell in row):
        return values
    formulas = rows(False)  # only when some cell is empty: it may be an uncomputed formula
    for row, formula_row in zip(values, formulas, strict=False):
        for i, (value, formula) in enumerate(zip(row, formula_row, strict=False)):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                row[i] = Formula(formula)
    return values


def decode(data: bytes) -> str:
    """A CSV's bytes as text; a byte that is not UTF-8 stays as a lone surrogate, so that
    `check_rows` can name its row and column (`UnicodeDecodeError` gives only an offset)."""
    return data.decode("utf-8-sig", "surrogateescape")


def parse_csv(text: str) -> list[list[Any]]:
    """The cells of a CSV text (`,` `;` or tab separated): a file's, or standard input's.

    The csv module's field limit is lifted for this text, so that a cell too long to be a name
    or a count is refused by `check_rows` at its row and column, not by the csv module without
    either.
    """
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    rows: list[list[Any]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            rows.append(row)
    except csv.Error as exc:
        raise Unparsable(len(rows) + 1, str(exc)) from None
    finally:
        csv.field_size_limit(limit)
    return rows


def _unreadable_cells(cells: list[list[Any]]) -> list[Problem]:
    """Cells that are not text as the author wrote it: bytes that are not UTF-8, or too long."""
    problems = []
    for number, raw in enumerate(cells, start=1):
        for col, cell in enumerate(raw, start=1):
            if not isinstance(cell, str):
                continue
            if len(cell) > MAX_CELL:
                problems.append(
                    Problem(
                        number,
                        col,
                        t(
                            "import.cell_too_long",
                            length=display.number(len(cell)),
                            maximum=display.number(MAX_CELL),
                        ),
                    )
                )
                continue
            bad = next((ch for ch in cell if "\udc80" <= ch <= "\udcff"), None)
            if bad is not None:
                problems.append(
                    Problem(number, col, t("import.not_utf8", byte=f"0x{ord(bad) - 0xDC00:02X}"))
                )
    return problems


def _header(header: list[str]) -> list[Problem]:
    """A column of ours named twice: which of the two is meant cannot be known."""
    first: dict[str, int] = {}
    problems = []
    for col, name in enumerate(header, start=1):
        if name in COLUMNS and name in first:
            problems.append(
                Problem(1, col, t("import.duplicate_column", column=name, first=first[name]))
            )
        first.setdefault(name, col)
    return problems


def _shown(cell: Any) -> str:
    return visible(literal(str(cell)))


def check_rows(
    cells: list[list[Any]], registry: Registry, today: dt.date
) -> tuple[list[ImportRow], list[Problem]]:
    """The rows of a sheet whose header names party, period and count, and every problem in it.

    A period after the month of `today` is a problem: counts are for months that have begun.
    """
    problems: list[Problem] = []
    if not cells:
        return [], [Problem(1, 1, t("import.empty"))]
    unreadable = _unreadable_cells(cells)
    if unreadable:
        return [], unreadable
    header = [str(c).strip().casefold() if c is not None else "" for c in cells[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [
            Problem(
                1, 1, t("import.header", missing=", ".join(missing), columns=", ".join(COLUMNS))
            )
        ]
    twice = _header(header)
    if twice:
        return [], twice
    where = {name: header.index(name) for name in COLUMNS}
    rows: list[ImportRow] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(cells[1:], start=2):
        if not any(c not in (None, "") for c in raw):
            continue
        ok = True
        for col, cell in enumerate(raw, start=1):
            if cell not in (None, "") and (col > len(header) or not header[col - 1]):
                problems.append(Problem(number, col, t("import.extra_cell", value=_shown(cell))))
                ok = False
        values = {name: raw[i] if i < len(raw) else None for name, i in where.items()}
        formulas = {name: cell for name, cell in values.items() if isinstance(cell, Formula)}
        for name, cell in formulas.items():
            formula = cell.text
            problems.append(
                Problem(number, where[name] + 1, t("import.formula", formula=_shown(formula)))
            )
            ok = False
        party = str(values["party"] or "").strip()
        if "party" not in formulas:
            try:
                named = party_id(registry.parties, party)
            except Invalid as exc:
                problems.append(Problem(number, where["party"] + 1, str(exc)))
                ok = False
            else:
                if named is None:
                    problems.append(
                        Problem(number, where["party"] + 1, t("import.unknown_party", party=party))
                    )
                    ok = False
                else:
                    party = named
        period_cell = values["period"]
        if isinstance(period_cell, dt.date):  # a date or datetime cell; a time is no period
            period = f"{period_cell.year:04d}-{period_cell.month:02d}"
        else:
            period = str(period_cell if period_cell is not None else "")
        try:
            if "period" not in formulas:
                period = parse_period(period, today)
        except Invalid as exc:
            problems.append(Problem(number, where["period"] + 1, str(exc)))
            ok = False
        count_cell = values["count"]
        try:
            if isinstance(count_cell, float) and count_cell.is_integer():
                count_cell = int(count_cell)
            if "count" not in formulas:
                count = parse_count(str(count_cell if count_cell is not None else ""))
        except Invalid as exc:
            problems.append(Problem(number, where["count"] + 1, str(exc)))
            ok = False
        if ok:
            key = (party, period)
            if key in seen:
                problems.append(
                    Problem(
                        number,
                        where["party"] + 1,
                        t("import.duplicate", party=party, period=period, row=seen[key]),
                    )
                )
                continue
            seen[key] = number
            rows.append(ImportRow(number, party, period, count))
    if not rows and not problems:
        problems.append(Problem(2, 1, t("import.empty")))
    return rows, problems
