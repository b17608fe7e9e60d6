"""Responsibilities: the coordination regions, each municipality's region and TYP area, and
the service agreements between municipalities. Tab moves between the three tables; the keys act
on the table that has the focus.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from kokeilu.editing import edits
from kokeilu.registry.model import BODIES, ID_RE, KINDS, STATUSES, KeyPath
from kokeilu.registry.values import Invalid, parse_date, parse_id
from kokeilu.text.display import date, literal
from kokeilu.text.strings import t
from kokeilu.tui.screens.form import STAND_IN, ConfirmScreen, FormField, FormScreen
from kokeilu.tui.views.base import View
from kokeilu.tui.widgets.table import RegistryTable, Row


class ResponsibilitiesView(View):
    """Who coordinates which region, who belongs where, who produces services for whom."""

    view_id = "responsibilities"

    def compose(self) -> ComposeResult:
        yield Static(Text(t("ui.regions_heading"), style="bold"), classes="heading")
        yield RegistryTable(
            [
                ("name", t("col.region")),
                ("coordinator", t("col.coordinator")),
                ("typ", t("col.typ_area")),
                ("members", t("col.members")),
            ],
            id="regions-table",
        )
        yield Static(Text(t("ui.parties_heading"), style="bold"), classes="heading")
        yield RegistryTable(
            [
                ("name", t("col.name")),
                ("status", t("col.status")),
                ("region", t("col.region")),
                ("typ", t("col.typ_area")),
                ("flag", t("col.note")),
            ],
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
            id="agreements-table",
        )

    def table(self, name: str) -> RegistryTable:
        """One of the three tables: regions, parties or agreements."""
        return self.query_one(f"#{name}-table", RegistryTable)

    def focus_main(self) -> None:
        if not any(table.has_focus for table in self.query(RegistryTable)):
            self.table("parties").focus()

    def _focused(self) -> str:
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

    def _data(self) -> Any:
        doc = self.kapp.session.document
        return doc.data if doc is not None else None

    def _selected(self, table: str) -> str | None:
        return self.table(table).current_key

    def action_edit(self) -> None:
        """Edit what is under the cursor: a region's coordinator, a party, a service agreement."""
        focused = self._focused()
        if focused == "regions":
            self.action_coordinator()
        elif focused == "agreements":
            key = self._selected("agreements")
            if key is not None:
                self._agreement_form(int(key))
        elif (key := self._selected("parties")) is not None:
            self._party_form(key)

    def action_add(self) -> None:
        """Add a party, or a service agreement when that table has the focus."""
        if self._focused() == "agreements":
            self._agreement_form(None)
        else:
            self._party_form(None)

    def action_remove(self) -> None:
        """Remove the service agreement under the cursor, after asking."""
        if self._focused() != "agreements":
            self.notify(t("ui.remove_party_hint"), severity="warning")
            return
        key = self._selected("agreements")
        if key is None or self.state is None:
            return
        if self.kapp.refuse(("service_agreements",)):
            return
        sa = self.state.registry.service_agreements[int(key)]
        provider = self.state.registry.display_name(sa.provider or "")

        def answer(yes: bool | None) -> None:
            if yes and self._data() is not None:
                self.kapp.save(edits.put_service_agreement(self._data(), int(key), None))

        self.app.push_screen(
            ConfirmScreen(t("ui.confirm_remove_agreement", provider=literal(provider))), answer
        )

    def _choose(
        self, title: str, label: str, options: list[tuple[str, str]], value: str | None, then: Any
    ) -> None:
        def check(values: dict[str, Any]) -> dict[str, str]:
            return {} if values["choice"] else {"choice": t("valid.required")}

        def done(values: dict[str, Any] | None) -> None:
            if values is not None and self._data() is not None:
                self.kapp.save(then(self._data(), values["choice"]))

        self.app.push_screen(
            FormScreen(title, [FormField("choice", label, "list", value, options)], check), done
        )

    def action_move(self) -> None:
        """Move the party under the cursor to another region."""
        if self.state is None or (key := self._selected("parties")) is None:
            return
        if self.kapp.refuse(("parties", key, "region")):
            return
        party = self.state.registry.parties[key]
        options = [(r.name, r.id) for r in self.state.registry.regions.values()]
        self._choose(
            t("ui.move_title", name=party.name),
            t("col.region"),
            options,
            party.region,
            lambda d, v: edits.move_party(d, key, v),
        )

    def action_status(self) -> None:
        """Make the municipality under the cursor a party, a candidate, or withdrawn."""
        if self.state is None or (key := self._selected("parties")) is None:
            return
        if self.kapp.refuse(("parties", key, "status")):
            return
        party = self.state.registry.parties[key]
        options = [(t(f"status.{s}"), s) for s in STATUSES]
        self._choose(
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
        if self._focused() == "regions":
            region_id = self._selected("regions")
        else:
            key = self._selected("parties")
            region_id = registry.parties[key].region if key else None
        region = registry.regions.get(region_id or "")
        if region is None or self.kapp.refuse(("regions", region.id, "coordinator")):
            return
        options = [(p.name, p.id) for p in registry.members(region.id) if p.status == "party"]
        self._choose(
            t("ui.coordinator_title", region=region.name),
            t("col.coordinator"),
            options,
            region.coordinator,
            lambda d, v: edits.set_coordinator(d, region.id, v),
        )

    def _party_form(self, party_id: str | None) -> None:
        assert self.state is not None
        if self.kapp.refuse(("parties", party_id, "name") if party_id else ("parties",)):
            return
        registry = self.state.registry
        party = registry.parties.get(party_id or "")

        def check(values: dict[str, Any]) -> dict[str, str]:
            problems = {}
            if party is None:
                try:
                    new = parse_id(values["id"])
                    if new in registry.parties:
                        problems["id"] = t("valid.exists", value=new)
                except Invalid as exc:
                    problems["id"] = str(exc)
            return problems

        fields = [] if party else [FormField("id", t("col.id"), placeholder="tuusniemi")]
        fields += [
            FormField("name", t("col.name"), value=party.name if party else ""),
            FormField(
                "kind",
                t("col.kind"),
                "select",
                party.kind if party else None,
                [(k, k) for k in KINDS],
            ),
            FormField(
                "body",
                t("col.body"),
                "select",
                party.body if party else None,
                [(b, b) for b in BODIES],
            ),
            FormField(
                "region",
                t("col.region"),
                "select",
                party.region if party else None,
                [(r.name, r.id) for r in registry.regions.values()],
            ),
            FormField(
                "typ_area",
                t("col.typ_area"),
                "select",
                party.typ_area if party else None,
                [(a.name, a.id) for a in registry.typ_areas.values()],
            ),
            FormField(
                "status",
                t("col.status"),
                "select",
                party.status if party else "candidate",
                [(t(f"status.{s}"), s) for s in STATUSES],
            ),
        ]

        def draft(values: dict[str, Any]) -> edits.Edit | None:
            if self._data() is None:
                return None
            # While the new id does not parse or is taken, the rest is judged under a stand-in.
            key = party_id or values["id"].strip()
            if party_id is None and (not ID_RE.match(key) or key in registry.parties):
                key = STAND_IN
            fields = {
                k: values[k] for k in ("name", "kind", "body", "region", "typ_area", "status")
            }
            fields["name"] = fields["name"].strip()
            if party is None:
                fields = {k: v for k, v in fields.items() if v}
                fields["decision"] = {"outcome": "pending"}
            return edits.put_entry(self._data(), "parties", key, fields)

        def done(values: dict[str, Any] | None) -> None:
            if values is not None and (edit := draft(values)) is not None:
                self.kapp.save(edit)

        title = t("ui.party_title", name=party.name) if party else t("ui.party_new")
        self.app.push_screen(FormScreen(title, fields, check, draft=draft, judge=self.judge), done)

    def _agreement_form(self, index: int | None) -> None:
        assert self.state is not None
        if self.kapp.refuse(("service_agreements",)):
            return
        registry = self.state.registry
        sa = registry.service_agreements[index] if index is not None else None
        parties = [(p.name, p.id) for p in registry.parties.values() if p.status == "party"]

        def check(values: dict[str, Any]) -> dict[str, str]:
            problems = {}
            for key in ("start", "end"):
                try:
                    parse_date(values[key])
                except Invalid as exc:
                    problems[key] = str(exc)
            return problems

        fields = [
            FormField(
                "service",
                t("col.service"),
                "select",
                sa.service if sa else None,
                [(s.name, s.id) for s in registry.services.values()],
            ),
            FormField(
                "provider", t("col.provider"), "select", sa.provider if sa else None, parties
            ),
            FormField(
                "recipients",
                t("col.recipients"),
                "multi",
                list(sa.recipients or ()) if sa else [],
                parties,
            ),
            FormField(
                "start", t("col.start"), value=date(sa.start) if sa else "", placeholder="1.3.2021"
            ),
            FormField("end", t("col.end"), value=date(sa.end) if sa else "", placeholder=""),
            FormField("note", t("col.note"), value=(sa.note or "") if sa else ""),
        ]

        def draft(values: dict[str, Any]) -> edits.Edit | None:
            if self._data() is None:
                return None
            order = [p for _, p in parties]
            fields = {
                "service": values["service"],
                "provider": values["provider"],
                "recipients": sorted(values["recipients"], key=order.index),
                "start": parse_date(values["start"]),
                "end": parse_date(values["end"]),
                "note": values["note"].strip(),
            }
            if index is None:
                fields = {k: v for k, v in fields.items() if v not in (None, "", [])}
            return edits.put_service_agreement(self._data(), index, fields)

        def done(values: dict[str, Any] | None) -> None:
            if values is not None and (edit := draft(values)) is not None:
                self.kapp.save(edit)

        title = t("ui.agreement_title") if sa else t("ui.agreement_new")
        self.app.push_screen(FormScreen(title, fields, check, draft=draft, judge=self.judge), done)
