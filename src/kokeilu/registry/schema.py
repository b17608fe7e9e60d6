"""From the parsed TOML data to the registry's types, with a finding for every field that is wrong.

Loading never stops at the first problem and never guesses: a field of the wrong type is reported
and left empty, so that every finding of a file is reported at once and nothing is "fixed".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kokeilu.registry.diagnostics import Diagnostic, error, warning
from kokeilu.registry.limits import MAX_CASELOAD
from kokeilu.registry.model import (
    ACCESS,
    BODIES,
    DEFAULT_LANGUAGE,
    ID_RE,
    IN_FORCE_RULES,
    KINDS,
    LANGUAGES,
    LOGIN_RE,
    OUTCOMES,
    PERIOD_RE,
    ROLES,
    SCHEMA_VERSION,
    STATUSES,
    Agreement,
    Decision,
    KeyPath,
    Party,
    Person,
    Region,
    Registry,
    Resource,
    Service,
    ServiceAgreement,
    TypArea,
)
from kokeilu.text.display import number
from kokeilu.text.strings import t

# The agreement's prose fields: text of the letter, shown as written.
AGREEMENT_TEXTS = (
    "government",
    "pilot_start",
    "parties_note",
    "purpose",
    "background",
    "aim",
    "application",
    "coordination",
    "operations",
    "costs",
    "resource_rule",
    "cooperation",
    "signatures",
    "attachments",
)


@dataclass(frozen=True, slots=True)
class Field:
    """What one key of a table must hold."""

    kind: str  # text | id | ids | choice | choices | date | bool | int | number
    required: bool = False
    choices: tuple[str, ...] = ()


def _text(required: bool = False) -> Field:
    return Field("text", required)


def _id(required: bool = False) -> Field:
    return Field("id", required)


def _choice(choices: tuple[str, ...], required: bool = False) -> Field:
    return Field("choice", required, choices)


class Spec(dict[str, Field]):
    """The fields of one kind of table, with its required keys listed once, not once per table."""

    def __init__(self, fields: Mapping[str, Field]) -> None:
        super().__init__(fields)
        self.required = tuple(key for key, rule in fields.items() if rule.required)


TOP_LEVEL = Spec(
    {
        "schema": Field("int", True),
        "example_figures": Field("bool"),
        "language": _choice(LANGUAGES),
        "agreement": Field("table", True),
        "regions": Field("table", True),
        "typ_areas": Field("table"),
        "parties": Field("table", True),
        "services": Field("table"),
        "service_agreements": Field("array"),
        "resources": Field("table"),
        "caseloads": Field("table"),
        "people": Field("table"),
    }
)
AGREEMENT = Spec(
    {
        "title": _text(True),
        "area": _text(),
        "applicant": _id(True),
        "administrator": _id(True),
        "national_contact": _id(),
        "ministry": _text(),
        "ministry_letter": Field("date", True),
        "entry_into_force": _choice(IN_FORCE_RULES),
    }
    | {name: _text() for name in AGREEMENT_TEXTS}
)
REGION = Spec({"name": _text(True), "coordinator": _id(True), "typ_area": _id(), "role": _text()})
TYP_AREA = Spec({"name": _text(True)})
PARTY = Spec(
    {
        "name": _text(True),
        "kind": _choice(KINDS, True),
        "body": _choice(BODIES, True),
        "region": _id(True),
        "typ_area": _id(),
        "status": _choice(STATUSES, True),
        "note": _text(),
        "decision": Field("table"),
    }
)
DECISION = Spec(
    {
        "outcome": _choice(OUTCOMES, True),
        "body": _choice(BODIES),
        "date": Field("date"),
        "minutes": _text(),
        "case": _text(),
        "attachment": _text(),
        "note": _text(),
    }
)
SERVICE = Spec({"name": _text(True)})
SERVICE_AGREEMENT = Spec(
    {
        "service": _id(True),
        "provider": _id(True),
        "recipients": Field("ids", True),
        "start": Field("date"),
        "end": Field("date"),
        "note": _text(),
    }
)
RESOURCE = Spec(
    {
        "name": _text(True),
        "unit": _text(True),
        "step": Field("number", True),
        "total": Field("number", True),
        "note": _text(),
    }
)
PERSON = Spec(
    {
        "name": _text(True),
        "organisation": _text(),
        "email": Field("text"),
        "roles": Field("choices", False, ROLES),
        "placeholder": Field("bool"),
        "party": _id(),
        "access": _choice(ACCESS),
        # Replaced by `access`: still known, so that the warning can say what to write instead.
        "may_edit": Field("bool"),
    }
)
_EXPECTED = {
    "text": "type.text",
    "id": "type.id",
    "ids": "type.ids",
    "choice": "type.text",
    "choices": "type.list",
    "date": "type.date",
    "bool": "type.bool",
    "int": "type.int",
    "number": "type.number",
    "table": "type.table",
    "array": "type.array_of_tables",
}


def toml_type(value: Any) -> str:
    """The TOML name of a parsed value's type, for messages."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, Decimal | float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dt.datetime):
        return "date-time"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, dt.time):
        return "time"
    if isinstance(value, list):
        return "array"
    return "table"


def _is_kind(value: Any, spec: Field) -> bool:
    kind = spec.kind
    if kind in ("text", "choice"):
        return isinstance(value, str)
    if kind == "id":
        return isinstance(value, str) and ID_RE.match(value) is not None
    if kind == "ids":
        return isinstance(value, list) and all(isinstance(v, str) and ID_RE.match(v) for v in value)
    if kind == "choices":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "date":
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | Decimal) and not isinstance(value, bool)
    if kind == "table":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    raise ValueError(kind)


def dotted(path: KeyPath) -> str:
    """A path as a TOML dotted key, quoting what is not a bare key: `caseloads."2020-01".kuopio`."""
    parts = []
    for part in path:
        if isinstance(part, int):
            parts[-1] = f"{parts[-1]}[{part}]"
        elif part and all(c.isascii() and (c.isalnum() or c in "_-") for c in part):
            parts.append(part)
        else:
            parts.append('"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return ".".join(parts)


class _Builder:
    """Reads tables field by field, collecting findings."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def fields(self, raw: Mapping[str, Any], path: KeyPath, spec: Spec) -> dict[str, Any]:
        """The table's known fields, checked; a wrong one is reported and read as None."""
        out: dict[str, Any] = {}
        for key, value in raw.items():
            rule = spec.get(key)
            if rule is None:
                self.diagnostics.append(
                    warning(
                        "unknown_key",
                        (*path, key),
                        hint="unknown_key",
                        key=key,
                        table=dotted(path) or t("type.top_level"),
                    )
                )
                continue
            if not _is_kind(value, rule):
                self._wrong_type((*path, key), value, rule)
                continue
            kind = rule.kind
            if kind == "choice" and value not in rule.choices:
                where = (*path, key)
                self.diagnostics.append(
                    error(
                        "bad_choice",
                        where,
                        at_value=True,
                        field=dotted(where),
                        value=value,
                        choices=", ".join(rule.choices),
                    )
                )
                continue
            if kind == "choices":
                bad = [v for v in value if v not in rule.choices]
                if bad:
                    where = (*path, key)
                    self.diagnostics.append(
                        error(
                            "bad_choice",
                            where,
                            at_value=True,
                            field=dotted(where),
                            value=bad[0],
                            choices=", ".join(rule.choices),
                        )
                    )
                    value = [v for v in value if v in rule.choices]
            if kind == "text" and rule.required and not value.strip():
                where = (*path, key)
                self.diagnostics.append(error("empty", where, at_value=True, field=dotted(where)))
            out[key] = value
        for key in spec.required:
            if key not in raw:
                self.diagnostics.append(
                    error(
                        "missing_field", path, table=dotted(path) or t("type.top_level"), field=key
                    )
                )
        return out

    def _wrong_type(self, where: KeyPath, value: Any, rule: Field) -> None:
        if rule.kind == "id" and isinstance(value, str):
            self.diagnostics.append(error("bad_id", where, at_value=True, hint="bad_id", id=value))
            return
        if rule.kind == "ids" and isinstance(value, list):
            bad = next(v for v in value if not (isinstance(v, str) and ID_RE.match(v)))
            self.diagnostics.append(
                error("bad_id", where, at_value=True, hint="bad_id", id=str(bad))
            )
            return
        self.diagnostics.append(
            error(
                "wrong_type",
                where,
                at_value=True,
                field=dotted(where),
                expected=t(_EXPECTED[rule.kind]),
                actual=toml_type(value),
            )
        )

    def keyed(
        self, raw: Mapping[str, Any], path: KeyPath, key_re: re.Pattern[str] = ID_RE
    ) -> dict[str, dict[str, Any]]:
        """The sub-tables of a table of entries keyed by id; bad ids and non-tables are reported."""
        out: dict[str, dict[str, Any]] = {}
        for key, value in raw.items():
            where = (*path, key)
            if not key_re.match(key):
                self.diagnostics.append(error("bad_id", where, hint="bad_id", id=key))
            elif not isinstance(value, dict):
                self.diagnostics.append(
                    error(
                        "wrong_type",
                        where,
                        at_value=True,
                        field=dotted(where),
                        expected=t("type.table"),
                        actual=toml_type(value),
                    )
                )
            else:
                out[key] = value
        return out

    def number(self, value: Any, where: KeyPath, *, positive: bool) -> Decimal | None:
        """A resource number as an exact decimal, checked against its range."""
        if value is None:
            return None
        number = Decimal(value)
        if not number.is_finite():
            self.diagnostics.append(
                error("not_finite", where, at_value=True, field=dotted(where), value=value)
            )
            return None
        if positive and number <= 0:
            self.diagnostics.append(
                error("not_positive", where, at_value=True, field=dotted(where), value=value)
            )
            return None
        if number < 0:
            self.diagnostics.append(
                error("negative", where, at_value=True, field=dotted(where), value=value)
            )
            return None
        return number


def build(data: Mapping[str, Any]) -> tuple[Registry, list[Diagnostic]]:
    """The registry in `data` (as parsed by tomllib with Decimal floats), and every finding about it."""
    b = _Builder()
    top = b.fields(data, (), TOP_LEVEL)
    schema = top.get("schema")
    if schema is not None and schema != SCHEMA_VERSION:
        code = "schema_newer" if schema > SCHEMA_VERSION else "schema_unknown"
        b.diagnostics.append(
            error(code, ("schema",), at_value=True, found=schema, known=SCHEMA_VERSION)
        )

    a = b.fields(top.get("agreement", {}), ("agreement",), AGREEMENT)
    agreement = Agreement(
        title=a.get("title", ""),
        applicant=a.get("applicant"),
        administrator=a.get("administrator"),
        ministry_letter=a.get("ministry_letter"),
        entry_into_force=a.get("entry_into_force", IN_FORCE_RULES[0]),
        area=a.get("area"),
        national_contact=a.get("national_contact"),
        ministry=a.get("ministry"),
        texts={k: a[k] for k in AGREEMENT_TEXTS if k in a},
    )

    regions = {}
    for rid, raw in b.keyed(top.get("regions", {}), ("regions",)).items():
        f = b.fields(raw, ("regions", rid), REGION)
        regions[rid] = Region(
            rid, f.get("name", rid), f.get("coordinator"), f.get("typ_area"), f.get("role")
        )

    typ_areas = {}
    for tid, raw in b.keyed(top.get("typ_areas", {}), ("typ_areas",)).items():
        f = b.fields(raw, ("typ_areas", tid), TYP_AREA)
        typ_areas[tid] = TypArea(tid, f.get("name", tid))

    parties = {}
    for pid, raw in b.keyed(top.get("parties", {}), ("parties",)).items():
        f = b.fields(raw, ("parties", pid), PARTY)
        # No decision table: the board has not decided yet.
        d = (
            b.fields(f["decision"], ("parties", pid, "decision"), DECISION)
            if "decision" in f
            else {}
        )
        decision = Decision(
            outcome=d.get("outcome", "pending"),
            body=d.get("body"),
            date=d.get("date"),
            minutes=d.get("minutes"),
            case=d.get("case"),
            attachment=d.get("attachment"),
            note=d.get("note"),
        )
        parties[pid] = Party(
            id=pid,
            name=f.get("name", pid),
            kind=f.get("kind"),
            body=f.get("body"),
            region=f.get("region"),
            typ_area=f.get("typ_area"),
            status=f.get("status", "party"),
            decision=decision,
            note=f.get("note"),
        )

    services = {}
    for sid, raw in b.keyed(top.get("services", {}), ("services",)).items():
        f = b.fields(raw, ("services", sid), SERVICE)
        services[sid] = Service(sid, f.get("name", sid))

    agreements = []
    for i, raw in enumerate(top.get("service_agreements", [])):
        f = b.fields(raw, ("service_agreements", i), SERVICE_AGREEMENT)
        agreements.append(
            ServiceAgreement(
                index=i,
                service=f.get("service"),
                provider=f.get("provider"),
                # None when absent or unreadable (already reported), () when empty.
                recipients=tuple(f["recipients"]) if "recipients" in f else None,
                start=f.get("start"),
                end=f.get("end"),
                note=f.get("note"),
            )
        )

    resources = {}
    for rid, raw in b.keyed(top.get("resources", {}), ("resources",)).items():
        path = ("resources", rid)
        f = b.fields(raw, path, RESOURCE)
        step = b.number(f.get("step"), (*path, "step"), positive=True)
        total = b.number(f.get("total"), (*path, "total"), positive=False)
        if step is not None and total is not None:
            resources[rid] = Resource(
                rid, f.get("name", rid), f.get("unit", ""), step, total, f.get("note")
            )

    too_large: dict[str, tuple[str, ...]] = {}
    caseloads = _caseloads(b, top.get("caseloads", {}), too_large)

    people = {}
    for login, raw in b.keyed(top.get("people", {}), ("people",), LOGIN_RE).items():
        f = b.fields(raw, ("people", login), PERSON)
        people[login] = Person(
            id=login,
            name=f.get("name", login),
            organisation=f.get("organisation"),
            email=f.get("email"),
            roles=tuple(f.get("roles", ())),
            placeholder=f.get("placeholder", False),
            party=f.get("party"),
            # An access written wrong is an error, and grants nothing: it still closes the registry.
            access=f.get("access", "read") if "access" in raw else None,
        )
        if "may_edit" in raw:
            b.diagnostics.append(
                warning("may_edit_replaced", ("people", login, "may_edit"), login=login)
            )

    registry = Registry(
        schema=schema if schema is not None else SCHEMA_VERSION,
        example_figures=top.get("example_figures", False),
        agreement=agreement,
        regions=regions,
        typ_areas=typ_areas,
        parties=parties,
        services=services,
        service_agreements=tuple(agreements),
        resources=resources,
        caseloads=caseloads,
        people=people,
        too_large=too_large,
        language=top.get("language") or DEFAULT_LANGUAGE,
    )
    return registry, b.diagnostics


def _caseloads(
    b: _Builder, raw: Mapping[str, Any], too_large: dict[str, tuple[str, ...]]
) -> dict[str, dict[str, int]]:
    """The valid counts by period; the parties whose count is above the limit go to `too_large`."""
    out: dict[str, dict[str, int]] = {}
    for period, table in raw.items():
        path = ("caseloads", period)
        if not PERIOD_RE.match(period):
            b.diagnostics.append(error("bad_period", path, hint="bad_period", period=period))
            continue
        if not isinstance(table, dict):
            b.diagnostics.append(
                error(
                    "wrong_type",
                    path,
                    at_value=True,
                    field=dotted(path),
                    expected=t("type.table"),
                    actual=toml_type(table),
                )
            )
            continue
        values = table.values()
        if (
            set(map(type, values)) <= {int}
            and min(values, default=0) >= 0
            and max(values, default=0) <= MAX_CASELOAD
        ):
            out[period] = dict(table)  # every count a whole number, none negative: the usual case
            continue
        counts: dict[str, int] = {}
        for party, count in table.items():
            where = (*path, party)
            if isinstance(count, bool) or not isinstance(count, int):
                b.diagnostics.append(
                    error(
                        "caseload_type",
                        where,
                        at_value=True,
                        party=party,
                        period=period,
                        actual=toml_type(count),
                    )
                )
            elif count < 0:
                b.diagnostics.append(
                    error(
                        "caseload_negative",
                        where,
                        at_value=True,
                        party=party,
                        period=period,
                        value=count,
                    )
                )
            elif count > MAX_CASELOAD:
                b.diagnostics.append(
                    error(
                        "caseload_too_large",
                        where,
                        at_value=True,
                        party=party,
                        period=period,
                        maximum=number(MAX_CASELOAD),
                    )
                )
                too_large[period] = (*too_large.get(period, ()), party)
            else:
                counts[party] = count
        out[period] = counts
    return out
