"""From the parsed TOML data to the registry's types, with a finding for every field that is wrong.

Loading never stops at the first problem and never guesses: a field of the wrong type is reported
and left empty, so that every finding of a file is reported at once and nothing is "fixed".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from kokeilu.registry.diagnostics import Diagnostic, error, warning
from kokeilu.registry.keys import dotted
from kokeilu.registry.limits import MAX_CASELOAD
from kokeilu.registry.model import (
    DEFAULT_LANGUAGE,
    IN_FORCE_RULES,
    LANGUAGES,
    LOGIN_RE,
    PERIOD_RE,
    SCHEMA_VERSION,
    Agreement,
    Decision,
    Party,
    Person,
    Region,
    Registry,
    Resource,
    Service,
    ServiceAgreement,
    TypArea,
)
from kokeilu.registry.spec import (
    AGREEMENT,
    AGREEMENT_TEXTS,
    DECISION,
    PARTY,
    PERSON,
    REGION,
    RESOURCE,
    SERVICE,
    SERVICE_AGREEMENT,
    TOP_LEVEL,
    TYP_AREA,
)
from kokeilu.registry.tables import TableReader, toml_type
from kokeilu.text.display import number
from kokeilu.text.strings import t

__all__ = ["AGREEMENT_TEXTS", "build", "dotted", "toml_type"]


def build(data: Mapping[str, Any]) -> tuple[Registry, list[Diagnostic]]:
    """The registry in `data` (as parsed by tomllib with Decimal floats), and every finding about it."""
    b = TableReader()
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
        application_deadline=a.get("application_deadline"),
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
            phone=f.get("phone"),
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

    language = top.get("language")
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
        language=language
        if isinstance(language, str) and language in LANGUAGES
        else DEFAULT_LANGUAGE,
    )
    return registry, b.diagnostics


def with_periods(
    registry: Registry,
    diagnostics: list[Diagnostic],
    data: Mapping[str, Any],
    periods: tuple[str, ...],
) -> tuple[Registry, list[Diagnostic]] | None:
    """`build(data)` when `data` differs from what `registry` was built from only in the
    caseload tables of `periods`; None when a full build is needed.

    Each period's table is built on its own (`_caseloads`), so only those are built again. When
    one of them has or gets a finding, the whole registry must be built again, so that findings
    keep their order (and `too_large` its entries).
    """
    part, found = build({"caseloads": {p: data["caseloads"][p] for p in periods}})
    touched = {("caseloads", p) for p in periods}
    if any(d.path[:2] in touched for d in (*found, *diagnostics)):
        return None
    return replace(registry, caseloads=registry.caseloads | part.caseloads), list(diagnostics)


def _caseloads(
    b: TableReader, raw: Mapping[str, Any], too_large: dict[str, tuple[str, ...]]
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
