"""The string catalogue: Finnish has every English key, the same placeholders, and is what users see."""

from __future__ import annotations

import string

import pytest
from conftest import BUNDLED, run_kokeilu

from kokeilu.text.strings import EN, FI, t


def placeholders(template: str) -> set[str]:
    """The names of the `{fields}` a template fills in."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_english_key_has_a_finnish_string() -> None:
    missing = sorted(set(EN) - set(FI))
    assert not missing, f"keys in EN without a Finnish string in text/catalogue/fi_*.py: {missing}"


def test_every_finnish_key_is_an_english_key() -> None:
    extra = sorted(set(FI) - set(EN))
    assert not extra, f"keys in text/catalogue/fi_*.py that EN does not have: {extra}"


def test_finnish_strings_are_not_empty() -> None:
    assert [key for key, text in FI.items() if not text.strip()] == []


def test_finnish_strings_use_exactly_the_english_placeholders() -> None:
    differ = {
        key: (sorted(placeholders(EN[key])), sorted(placeholders(text)))
        for key, text in FI.items()
        if key in EN and placeholders(EN[key]) != placeholders(text)
    }
    assert not differ, f"placeholders differ (English, Finnish): {differ}"


def test_finnish_strings_format_with_the_english_parameters() -> None:
    for key, text in FI.items():
        params = {name: "x" for name in placeholders(EN[key])}
        text.format(**params)


def test_t_speaks_finnish_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOKEILU_LANG", "fi")
    assert t("outcome.approved") == "hyväksytty"
    assert t("status.party") == "sopijapuoli"
    assert t("report.summary", errors=0, warnings=2) == "virheitä 0, varoituksia 2"


def test_t_speaks_english_by_default_and_for_an_unknown_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert t("outcome.approved") == "approved"
    monkeypatch.setenv("KOKEILU_LANG", "sv")
    assert t("outcome.approved") == "approved"


def test_status_in_finnish() -> None:
    result = run_kokeilu("-f", str(BUNDLED), "status", env={"KOKEILU_LANG": "fi"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "Sopimus ei ole voimassa: 10 sopijapuolesta 9 ei ole vielä hyväksynyt sitä." in lines
    assert "Hyväksyntä puuttuu (9)" in lines
    assert ["Lapinlahti", "käsittelemättä"] in [line.split() for line in lines]


def test_check_in_finnish() -> None:
    result = run_kokeilu("-f", str(BUNDLED), "check", env={"KOKEILU_LANG": "fi"})
    assert result.returncode == 0, result.stderr
    lapinlahti = (
        ": warning: Lapinlahti kuuluu TYP-alueeseen Ylä-Savon TYP, mutta "
        "koordinaatioalueeseen Kuopion keskinen kokeilualue (tunnettu poikkeus)"
    )
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"{BUNDLED}:") and line.endswith(lapinlahti) for line in lines), (
        result.stdout
    )
    assert "virheitä 0, varoituksia 2" in result.stderr
