"""Every view reads at 80x24 without cutting what matters (issue 12, item 7).

The status line keeps its counts whole; tables that do not fit give their widest text column what
is left (wrapped, or ending in "…" where a pane under the table shows it whole) and leave out
columns a line under the table shows for the row under the cursor.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import dashboard, go_to_row, press, screen_text, type_text

from kokeilu.tui.widgets.status_line import StatusLine


def status_lines(pilot) -> list[str]:
    """The status line's lines as drawn (the footer is the screen's last line)."""
    height = pilot.app.query_one(StatusLine).size.height
    return [line.rstrip() for line in screen_text(pilot).splitlines()[-1 - height : -1]]


async def test_the_status_line_keeps_its_counts_in_finnish_at_80_columns(
    bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOKEILU_LANG", "fi")
    async with dashboard(bundled_copy) as pilot:
        assert status_lines(pilot)[0] == (
            " pohjois-savo… │ ei voimassa, puuttuu 9 │ ei gitissä │ virheitä 0, varoituksia 2"
        )
        # A save outside git says so at length: the save state is shortened, not the counts.
        await press(pilot, "4")
        await go_to_row(pilot, "resources-table", "iisalmi")
        await press(pilot, "enter")
        await type_text(pilot, "1400")
        await press(pilot, "enter")
        assert status_lines(pilot)[0] == (
            " pohjo… │ ei voimassa, puuttuu 9 │ tallennettu, ei … │ virheitä 0, varoituksia 2"
        )
        assert pilot.app.query_one(StatusLine).tooltip == (
            " pohjois-savo.toml │ ei voimassa, puuttuu 9 │ tallennettu, ei gitissä"
            " │ virheitä 0, varoituksia 2"
        )


async def test_the_status_line_is_whole_when_it_fits(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy) as pilot:
        assert status_lines(pilot)[0] == (
            " pohjois-savo.toml │ not in force: 9 missing │ not in git │ 0 errors, 2 warnings"
        )
        assert pilot.app.query_one(StatusLine).tooltip is None
