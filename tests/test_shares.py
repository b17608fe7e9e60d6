"""`kokeilu shares`: exact allocations per party and region, in every format."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from conftest import BUNDLED

from kokeilu.cli import main
from kokeilu.registry.load import load
from kokeilu.rules import participants

REGISTRY = load(BUNDLED).registry


def shares_json(capsys, *args: str) -> dict:
    assert main(["-f", str(BUNDLED), "shares", "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("period", [None, "2020-01", "2020-07"])
def test_provisional_allocations_add_up_and_stay_within_one_step(capsys, period) -> None:
    args = ["--provisional"] + (["--period", period] if period else [])
    by_party = shares_json(capsys, *args)
    by_region = shares_json(capsys, *args, "--by", "region")
    assert by_party["period"] == (period or "2020-12")
    assert by_party["provisional"] is True and by_party["example_figures"] is True
    assert [r["id"] for r in by_party["resources"]] == ["te_staff", "appropriations"]
    for resource, regional in zip(by_party["resources"], by_region["resources"], strict=True):
        step, total = Decimal(str(resource["step"])), Decimal(str(resource["total"]))
        rows = resource["rows"]
        assert sorted(r["party"] for r in rows) == sorted(participants(REGISTRY, provisional=True))
        amounts = [Decimal(str(r["amount"])) for r in rows]
        assert sum(amounts) == total
        caseload = sum(r["caseload"] for r in rows)
        for row, amount in zip(rows, amounts, strict=True):
            quota = Fraction(total) * row["caseload"] / caseload
            assert abs(Fraction(amount) - quota) < Fraction(step)
            assert amount % step == 0
            # The exact share, rounded half to even to six decimals, written as decimal text.
            six = Decimal(round(Fraction(row["caseload"], caseload) * 10**6)) / 10**6
            assert Decimal(str(row["share"])) == six
        sums: dict[str, Decimal] = {}
        for row, amount in zip(rows, amounts, strict=True):
            sums[row["region"]] = sums.get(row["region"], Decimal(0)) + amount
        assert {r["region"]: Decimal(str(r["amount"])) for r in regional["rows"]} == sums
        assert all("party" not in r for r in regional["rows"])
        assert sum(r["share"] for r in regional["rows"]) == pytest.approx(1.0, abs=1e-5)


def test_only_approved_parties_participate_without_provisional(capsys) -> None:
    result = shares_json(capsys)
    assert result["provisional"] is False
    for resource in result["resources"]:
        assert [(r["party"], r["amount"], r["share"]) for r in resource["rows"]] == [
            ("kuopio", resource["total"], 1.0)
        ]


def test_bundled_december_division_exactly(capsys) -> None:
    """The numbers a coordinator sees for 2020-12, checked by hand against the largest remainder."""
    result = shares_json(capsys, "--provisional", "--by", "region")
    te_staff = {r["region"]: r["amount"] for r in result["resources"][0]["rows"]}
    assert te_staff == {"kuopio": 42.1, "varkaus": 10.9, "yla_savo": 8.5}
    money = {r["region"]: r["amount"] for r in result["resources"][1]["rows"]}
    assert money == {"kuopio": 2946290, "varkaus": 760409, "yla_savo": 593301}


def test_csv_has_a_header_and_a_row_per_resource_and_party(capsys) -> None:
    assert main(["-f", str(BUNDLED), "shares", "--provisional", "--format", "csv"]) == 0
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert list(rows[0]) == ["resource", "unit", "party", "region", "caseload", "share", "amount"]
    assert len(rows) == 2 * 10
    assert (
        rows[0]["resource"] == "te_staff"
        and rows[0]["unit"] == "htv"
        and rows[0]["party"] == "kuopio"
    )
    assert sum(Decimal(r["amount"]) for r in rows if r["resource"] == "te_staff") == Decimal("61.5")
    assert "example figures" in captured.err


def test_table_marks_provisional_and_example_figures(capsys) -> None:
    assert main(["-f", str(BUNDLED), "shares", "--provisional", "--by", "region"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Shares for 2020-12"
    assert out[1].startswith("PROVISIONAL: divided among the 10 parties")
    # The letter is not in force (only Kuopio has approved): said before the figures.
    assert out[2] == "NOT IN FORCE: 1 of 10 parties have approved the letter."
    assert out[3].startswith("EXAMPLE FIGURES")
    assert "  Kuopion keskinen kokeilualue     8 745   68.5 %    42.1" in out
    assert "  Total                           12 763  100.0 %    61.5" in out
    assert "  Total                           12 763  100.0 %  4 300 000" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2031-01"], "no caseloads for period 2031-01 (periods: 2020-01, 2020-02,"),
        (["--period", "2020-13"], 'period "2020-13" is not YYYY-MM'),
    ],
)
def test_unknown_or_malformed_period(capsys, args, message) -> None:
    assert main(["-f", str(BUNDLED), "shares", *args]) == 1
    assert message in capsys.readouterr().err


def test_nobody_approved_yet_points_to_provisional(bundled_copy, capsys) -> None:
    text = bundled_copy.read_text(encoding="utf-8")
    text = text.replace(
        'outcome = "approved"\nbody = "kaupunginhallitus"\ndate = 2019-11-11\nminutes = "§ 139"',
        'outcome = "pending"',
    )
    bundled_copy.write_text(text, encoding="utf-8")
    assert main(["-f", str(bundled_copy), "shares"]) == 1
    assert "use --provisional" in capsys.readouterr().err


def test_provisional_with_every_party_rejected_says_so_not_use_provisional(
    tmp_path, capsys
) -> None:
    """Issue 9 review: --provisional was given, so "use --provisional" was the wrong reason."""
    from test_check import BASE

    rejected = 'outcome = "rejected"\ndate = 2019-12-01\nminutes = "§ 1"'
    text = BASE.replace('outcome = "pending"', rejected).replace(
        'outcome = "approved"\ndate = 2019-11-11\nminutes = "§ 139"', rejected
    )
    path = tmp_path / "registry.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["-f", str(path), "shares", "--provisional"]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (
        "",
        f"{path}: error: no party shares, even provisionally: "
        "every municipality has rejected or is not a party\n",
    )
    assert main(["-f", str(path), "shares"]) == 1
    assert capsys.readouterr().err == (
        f"{path}: error: no party has an approved decision yet; "
        "use --provisional to see the division among all parties\n"
    )


def test_zero_caseload_is_a_clear_message(bundled_copy, capsys) -> None:
    text = bundled_copy.read_text(encoding="utf-8")
    head, _, tail = text.partition('[caseloads."2020-12"]')
    zeroed = "\n".join(
        line.split("=")[0] + "= 0" if "=" in line else line for line in tail.splitlines()
    )
    bundled_copy.write_text(head + '[caseloads."2020-12"]' + zeroed + "\n", encoding="utf-8")
    assert main(["-f", str(bundled_copy), "shares", "--provisional"]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"{bundled_copy}: error: the participating parties have no clients in 2020-12: "
        "nothing to divide TE-toimiston työntekijöiden työpanos by\n"
    )


# --- Issue 12: a division of a letter not in force says so ----------------------------------------


def test_before_entry_into_force_the_table_says_whose_division_it_is(capsys) -> None:
    # Only Kuopio has approved: its 100 % is the approvers' division, and the table says so.
    assert main(["-f", str(BUNDLED), "shares"]) == 0
    assert capsys.readouterr().out.splitlines()[:5] == [
        "Shares for 2020-12",
        "Divided among the 1 parties with an approved decision.",
        "NOT IN FORCE: 1 of 10 parties have approved the letter.",
        "This divides among those who have approved so far, not the pilot's division: "
        "--provisional divides among the 10 parties that have not rejected.",
        "EXAMPLE FIGURES: the caseloads and resource totals are invented examples, not public data.",
    ]


def test_before_entry_into_force_csv_says_so_on_stderr_and_json_in_force(capsys) -> None:
    assert main(["-f", str(BUNDLED), "shares", "--format", "csv"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[1:3] == [
        "NOT IN FORCE: 1 of 10 parties have approved the letter.",
        "This divides among those who have approved so far, not the pilot's division: "
        "--provisional divides among the 10 parties that have not rejected.",
    ]
    assert shares_json(capsys)["in_force"] is False


def test_in_force_the_division_has_no_label(bundled_copy, capsys) -> None:
    text = bundled_copy.read_text(encoding="utf-8")
    for party in REGISTRY.parties:
        text = text.replace(
            f'[parties.{party}.decision]\noutcome = "pending"',
            f'[parties.{party}.decision]\noutcome = "approved"\ndate = 2019-11-15\nminutes = "§ 1"',
        )
    bundled_copy.write_text(text, encoding="utf-8")
    assert main(["-f", str(bundled_copy), "shares"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1:3] == [
        "Divided among the 10 parties with an approved decision.",
        "EXAMPLE FIGURES: the caseloads and resource totals are invented examples, not public data.",
    ]
    assert "NOT IN FORCE" not in out


def test_the_label_in_finnish(monkeypatch, capsys) -> None:
    monkeypatch.setenv("KOKEILU_LANG", "fi")
    assert main(["-f", str(BUNDLED), "shares", "--provisional"]) == 0
    assert capsys.readouterr().out.splitlines()[2] == (
        "EI VOIMASSA: 1/10 sopijapuolta on hyväksynyt sopimuksen."
    )
