"""Numbers follow the language (issue 12, item 7): `61,5 htv` in Finnish, `61.5 htv` in English.

One formatter (`text.display.number`, `exact`, `percent`) writes every number for people: the
dashboard, the command line's text, the history's words and commit subjects (in the registry's
language, whoever saves). JSON and CSV keep the registry's own digits.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from gitrepo import make_repo
from tui_helpers import dashboard, form, in_language, press, row, static_text

from kokeilu.cli import main
from kokeilu.editing import edits
from kokeilu.registry.load import load
from kokeilu.text.display import exact, number, percent
from kokeilu.text.strings import speaking


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", ["4 300 000,00", "61,5", "6 757", "62,9 %", "0,1", "1E-18", "1,5E+30"]),
        ("en", ["4 300 000.00", "61.5", "6 757", "62.9 %", "0.1", "1E-18", "1.5E+30"]),
    ],
)
def test_the_one_formatter_writes_the_languages_decimal_separator(lang, expected) -> None:
    with speaking(lang):
        assert [
            number(Decimal("4300000"), 2),
            number(Decimal("61.5"), 1),
            number(6757),
            percent(Fraction(6294424019607843, 10**16)),
            exact(Decimal("0.1")),
            exact(Decimal("1E-18")),
            exact(Decimal("1.5E+30")),
        ] == expected


FI_SHARES = [
    "TE-toimiston työntekijöiden työpanos: yhteensä 61,5 htv, jakoyksikkö 0,1",
    "  sopijapuoli  koordinaatioalue              asiakasmäärä    osuus  määrä",
    "  Kuopio       Kuopion keskinen kokeilualue         6 757  100,0 %   61,5",
    "  Yhteensä                                          6 757  100,0 %   61,5",
]
EN_SHARES = [
    "TE-toimiston työntekijöiden työpanos: total 61.5 htv, step 0.1",
    "  party   region                        caseload    share  amount",
    "  Kuopio  Kuopion keskinen kokeilualue     6 757  100.0 %    61.5",
    "  Total                                    6 757  100.0 %    61.5",
]


@pytest.mark.parametrize(("lang", "expected"), [("fi", FI_SHARES), ("en", EN_SHARES)])
def test_shares_as_text_in_each_language(
    bundled_copy: Path, capsys, monkeypatch, lang, expected
) -> None:
    monkeypatch.setenv("KOKEILU_LANG", lang)
    assert main(["-f", str(bundled_copy), "shares"]) == 0
    lines = capsys.readouterr().out.splitlines()
    first = lines.index(expected[0])
    assert lines[first : first + 4] == expected


def test_csv_and_json_keep_points_in_finnish(bundled_copy: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("KOKEILU_LANG", "fi")
    assert main(["-f", str(bundled_copy), "shares", "--format", "csv"]) == 0
    assert "te_staff,htv,kuopio,kuopio,6757,1.000000,61.5" in capsys.readouterr().out.splitlines()
    assert main(["-f", str(bundled_copy), "shares", "--format", "json"]) == 0
    staff = json.loads(capsys.readouterr().out, parse_float=str)["resources"][0]
    assert (staff["step"], staff["total"], staff["rows"][0]["amount"]) == ("0.1", "61.5", "61.5")


def test_a_commit_subject_writes_numbers_in_the_registrys_language(bundled_copy: Path) -> None:
    # The user reads English; the bundled registry's commits are written in Finnish.
    data = load(bundled_copy).data
    edit = edits.set_resource(data, "te_staff", total=Decimal("62.3"))
    assert (
        edit.describe("fi")
        == "TE-toimiston työntekijöiden työpanos: kokonaismäärä 62,3, jakoyksikkö 0,1"
    )
    assert edit.describe("en") == "TE-toimiston työntekijöiden työpanos: total 62.3, step 0.1"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fi",
            [
                "TE-toimiston työntekijöiden työpanos: total 61,5 → 62,3",
                "",
                "Vaikutus resurssien jakoon (hyväksyneet osapuolet, kuten shares jakaa),"
                " kausi 2020-12:",
                "  TE-toimiston työntekijöiden työpanos  Kuopio  61,5 → 62,3 htv",
            ],
        ),
        (
            "en",
            [
                "TE-toimiston työntekijöiden työpanos: total 61.5 → 62.3",
                "",
                "Effect on the allocations (approved parties, as shares divides them),"
                " period 2020-12:",
                "  TE-toimiston työntekijöiden työpanos  Kuopio  61.5 → 62.3 htv",
            ],
        ),
    ],
)
def test_diff_words_numbers_in_the_users_language(
    tmp_path: Path, capsys, monkeypatch, lang, expected
) -> None:
    registry = make_repo(tmp_path / "repo")
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("\ntotal = 61.5\n", "\ntotal = 62.3\n"), encoding="utf-8")
    monkeypatch.setenv("KOKEILU_LANG", lang)
    assert main(["-f", str(registry), "diff"]) == 0
    assert capsys.readouterr().out.splitlines() == expected


@pytest.mark.parametrize(
    ("lang", "kuopio", "totals", "form_values"),
    [
        (
            "fi",
            ["Kuopio", "6 757", "100,0 %", "61,5", "4 300 000"],
            "TE-toimiston työntekijöiden työpanos: 61,5 htv (jakoyksikkö 0,1)",
            ["61,5", "0,1", "4300000", "1"],
        ),
        (
            "en",
            ["Kuopio", "6 757", "100.0 %", "61.5", "4 300 000"],
            "TE-toimiston työntekijöiden työpanos: 61.5 htv (step 0.1)",
            ["61.5", "0.1", "4300000", "1"],
        ),
    ],
)
async def test_the_dashboard_shows_numbers_in_the_users_language(
    bundled_copy: Path, monkeypatch, lang, kuopio, totals, form_values
) -> None:
    in_language(monkeypatch, lang)
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "4")
        assert row(pilot, "resources-table", "kuopio") == kuopio
        assert static_text(pilot, "#resources-totals").splitlines()[0] == totals
        await press(pilot, "e")
        assert list(form(pilot).values().values()) == form_values
