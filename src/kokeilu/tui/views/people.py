"""People: the distribution (jakelu), for-information (tiedoksi) and project group lists."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Static

from kokeilu.editing import edits
from kokeilu.registry.model import ACCESS, LOGIN_RE, ROLES, KeyPath
from kokeilu.registry.values import Invalid, parse_id
from kokeilu.text.display import literal
from kokeilu.text.strings import t
from kokeilu.tui.messages import EditRequested
from kokeilu.tui.screens.form import STAND_IN, ConfirmScreen, FormField, FormScreen
from kokeilu.tui.views.base import View
from kokeilu.tui.widgets.filter import FilterInput
from kokeilu.tui.widgets.table import RegistryTable, Row


class PeopleView(View):
    """Who receives the letter, who is informed, and who sits in the project group."""

    view_id = "people"
    TABLES = ("people",)

    def compose(self) -> ComposeResult:
        yield FilterInput(id="people-filter")
        yield RegistryTable(
            [
                ("login", t("col.login")),
                ("name", t("col.name")),
                ("organisation", t("col.organisation")),
                ("roles", t("col.roles")),
                ("access", t("col.access")),
                ("email", t("col.email")),
            ],
            # At 80 columns: name, organisation and lists in the table (the lists wrapped);
            # the login, the rights and the e-mail of the person under the cursor below it.
            flex="roles",
            wrap=True,
            drop=("access", "login", "email"),
            id="people-table",
        )
        yield Static(id="people-detail", classes="row-detail")

    def on_mount(self) -> None:
        self.table.detail = self.query_one("#people-detail", Static)

    @property
    def table(self) -> RegistryTable:
        """The people table."""
        return self.query_one(RegistryTable)

    def refresh_view(self) -> None:
        assert self.state is not None
        registry = self.state.registry
        rows = []
        for person in registry.people.values():
            roles = ", ".join(t(f"role.{r}") for r in person.roles)
            name = t("ui.placeholder", name=person.name) if person.placeholder else person.name
            access = ""
            if person.access is not None:
                party = registry.display_name(person.party) if person.party else "?"
                access = t(f"access.shown.{person.access}", name=party)
            rows.append(
                Row(
                    person.id,
                    (person.id, name, person.organisation or "", roles, access, person.email or ""),
                    style="dim" if person.placeholder else "",
                )
            )
        self.table.set_rows(rows)

    def activate(self) -> None:
        self.action_edit()

    def go_to(self, path: KeyPath) -> bool:
        return len(path) >= 2 and path[0] == "people" and self.table.go_to(str(path[1]))

    def action_add(self) -> None:
        """Add a person."""
        self.person_form(None)

    def action_edit(self) -> None:
        """Edit the person under the cursor."""
        if self.leave_filter():
            return
        if (key := self.table.current_key) is not None:
            self.person_form(key)

    def action_remove(self) -> None:
        """Remove the person under the cursor, after asking."""
        if self.state is None or (key := self.table.current_key) is None:
            return
        if self.refuse(("people", key)):
            return
        person = self.state.registry.people[key]

        def answer(yes: bool | None) -> None:
            if yes and self.data is not None:
                self.save(edits.put_entry(self.data, "people", key, None))

        self.app.push_screen(
            ConfirmScreen(t("ui.confirm_remove", name=literal(person.name))), answer
        )

    def person_form(self, login: str | None) -> None:
        assert self.state is not None
        if self.refuse(("people", login) if login else ("people",)):
            return
        people = self.state.registry.people
        parties = list(self.state.registry.parties.values())
        person = people.get(login or "")

        def check(values: dict[str, Any]) -> dict[str, str]:
            problems = {}
            if login is None:
                try:
                    new = parse_id(values["login"], login=True)
                    if new in people:
                        problems["login"] = t("valid.exists", value=new)
                except Invalid as exc:
                    problems["login"] = str(exc)
            return problems

        fields = []
        if login is None:
            fields.append(FormField("login", t("col.login"), placeholder="maija.meikalainen"))
        fields += [
            FormField("name", t("col.name"), value=person.name if person else ""),
            FormField(
                "organisation",
                t("col.organisation"),
                value=(person.organisation or "") if person else "",
            ),
            FormField("email", t("col.email"), value=(person.email or "") if person else ""),
            FormField("phone", t("col.phone"), value=(person.phone or "") if person else ""),
            FormField(
                "roles",
                t("col.roles"),
                "multi",
                list(person.roles) if person else [],
                [(t(f"role.{r}"), r) for r in ROLES],
            ),
            # Only an administrator gets this far in a closed registry (people are theirs).
            FormField(
                "party",
                t("col.party_of_person"),
                "select",
                (person.party or "") if person else "",
                [(t("ui.not_set"), "")] + [(p.name, p.id) for p in parties],
            ),
            FormField(
                "access",
                t("col.access"),
                "select",
                (person.access or "") if person else "",
                [(t("ui.not_set"), "")] + [(t(f"access.{a}"), a) for a in ACCESS],
            ),
        ]

        def draft(values: dict[str, Any]) -> edits.Edit | None:
            if self.data is None:
                return None
            # While the new login does not parse or is taken, the rest is judged under a stand-in.
            key = login or values["login"].strip()
            if login is None and (not LOGIN_RE.match(key) or key in people):
                key = STAND_IN
            fields = {
                "name": values["name"].strip(),
                "organisation": values["organisation"].strip(),
                "email": values["email"].strip(),
                "phone": values["phone"].strip(),
                "roles": [r for r in ROLES if r in values["roles"]],
                "party": values["party"] or "",
                "access": values["access"] or "",
            }
            if person is not None and person.placeholder and fields["name"] != person.name:
                fields["placeholder"] = None
            if login is None:
                fields = {k: v for k, v in fields.items() if v not in ("", [], None)}
            return edits.put_entry(self.data, "people", key, fields)

        def done(values: dict[str, Any]) -> EditRequested | None:
            edit = draft(values)
            return EditRequested((edit,)) if edit is not None else None

        title = t("ui.person_title", name=person.name) if person else t("ui.person_new")
        self.open_form(FormScreen(title, fields, check, draft=draft, judge=self.judge), done)
