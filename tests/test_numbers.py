"""Numbers exact at any size, or refused where they enter (issue 9, "numbers").

Each reported case: counts that are not ASCII digits or too long, integers too long for Python
in the file, caseloads of 2^63 and 2^61, a total that JSON once turned into a binary float, a
period typed with the wrong year, and the default period of `shares`.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from test_check import BASE

from kokeilu.cli import main
from kokeilu.registry.load import load

COUNT = 'not a client count: "{}" (a whole number, 0 or more)'
TOO_LARGE = "more than 1 000 000 000, the most a client count may be"
FUTURE = 'period "2202-12" is after the current month'


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "registry.toml"
    path.write_text(text, encoding="utf-8")
    return path


def value_position(text: str, table: str, key: str) -> tuple[int, int]:
    """Line and column (1-based) of the value of `key = ` in `table`."""
    at = text.index(f"\n{key} = ", text.index(table)) + 1 + len(f"{key} = ")
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


# --- Counts as typed: set-caseload ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("²", COUNT.format("²")),  # str.isdigit() is true, int() fails
        ("①", COUNT.format("①")),
        ("١٢", COUNT.format("١٢")),  # Arabic-Indic digits: int() reads them, a count is ASCII
        ("1" * 5000, TOO_LARGE),  # int() refuses more than 4300 digits
        ("9223372036854775808", TOO_LARGE),  # 2^63
        ("1 000 000 001", TOO_LARGE),
    ],
    ids=["superscript", "circled", "arabic-indic", "5000-digits", "2^63", "limit+1"],
)
def test_set_caseload_refuses_a_count_that_is_not_one(bundled_copy, capsys, typed, message) -> None:
    before = bundled_copy.read_bytes()
    code, out, err = run(
        capsys, "-f", str(bundled_copy), "set-caseload", "kuopio", "2020-12", typed, "--no-commit"
    )
    assert (code, out, err) == (1, "", f"{bundled_copy}: error: {message}\n")
    assert bundled_copy.read_bytes() == before


def test_set_caseload_takes_the_maximum_count(bundled_copy, capsys) -> None:
    code, _out, _ = run(
        capsys,
        *("-f", str(bundled_copy), "set-caseload", "kuopio", "2020-12", "1 000 000 000"),
        "--no-commit",
    )
    assert code == 0
    assert "kuopio = 1000000000\n" in bundled_copy.read_text(encoding="utf-8")
    assert main(["-f", str(bundled_copy), "check"]) == 0


def test_set_caseload_refuses_a_period_after_this_month(bundled_copy, capsys) -> None:
    before = bundled_copy.read_bytes()
    code, out, err = run(
        capsys, "-f", str(bundled_copy), "set-caseload", "kuopio", "2202-12", "5", "--no-commit"
    )
    assert (code, out, err) == (1, "", f"{bundled_copy}: error: {FUTURE}\n")
    assert bundled_copy.read_bytes() == before


# --- Counts in a sheet: import-caseloads -------------------------------------------------------


def test_import_names_each_bad_count_and_period_at_its_cell(bundled_copy, tmp_path, capsys) -> None:
    sheet = tmp_path / "december.csv"
    sheet.write_text(
        "party,period,count\n"
        "kuopio,2020-12,²\n"
        f"iisalmi,2020-12,{'7' * 5000}\n"
        "varkaus,2202-12,5\n"
        "vierema,2020-12,9223372036854775808\n",
        encoding="utf-8",
    )
    before = bundled_copy.read_bytes()
    code, _out, err = run(capsys, "-f", str(bundled_copy), "import-caseloads", str(sheet))
    assert code == 1
    assert err.splitlines() == [
        f"{sheet}:2:3: error: {COUNT.format('²')}",
        f"{sheet}:3:3: error: {TOO_LARGE}",
        f"{sheet}:4:2: error: {FUTURE}",
        f"{sheet}:5:3: error: {TOO_LARGE}",
    ]
    assert bundled_copy.read_bytes() == before


def test_import_refuses_1e20_in_a_workbook(bundled_copy, tmp_path, capsys) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["party", "period", "count"])
    sheet.append(["kuopio", "2020-12", 1e20])
    source = tmp_path / "december.xlsx"
    book.save(source)
    before = bundled_copy.read_bytes()
    code, _out, err = run(capsys, "-f", str(bundled_copy), "import-caseloads", str(source))
    assert (code, err) == (1, f"{source}:2:3: error: {TOO_LARGE}\n")
    assert bundled_copy.read_bytes() == before


# --- Numbers too long for Python in the file -----------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["check"], ["shares"], ["set-caseload", "kuopio", "2020-12", "5"], ["import-caseloads", "x"]],
    ids=["check", "shares", "set-caseload", "import-caseloads"],
)
def test_an_integer_of_4301_digits_is_a_positioned_error(bundled_copy, capsys, command) -> None:
    text = bundled_copy.read_text(encoding="utf-8")
    # The same digits in a comment and in a string come first: they are not the error.
    digits = "9" * 4301
    text = text.replace("schema = 1\n", f"# {digits}\nschema = 1\n", 1)
    text = text.replace("[parties.kuopio]\n", f'[parties.kuopio]\nnote = "{digits}"\n', 1)
    december = '[caseloads."2020-12"]\nkuopio = 6757'
    text = text.replace(december, f'[caseloads."2020-12"]\nkuopio = {digits}')
    bundled_copy.write_text(text, encoding="utf-8")
    line, col = value_position(text, '[caseloads."2020-12"]', "kuopio")
    code, _out, err = run(capsys, "-f", str(bundled_copy), *command)
    assert code == 2
    assert err.splitlines()[0] == (
        f"{bundled_copy}:{line}:{col}: error: "
        "a number too large to read (an integer has at most 4300 digits)"
    )
    assert "Traceback" not in err


def test_a_float_whose_exponent_decimal_refuses_is_a_positioned_error(tmp_path, capsys) -> None:
    text = BASE.replace("total = 12.5", "total = 1e99999999999999999999")
    path = write(tmp_path, text)
    line, col = value_position(text, "[resources.te_staff]", "total")
    code, _out, err = run(capsys, "-f", str(path), "check")
    assert code == 2
    assert err.splitlines()[0] == (
        f"{path}:{line}:{col}: error: a number too large to read (an integer has at most 4300 digits)"
    )


# --- The division: exact at the limits, refused beyond them --------------------------------------


# BASE with the four parties' caseloads replaced, and TE staff of `total` at `step`.
def registry(caseload: str, total: str = "0.1", step: str = "0.1") -> str:
    text = BASE.replace("step = 0.1\ntotal = 12.5", f"step = {step}\ntotal = {total}")
    for party, count in (("kuopio", 600), ("siilinjarvi", 100), ("iisalmi", 120), ("vierema", 20)):
        text = text.replace(f"{party} = {count}\n", f"{party} = {caseload}\n")
    return text


def test_caseloads_of_2_61_are_refused_not_divided_into_nothing(tmp_path, capsys) -> None:
    """Four caseloads of 2^61 used to sum past 2^63: every party got 0 steps and -25.0 %."""
    path = write(tmp_path, registry(str(2**61)))
    code, out, err = run(capsys, "-f", str(path), "check")
    assert code == 1
    assert out.count("is more than 1 000 000 000, the most a count may be") == 4
    code, out, err = run(capsys, "-f", str(path), "shares", "--provisional")
    assert (code, out) == (1, "")
    assert err == f"{path}: error: the registry has errors (4); run `kokeilu check` to see them\n"


def test_four_equal_caseloads_at_the_limit_share_one_step_by_the_tie_rule(tmp_path, capsys) -> None:
    path = write(tmp_path, registry("1_000_000_000"))
    code, out, _err = run(capsys, "-f", str(path), "shares", "--provisional", "--format", "json")
    assert code == 0
    rows = json.loads(out, parse_float=Decimal)["resources"][0]["rows"]
    # Equal remainders and equal caseloads: the one step goes to the first id.
    assert [(r["party"], r["units"], r["amount"], r["share"]) for r in rows] == [
        ("kuopio", 0, 0, Decimal("0.250000")),
        ("siilinjarvi", 0, 0, Decimal("0.250000")),
        ("iisalmi", 1, Decimal("0.1"), Decimal("0.250000")),
        ("vierema", 0, 0, Decimal("0.250000")),
    ]
    code, out, _err = run(capsys, "-f", str(path), "shares", "--provisional")
    assert code == 0
    assert out.splitlines()[2] == "NOT IN FORCE: 1 of 4 parties have approved the letter."
    assert out.splitlines()[6:] == [
        "  Kuopio       Kuopion alue  1 000 000 000   25.0 %     0.0",
        "  Siilinjärvi  Kuopion alue  1 000 000 000   25.0 %     0.0",
        "  Iisalmi      Ylä-Savo      1 000 000 000   25.0 %     0.1",
        "  Vieremä      Ylä-Savo      1 000 000 000   25.0 %     0.0",
        "  Total                      4 000 000 000  100.0 %     0.1",
    ]


def test_the_largest_total_at_the_finest_step_is_divided_exactly(tmp_path, capsys) -> None:
    # 10^15 at step 0.001: 10^18 steps, by caseloads of 10^9, 10^9, 10^9 and 10^9 - 1.
    text = registry("1_000_000_000", total="1_000_000_000_000_000", step="0.001")
    text = text.replace("vierema = 1_000_000_000\n", "vierema = 999_999_999\n")
    path = write(tmp_path, text)
    code, out, _err = run(capsys, "-f", str(path), "shares", "--provisional", "--format", "json")
    assert code == 0
    rows = json.loads(out, parse_float=Decimal)["resources"][0]["rows"]
    pool = 4 * 10**9 - 1
    steps = 10**18
    # Floors: 250000000062500000.0156... each for the three, 249999999812499999.953... for Vieremä.
    floors = [steps * 10**9 // pool] * 3 + [steps * (10**9 - 1) // pool]
    assert sum(floors) == steps - 1  # one step left, to the largest remainder: Vieremä's
    assert [r["units"] for r in rows] == [*floors[:3], floors[3] + 1]
    assert sum(r["amount"] for r in rows) == Decimal(10**15)


def test_json_writes_a_total_past_2_53_exactly(tmp_path, capsys) -> None:
    path = write(tmp_path, registry("600", total="90071992547409.93", step="0.01"))
    code, out, _err = run(capsys, "-f", str(path), "shares", "--format", "json")
    assert code == 0
    assert '      "total": 90071992547409.93,' in out.splitlines()
    assert '          "amount": 90071992547409.93' in out.splitlines()
    result = json.loads(out, parse_float=Decimal)
    assert result["resources"][0]["total"] == Decimal("90071992547409.93")


# --- The default period --------------------------------------------------------------------------


def test_shares_defaults_to_the_latest_period_every_participant_has_counted(
    bundled_copy, capsys
) -> None:
    """The first count of a new month must not give that party everything."""
    assert main(["-f", str(bundled_copy), "set-caseload", "siilinjarvi", "2021-01", "5",
                 "--no-commit"]) == 0  # fmt: skip
    capsys.readouterr()
    code, out, err = run(capsys, "-f", str(bundled_copy), "shares", "--provisional")
    assert code == 0
    assert out.splitlines()[:2] == [
        "Shares for 2020-12",
        "2020-12 is the latest period in which every participant has a count; 2021-01 is"
        " incomplete (9 of 10 participants have no count yet).",
    ]
    code, out, err = run(
        capsys, "-f", str(bundled_copy), "shares", "--provisional", "--period", "2021-01"
    )
    assert code == 0
    assert out.splitlines()[:2] == [
        "Shares for 2021-01 (INCOMPLETE)",
        "INCOMPLETE: 9 of 10 participants have no count for 2021-01 and count as zero:"
        " Kuopio, Suonenjoki, Lapinlahti, Varkaus, Leppävirta, …",
    ]
    code, out, err = run(
        capsys, "-f", str(bundled_copy), "shares", "--provisional", "--format", "json"
    )
    head = json.loads(out)
    assert (head["period"], head["complete"], head["latest_incomplete"]) == (
        "2020-12",
        True,
        "2021-01",
    )
    code, out, err = run(
        capsys,
        *("-f", str(bundled_copy), "shares", "--provisional", "--period", "2021-01"),
        *("--format", "csv"),
    )
    assert code == 0
    assert err.splitlines()[-1] == (
        "INCOMPLETE: 9 of 10 participants have no count for 2021-01 and count as zero:"
        " Kuopio, Suonenjoki, Lapinlahti, Varkaus, Leppävirta, …"
    )


def test_a_period_after_this_month_in_the_file_is_a_finding(tmp_path, capsys) -> None:
    text = BASE + '\n[caseloads."2202-12"]\nkuopio = 5\n'
    path = write(tmp_path, text)
    line = text.count("\n", 0, text.index('[caseloads."2202-12"]')) + 1
    code, out, _err = run(capsys, "-f", str(path), "check")
    month = f"{dt.date.today():%Y-%m}"
    assert code == 1
    assert out.splitlines()[0] == (
        f"{path}:{line}:1: error: caseload period 2202-12 is after the current month ({month})"
    )
    assert load(path).registry.periods[-1] == "2202-12"


def test_a_division_handed_a_count_beyond_the_limit_says_so(capsys) -> None:
    """`check` keeps such counts out of a registry; the dashboard divides one with errors too."""
    from dataclasses import replace

    from conftest import BUNDLED

    from kokeilu.shares.division import SharesError, allocate
    from kokeilu.tui.state import compute_shares

    registry = load(BUNDLED).registry
    december = registry.caseloads["2020-12"] | {"kuopio": 2**63}
    broken = replace(registry, caseloads=registry.caseloads | {"2020-12": december})
    message = "the caseload of Kuopio in 2020-12 is too large to divide by"
    with pytest.raises(SharesError, match=message):
        allocate(broken, "2020-12", ["kuopio", "iisalmi"])
    assert compute_shares(broken, "2020-12", provisional=True).error == message


def test_diff_of_a_caseload_of_2_63_is_no_traceback(tmp_path, capsys) -> None:
    """`diff` divides both versions; a count past 2^63 once ended it in a polars TypeError."""
    from gitrepo import make_repo

    path = make_repo(tmp_path / "repo")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kuopio = 6757\n", f"kuopio = {2**63}\n"), encoding="utf-8")
    code, out, _err = run(capsys, "-f", str(path), "diff")
    assert code == 0
    assert out.splitlines()[0] == f"Kuopio: caseload 2020-12 6757 → {2**63}"


def test_amounts_of_a_step_with_many_digits_are_exact(tmp_path, capsys) -> None:
    """10^12 steps of a 19-digit step: Decimal's 28 digits once rounded the amounts."""
    step = Fraction(Decimal("0.1234567890123456789"))
    text = registry("1", total="123456789012.3456789", step="0.1234567890123456789")
    for party, count in (("kuopio", 3), ("siilinjarvi", 7), ("iisalmi", 11), ("vierema", 13)):
        text = text.replace(f"{party} = 1\n", f"{party} = {count}\n")
    path = write(tmp_path, text)
    code, out, _err = run(capsys, "-f", str(path), "shares", "--provisional", "--format", "json")
    assert code == 0
    rows = json.loads(out, parse_float=Decimal)["resources"][0]["rows"]
    assert [r["units"] for r in rows] == [88235294118, 205882352941, 323529411765, 382352941176]
    for r in rows:
        assert Fraction(r["amount"]) == r["units"] * step  # every digit, 31 of them
    assert sum(Fraction(r["amount"]) for r in rows) == Fraction(Decimal("123456789012.3456789"))
    assert '          "amount": 10893246089.3681917108278867102' in out.splitlines()
