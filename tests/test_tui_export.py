"""The dashboard's Export…: a form asks for the file, the core's export writes it, a notice says where."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from tui_helpers import dashboard, field_error, form, notifications, press, type_text

from kokeilu.text.strings import t


async def test_export_writes_the_workbook_of_the_division_shown(
    bundled_copy: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "jako.xlsx"
    target.parent.mkdir()
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "ctrl+e")
        assert form(pilot).title_text == "Export the division and the registry"
        assert form(pilot).values() == {"path": "kokeilu-2020-12.xlsx"}
        await type_text(pilot, str(target))  # replaces the name offered
        await press(pilot, "enter")
        assert not pilot.app.screen.is_modal
        assert notifications(pilot)[-1] == (
            "information",
            "Exported",
            f"Wrote {target} (period 2020-12, approved only).",
        )
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[0] == "Cover"
    assert book["Cover"]["B5"].value == "2020-12"
    assert book["Työllisyysmäärärahat"]["A8"].value == "Kuopio"
    assert book["Työllisyysmäärärahat"]["F8"].value == 4300000


async def test_export_from_the_palette_follows_the_provisional_switch_and_period(
    bundled_copy: Path, tmp_path: Path
) -> None:
    target = tmp_path / "jako.csv"
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "4", "p", "left_square_bracket")
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Export")
        await press(pilot, "enter")
        assert form(pilot).values() == {"path": "kokeilu-2020-11-provisional.xlsx"}
        await type_text(pilot, str(target))
        await press(pilot, "enter")
        assert notifications(pilot)[-1][2] == f"Wrote {target} (period 2020-11, provisional)."
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 21
    # The figures of `kokeilu shares --provisional --period 2020-11` (te_staff,htv,kuopio,kuopio,6284,0.530116,32.6).
    assert lines[1] == (
        "2020-11,TE-toimiston työntekijöiden työpanos,htv,Kuopio,Kuopion keskinen kokeilualue,6284,0.530116,32.6"
    )


async def test_export_refuses_an_unknown_suffix_in_the_form(
    bundled_copy: Path, tmp_path: Path
) -> None:
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "ctrl+e")
        await type_text(pilot, str(tmp_path / "jako.ods"))
        await press(pilot, "enter")
        assert field_error(pilot, "path") == (
            'unknown format ".ods": the file must end in .xlsx, .csv or .json'
        )
        await press(pilot, "escape")
        assert not pilot.app.screen.is_modal
    assert list(tmp_path.iterdir()) == [bundled_copy]


async def test_export_says_why_a_file_cannot_be_written(bundled_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "jako.json"
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "ctrl+e")
        await type_text(pilot, str(target))
        await press(pilot, "enter")
        assert notifications(pilot)[-1] == (
            "error",
            t("ui.export_failed"),
            f"{target}: cannot write the file: No such file or directory",
        )
