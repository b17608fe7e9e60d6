"""Responsibilities: the coordination regions, each municipality's region and TYP area, and
the service agreements between municipalities. Tab moves between the three tables; the keys act
on the table that has the focus. The forms of a party and an agreement are in
`responsibilities_forms`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from kokeilu.editing import edits
from kokeilu.registry.model import STATUSES, KeyPath
from kokeilu.text.display import date, literal
from kokeilu.text.strings import t
from kokeilu.tui.messages import EditRequested
from kokeilu.tui.screens.form import ConfirmScreen, FormField, FormScreen
from kokeilu.tui.views.base import party_label
from kokeilu.tui.views.responsibilities_forms import ResponsibilitiesForms
from kokeilu.tui.widgets.table import RegistryTable, Row


class ResponsibilitiesView(ResponsibilitiesForms):
    """Who coordinates which region, who belongs where, who produces services for whom."""

    view_id = "responsibilities"
    TABLES = ("parties", "regions", "service_agreements", "typ_areas")

    def compose(self) -> ComposeResult:
        yield Static(Text(t("ui.regions_heading"), style="bold"), classes="heading")
        yield RegistryTable(
            [
                ("name", t("col.region")),
                ("coordinator", t("col.coordinator")),
                ("typ", t("col.typ_area")),
                ("members", t("col.members")),
            ],
            # Members wrapped whole; the region's TYP area, when left out, is in the line below.
            flex="members",
            wrap=True,
            drop=("typ",),
            id="regions-table",
        )
        # The role of the region under the regions' cursor, in the letter's words.
        yield Static(id="regions-role")
        yield Static(Text(t("ui.parties_heading"), style="bold"), classes="heading")
        yield RegistryTable(
            [
                ("name", t("col.name")),
                ("status", t("col.status")),
                ("region", t("col.region")),
                ("typ", t("col.typ_area")),
                ("flag", t("col.note")),
            ],
            # The TYP area, when left out, is in the line below; a note is wrapped whole.
            flex="flag",
            wrap=True,
            drop=("typ",),
            id="parties-table",
        )
        yield Static(Text(t("ui.agreements_heading"), style="bold"), classes="heading")
        yield RegistryTable(
            [
                ("service", t("col.service")),
                ("provider", t("col.provider")),
                ("recipients", t("col.recipients")),
                ("start", t("col.start")),
                ("end", t("col.end")),
            ],
            flex="recipients",
            wrap=True,
            id="agreements-table",
        )
        yield Static(id="responsibilities-detail", classes="row-detail")

    def on_mount(self) -> None:
        detail = self.query_one("#responsibilities-detail", Static)
        for table in self.query(RegistryTable):
            table.detail = detail
        self.query_one("#regions-role", Static).display = False

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The role is the highlighted region's: shown while the regions table has the focus,
        so that at 80x24 it does not take the municipalities' rows while they are worked on."""
        self.query_one("#regions-role", Static).display = event.widget is self.table("regions")

    def show_role(self) -> None:
        """The coordinator's role in the region under the regions' cursor, quoted from the letter."""
        role = Text()
        key = self.table("regions").current_key
        region = self.state.registry.regions.get(key or "") if self.state is not None else None
        if region is not None and region.role:
            role.append(f"{literal(region.name)}: ", style="bold")
            role.append(f"“{literal(region.role)}”", style="italic")
        self.query_one("#regions-role", Static).update(role)

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        if event.data_table.id == "regions-table":
            self.show_role()

    def table(self, name: str) -> RegistryTable:
        """One of the three tables: regions, parties or agreements."""
        return self.query_one(f"#{name}-table", RegistryTable)

    def focus_main(self) -> None:
        if not any(table.has_focus for table in self.query(RegistryTable)):
            self.table("parties").focus()

    def focused_table(self) -> str:
        for name in ("regions", "parties", "agreements"):
            if self.table(name).has_focus:
                return name
        return "parties"

    def refresh_view(self) -> None:
        assert self.state is not None
        registry = self.state.registry
        name = registry.display_name

        def typ(area: str | None) -> str:
            found = registry.typ_areas.get(area or "")
            return found.name if found else (area or "")

        self.table("regions").set_rows(
            [
                Row(
                    r.id,
                    (
                        r.name,
                        name(r.coordinator) if r.coordinator else "",
                        typ(r.typ_area),
                        ", ".join(p.name for p in registry.members(r.id)),
                    ),
                )
                for r in registry.regions.values()
            ]
        )
        self.show_role()
        rows = []
        for p in registry.parties.values():
            region = registry.regions.get(p.region or "")
            flags = []
            if p.status != "party":
                flags.append(t("ui.flag_not_party"))
            if region and region.typ_area and p.typ_area and p.typ_area != region.typ_area:
                flags.append(t("ui.typ_exception_short"))
            rows.append(
                Row(
                    p.id,
                    (
                        p.name,
                        t(f"status.{p.status}"),
                        region.name if region else (p.region or ""),
                        typ(p.typ_area),
                        " · ".join(flags),
                    ),
                    style="yellow" if flags else "",
                )
            )
        self.table("parties").set_rows(rows)
        self.table("agreements").set_rows(
            [
                Row(
                    str(sa.index),
                    (
                        registry.services[sa.service].name
                        if sa.service in registry.services
                        else (sa.service or ""),
                        name(sa.provider) if sa.provider else "",
                        ", ".join(name(r) for r in sa.recipients or ()),
                        date(sa.start),
                        date(sa.end),
                    ),
                )
                for sa in registry.service_agreements
            ]
        )

    def go_to(self, path: KeyPath) -> bool:
        kinds = {"regions": "regions", "parties": "parties", "service_agreements": "agreements"}
        if len(path) >= 2 and path[0] in kinds:
            table = self.table(kinds[str(path[0])])
            table.focus()
            return table.go_to(str(path[1]))
        return False

    def activate(self) -> None:
        self.action_edit()

    # --- Actions -------------------------------------------------------------------------------

    def selected(self, table: str) -> str | None:
        return self.table(table).current_key

    def action_edit(self) -> None:
        """Edit what is under the cursor: a region's coordinator, a party, a service agreement."""
        focused = self.focused_table()
        if focused == "regions":
            self.action_coordinator()
        elif focused == "agreements":
            key = self.selected("agreements")
            if key is not None:
                self.agreement_form(int(key))
        elif (key := self.selected("parties")) is not None:
            self.party_form(key)

    def action_add(self) -> None:
        """Add a party, or a service agreement when that table has the focus."""
        if self.focused_table() == "agreements":
            self.agreement_form(None)
        else:
            self.party_form(None)

    def action_remove(self) -> None:
        """Remove the service agreement under the cursor, after asking."""
        if self.focused_table() != "agreements":
            self.notify(t("ui.remove_party_hint"), severity="warning")
            return
        key = self.selected("agreements")
        if key is None or self.state is None:
            return
        if self.refuse(("service_agreements",)):
            return
        sa = self.state.registry.service_agreements[int(key)]
        provider = self.state.registry.display_name(sa.provider or "")

        def answer(yes: bool | None) -> None:
            if yes and self.data is not None:
                self.save(edits.put_service_agreement(self.data, int(key), None))

        self.app.push_screen(
            ConfirmScreen(t("ui.confirm_remove_agreement", provider=literal(provider))), answer
        )

    def choose(
        self,
        title: str,
        label: str,
        options: list[tuple[str, str]],
        value: str | None,
        then: Callable[[Any, str], edits.Edit],
    ) -> None:
        """A one-choice form whose choice `then` makes an edit: the edit is judged by the
        registry's rules as the user moves (`View.judge`), the finding under the choice."""

        def check(values: dict[str, Any]) -> dict[str, str]:
            return {} if values["choice"] else {"choice": t("valid.required")}

        def draft(values: dict[str, Any]) -> edits.Edit | None:
            if self.data is None or not values["choice"]:
                return None
            return then(self.data, values["choice"])

        def done(values: dict[str, Any]) -> EditRequested | None:
            edit = draft(values)
            return EditRequested((edit,)) if edit is not None else None

        field = FormField("choice", label, "list", value, options)
        self.open_form(FormScreen(title, [field], check, draft=draft, judge=self.judge), done)

    def action_move(self) -> None:
        """Move the party under the cursor to another region."""
        if self.state is None or (key := self.selected("parties")) is None:
            return
        if self.refuse(("parties", key, "region")):
            return
        party = self.state.registry.parties[key]
        options = [(r.name, r.id) for r in self.state.registry.regions.values()]
        self.choose(
            t("ui.move_title", name=party.name),
            t("col.region"),
            options,
            party.region,
            lambda d, v: edits.move_party(d, key, v),
        )

    def action_status(self) -> None:
        """Make the municipality under the cursor a party, a candidate, or withdrawn."""
        if self.state is None or (key := self.selected("parties")) is None:
            return
        if self.refuse(("parties", key, "status")):
            return
        party = self.state.registry.parties[key]
        options = [(t(f"status.{s}"), s) for s in STATUSES]
        self.choose(
            t("ui.status_title", name=party.name),
            t("col.status"),
            options,
            party.status,
            lambda d, v: edits.set_status(d, key, v),
        )

    def action_coordinator(self) -> None:
        """Change the coordinator of the region under the cursor (or of the party's region)."""
        if self.state is None:
            return
        registry = self.state.registry
        if self.focused_table() == "regions":
            region_id = self.selected("regions")
        else:
            key = self.selected("parties")
            region_id = registry.parties[key].region if key else None
        region = registry.regions.get(region_id or "")
        if region is None or self.refuse(("regions", region.id, "coordinator")):
            return
        # Every member, whatever its status: whether it may coordinate is the rules' to say
        # (`ref_not_party`, under the choice), not a filter copied here.
        options = [(party_label(p), p.id) for p in registry.members(region.id)]
        self.choose(
            t("ui.coordinator_title", region=region.name),
            t("col.coordinator"),
            options,
            region.coordinator,
            lambda d, v: edits.set_coordinator(d, region.id, v),
        )
