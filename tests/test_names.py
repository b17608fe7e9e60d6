"""Municipalities as people write them: by name in any case (letters exact) as well as by id."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import run_kokeilu
from gitrepo import git, make_repo
from tui_helpers import diff, rewrite

from kokeilu.registry.load import load
from kokeilu.registry.values import Invalid, folded, party_id


def subjects(repo: Path) -> list[str]:
    return git(repo, "log", "--format=%s").splitlines()


@pytest.mark.parametrize("written", ["Siilinjärvi", "siilinjärvi", "SIILINJÄRVI", " Siilinjärvi "])
def test_set_caseload_takes_a_municipalitys_name(tmp_path: Path, written: str) -> None:
    registry = make_repo(tmp_path / "repo")
    before = registry.read_text(encoding="utf-8")
    result = run_kokeilu("-f", str(registry), "set-caseload", written, "2020-12", "5")
    assert result.returncode == 0, result.stderr
    assert diff(before, registry.read_text(encoding="utf-8")) == [
        "-siilinjarvi = 1016",
        "+siilinjarvi = 5",
    ]
    assert subjects(registry.parent)[0] == "Siilinjärvi: asiakasmäärä 2020-12 1016 → 5"


def test_a_name_with_other_letters_is_not_a_name(bundled_copy: Path) -> None:
    before = bundled_copy.read_bytes()
    result = run_kokeilu("-f", str(bundled_copy), "set-caseload", "Siilinjarvi", "2020-12", "5")
    assert result.returncode == 1
    assert result.stderr.startswith(f'{bundled_copy}: error: unknown party "Siilinjarvi"')
    assert bundled_copy.read_bytes() == before


def test_a_name_two_parties_share_is_refused_naming_both(bundled_copy: Path) -> None:
    rewrite(bundled_copy, ('name = "Joroinen"', 'name = "Kuopio"'))
    before = bundled_copy.read_bytes()
    result = run_kokeilu("-f", str(bundled_copy), "set-caseload", "KUOPIO", "2020-12", "5")
    assert result.returncode == 1
    assert result.stderr == (
        f'{bundled_copy}: error: several parties are called "KUOPIO": kuopio, joroinen '
        "(give the id)\n"
    )
    assert bundled_copy.read_bytes() == before
    # The id stays unambiguous.
    done = run_kokeilu(
        "-f", str(bundled_copy), "--no-commit", "set-caseload", "kuopio", "2020-12", "5"
    )
    assert done.returncode == 0, done.stderr


def test_a_sheet_with_a_column_of_names_imports(tmp_path: Path) -> None:
    registry = make_repo(tmp_path / "repo")
    sheet = tmp_path / "joulukuu.csv"
    sheet.write_text(
        "party,period,count\nSiilinjärvi,2020-12,1020\nKUOPIO,2020-12,6800\nvierema,2020-12,190\n",
        encoding="utf-8",
    )
    before = registry.read_text(encoding="utf-8")
    result = run_kokeilu("-f", str(registry), "import-caseloads", str(sheet))
    assert result.returncode == 0, result.stderr
    assert sorted(diff(before, registry.read_text(encoding="utf-8"))) == sorted(
        [
            "-kuopio = 6757",
            "+kuopio = 6800",
            "-siilinjarvi = 1016",
            "+siilinjarvi = 1020",
            "-vierema = 191",
            "+vierema = 190",
        ]
    )


def test_a_sheet_row_naming_no_party_or_two_is_refused_at_its_cell(
    bundled_copy: Path, tmp_path: Path
) -> None:
    rewrite(bundled_copy, ('name = "Joroinen"', 'name = "Kuopio"'))
    sheet = tmp_path / "joulukuu.csv"
    sheet.write_text(
        "party,period,count\nSiilinjarvi,2020-12,1020\nkuopio,2020-12,6800\nKuopio,2020-12,1\n",
        encoding="utf-8",
    )
    before = bundled_copy.read_bytes()
    result = run_kokeilu("-f", str(bundled_copy), "import-caseloads", str(sheet))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f'{sheet}:2:1: error: unknown party "Siilinjarvi"',
        f'{sheet}:4:1: error: several parties are called "Kuopio": kuopio, joroinen (give the id)',
    ]
    assert bundled_copy.read_bytes() == before


def test_party_id_reads_ids_and_names() -> None:
    parties = load(Path(__file__).parent.parent / "data" / "pohjois-savo.toml").registry.parties
    assert party_id(parties, "vierema") == "vierema"
    assert party_id(parties, "Vieremä") == "vierema"
    assert party_id(parties, "Vierema") is None
    assert party_id(parties, "tuusniemi") is None
    twins = {**parties, "x": replace(parties["kuopio"], id="x")}
    assert party_id(twins, " kuopio ") == "kuopio"  # an id is never ambiguous
    with pytest.raises(Invalid, match="kuopio, x"):
        party_id(twins, "Kuopio")
    assert folded("Siilinjärvi") == "siilinjarvi"
