"""The rules of the letter of intent, as pure functions of a registry.

No I/O here, and no clock: the caller says what day it is. Findings carry registry paths; turning
them into file positions is the report's job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kokeilu.registry import limits
from kokeilu.registry.diagnostics import Diagnostic, error, warning
from kokeilu.registry.load import Document
from kokeilu.registry.model import Party, Registry
from kokeilu.text.display import number
from kokeilu.text.strings import t


@dataclass(frozen=True, slots=True)
class RegionSummary:
    """A coordination region as the status report shows it."""

    id: str
    name: str
    coordinator: str | None
    members: tuple[str, ...]
    parties: int
    approved: int


@dataclass(frozen=True, slots=True)
class AgreementStatus:
    """Whether the letter is in force, who is still missing, and who goes into the application."""

    in_force: bool
    in_force_since: dt.date | None
    # (party id, outcome) for each party (status `party`) without an approved decision, by id.
    missing: tuple[tuple[str, str], ...]
    # Parties (status `party`) with an approved decision, by id: the application's list.
    application: tuple[str, ...]
    regions: tuple[RegionSummary, ...]


def agreement_status(registry: Registry) -> AgreementStatus:
    """In force once every party has approved; its date is the latest approval."""
    parties = [p for p in registry.parties.values() if p.status == "party"]
    approved = [p for p in parties if p.approved]
    missing = tuple(sorted((p.id, p.decision.outcome) for p in parties if not p.approved))
    in_force = bool(parties) and not missing
    dates = [p.decision.date for p in approved if p.decision.date is not None]
    members = _members_by_region(registry)
    regions = tuple(
        RegionSummary(
            id=r.id,
            name=r.name,
            coordinator=r.coordinator,
            members=tuple(p.id for p in members.get(r.id, ())),
            parties=sum(1 for p in members.get(r.id, ()) if p.status == "party"),
            approved=sum(1 for p in members.get(r.id, ()) if p.status == "party" and p.approved),
        )
        for r in registry.regions.values()
    )
    return AgreementStatus(
        in_force=in_force,
        in_force_since=max(dates) if in_force and dates else None,
        missing=missing,
        application=tuple(sorted(p.id for p in approved)),
        regions=regions,
    )


def _members_by_region(registry: Registry) -> dict[str | None, list[Party]]:
    """Every municipality grouped by its region, in file order: one pass, not one per region."""
    groups: dict[str | None, list[Party]] = {}
    for party in registry.parties.values():
        groups.setdefault(party.region, []).append(party)
    return groups


def participants(registry: Registry, *, provisional: bool = False) -> list[str]:
    """The parties among whom resources are divided.

    Normally those with an approved decision; provisionally every party that has not rejected,
    so the division can be seen before every board has decided.
    """
    return [
        p.id
        for p in registry.parties.values()
        if p.status == "party" and (p.decision.outcome != "rejected" if provisional else p.approved)
    ]


def check(registry: Registry, today: dt.date) -> list[Diagnostic]:
    """Every rule of the letter and every reference between the registry's tables."""
    found: list[Diagnostic] = []
    found += _agreement(registry)
    found += _regions(registry)
    for party in registry.parties.values():
        found += _party(registry, party, today)
    found += _service_agreements(registry)
    found += _resources(registry)
    found += _caseloads(registry, today)
    found += _people(registry)
    return found


def findings(document: Document, today: dt.date) -> list[Diagnostic]:
    """Everything `kokeilu check` reports about a registry file: what reading it found (its
    schema), then every rule, on `today`."""
    return document.diagnostics + check(document.registry, today)


def _known(ids: object) -> str:
    return ", ".join(sorted(ids))  # type: ignore[call-overload]


def _party_ref(
    registry: Registry, party_id: str | None, path: tuple, role: str
) -> list[Diagnostic]:
    """A reference to a municipality that must be a party (status `party`)."""
    if party_id is None:
        return []
    party = registry.parties.get(party_id)
    if party is None:
        return [
            error(
                "unknown_party",
                path,
                at_value=True,
                role=t(f"ref.{role}"),
                id=party_id,
                known=_known(registry.parties),
            )
        ]
    if party.status != "party":
        return [
            error(
                "ref_not_party",
                path,
                at_value=True,
                role=t(f"ref.{role}"),
                name=party.name,
                status=t(f"status.{party.status}"),
            )
        ]
    return []


def _agreement(registry: Registry) -> list[Diagnostic]:
    a = registry.agreement
    found = []
    for key in ("applicant", "administrator", "national_contact"):
        found += _party_ref(registry, getattr(a, key), ("agreement", key), key)
    return found


def _regions(registry: Registry) -> list[Diagnostic]:
    found = []
    with_members = {p.region for p in registry.parties.values()}
    for region in registry.regions.values():
        path = ("regions", region.id)
        if region.typ_area is not None and region.typ_area not in registry.typ_areas:
            found.append(
                error(
                    "unknown_typ_area",
                    (*path, "typ_area"),
                    at_value=True,
                    id=region.typ_area,
                    known=_known(registry.typ_areas),
                )
            )
        if region.coordinator is None:
            continue
        coordinator = registry.parties.get(region.coordinator)
        where = (*path, "coordinator")
        if coordinator is None:
            found += _party_ref(registry, region.coordinator, where, "coordinator")
        elif coordinator.region != region.id:
            found.append(
                error(
                    "coordinator_outside",
                    where,
                    at_value=True,
                    name=coordinator.name,
                    region=region.name,
                    other=coordinator.region,
                )
            )
        elif coordinator.status != "party":
            found.append(
                error(
                    "ref_not_party",
                    where,
                    at_value=True,
                    role=t("ref.coordinator"),
                    name=coordinator.name,
                    status=t(f"status.{coordinator.status}"),
                )
            )
        if region.id not in with_members:
            found.append(warning("region_empty", path, name=region.name))
    return found


def _party(registry: Registry, party: Party, today: dt.date) -> list[Diagnostic]:
    found = []
    path = ("parties", party.id)
    region = registry.regions.get(party.region) if party.region else None
    if party.region is not None and region is None:
        found.append(
            error(
                "unknown_region",
                (*path, "region"),
                at_value=True,
                hint="unknown_region",
                name=party.name,
                id=party.region,
                known=_known(registry.regions),
            )
        )
    if party.typ_area is not None and party.typ_area not in registry.typ_areas:
        found.append(
            error(
                "unknown_typ_area",
                (*path, "typ_area"),
                at_value=True,
                id=party.typ_area,
                known=_known(registry.typ_areas),
            )
        )
    elif region and region.typ_area and party.typ_area and party.typ_area != region.typ_area:
        found.append(
            warning(
                "typ_exception",
                (*path, "typ_area"),
                at_value=True,
                name=party.name,
                typ_area=registry.typ_areas[party.typ_area].name,
                region=region.name,
            )
        )
    if region and party.status != "party":
        found.append(
            warning(
                "member_not_party",
                (*path, "status"),
                at_value=True,
                name=party.name,
                region=region.name,
                status=t(f"status.{party.status}"),
            )
        )
    if (
        party.kind
        and party.body
        and not party.body.startswith("kaupungin" if party.kind == "kaupunki" else "kunnan")
    ):
        found.append(
            warning(
                "body_kind_mismatch",
                (*path, "body"),
                at_value=True,
                name=party.name,
                kind=party.kind,
                body=party.body,
            )
        )
    found += _decision(registry, party, today)
    return found


def _decision(registry: Registry, party: Party, today: dt.date) -> list[Diagnostic]:
    found = []
    decision = party.decision
    path = ("parties", party.id, "decision")
    if decision.outcome in ("approved", "rejected"):
        for key, value in (("date", decision.date), ("minutes", decision.minutes)):
            if value is None:
                found.append(
                    error(
                        f"decision_needs_{key}",
                        path,
                        hint="decided",
                        name=party.name,
                        outcome=t(f"outcome.{decision.outcome}"),
                    )
                )
    if decision.date is not None:
        letter = registry.agreement.ministry_letter
        if letter is not None and decision.date < letter:
            found.append(
                error(
                    "decision_before_letter",
                    (*path, "date"),
                    at_value=True,
                    name=party.name,
                    date=decision.date,
                    letter=letter,
                )
            )
        if decision.date > today:
            found.append(
                error(
                    "decision_in_future",
                    (*path, "date"),
                    at_value=True,
                    name=party.name,
                    date=decision.date,
                    today=today,
                )
            )
    if party.status == "party" and decision.outcome == "rejected":
        found.append(
            warning(
                "rejected_party",
                (*path, "outcome"),
                at_value=True,
                hint="rejected_party",
                name=party.name,
            )
        )
    if party.status != "party" and decision.outcome == "approved":
        found.append(
            warning(
                "approved_not_party",
                ("parties", party.id, "status"),
                at_value=True,
                name=party.name,
                status=t(f"status.{party.status}"),
            )
        )
    return found


def _service_agreements(registry: Registry) -> list[Diagnostic]:
    found = []
    for sa in registry.service_agreements:
        path = ("service_agreements", sa.index)
        if sa.service is not None and sa.service not in registry.services:
            found.append(
                error(
                    "unknown_service",
                    (*path, "service"),
                    at_value=True,
                    id=sa.service,
                    known=_known(registry.services),
                )
            )
        if sa.provider is not None:
            found += _party_ref(registry, sa.provider, (*path, "provider"), "provider")
        recipients = sa.recipients or ()
        if sa.recipients == ():
            found.append(error("no_recipients", (*path, "recipients"), at_value=True))
        for recipient in sorted({r for r in recipients if recipients.count(r) > 1}):
            found.append(
                error("duplicate_recipient", (*path, "recipients"), at_value=True, id=recipient)
            )
        for recipient in dict.fromkeys(recipients):
            if recipient == sa.provider:
                found.append(
                    error(
                        "provider_is_recipient", (*path, "recipients"), at_value=True, id=recipient
                    )
                )
            else:
                found += _party_ref(registry, recipient, (*path, "recipients"), "recipient")
        if sa.start and sa.end and sa.end < sa.start:
            found.append(
                error(
                    "ends_before_start", (*path, "end"), at_value=True, start=sa.start, end=sa.end
                )
            )
    return found


def _resources(registry: Registry) -> list[Diagnostic]:
    """Each total a whole number of steps, within the limits (`limits.steps` is the rule)."""
    found = []
    for resource in registry.resources.values():
        try:
            limits.steps(resource.total, resource.step)
        except limits.OutOfRange as exc:
            found.append(
                error(
                    exc.code,
                    ("resources", resource.id, limits.blamed(exc.code)),
                    at_value=True,
                    name=resource.name,
                    total=resource.total,
                    step=resource.step,
                    maximum=number(limits.MAX_TOTAL),
                    steps=number(limits.MAX_STEPS),
                )
            )
    return found


def _caseloads(registry: Registry, today: dt.date) -> list[Diagnostic]:
    """Periods after this month, unknown parties and missing caseloads, by set operations."""
    found = []
    for period in registry.caseloads:
        problem = limits.period_problem(period, today)
        if problem is not None:
            bound = (
                {"first": limits.FIRST_PERIOD}
                if problem == "period_too_early"
                else {"month": f"{today.year:04d}-{today.month:02d}"}
            )
            found.append(
                error(problem, ("caseloads", period), hint=problem, period=period, **bound)
            )
    expected = [p.id for p in registry.parties.values() if p.status == "party"]
    order = {pid: i for i, pid in enumerate(expected)}
    parties = registry.parties.keys()
    for period, counts in registry.caseloads.items():
        known = counts.keys() <= parties
        if not known:
            for party_id in counts:
                if party_id not in registry.parties:
                    found.append(
                        error(
                            "unknown_caseload_party",
                            ("caseloads", period, party_id),
                            period=period,
                            id=party_id,
                            known=_known(registry.parties),
                        )
                    )
        if known and len(counts) == len(parties):  # every party has a count: none is absent
            absent = []
        else:
            absent = sorted(order.keys() - counts.keys(), key=order.__getitem__)
        if absent:
            found.append(
                warning(
                    "caseload_missing",
                    ("caseloads", period),
                    period=period,
                    count=len(absent),
                    names=", ".join(registry.display_name(p) for p in absent[:5])
                    + (", …" if len(absent) > 5 else ""),
                )
            )
    return found


def _people(registry: Registry) -> list[Diagnostic]:
    """Each person's municipality and access: what rights.py reads, checked before it is relied on."""
    found = []
    administrators = 0
    closed = False
    for person in registry.people.values():
        path = ("people", person.id)
        access = person.access
        closed = closed or access is not None
        administrators += access == "all"
        if person.party is not None and person.party not in registry.parties:
            found.append(
                error(
                    "unknown_party",
                    (*path, "party"),
                    at_value=True,
                    role=t("ref.person"),
                    id=person.party,
                    known=_known(registry.parties),
                )
            )
        elif access in ("party", "region") and person.party is None:
            found.append(
                error("access_needs_party", (*path, "access"), login=person.id, access=access)
            )
        elif (
            access == "region"
            and person.party is not None
            and not any(r.coordinator == person.party for r in registry.regions.values())
        ):
            found.append(
                warning(
                    "coordinates_nothing",
                    (*path, "access"),
                    login=person.id,
                    name=registry.display_name(person.party),
                )
            )
    if closed and not administrators:
        found.append(warning("no_administrator", ("people",)))
    return found
