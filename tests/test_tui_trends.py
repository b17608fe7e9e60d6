"""Trends: caseloads over the periods per region and per municipality, driven by the keyboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual_plotext import PlotextPlot
from tui_helpers import dashboard, press, row, shown_keys, static_text

TABLE = "trends-table"
# The half blocks plotext draws the line under the cursor with; the others are dots.
BRIGHT = set("▄▀▚▞▖▗▘▝▐▌")


def plot_lines(pilot: Pilot[Any]) -> list[str]:
    """The chart as drawn, line by line."""
    return str(pilot.app.query_one(PlotextPlot).render()).splitlines()


def bright_rows(pilot: Pilot[Any]) -> list[int]:
    """The chart's lines on which the bright line is drawn."""
    return [i for i, line in enumerate(plot_lines(pilot)) if BRIGHT & set(line)]


def marker_column(pilot: Pilot[Any]) -> int:
    """The column of the marked period's vertical line (on a row where no line crosses it)."""
    for line in plot_lines(pilot):
        if "┤" in line and line.count("│", line.index("┤")) == 2:
            return line.index("│", line.index("┤"))
    raise AssertionError("no period marked")


def heading(pilot: Pilot[Any]) -> str:
    return static_text(pilot, "#trends-head")


async def test_trends_draw_regions_and_the_keys_change_what_is_drawn(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "8")
        assert heading(pilot) == "Caseloads per region"
        assert shown_keys(pilot, TABLE) == ["kuopio", "varkaus", "yla_savo"]
        assert row(pilot, TABLE, "kuopio") == [
            "Kuopion keskinen kokeilualue",
            "8 745",
            "8 037",
            "9 133",
        ]
        assert row(pilot, TABLE, "varkaus") == ["Varkauden alue", "2 484", "2 268", "2 584"]
        top = bright_rows(pilot)
        assert top and max(top) < 3  # Kuopio's region, the largest, on top
        lines = plot_lines(pilot)
        assert lines[1].startswith("9 133┤") and lines[-3].startswith("1 597┤")
        marked = marker_column(pilot)

        await press(pilot, "down")  # Varkauden alue: its line is drawn bright instead
        below = bright_rows(pilot)
        assert below and min(below) > 3 and not set(bright_rows(pilot)) & set(top)

        await press(pilot, "left_square_bracket")  # the period before
        assert [c.label.plain for c in pilot.app.query_one(f"#{TABLE}").columns.values()][
            1
        ] == "2020-11"
        assert row(pilot, TABLE, "varkaus") == ["Varkauden alue", "2 295", "2 268", "2 584"]
        assert marker_column(pilot) < marked
        assert bright_rows(pilot) == below  # the cursor stayed on its line

        await press(pilot, "m")  # the municipalities of Varkauden alue
        assert heading(pilot) == "Caseloads per municipality: Varkauden alue"
        assert shown_keys(pilot, TABLE) == ["varkaus", "leppavirta", "joroinen", "heinavesi"]
        assert row(pilot, TABLE, "heinavesi") == ["Heinävesi", "209", "206", "231"]
        assert plot_lines(pilot)[1].startswith("1 494┤")

        await press(pilot, "m")  # back to the regions, on the region left
        assert heading(pilot) == "Caseloads per region"
        assert pilot.app.query_one(f"#{TABLE}").current_key == "varkaus"

        await press(pilot, "up", "enter")  # Enter opens a region too
        assert heading(pilot) == "Caseloads per municipality: Kuopion keskinen kokeilualue"
        assert shown_keys(pilot, TABLE) == ["kuopio", "siilinjarvi", "suonenjoki", "lapinlahti"]


async def test_trends_follow_the_period_resources_shows(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "4", "left_square_bracket", "left_square_bracket", "8")
        columns = [c.label.plain for c in pilot.app.query_one(f"#{TABLE}").columns.values()]
        assert columns == ["Name", "2020-10", "Min", "Max"]
