"""Monthly caseload imports: rows of (party, period, count) from a CSV or Excel file.

Every row is checked before anything is written, and every bad row is reported with its row and
column, so a coordinator fixes the whole sheet at once. The result is one edit: a whole import is
one commit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kokeilu.model import Registry
from kokeilu.strings import t
from kokeilu.validation import Invalid, parse_count, parse_period

COLUMNS = ("party", "period", "count")


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
    """The cells of a CSV (`,` `;` or tab separated) or of an .xlsx file's first sheet."""
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        book = load_workbook(file, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    return parse_csv(file.read_text(encoding="utf-8-sig"))


def parse_csv(text: str) -> list[list[Any]]:
    """The cells of a CSV text (`,` `;` or tab separated): a file's, or standard input's."""
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def check_rows(
    cells: list[list[Any]], registry: Registry, today: dt.date
) -> tuple[list[ImportRow], list[Problem]]:
    """The rows of a sheet whose header names party, period and count, and every problem in it.

    A period after the month of `today` is a problem: counts are for months that have begun.
    """
    problems: list[Problem] = []
    if not cells:
        return [], [Problem(1, 1, t("import.empty"))]
    header = [str(c).strip().casefold() if c is not None else "" for c in cells[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [
            Problem(
                1, 1, t("import.header", missing=", ".join(missing), columns=", ".join(COLUMNS))
            )
        ]
    where = {name: header.index(name) for name in COLUMNS}
    rows: list[ImportRow] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(cells[1:], start=2):
        if not any(c not in (None, "") for c in raw):
            continue
        values = {name: raw[i] if i < len(raw) else None for name, i in where.items()}
        party = str(values["party"] or "").strip()
        ok = True
        if party not in registry.parties:
            problems.append(
                Problem(number, where["party"] + 1, t("import.unknown_party", party=party))
            )
            ok = False
        period_cell = values["period"]
        period = (
            period_cell.strftime("%Y-%m")
            if hasattr(period_cell, "strftime")
            else str(period_cell or "")
        )
        try:
            period = parse_period(period, today)
        except Invalid as exc:
            problems.append(Problem(number, where["period"] + 1, str(exc)))
            ok = False
        count_cell = values["count"]
        try:
            if isinstance(count_cell, float) and count_cell.is_integer():
                count_cell = int(count_cell)
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
