"""What a user types or imports is read as written, or refused where it is (issue 9, review 2).

Counts grouped only in real threes, periods from 2000-01, totals in ASCII digits, and a sheet
that is not what it seems (a column named twice, a value under no column, bytes that are not
UTF-8, a cell past the csv module's limit, a formula never computed, a time for a period) refused
at its row and column. `log -n` below 1 and a CSV cell that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_check import BASE

from kokeilu.cli import main
from kokeilu.registry.values import Invalid, parse_count, parse_number

COUNT = 'not a client count: "{}" (a whole number, 0 or more)'
GROUPS = 'not a client count: "{}" (group the digits in threes: 12 345)'
EARLY = 'period "{}" is before 2000-01, the first a count may be for'


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def set_caseload(capsys, file: Path, period: str, count: str) -> tuple[int, str, str]:
    return run(capsys, "-f", str(file), "set-caseload", "kuopio", period, count, "--no-commit")


def import_sheet(capsys, file: Path, sheet: Path) -> tuple[int, str, str]:
    return run(capsys, "-f", str(file), "import-caseloads", str(sheet), "--no-commit")


# --- Item 4: counts grouped in threes, or refused --------------------------------------------


@pytest.mark.parametrize(
    ("typed", "count"),
    [
        ("1 235", 1235),
        ("1\u00a0235", 1235),  # no-break space
        ("1\u202f235", 1235),  # narrow no-break space, as Finnish text writes it
        ("12 345 678", 12345678),
        ("1_000", 1000),
        ("1234", 1234),
    ],
    ids=["space", "nbsp", "narrow-nbsp", "two-groups", "underscore", "ungrouped"],
)
def test_a_count_grouped_in_threes_is_read(bundled_copy, capsys, typed, count) -> None:
    code, _out, err = set_caseload(capsys, bundled_copy, "2020-12", typed)
    assert (code, err) == (0, "")
    assert f"kuopio = {count}\n" in bundled_copy.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12 34 5", GROUPS.format("12 34 5")),
        ("1 2", GROUPS.format("1 2")),
        ("1_0_0", GROUPS.format("1_0_0")),
        ("_1", GROUPS.format("_1")),
        ("1__000", GROUPS.format("1__000")),
        ("1234 567", GROUPS.format("1234 567")),
        (
            "1\u2009235",  # a thin space looks like any other: it is named and shown escaped
            'not a client count: "1\\u2009235" (U+2009 THIN SPACE is not a digit;'
            " group thousands with a space: 1 235)",
        ),
        (
            "1\u200b235",  # a zero-width space is not even seen
            'not a client count: "1\\u200b235" (U+200B ZERO WIDTH SPACE is not a digit;'
            " group thousands with a space: 1 235)",
        ),
    ],
    ids=["12-34-5", "1-2", "1_0_0", "_1", "1__000", "1234-567", "thin-space", "zero-width"],
)
def test_a_count_not_grouped_in_threes_is_refused(bundled_copy, capsys, typed, message) -> None:
    before = bundled_copy.read_bytes()
    code, out, err = set_caseload(capsys, bundled_copy, "2020-12", typed)
    assert (code, out, err) == (1, "", f"{bundled_copy}: error: {message}\n")
    assert bundled_copy.read_bytes() == before


def test_a_sheet_of_badly_grouped_counts_is_refused_at_each_cell(
    bundled_copy, tmp_path, capsys
) -> None:
    sheet = tmp_path / "december.csv"
    sheet.write_text(
        "party;period;count\nkuopio;2020-12;12 34 5\niisalmi;2020-12;1 2\nvarkaus;2020-12;1 235\n",
        encoding="utf-8",
    )
    before = bundled_copy.read_bytes()
    code, _out, err = import_sheet(capsys, bundled_copy, sheet)
    assert (code, err.splitlines()) == (
        1,
        [
            f"{sheet}:2:3: error: {GROUPS.format('12 34 5')}",
            f"{sheet}:3:3: error: {GROUPS.format('1 2')}",
        ],
    )
    assert bundled_copy.read_bytes() == before


# --- Item 3: periods from 2000-01, and only date cells read as periods --------------------------


@pytest.mark.parametrize("period", ["0000-01", "1900-01", "1999-12"])
def test_set_caseload_refuses_a_period_before_2000(bundled_copy, capsys, period) -> None:
    before = bundled_copy.read_bytes()
    code, out, err = set_caseload(capsys, bundled_copy, period, "5")
    assert (code, out, err) == (1, "", f"{bundled_copy}: error: {EARLY.format(period)}\n")
    assert bundled_copy.read_bytes() == before


def test_set_caseload_takes_2000_01(bundled_copy, capsys) -> None:
    code, _out, err = set_caseload(capsys, bundled_copy, "2000-01", "5")
    assert (code, err) == (0, "")
    assert '[caseloads."2000-01"]\nkuopio = 5\n' in bundled_copy.read_text(encoding="utf-8")


def test_check_finds_a_period_before_2000_at_its_header(tmp_path, capsys) -> None:
    text = BASE + '\n[caseloads."0000-01"]\nkuopio = 5\n'
    path = tmp_path / "registry.toml"
    path.write_text(text, encoding="utf-8")
    line = text.count("\n", 0, text.index('[caseloads."0000-01"]')) + 1
    code, out, _err = run(capsys, "-f", str(path), "check")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{path}:{line}:1: error: caseload period 0000-01 is before 2000-01,"
        " the earliest a count may be for"
    )
    assert "   = hint: check the year (2020-12, not 0000-12 or 1900-12)" in out.splitlines()


def workbook(tmp_path: Path, *rows: list[object]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["party", "period", "count"])
    for row in rows:
        sheet.append(row)
    source = tmp_path / "december.xlsx"
    book.save(source)
    return source


def test_a_time_cell_is_not_a_period_and_1900_is_refused(bundled_copy, tmp_path, capsys) -> None:
    source = workbook(
        tmp_path,
        ["kuopio", dt.time(0, 0), 5],  # once read as 1900-01
        ["iisalmi", dt.datetime(1900, 1, 1), 5],
        ["varkaus", dt.datetime(2020, 12, 1), 5],
        ["vierema", dt.date(2020, 12, 1), 7],
    )
    before = bundled_copy.read_bytes()
    code, _out, err = import_sheet(capsys, bundled_copy, source)
    assert (code, err.splitlines()) == (
        1,
        [
            f'{source}:2:2: error: not a period: "00:00:00" (write 2020-12)',
            f"{source}:3:2: error: {EARLY.format('1900-01')}",
        ],
    )
    assert bundled_copy.read_bytes() == before


def test_date_cells_are_read_as_their_month(bundled_copy, tmp_path, capsys) -> None:
    source = workbook(
        tmp_path, ["varkaus", dt.datetime(2020, 12, 1), 5], ["vierema", dt.date(2020, 12, 31), 7]
    )
    code, _out, err = import_sheet(capsys, bundled_copy, source)
    assert (code, err) == (0, "")
    text = bundled_copy.read_text(encoding="utf-8")
    december = text[text.index('[caseloads."2020-12"]') :]
    assert "varkaus = 5\n" in december and "vierema = 7\n" in december


# --- Item 5: totals and steps in ASCII digits, and Infinity is not a number --------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("٦٢", 'not a number: "٦٢"'),  # Decimal() reads Arabic-Indic digits as 62
        ("Infinity", 'not a number: "Infinity"'),
        ("NaN", 'not a number: "NaN"'),
        ("-Infinity", 'not a number: "-Infinity"'),
        ("12 34", 'not a number: "12 34" (group the digits in threes: 12 345,5)'),
        ("-5", "must be zero or more: -5"),
    ],
)
def test_a_total_that_is_not_ascii_digits_is_not_a_number(typed, message) -> None:
    with pytest.raises(Invalid) as refused:
        parse_number(typed, positive=False)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("typed", "number"),
    [("1 234,5", "1234.5"), ("1\u202f000", "1000"), ("1E+3", "1E+3"), ("0.25", "0.25")],
)
def test_a_total_as_typed_or_as_the_form_shows_it_is_read(typed, number) -> None:
    assert parse_number(typed, positive=True) == Decimal(number)


def test_counts_and_totals_share_the_grouping_rule() -> None:
    assert parse_count("1\u202f235") == 1235 == parse_number("1\u202f235", positive=False)


# --- Item 8: a sheet that is not what it seems -------------------------------------------------


def csv_sheet(tmp_path: Path, data: bytes) -> Path:
    sheet = tmp_path / "december.csv"
    sheet.write_bytes(data)
    return sheet


def test_a_column_named_twice_is_refused_at_the_second(bundled_copy, tmp_path, capsys) -> None:
    sheet = csv_sheet(tmp_path, b"party,party,period,count\nkuopio,iisalmi,2020-12,5\n")
    before = bundled_copy.read_bytes()
    code, _out, err = import_sheet(capsys, bundled_copy, sheet)
    assert (code, err) == (
        1,
        f'{sheet}:1:2: error: the column "party" is named twice (first in column 1)\n',
    )
    assert bundled_copy.read_bytes() == before


def test_a_value_under_no_column_is_refused_at_its_cell(bundled_copy, tmp_path, capsys) -> None:
    sheet = csv_sheet(
        tmp_path,
        b"party,period,count,note\n"
        b"kuopio,2020-12,5,checked\n"  # a named extra column: fine
        b"iisalmi,2020-12,6,,7\n"  # a value under no name: which count is meant?
        b"varkaus,2020-12,8,,\n",  # empty trailing cells: fine
    )
    before = bundled_copy.read_bytes()
    code, _out, err = import_sheet(capsys, bundled_copy, sheet)
    assert (code, err) == (
        1,
        f'{sheet}:3:5: error: a value in a column with no name in the first row: "7"\n',
    )
    assert bundled_copy.read_bytes() == before


def test_bytes_that_are_not_utf8_are_refused_at_their_cell(bundled_copy, tmp_path, capsys) -> None:
    # Latin-1 "Leppävirta": the ä is byte 0xE4.
    sheet = csv_sheet(tmp_path, b"party,period,count\nkuopio,2020-12,5\nLepp\xe4virta,2020-12,6\n")
    before = bundled_copy.read_bytes()
    code, _out, err = import_sheet(capsys, bundled_copy, sheet)
    assert (code, err) == (
        1,
        f'{sheet}:3:1: error: byte 0xE4 is not UTF-8 text (save the sheet as "CSV UTF-8")\n',
    )
    assert bundled_copy.read_bytes() == before


def test_bytes_on_standard_input_that_are_not_utf8_are_refused_at_their_cell(
    bundled_copy, capsys, monkeypatch
) -> None:
    data = b"party;period;count\nkuopio;2020-12;\xff5\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, _out, err = import_sheet(capsys, bundled_copy, Path("-"))
    assert (code, err) == (
        1,
        '<stdin>:2:3: error: byte 0xFF is not UTF-8 text (save the sheet as "CSV UTF-8")\n',
    )


def test_a_cell_past_the_csv_limit_is_refused_at_its_cell(bundled_copy, tmp_path, capsys) -> None:
    limit = csv.field_size_limit()
    sheet = csv_sheet(
        tmp_path, b"party,period,count\nkuopio,2020-12,5\niisalmi,2020-12," + b"1" * 200_000 + b"\n"
    )
    code, _out, err = import_sheet(capsys, bundled_copy, sheet)
    assert (code, err) == (
        1,
        f"{sheet}:3:3: error: a cell of 200 000 characters, more than 131 072\n",
    )
    assert csv.field_size_limit() == limit  # the process's limit is left as it was


def test_a_formula_without_a_saved_value_is_named(bundled_copy, tmp_path, capsys) -> None:
    source = workbook(tmp_path, ["kuopio", "2020-12", "=SUM(B5:B9)"], ["iisalmi", "2020-12", 6])
    before = bundled_copy.read_bytes()
    code, _out, err = import_sheet(capsys, bundled_copy, source)
    assert (code, err) == (
        1,
        f"{source}:2:3: error: a formula with no saved value: =SUM(B5:B9)"
        " (open the sheet in Excel and save it, or paste the values)\n",
    )
    assert bundled_copy.read_bytes() == before


# --- Item 8: log -n below 1 ---------------------------------------------------------------------


@pytest.mark.parametrize("n", ["0", "-1", "x", "٣"])
def test_log_refuses_fewer_than_one_commit(bundled_copy, capsys, n) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["-f", str(bundled_copy), "log", "-n", n])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"kokeilu log: error: argument -n: not a number of commits, 1 or more: {n}"
    )


# --- Item 8: a CSV of shares never runs as a formula in a spreadsheet --------------------------


@pytest.mark.parametrize("unit", ['=HYPERLINK("http://x")', "+1", "-x", "@SUM(A1)"])
def test_a_text_cell_that_starts_like_a_formula_is_prefixed(bundled_copy, capsys, unit) -> None:
    text = bundled_copy.read_text(encoding="utf-8")
    bundled_copy.write_text(text.replace('unit = "htv"', f"unit = '{unit}'", 1), encoding="utf-8")
    code, out, _err = run(
        capsys, "-f", str(bundled_copy), "shares", "--provisional", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    staff = [r for r in rows if r["resource"] == "te_staff"]
    assert {r["unit"] for r in staff} == {"'" + unit}
    # Numbers are never prefixed: they stay numbers to the spreadsheet.
    assert sum(Decimal(r["amount"]) for r in staff) == Decimal("61.5")
    assert all(r["caseload"].isdigit() for r in rows)


# --- The grouping rule as a property: what is grouped in threes is read, nothing else is -------

SEPARATORS = " \u00a0\u202f_"


@given(st.integers(0, 10**9), st.sampled_from(SEPARATORS))
def test_every_count_grouped_in_threes_is_read_back(count, separator) -> None:
    assert parse_count(f"{count:,}".replace(",", separator)) == count


@given(st.text(alphabet="0123456789" + SEPARATORS, min_size=1, max_size=14))
def test_digits_and_separators_are_read_only_when_grouped_in_threes(text) -> None:
    digits = "".join(ch for ch in text if ch.isdigit())
    groups = re.split(f"[{SEPARATORS}]", text.strip())
    grouped = bool(digits) and (
        len(groups) == 1 or (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]))
    )
    try:
        count = parse_count(text)
    except Invalid:
        assert not grouped or int(digits) > 10**9
    else:
        assert grouped and count == int(digits)


def test_a_sheet_with_carriage_returns_for_line_ends_is_read_by_row(
    bundled_copy, tmp_path, capsys
) -> None:
    """Once "new-line character seen in unquoted field - do you need to open the file in
    universal-newline mode?": the csv module's words, at no row a user could find."""
    sheet = csv_sheet(tmp_path, b"party,period,count\rkuopio,2020-12,4321\rii\rsalmi,2020-12,6\r")
    before = bundled_copy.read_bytes()
    code, _out, err = import_sheet(capsys, bundled_copy, sheet)
    assert (code, err.splitlines()[0], err.splitlines()[-1]) == (
        1,
        f'{sheet}:3:1: error: unknown party "ii"',
        f'{sheet}:4:1: error: unknown party "salmi"',
    )
    assert bundled_copy.read_bytes() == before
    csv_sheet(tmp_path, b"party,period,count\rkuopio,2020-12,4321\r")
    code, _out, err = import_sheet(capsys, bundled_copy, sheet)
    assert (code, err) == (0, "")
    text = bundled_copy.read_text(encoding="utf-8")
    assert "kuopio = 4321\n" in text[text.index('[caseloads."2020-12"]') :]
