"""Resources: caseloads per party for a period, shares, and every resource's allocation.

Region subtotal rows and a total row follow the parties; the division is computed in a worker,
so the table shows the caseloads at once and the allocations when they are ready.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from kokeilu.editing import edits
from kokeilu.registry.model import KeyPath
from kokeilu.registry.values import Invalid, parse_count, parse_number
from kokeilu.shares.division import amount, share
from kokeilu.text.display import exact, literal, number, percent, places
from kokeilu.text.strings import t
from kokeilu.tui.messages import EditRequested, PeriodChanged, PeriodStepped, ProvisionalToggled
from kokeilu.tui.screens.form import FormField, FormScreen
from kokeilu.tui.state import Shares, incomplete
from kokeilu.tui.views.base import View, party_label, read_only_label
from kokeilu.tui.widgets.table import RegistryTable, Row

REGION_PREFIX = "region:"
TOTAL_KEY = "total"


class ResourcesView(View):
    """How the state's resources divide, and the caseloads they divide by."""

    view_id = "resources"
    TABLES = ("caseloads", "resources")
    draws_shares = True

    def compose(self) -> ComposeResult:
        yield Static(id="resources-head")
        yield Static(id="resources-totals")
        yield RegistryTable([], id="resources-table")

    @property
    def table(self) -> RegistryTable:
        """The caseload and allocation table."""
        return self.query_one(RegistryTable)

    def refresh_view(self) -> None:
        self.draw()

    def draw(self) -> None:
        if self.state is None:
            return
        registry = self.state.registry
        period = self.period
        shares = self.shares if self.shares and self.shares.period == period else None
        provisional = self.provisional
        head = Text()
        absent, among = incomplete(registry, period, provisional)
        if absent and period is not None:  # absent is 0 without a period
            label = t("ui.period_incomplete", period=literal(period), count=absent, total=among)
            head.append(label, style="bold yellow")
        else:
            head.append(t("ui.period", period=literal(period or "-")), style="bold")
        head.append("   ")
        head.append(
            t("ui.provisional_on") if provisional else t("ui.provisional_off"),
            style="yellow" if provisional else "",
        )
        if registry.example_figures:
            head.append("   ")
            head.append(t("ui.example_figures"), style="bold magenta")
        # What a region's subtotal sums: a region whose members have not approved sums to 0.
        legend = "ui.subtotal_sharing" if provisional else "ui.subtotal_approved"
        head.append("\n" + t(legend), style="dim")
        self.query_one("#resources-head", Static).update(head)
        totals = Text()
        for resource in registry.resources.values():
            decimals = places(resource.step)
            totals.append(
                t(
                    "ui.resource_line",
                    name=literal(resource.name),
                    total=number(resource.total, decimals),
                    unit=literal(resource.unit),
                    step=exact(resource.step),
                )
                + "\n"
            )
        if shares is None:
            totals.append(t("ui.computing"), style="italic")
        elif shares.error:
            totals.append(literal(shares.error), style="yellow")
        totals.rstrip()
        self.query_one("#resources-totals", Static).update(totals)
        self.ensure_columns()
        self.table.set_rows(self.table_rows(period, shares))

    def ensure_columns(self) -> None:
        assert self.state is not None
        wanted = [
            ("name", t("col.name")),
            ("caseload", t("col.caseload")),
            ("share", t("col.share")),
        ]
        wanted += [
            (f"r:{rid}", literal(r.unit)) for rid, r in self.state.registry.resources.items()
        ]
        self.table.right = {
            "caseload",
            "share",
            *(f"r:{rid}" for rid in self.state.registry.resources),
        }
        self.table.set_columns(wanted)

    def table_rows(self, period: str | None, shares: Shares | None) -> list[Row]:
        assert self.state is not None
        registry = self.state.registry
        counts = registry.caseloads.get(period or "", {})
        amounts: dict[tuple[str, str], Decimal] = {}
        share_of: dict[str, Fraction] = {}
        region_amounts: dict[tuple[str, str], Decimal] = {}
        region_share: dict[str, Fraction] = {}
        if shares is not None and shares.by_party is not None and shares.by_region is not None:
            for row in shares.by_party.iter_rows(named=True):
                resource = registry.resources[row["resource"]]
                amounts[(row["resource"], row["party"])] = amount(resource, row["units"])
                share_of[row["party"]] = share(row["caseload"], row["pool"])
            for row in shares.by_region.iter_rows(named=True):
                resource = registry.resources[row["resource"]]
                region_amounts[(row["resource"], row["region"])] = amount(resource, row["units"])
                region_share[row["region"]] = share(row["caseload"], row["pool"])

        def cells(name: str, caseload: str, share: str, values: list[str]) -> tuple[str, ...]:
            return (name, caseload, share, *values)

        def amounts_of(source: dict[tuple[str, str], Decimal], key: str) -> list[str]:
            out = []
            for rid, resource in registry.resources.items():
                value = source.get((rid, key))
                out.append("" if value is None else number(value, places(resource.step)))
            return out

        mine = self.editable_parties()
        rows: list[Row] = []
        placed: set[str] = set()
        groups = [(rid, registry.members(rid)) for rid in registry.regions]
        orphans = [p for p in registry.parties.values() if p.region not in registry.regions]
        if orphans:
            groups.append(("", orphans))
        divided = shares is not None and shares.by_party is not None
        for rid, members in groups:
            region_caseload = 0
            sharing = parties = 0
            for party in members:
                if party.status == "withdrawn":
                    continue
                placed.add(party.id)
                parties += party.status == "party"
                count = counts.get(party.id)
                if party.id in share_of:  # a subtotal sums the rows that share
                    region_caseload += count or 0
                    sharing += 1
                name = read_only_label(party_label(party), not mine(party.id))
                shown_share = percent(share_of[party.id]) if party.id in share_of else ""
                rows.append(
                    Row(
                        party.id,
                        cells(
                            name,
                            "" if count is None else number(count),
                            shown_share,
                            amounts_of(amounts, party.id),
                        ),
                        style="" if party.id in share_of else "dim",
                    )
                )
            if rid:
                region = registry.regions[rid]
                shown_share = percent(region_share[rid]) if rid in region_share else ""
                # A subtotal says what it sums: the approved members, or those sharing
                # provisionally (a region of pending members sums to 0 beside their counts).
                label = "Σ " + region.name
                if divided:
                    label = t("ui.subtotal", region=region.name, count=sharing, total=parties)
                rows.append(
                    Row(
                        REGION_PREFIX + rid,
                        cells(
                            label,
                            number(region_caseload),
                            shown_share,
                            amounts_of(region_amounts, rid),
                        ),
                        style="bold",
                    )
                )
        total_caseload = sum(share_count for pid, share_count in counts.items() if pid in share_of)
        totals = []
        for resource in registry.resources.values():
            totals.append(number(resource.total, places(resource.step)) if share_of else "")
        rows.append(
            Row(
                TOTAL_KEY,
                cells(
                    t("shares.total"),
                    number(total_caseload) if share_of else "",
                    percent(sum(share_of.values(), start=Fraction(0))) if share_of else "",
                    totals,
                ),
                style="bold reverse",
            )
        )
        return rows

    def activate(self) -> None:
        self.action_edit()

    def go_to(self, path: KeyPath) -> bool:
        if len(path) >= 2 and path[0] == "caseloads":
            self.post_message(PeriodChanged(str(path[1])))
            return len(path) < 3 or self.table.go_to(str(path[2]))
        return path[:1] == ("resources",)

    def action_previous_period(self) -> None:
        """Show the period before this one."""
        self.post_message(PeriodStepped(-1))

    def action_next_period(self) -> None:
        """Show the period after this one."""
        self.post_message(PeriodStepped(1))

    def action_toggle_provisional(self) -> None:
        """Divide among every party that has not rejected, or only among those who approved."""
        self.post_message(ProvisionalToggled())

    def action_edit(self) -> None:
        """Edit the caseload of the party under the cursor for the period shown."""
        if self.state is None:
            return
        key = self.table.current_key
        period = self.period
        if key is None or key.startswith(REGION_PREFIX) or key == TOTAL_KEY or period is None:
            self.notify(t("ui.choose_party_row"), severity="warning")
            return
        if self.refuse(("caseloads", period, key)):
            return
        party = self.state.registry.parties[key]
        current = self.state.registry.caseloads.get(period, {}).get(key)

        def check(values: dict[str, Any]) -> dict[str, str]:
            try:
                parse_count(values["count"])
            except Invalid as exc:
                return {"count": str(exc)}
            return {}

        def draft(values: dict[str, Any]) -> edits.Edit | None:
            if self.data is None:
                return None
            data = self.data
            return edits.set_caseload(data, key, period, parse_count(values["count"]))

        def done(values: dict[str, Any]) -> EditRequested | None:
            edit = draft(values)
            return EditRequested((edit,)) if edit is not None else None

        field = FormField("count", t("col.caseload"), value="" if current is None else str(current))
        title = t("ui.caseload_title", name=party.name, period=period)
        self.open_form(FormScreen(title, [field], check, draft=draft, judge=self.judge), done)

    def action_edit_resource(self) -> None:
        """Edit the total and step of every resource in one form."""
        if self.state is None or not self.state.registry.resources:
            return
        if self.refuse(("resources",)):
            return
        resources = self.state.registry.resources

        def check(values: dict[str, Any]) -> dict[str, str]:
            problems = {}
            for rid in resources:
                for name, positive in (("total", False), ("step", True)):
                    try:
                        parse_number(values[f"{rid}-{name}"], positive=positive)
                    except Invalid as exc:
                        problems[f"{rid}-{name}"] = str(exc)
                        break
            return problems

        def parsed(values: dict[str, Any], rid: str) -> tuple[Decimal, Decimal] | None:
            """A resource's typed total and step, or None while either does not parse."""
            try:
                return (
                    parse_number(values[f"{rid}-total"], positive=False),
                    parse_number(values[f"{rid}-step"], positive=True),
                )
            except Invalid:
                return None

        def draft(values: dict[str, Any]) -> edits.Edit | None:
            # The resources whose numbers parse, so that each is judged while another is not.
            if self.data is None:
                return None
            data = self.data
            changed = [
                edits.set_resource(data, rid, total=numbers[0], step=numbers[1])
                for rid in resources
                if (numbers := parsed(values, rid)) is not None
            ]
            return edits.together(changed) if changed else None

        fields = []
        for rid, r in resources.items():
            fields.append(
                FormField(f"{rid}-total", t("ui.resource_total", unit=r.unit), value=exact(r.total))
            )
            fields.append(
                FormField(f"{rid}-step", t("ui.resource_step", unit=r.unit), value=exact(r.step))
            )

        def done(values: dict[str, Any]) -> EditRequested | None:
            edit = draft(values)
            return EditRequested((edit,)) if edit is not None else None

        note = "\n".join(f"{literal(r.unit)}: {literal(r.name)}" for r in resources.values())
        form = FormScreen(
            t("ui.resource_title"), fields, check, note=note, draft=draft, judge=self.judge
        )
        self.open_form(form, done)
