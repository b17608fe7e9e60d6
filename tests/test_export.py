"""`kokeilu export`: the workbook read back cell by cell, CSV and JSON as exact text, the same
figures as `kokeilu shares`, and registry text that never becomes a formula."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import BUNDLED
from gitrepo import git, make_repo

from kokeilu.cli import main

KUOPIO_ROW = ("Kuopio", "Kuopion keskinen kokeilualue", "2020-12")


def export(capsys, registry: Path, target: Path, *args: str) -> tuple[int, str, str]:
    code = main(["-f", str(registry), "export", str(target), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def repo_registry(tmp_path: Path) -> Path:
    """The bundled registry, committed in a real repository."""
    return make_repo(tmp_path / "repo")


def head(registry: Path) -> str:
    return git(registry.parent, "rev-parse", "HEAD").strip()


def rows(ws, first: int, last: int, columns: int = 6) -> list[tuple]:
    return [
        tuple(ws.cell(r, c).value for c in range(1, columns + 1)) for r in range(first, last + 1)
    ]


def share(caseload: int) -> object:
    """A share as the workbook holds it: the exact fraction as a double, to Excel's 15 digits."""
    return pytest.approx(caseload / 12763, rel=1e-15)


def formats(ws, row: int, columns: range) -> list[str]:
    return [ws.cell(row, c).number_format for c in columns]


# --- The workbook ------------------------------------------------------------------------------


def test_workbook_cells_numbers_formats_subtotals_total_and_cover(capsys, repo_registry, tmp_path):
    target = tmp_path / "shares.xlsx"
    code, out, err = export(capsys, repo_registry, target, "--provisional", "--locale", "en")
    assert code == 0
    assert out == f"Wrote {target}: XLSX, period 2020-12, provisional\n"
    assert err == (
        "note: example figures (invented, not public data)\n"
        "NOT IN FORCE: 1 of 10 parties have approved the letter.\n"
    )
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == [
        "Cover",
        "Approvals",
        "Regions",
        "TE-toimiston työntekijöiden ty…",
        "Työllisyysmäärärahat",
        "Caseloads",
        "People",
    ]
    cover = book["Cover"]
    assert rows(cover, 1, 10, 2) == [
        (
            "Kuntien välinen aiesopimus työllisyyden kuntakokeilun toteuttamisesta Pohjois-Savossa",
            None,
        ),
        (None, None),
        ("Registry", str(repo_registry)),
        ("Commit", head(repo_registry)),
        ("Period", "2020-12"),
        (
            "Division",
            "PROVISIONAL: divided among the 10 parties that have not rejected, approved or not.",
        ),
        (
            "Figures",
            "EXAMPLE FIGURES: the caseloads and resource totals are invented examples, not public data.",
        ),
        # What `shares` says beside its figures until the letter is in force.
        ("Note", "NOT IN FORCE: 1 of 10 parties have approved the letter."),
        ("Division sheets", "TE-toimiston työntekijöiden ty…, Työllisyysmäärärahat"),
        (None, None),
    ]

    staff = book["TE-toimiston työntekijöiden ty…"]
    assert rows(staff, 1, 4, 3) == [
        ("TE-toimiston työntekijöiden työpanos", None, None),
        ("Period", "2020-12", None),
        (
            "Division",
            "PROVISIONAL: divided among the 10 parties that have not rejected, approved or not.",
            None,
        ),
        ("Total", 61.5, "htv"),
    ]
    assert staff["B4"].number_format == "#,##0.0"
    header = ("Municipality", "Region", "Period", "Caseload", "Share", "Amount (htv)")
    assert rows(staff, 7, 7) == [header]
    parties = rows(staff, 8, 17)
    assert [
        (name, region, period, caseload, amount)
        for name, region, period, caseload, _, amount in parties
    ] == [
        ("Kuopio", "Kuopion keskinen kokeilualue", "2020-12", 6757, 32.6),
        ("Siilinjärvi", "Kuopion keskinen kokeilualue", "2020-12", 1016, 4.9),
        ("Suonenjoki", "Kuopion keskinen kokeilualue", "2020-12", 445, 2.1),
        ("Lapinlahti", "Kuopion keskinen kokeilualue", "2020-12", 527, 2.5),
        ("Varkaus", "Varkauden alue", "2020-12", 1422, 6.9),
        ("Leppävirta", "Varkauden alue", "2020-12", 567, 2.7),
        ("Joroinen", "Varkauden alue", "2020-12", 268, 1.3),
        ("Iisalmi", "Ylä-Savo", "2020-12", 1304, 6.3),
        ("Sonkajärvi", "Ylä-Savo", "2020-12", 266, 1.3),
        ("Vieremä", "Ylä-Savo", "2020-12", 191, 0.9),
    ]
    # The share is the exact fraction as a double, shown as a percentage.
    assert [row[4] for row in parties][:2] == [share(6757), share(1016)]
    for r in range(8, 18):
        assert formats(staff, r, range(4, 7)) == ["#,##0", "0.0%", "#,##0.0"]
        assert all(staff.cell(r, c).data_type == "n" for c in range(4, 7))
    assert rows(staff, 18, 23) == [
        (None,) * 6,
        ("Region", None, "Period", "Caseload", "Share", "Amount (htv)"),
        (
            "Kuopion keskinen kokeilualue",
            "subtotal of 4 municipalities",
            "2020-12",
            8745,
            share(8745),
            42.1,
        ),
        ("Varkauden alue", "subtotal of 3 municipalities", "2020-12", 2257, share(2257), 10.9),
        ("Ylä-Savo", "subtotal of 3 municipalities", "2020-12", 1761, share(1761), 8.5),
        ("Total", "all 10 participants", "2020-12", 12763, 1, 61.5),
    ]
    for r in range(20, 24):
        assert formats(staff, r, range(4, 7)) == ["#,##0", "0.0%", "#,##0.0"]
        assert staff.cell(r, 6).font.b
    money = book["Työllisyysmäärärahat"]
    assert rows(money, 8, 8) == [(*KUOPIO_ROW, 6757, share(6757), 2276510)]
    assert rows(money, 23, 23) == [("Total", "all 10 participants", "2020-12", 12763, 1, 4300000)]
    assert formats(money, 8, range(4, 7)) == ["#,##0", "0.0%", "#,##0"]

    caseloads = book["Caseloads"]
    assert [c.value for c in caseloads[1]][:5] == [
        "Municipality",
        "Region",
        "Status",
        "2020-01",
        "2020-02",
    ]
    assert [c.value for c in caseloads[1]][-1] == "2020-12"
    assert [c.value for c in caseloads[2]][:5] == [
        "Kuopio",
        "Kuopion keskinen kokeilualue",
        "party",
        6874,
        6829,
    ]
    assert caseloads["D2"].number_format == "#,##0"
    assert [c.value for c in caseloads[9]][:4] == ["Heinävesi", "Varkauden alue", "candidate", 231]
    assert [c.value for c in caseloads[16]][:4] == [
        "Varkauden alue",
        "sum of 4 municipalities",
        None,
        2548,
    ]

    approvals = book["Approvals"]
    assert [c.value for c in approvals[2]][:8] == [
        "Kuopio",
        "Kuopion keskinen kokeilualue",
        "party",
        "approved",
        "kaupunginhallitus",
        approvals["F2"].value,
        "§ 139",
        "8459/05.20.00/2019",
    ]
    assert approvals["F2"].value.date().isoformat() == "2019-11-11"
    assert approvals["F2"].number_format == "yyyy-mm-dd"
    regions = book["Regions"]
    assert [c.value for c in regions[3]][:6] == [
        "Varkauden alue",
        "Varkaus",
        "Varkauden seudun TYP",
        "Varkaus, Leppävirta, Joroinen, Heinävesi",
        3,
        0,
    ]
    people = book["People"]
    assert [c.value for c in people[2]] == [
        "Etunimi Sukunimi",
        "Organisaatio",
        None,
        "Distribution (jakelu)",
        None,
        None,
        "yes",
    ]


def charts(target: Path) -> dict[str, list[str]]:
    """Each sheet's charts (by sheet name), as the kinds of plot their XML holds."""
    with zipfile.ZipFile(target) as z:
        book = z.read("xl/workbook.xml").decode()
        names = re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="rId(\d+)"', book)
        out: dict[str, list[str]] = {}
        for name, index in names:
            rels = f"xl/worksheets/_rels/sheet{index}.xml.rels"
            if rels not in z.namelist():
                continue
            drawing = re.search(r'Target="../drawings/(drawing\d+\.xml)"', z.read(rels).decode())
            assert drawing
            drels = z.read(f"xl/drawings/_rels/{drawing.group(1)}.rels").decode()
            kinds = []
            for chart in re.findall(r'Target="../charts/(chart\d+\.xml)"', drels):
                xml = z.read(f"xl/charts/{chart}").decode()
                kinds.append(re.search(r"<c:(bar|pie|line)Chart>", xml).group(1))
                if kinds[-1] == "line":
                    kinds[-1] += f":{xml.count('<c:ser>')}"
            out[name] = kinds
        return out


def test_workbook_has_a_chart_of_each_division_and_of_caseloads_over_time(capsys, tmp_path):
    target = tmp_path / "shares.xlsx"
    assert export(capsys, BUNDLED, target, "--provisional")[0] == 0
    assert charts(target) == {
        "TE-toimiston työntekijöiden ty…": ["bar", "pie"],
        "Työllisyysmäärärahat": ["bar", "pie"],
        # One line per region, one per municipality.
        "Caseloads": ["line:3", "line:11"],
    }


def test_workbook_in_finnish_with_an_uncommitted_change(capsys, repo_registry, tmp_path):
    text = repo_registry.read_text(encoding="utf-8")
    repo_registry.write_text(text.replace("kuopio = 6757", "kuopio = 6758"), encoding="utf-8")
    target = tmp_path / "jako.xlsx"
    code, out, err = export(capsys, repo_registry, target, "--locale", "fi")
    assert code == 0
    assert err == (
        "note: example figures (invented, not public data)\n"
        "NOT IN FORCE: 1 of 10 parties have approved the letter.\n"
        "This divides among those who have approved so far, not the pilot's division: --provisional divides among the 10 parties that have not rejected.\n"
    )
    # The file speaks Finnish; the messages the user's language ($KOKEILU_LANG unset: English).
    assert out == f"Wrote {target}: XLSX, period 2020-12, approved only\n"
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:3] == ["Kansilehti", "Hyväksynnät", "Alueet"]
    assert book.sheetnames[-2:] == ["Asiakasmäärät", "Henkilöt"]
    cover = book["Kansilehti"]
    assert cover["B4"].value == (
        f"{head(repo_registry)} (tiedostossa on muutoksia, joita ei ole tallennettu versioksi)"
    )
    assert cover["B6"].value == "Jaettu niiden 1 sopijapuolen kesken, joiden päätös on hyväksytty."
    assert book["Hyväksynnät"]["F2"].number_format == "d.m.yyyy"
    money = book["Työllisyysmäärärahat"]
    assert rows(money, 8, 8) == [(*KUOPIO_ROW, 6758, 1, 4300000)]
    assert rows(money, 12, 12) == [
        ("Yhteensä", "kaikki 1 osallistujaa", "2020-12", 6758, 1, 4300000)
    ]


def test_cover_says_when_not_in_git_and_when_the_figures_are_not_examples(capsys, tmp_path):
    registry = tmp_path / "r.toml"
    text = BUNDLED.read_text(encoding="utf-8")
    registry.write_text(
        text.replace("example_figures = true", "example_figures = false"), encoding="utf-8"
    )
    target = tmp_path / "out.xlsx"
    code, _, err = export(capsys, registry, target, "--period", "2020-03", "--locale", "en")
    assert (
        code == 0
        and err
        == "NOT IN FORCE: 1 of 10 parties have approved the letter.\nThis divides among those who have approved so far, not the pilot's division: --provisional divides among the 10 parties that have not rejected.\n"
    )
    cover = openpyxl.load_workbook(target)["Cover"]
    assert cover["B8"].value == "NOT IN FORCE: 1 of 10 parties have approved the letter."
    assert (
        cover["B9"].value
        == "This divides among those who have approved so far, not the pilot's division: --provisional divides among the 10 parties that have not rejected."
    )
    assert cover["B4"].value == "none (the file is not in a git repository, or has no commit)"
    assert cover["B5"].value == "2020-03"
    assert cover["B7"].value == "as recorded in the registry (not marked as example figures)"


# --- CSV ---------------------------------------------------------------------------------------

CSV_EN = """\ufeffPeriod,Resource,Unit,Municipality,Region,Caseload,Share,Amount\r
2020-12,TE-toimiston työntekijöiden työpanos,htv,Kuopio,Kuopion keskinen kokeilualue,6757,0.529421,32.6\r
2020-12,TE-toimiston työntekijöiden työpanos,htv,Siilinjärvi,Kuopion keskinen kokeilualue,1016,0.079605,4.9\r
2020-12,TE-toimiston työntekijöiden työpanos,htv,Suonenjoki,Kuopion keskinen kokeilualue,445,0.034866,2.1\r
2020-12,TE-toimiston työntekijöiden työpanos,htv,Lapinlahti,Kuopion keskinen kokeilualue,527,0.041291,2.5\r
2020-12,TE-toimiston työntekijöiden työpanos,htv,Varkaus,Varkauden alue,1422,0.111416,6.9\r
2020-12,TE-toimiston työntekijöiden työpanos,htv,Leppävirta,Varkauden alue,567,0.044425,2.7\r
2020-12,TE-toimiston työntekijöiden työpanos,htv,Joroinen,Varkauden alue,268,0.020998,1.3\r
2020-12,TE-toimiston työntekijöiden työpanos,htv,Iisalmi,Ylä-Savo,1304,0.102170,6.3\r
2020-12,TE-toimiston työntekijöiden työpanos,htv,Sonkajärvi,Ylä-Savo,266,0.020841,1.3\r
2020-12,TE-toimiston työntekijöiden työpanos,htv,Vieremä,Ylä-Savo,191,0.014965,0.9\r
2020-12,Työllisyysmäärärahat,EUR,Kuopio,Kuopion keskinen kokeilualue,6757,0.529421,2276510\r
2020-12,Työllisyysmäärärahat,EUR,Siilinjärvi,Kuopion keskinen kokeilualue,1016,0.079605,342302\r
2020-12,Työllisyysmäärärahat,EUR,Suonenjoki,Kuopion keskinen kokeilualue,445,0.034866,149926\r
2020-12,Työllisyysmäärärahat,EUR,Lapinlahti,Kuopion keskinen kokeilualue,527,0.041291,177552\r
2020-12,Työllisyysmäärärahat,EUR,Varkaus,Varkauden alue,1422,0.111416,479088\r
2020-12,Työllisyysmäärärahat,EUR,Leppävirta,Varkauden alue,567,0.044425,191029\r
2020-12,Työllisyysmäärärahat,EUR,Joroinen,Varkauden alue,268,0.020998,90292\r
2020-12,Työllisyysmäärärahat,EUR,Iisalmi,Ylä-Savo,1304,0.102170,439333\r
2020-12,Työllisyysmäärärahat,EUR,Sonkajärvi,Ylä-Savo,266,0.020841,89618\r
2020-12,Työllisyysmäärärahat,EUR,Vieremä,Ylä-Savo,191,0.014965,64350\r
"""


def test_csv_in_english_exact(capsys, tmp_path):
    target = tmp_path / "shares.csv"
    assert export(capsys, BUNDLED, target, "--provisional", "--locale", "en")[0] == 0
    assert target.read_bytes().decode("utf-8") == CSV_EN


def test_csv_in_finnish_has_semicolons_and_decimal_commas(capsys, tmp_path):
    target = tmp_path / "jako.csv"
    assert export(capsys, BUNDLED, target, "--provisional", "--locale", "fi")[0] == 0
    lines = target.read_bytes().decode("utf-8").split("\r\n")
    assert lines[:3] == [
        "\ufeffKausi;Resurssi;Yksikkö;Kunta;Alue;Asiakasmäärä;Osuus;Määrä",
        "2020-12;TE-toimiston työntekijöiden työpanos;htv;Kuopio;Kuopion keskinen kokeilualue;6757;0,529421;32,6",
        "2020-12;TE-toimiston työntekijöiden työpanos;htv;Siilinjärvi;Kuopion keskinen kokeilualue;1016;0,079605;4,9",
    ]
    assert lines[11] == (
        "2020-12;Työllisyysmäärärahat;EUR;Kuopio;Kuopion keskinen kokeilualue;6757;0,529421;2276510"
    )
    assert lines[21:] == [""] and len(lines) == 22


def test_csv_has_the_figures_of_the_shares_command(capsys, tmp_path):
    for args in ([], ["--provisional"], ["--provisional", "--period", "2020-03"]):
        target = tmp_path / "x.csv"
        assert export(capsys, BUNDLED, target, *args, "--locale", "en")[0] == 0
        assert main(["-f", str(BUNDLED), "shares", "--format", "csv", *args]) == 0
        shares = capsys.readouterr().out.splitlines()[1:]
        exported = target.read_text(encoding="utf-8-sig").splitlines()[1:]
        figures = sorted(tuple(line.split(",")[-3:]) for line in exported)
        assert figures == sorted(tuple(line.split(",")[-3:]) for line in shares)
        assert len(exported) == len(shares)


# --- JSON --------------------------------------------------------------------------------------


def test_json_exact_numbers_and_names(capsys, repo_registry, tmp_path):
    target = tmp_path / "shares.json"
    assert export(capsys, repo_registry, target, "--provisional")[0] == 0
    text = target.read_text(encoding="utf-8")
    # Exact decimal text, never a binary float.
    assert '"share": 0.529421,\n' in text and '"amount": 32.6\n' in text
    assert "0.5294209825276189" not in text
    data = json.loads(text)
    assert {k: data[k] for k in list(data)[:12]} == {
        "registry": str(repo_registry),
        "commit": head(repo_registry),
        "uncommitted_changes": False,
        "title": "Kuntien välinen aiesopimus työllisyyden kuntakokeilun toteuttamisesta Pohjois-Savossa",
        "period": "2020-12",
        "complete": True,
        "missing": [],
        "latest_incomplete": None,
        "provisional": True,
        "participants": 10,
        "example_figures": True,
        "share_places": 6,
    }
    staff = data["divisions"][0]
    assert {k: staff[k] for k in ("resource", "name", "unit", "step", "total")} == {
        "resource": "te_staff",
        "name": "TE-toimiston työntekijöiden työpanos",
        "unit": "htv",
        "step": 0.1,
        "total": 61.5,
    }
    assert staff["rows"][0] == {
        "party": "kuopio",
        "name": "Kuopio",
        "region": "kuopio",
        "region_name": "Kuopion keskinen kokeilualue",
        "period": "2020-12",
        "caseload": 6757,
        "share": 0.529421,
        "amount": 32.6,
    }
    assert staff["regions"] == [
        {
            "region": "kuopio",
            "name": "Kuopion keskinen kokeilualue",
            "parties": 4,
            "caseload": 8745,
            "share": 0.685184,
            "amount": 42.1,
        },
        {
            "region": "varkaus",
            "name": "Varkauden alue",
            "parties": 3,
            "caseload": 2257,
            "share": 0.176839,
            "amount": 10.9,
        },
        {
            "region": "yla_savo",
            "name": "Ylä-Savo",
            "parties": 3,
            "caseload": 1761,
            "share": 0.137977,
            "amount": 8.5,
        },
    ]
    assert staff["totals"] == {"parties": 10, "caseload": 12763, "share": 1.0, "amount": 61.5}
    assert data["caseloads"]["periods"][0] == "2020-01"
    assert data["caseloads"]["rows"][0]["counts"]["2020-12"] == 6757
    assert [p["login"] for p in data["people"]] == ["jakelu", "tiedoksi"]
    assert data["approvals"][0]["date"] == "2019-11-11"


# --- Formula injection and control characters ---------------------------------------------------

EVIL_PARTY = '=HYPERLINK("http://example.org/?x","click")'
EVIL_REGION = "+SUM(1,2)"


@pytest.fixture
def evil_registry(tmp_path: Path) -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    text = text.replace(
        'name = "Kuopio"', 'name = "=HYPERLINK(\\"http://example.org/?x\\",\\"click\\")"', 1
    )
    text = text.replace('name = "Ylä-Savo"', 'name = "+SUM(1,2)"', 1)
    text = text.replace('name = "Varkauden alue"', 'name = "@cmd \\u001b[31mred"', 1)
    text = text.replace('name = "Työllisyysmäärärahat"', 'name = "-1+1"', 1)
    registry = tmp_path / "evil.toml"
    registry.write_text(text, encoding="utf-8")
    return registry


def test_workbook_writes_registry_text_as_strings_never_formulas(capsys, evil_registry, tmp_path):
    target = tmp_path / "evil.xlsx"
    assert export(capsys, evil_registry, target, "--provisional", "--locale", "en")[0] == 0
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[4] == "-1+1"
    money = book["-1+1"]
    assert money["A1"].value == "-1+1" and money["A1"].data_type == "s"
    assert money["A8"].value == EVIL_PARTY and money["A8"].data_type == "s"
    assert money["B8"].value == "Kuopion keskinen kokeilualue"
    assert money["B12"].value == "@cmd \\x1b[31mred"  # the escape shown, not acted on
    assert money["B15"].value == EVIL_REGION and money["B15"].data_type == "s"
    with zipfile.ZipFile(target) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any("<f>" in z.read(n).decode() for n in sheets)
        assert "\x1b" not in z.read("xl/sharedStrings.xml").decode()


def test_csv_cells_that_start_like_formulas_are_not_run(capsys, evil_registry, tmp_path):
    target = tmp_path / "evil.csv"
    assert export(capsys, evil_registry, target, "--provisional", "--locale", "en")[0] == 0
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1] == (
        "2020-12,TE-toimiston työntekijöiden työpanos,htv,"
        '"\'=HYPERLINK(""http://example.org/?x"",""click"")",Kuopion keskinen kokeilualue,6757,0.529421,32.6'
    )
    assert (
        lines[5]
        == "2020-12,TE-toimiston työntekijöiden työpanos,htv,Varkaus,'@cmd \\x1b[31mred,1422,0.111416,6.9"
    )
    assert (
        lines[8]
        == "2020-12,TE-toimiston työntekijöiden työpanos,htv,Iisalmi,'+SUM(1,2),1304,0.102170,6.3".replace(
            "'+SUM(1,2)", '"\'+SUM(1,2)"'
        )
    )
    assert lines[11].startswith("2020-12,'-1+1,EUR,")


def test_json_keeps_registry_text_exact_and_escapes_control_characters(
    capsys, evil_registry, tmp_path
):
    target = tmp_path / "evil.json"
    assert export(capsys, evil_registry, target, "--provisional")[0] == 0
    text = target.read_text(encoding="utf-8")
    assert "\x1b" not in text and "\\u001b[31mred" in text
    data = json.loads(text)
    assert data["divisions"][0]["rows"][0]["name"] == EVIL_PARTY


# --- Refusals -----------------------------------------------------------------------------------


def test_unknown_suffix_is_refused(capsys, tmp_path):
    target = tmp_path / "shares.ods"
    code, out, err = export(capsys, BUNDLED, target)
    assert (code, out) == (2, "")
    assert (
        err
        == f'{target}: error: unknown format ".ods": the file must end in .xlsx, .csv or .json\n'
    )
    assert not target.exists()


def test_a_period_without_counts_is_refused(capsys, tmp_path):
    target = tmp_path / "shares.csv"
    code, out, err = export(capsys, BUNDLED, target, "--period", "2031-01")
    assert (code, out) == (1, "")
    assert err.startswith(f"{BUNDLED}: error: ")
    assert "2031-01" in err
    assert not target.exists()


def test_an_unwritable_target_is_refused(capsys, tmp_path):
    target = tmp_path / "no-such-folder" / "shares.json"
    code, out, err = export(capsys, BUNDLED, target)
    assert (code, out) == (1, "")
    assert err == f"{target}: error: cannot write the file: No such file or directory\n"
