"""The application dossier from the dashboard: the palette's "Application report…" asks for a
file in the folder the dashboard started in, writes the printable HTML there, never over a file
that is there, and says where."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input
from tui_helpers import dashboard, field_error, form, notifications, press, settle, type_text

from kokeilu.text.strings import t
from kokeilu.tui.messages import ReportRequested


async def open_report_form(pilot) -> Input:
    await press(pilot, "ctrl+p")
    await type_text(pilot, "Application report")
    await press(pilot, "enter")
    assert form(pilot).title_text == "Application report"
    field = form(pilot).query_one("#field-file", Input)
    assert pilot.app.focused is field
    return field


async def test_the_palette_writes_the_dossier_where_the_dashboard_started(
    bundled_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.chdir(home)
    async with dashboard(bundled_copy) as pilot:
        field = await open_report_form(pilot)
        assert field.value == f"{home}/hakemus.html"  # the registry's language names it
        await press(pilot, "ctrl+s")
        written = home / "hakemus.html"
        text = written.read_text(encoding="utf-8")
        assert text.startswith('<!DOCTYPE html>\n<html lang="fi">\n')
        assert "<h1>Työllisyyden kuntakokeilun hakemus: Pohjois-Savo</h1>" in text
        assert notifications(pilot)[-1] == (
            "information",
            "Application report",
            f"The application dossier is written to {written}",
        )
        # Again: the name taken, the next one is proposed; the taken one is refused as typed.
        field = await open_report_form(pilot)
        assert field.value == f"{home}/hakemus-2.html"
        await press(pilot, "end", "ctrl+u")
        await type_text(pilot, "hakemus.html")
        assert field_error(pilot, "file") == t("ui.report_exists")
        await press(pilot, "ctrl+s")
        assert isinstance(pilot.app.screen, type(form(pilot)))  # still open, nothing written
        assert written.read_text(encoding="utf-8") == text
        await press(pilot, "ctrl+u")
        await type_text(pilot, "sub/h.html")
        assert field_error(pilot, "file") == t("ui.report_no_folder", folder=f"{home}/sub")
        await press(pilot, "ctrl+u")
        await type_text(pilot, "kopio.html")
        assert field_error(pilot, "file") == ""
        await press(pilot, "ctrl+s")
        assert (home / "kopio.html").read_text(encoding="utf-8") == text
        assert sorted(p.name for p in home.iterdir()) == ["hakemus.html", "kopio.html"]


async def test_a_file_made_meanwhile_is_not_replaced_and_the_form_opens_again(
    bundled_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async with dashboard(bundled_copy) as pilot:
        field = await open_report_form(pilot)
        target = Path(field.value)
        # Made after the name was checked and before Save: the form checks again and stays.
        target.write_text("someone else's", encoding="utf-8")
        await press(pilot, "ctrl+s")
        assert field_error(pilot, "file") == t("ui.report_exists")
        assert target.read_text(encoding="utf-8") == "someone else's"
        # Made after Save, before the worker writes: the file is created exclusively.
        target.unlink()
        opened = form(pilot)
        await press(pilot, "ctrl+s")
        assert target.exists()
        target.write_text("someone else's", encoding="utf-8")
        pilot.app.main.post_message(ReportRequested(target, opened))
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == "someone else's"
        assert notifications(pilot)[-1] == ("error", "Application report", t("ui.report_exists"))
        assert form(pilot).query_one("#field-file", Input).value == str(target)
        assert field_error(pilot, "file") == t("ui.report_exists")


async def test_a_registry_with_errors_gives_no_dossier(
    bundled_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = bundled_copy.read_text(encoding="utf-8")
    bundled_copy.write_text(text.replace('region = "varkaus"', 'region = "nowhere"', 1), "utf-8")
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Application report")
        await press(pilot, "enter")
        assert not pilot.app.screen.is_modal
        assert notifications(pilot)[-1] == (
            "error",
            "Application report",
            "The registry has errors (2): the dossier is made once they are fixed (Findings, key 6).",
        )
    assert list(tmp_path.glob("*.html")) == []
