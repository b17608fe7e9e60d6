"""Trends: caseloads over the periods, per region or per municipality of one region, as lines.

The chart is textual-plotext's; the table under it lists the lines, and its cursor picks the one
drawn bright (the others are drawn dim, in dots). `[` and `]` move the period marked (the
dashboard's period, the one Resources divides), `m` switches between the regions and the
municipalities of the region under the cursor (Enter too, from a region). Names appear only in
the table, literally: the chart draws numbers and periods, nothing from the registry's text.
"""

from __future__ import annotations

import math
from enum import Enum

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

from kokeilu.shares import trends
from kokeilu.shares.trends import Series
from kokeilu.text.display import literal, number
from kokeilu.text.strings import t
from kokeilu.tui.messages import PeriodStepped
from kokeilu.tui.state import Shares
from kokeilu.tui.views.base import View
from kokeilu.tui.widgets.table import RegistryTable, Row

# The line under the cursor, the others, and the period marked (plotext's colour names).
BRIGHT, DIM, MARK = "orange+", "gray", "cyan"


class TrendsPlot(PlotextPlot):
    """The chart, drawn anew from its data each time it renders, at the size it renders at.

    Drawn once and rendered later at another size, plotext keeps traces of the first size
    (textual-plotext's issue 5): a figure built from scratch in `render` looks the same however
    the layout arrived at its size.
    """

    lines: tuple[Series, ...] = ()
    periods: tuple[str, ...] = ()
    chosen: str | None = None
    at = 0

    def show(self, lines: list[Series], periods: list[str], chosen: str | None, at: int) -> None:
        """Draw these lines over these periods, `chosen` bright and the period `at` marked."""
        self.lines, self.periods, self.chosen, self.at = tuple(lines), tuple(periods), chosen, at
        self.refresh()

    def render(self) -> RenderResult:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        counts = [c for s in self.lines for c in s.known()]
        if self.periods and counts:
            for s in sorted(self.lines, key=lambda s: s.key == self.chosen):  # chosen last
                xs = [float(i) for i, c in enumerate(s.counts) if c is not None]
                ys = [float(c) for c in s.counts if c is not None]
                bright = s.key == self.chosen
                if xs:
                    plt.plot(
                        xs, ys, marker="hd" if bright else "dot", color=BRIGHT if bright else DIM
                    )
            plt.vline(self.at, MARK)
            plt.xlim(-0.3, len(self.periods) - 0.7)
            room = max(self.size.width - 10, 1)
            step = max(1, math.ceil(len(self.periods) * 9 / room))
            ticks = list(range(0, len(self.periods), step))
            plt.xticks([float(i) for i in ticks], [self.periods[i] for i in ticks])
            # The counts' own scale, written as counts are elsewhere (6 210, not 6210.0).
            low, high = min(counts), max(counts)
            marks = sorted({round(low + (high - low) * k / 4) for k in range(5)})
            plt.yticks([float(m) for m in marks], [number(m) for m in marks])
        return super().render()


class Level(Enum):
    """What the lines are: one per region, or one per municipality of one region."""

    REGIONS = "regions"
    MUNICIPALITIES = "municipalities"


class TrendsView(View):
    """Caseloads over time, keyboard-driven."""

    view_id = "trends"
    # The period marked is the dashboard's: a new one is drawn anew.
    draws_shares = True

    level = Level.REGIONS
    # The region whose municipalities are drawn (Level.MUNICIPALITIES).
    shown_region: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="trends-head")
        yield TrendsPlot(id="trends-plot")
        yield RegistryTable([], cursor="row", id="trends-table")

    @property
    def table(self) -> RegistryTable:
        """The lines drawn, one row each."""
        return self.query_one(RegistryTable)

    def show_shares(self, shares: Shares) -> None:
        """A division changes nothing drawn here (the period marked arrives with `show`)."""
        self.shares = shares

    def refresh_view(self) -> None:
        self.draw()

    def series(self) -> list[Series]:
        """The lines of the level shown."""
        assert self.state is not None
        registry = self.state.registry
        if self.level is Level.MUNICIPALITIES and self.shown_region in registry.regions:
            return trends.by_party(registry, trends.members(registry, self.shown_region))
        self.level = Level.REGIONS
        return trends.by_region(registry)

    def draw(self) -> None:
        if self.state is None:
            return
        registry = self.state.registry
        periods = registry.periods
        lines = self.series()
        head = Text()
        if self.level is Level.MUNICIPALITIES and self.shown_region is not None:
            name = literal(registry.regions[self.shown_region].name)
            head.append(t("ui.trends_municipalities", region=name), style="bold")
        else:
            head.append(t("ui.trends_regions"), style="bold")
        self.query_one("#trends-head", Static).update(head)
        at = periods.index(self.period) if self.period in periods else len(periods) - 1
        # A new period renames a column, which rebuilds the table: the cursor stays on its line.
        chosen = self.table.current_key
        self.table.set_columns(
            [
                ("name", t("col.name")),
                ("at", literal(periods[at]) if periods else "-"),
                ("min", t("col.trends_min")),
                ("max", t("col.trends_max")),
            ]
        )
        self.table.right = {"at", "min", "max"}
        rows = []
        for s in lines:
            known = s.known()
            value = s.counts[at] if periods else None
            rows.append(
                Row(
                    s.key,
                    (
                        s.name,
                        "" if value is None else number(value),
                        number(min(known)) if known else "",
                        number(max(known)) if known else "",
                    ),
                )
            )
        self.table.set_rows(rows)
        if chosen is not None:
            self.table.go_to(chosen)
        self.plot(lines, periods, at)

    def plot(self, lines: list[Series], periods: list[str], at: int) -> None:
        """Draw the lines: the one under the table's cursor bright, the others dim."""
        self.query_one(TrendsPlot).show(lines, periods, self.table.current_key, at)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if self.state is not None:
            periods = self.state.registry.periods
            at = periods.index(self.period) if self.period in periods else len(periods) - 1
            self.plot(self.series(), periods, at)

    def activate(self) -> None:
        if self.level is Level.REGIONS:
            self.action_toggle_level()

    def action_toggle_level(self) -> None:
        """The municipalities of the region under the cursor; from them, the regions again."""
        if self.state is None:
            return
        if self.level is Level.REGIONS:
            key = self.table.current_key
            if key is None:
                return
            self.level, self.shown_region = Level.MUNICIPALITIES, key
            self.draw()
            self.table.move_cursor(row=0, animate=False)
        else:
            region, self.level = self.shown_region, Level.REGIONS
            self.draw()
            if region is not None:
                self.table.go_to(region)
        self.draw()

    def action_previous_period(self) -> None:
        """Mark the period before this one."""
        self.post_message(PeriodStepped(-1))

    def action_next_period(self) -> None:
        """Mark the period after this one."""
        self.post_message(PeriodStepped(1))
