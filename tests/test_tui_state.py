"""Dashboard state that must follow the world: the clock, the terminal's size, the file and git,
and what a user typed into a form whose save was refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tui_helpers import (
    TODAY,
    dashboard,
    diff,
    field_error,
    go_to_row,
    press,
    row,
    save_enabled,
    type_text,
)

# --- "Today" comes from a clock read when it is needed ---------------------------------------------


async def test_a_dashboard_left_open_past_midnight_accepts_a_decision_dated_the_new_day(
    bundled_copy: Path,
) -> None:
    before = bundled_copy.read_text(encoding="utf-8")
    now = [TODAY]
    tomorrow = TODAY + dt.timedelta(days=1)
    async with dashboard(bundled_copy, clock=lambda: now[0]) as pilot:
        now[0] = tomorrow  # the night passes with the dashboard open
        await press(pilot, "2")
        await go_to_row(pilot, "approvals-table", "iisalmi")
        await press(pilot, "enter", "enter", "down", "enter", "tab", "tab")
        assert pilot.app.focused.id == "field-date"
        await type_text(pilot, "28.11.2026")
        await press(pilot, "tab")
        await type_text(pilot, "§ 1")
        assert field_error(pilot, "date") == ""
        assert save_enabled(pilot)
        await press(pilot, "ctrl+s")
        assert not pilot.app.screen.is_modal
        assert row(pilot, "approvals-table", "iisalmi")[1:4] == ["approved", "28.11.2026", "§ 1"]
    assert "+date = 2026-11-28" in diff(before, bundled_copy.read_text(encoding="utf-8"))
