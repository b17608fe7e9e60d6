"""The Responsibilities view's two big forms: a municipality, and a service agreement."""

from __future__ import annotations

from typing import Any

from kokeilu.editing import edits
from kokeilu.registry.model import BODIES, ID_RE, KINDS, STATUSES
from kokeilu.registry.values import Invalid, parse_date, parse_id
from kokeilu.text.display import date
from kokeilu.text.strings import t
from kokeilu.tui.messages import EditRequested
from kokeilu.tui.screens.form import STAND_IN, FormField, FormScreen
from kokeilu.tui.views.base import View


class ResponsibilitiesForms(View):
    """The forms of `ResponsibilitiesView` (a base class: the view is the one shown)."""

    def party_form(self, party_id: str | None) -> None:
        assert self.state is not None
        if self.refuse(("parties", party_id, "name") if party_id else ("parties",)):
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
            if self.data is None:
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
            return edits.put_entry(self.data, "parties", key, fields)

        def done(values: dict[str, Any]) -> EditRequested | None:
            edit = draft(values)
            return EditRequested((edit,)) if edit is not None else None

        title = t("ui.party_title", name=party.name) if party else t("ui.party_new")
        self.open_form(FormScreen(title, fields, check, draft=draft, judge=self.judge), done)

    def agreement_form(self, index: int | None) -> None:
        assert self.state is not None
        if self.refuse(("service_agreements",)):
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
            if self.data is None:
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
            if index is None:  # no recipients stay `[]`: the rules say it needs one
                fields = {k: v for k, v in fields.items() if v not in (None, "")}
            return edits.put_service_agreement(self.data, index, fields)

        def done(values: dict[str, Any]) -> EditRequested | None:
            edit = draft(values)
            return EditRequested((edit,)) if edit is not None else None

        title = t("ui.agreement_title") if sa else t("ui.agreement_new")
        self.open_form(FormScreen(title, fields, check, draft=draft, judge=self.judge), done)
