"""Approvals: a row per municipality with its board's decision; Enter records a decision.

At 80 columns the table holds who, what, when, the minutes § and the case number; the region,
body, attachment and notes of the row under the cursor are written out in full below it, so
that no region name or case number is cut.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from kokeilu.editing import edits
from kokeilu.registry.model import BODIES, OUTCOMES, KeyPath
from kokeilu.registry.values import Invalid, parse_date
from kokeilu.text.display import date, literal
from kokeilu.text.strings import t
from kokeilu.tui.messages import EditRequested
from kokeilu.tui.screens.form import FormField, FormScreen
from kokeilu.tui.views.base import View, party_label, read_only_label
from kokeilu.tui.widgets.filter import FilterInput
from kokeilu.tui.widgets.table import RegistryTable, Row

COLUMNS = [
    ("name", "col.name"),
    ("outcome", "col.outcome"),
    ("date", "col.date"),
    ("minutes", "col.minutes_short"),
    ("case", "col.case"),
]


class ApprovalsView(View):
    """Who has approved the letter, when, and with what minutes."""

    view_id = "approvals"
    TABLES = ("parties",)

    def compose(self) -> ComposeResult:
        yield FilterInput(id="approvals-filter")
        yield RegistryTable([(key, t(label)) for key, label in COLUMNS], id="approvals-table")
        yield Static(id="approvals-detail")

    @property
    def table(self) -> RegistryTable:
        """The decisions table."""
        return self.query_one(RegistryTable)

    def refresh_view(self) -> None:
        assert self.state is not None
        registry = self.state.registry
        mine = self.editable_parties()
        rows = []
        for party in registry.parties.values():
            d = party.decision
            region = registry.regions.get(party.region or "")
            name = read_only_label(party_label(party), not mine(party.id))
            rows.append(
                Row(
                    party.id,
                    (
                        name,
                        t(f"outcome.{d.outcome}"),
                        date(d.date),
                        d.minutes or "",
                        d.case or "",
                    ),
                    sort_keys=(
                        party.name,
                        d.outcome,
                        d.date.isoformat() if d.date else None,
                        d.minutes,
                        d.case,
                    ),
                    # Found by the filter, shown below the table for the row under the cursor.
                    also=(
                        region.name if region else (party.region or ""),
                        d.body or "",
                        d.attachment or "",
                        d.note or "",
                        party.note or "",
                    ),
                    style="green"
                    if d.outcome == "approved"
                    else (
                        "red"
                        if d.outcome == "rejected"
                        else ("dim" if party.status != "party" else "")
                    ),
                )
            )
        self.table.set_rows(rows)
        self.show_detail()

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        """The row under the cursor in full: region, body, attachment, notes (literal)."""
        detail = Text()
        key = self.table.current_key
        if self.state is not None and key is not None and key in self.state.registry.parties:
            registry = self.state.registry
            party = registry.parties[key]
            d = party.decision
            region = registry.regions.get(party.region or "")
            # Its region and body on the name's line; what is longer, labelled, below.
            where = [region.name if region else (party.region or ""), d.body or ""]
            detail.append(literal(party.name), style="bold")
            for value in where:
                if value:
                    detail.append(f" · {literal(value)}")
            fields = [
                (t("col.attachment"), d.attachment or ""),
                (t("col.note"), d.note or ""),
                (t("col.note"), party.note or ""),
            ]
            for label, value in fields:
                if value:
                    detail.append(f"\n{label}: ", style="bold")
                    detail.append(literal(value))
        self.query_one("#approvals-detail", Static).update(detail)

    def activate(self) -> None:
        self.action_edit()

    def action_sort(self) -> None:
        """Sort by the column under the cursor; again reverses."""
        self.table.sort_by(self.table.cursor_column)

    def go_to(self, path: KeyPath) -> bool:
        if len(path) >= 2 and path[0] == "parties":
            return self.table.go_to(str(path[1]))
        return False

    def action_edit(self) -> None:
        """Open the decision form on the party under the cursor."""
        if self.leave_filter():
            return
        if self.state is None or (key := self.table.current_key) is None:
            return
        self.edit_decision(key)

    def edit_decision(self, party_id: str) -> None:
        """The decision form for one party; saving records the decision."""
        assert self.state is not None
        if self.refuse(("parties", party_id, "decision")):
            return
        registry = self.state.registry
        party = registry.parties[party_id]
        d = party.decision

        def check(values: dict[str, Any]) -> dict[str, str]:
            try:
                parse_date(values["date"])
            except Invalid as exc:
                return {"date": str(exc)}
            return {}

        def draft(values: dict[str, Any]) -> edits.Edit | None:
            if self.data is None:
                return None
            return edits.record_decision(
                self.data,
                party_id,
                outcome=values["outcome"] or "pending",
                body=values["body"],
                date=parse_date(values["date"]),
                minutes=values["minutes"].strip(),
                case=values["case"].strip(),
                attachment=values["attachment"].strip(),
            )

        fields = [
            FormField(
                "outcome",
                t("col.outcome"),
                "select",
                d.outcome,
                [(t(f"outcome.{o}"), o) for o in OUTCOMES],
            ),
            FormField(
                "body", t("col.body"), "select", d.body or party.body, [(b, b) for b in BODIES]
            ),
            FormField("date", t("col.date"), value=date(d.date), placeholder="18.11.2019"),
            FormField("minutes", t("col.minutes"), value=d.minutes or "", placeholder="§ 301"),
            FormField("case", t("col.case"), value=d.case or "", placeholder="1234/00.00.00/2019"),
            FormField("attachment", t("col.attachment"), value=d.attachment or ""),
        ]

        def done(values: dict[str, Any]) -> EditRequested | None:
            edit = draft(values)
            return EditRequested((edit,)) if edit is not None else None

        title = t("ui.decision_title", name=party.name)
        self.open_form(FormScreen(title, fields, check, draft=draft, judge=self.judge), done)
