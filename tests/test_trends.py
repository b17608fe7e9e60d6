"""The caseload series Trends draws and the workbook's Caseloads sheet sums: per region, per party."""

from __future__ import annotations

from pathlib import Path

from conftest import BUNDLED

from kokeilu.registry.load import load
from kokeilu.shares import trends


def test_a_region_sums_its_members_that_have_not_withdrawn(tmp_path: Path) -> None:
    text = BUNDLED.read_text(encoding="utf-8").replace(
        'status = "candidate"', 'status = "withdrawn"', 1
    )
    registry_file = tmp_path / "r.toml"
    registry_file.write_text(text, encoding="utf-8")
    registry = load(registry_file).registry
    assert registry.parties["heinavesi"].status == "withdrawn"
    varkaus = {s.key: s for s in trends.by_region(registry)}["varkaus"]
    # Varkaus 1479, Leppävirta 563, Joroinen 275 in 2020-01; Heinävesi's 231 left out.
    assert varkaus.counts[0] == 1479 + 563 + 275
    assert trends.members(registry, "varkaus") == ["varkaus", "leppavirta", "joroinen"]


def test_a_period_without_counts_is_none_not_zero(tmp_path: Path) -> None:
    text = BUNDLED.read_text(encoding="utf-8") + '\n[caseloads."2021-01"]\nkuopio = 7000\n'
    registry_file = tmp_path / "r.toml"
    registry_file.write_text(text, encoding="utf-8")
    registry = load(registry_file).registry
    by_region = {s.key: s.counts[-1] for s in trends.by_region(registry)}
    assert by_region == {"kuopio": 7000, "varkaus": None, "yla_savo": None}
    kuopio, siilinjarvi = trends.by_party(registry, ["kuopio", "siilinjarvi"])
    assert (kuopio.name, kuopio.counts[-1], kuopio.known()[0]) == ("Kuopio", 7000, 6874)
    assert (siilinjarvi.name, siilinjarvi.counts[-1]) == ("Siilinjärvi", None)
