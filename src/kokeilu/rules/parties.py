"""The rules of the agreement's references, the regions, the municipalities and their decisions."""

from __future__ import annotations

import datetime as dt

from kokeilu.registry.diagnostics import Diagnostic, error, warning
from kokeilu.registry.model import Party, Registry
from kokeilu.rules.references import known, party_ref
from kokeilu.text.strings import t


def check_agreement(registry: Registry) -> list[Diagnostic]:
    """The agreement's applicant, administrator and national contact: each a party."""
    a = registry.agreement
    found = []
    for key in ("applicant", "administrator", "national_contact"):
        found += party_ref(registry, getattr(a, key), ("agreement", key), key)
    return found


def check_regions(registry: Registry) -> list[Diagnostic]:
    """Each region's TYP area and coordinator known, the coordinator a party of the region."""
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
                    known=known(registry.typ_areas),
                )
            )
        if region.coordinator is None:
            continue
        coordinator = registry.parties.get(region.coordinator)
        where = (*path, "coordinator")
        if coordinator is None:
            found += party_ref(registry, region.coordinator, where, "coordinator")
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


def check_party(registry: Registry, party: Party, today: dt.date) -> list[Diagnostic]:
    """A municipality's region, TYP area, status, body and decision."""
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
                known=known(registry.regions),
            )
        )
    if party.typ_area is not None and party.typ_area not in registry.typ_areas:
        found.append(
            error(
                "unknown_typ_area",
                (*path, "typ_area"),
                at_value=True,
                id=party.typ_area,
                known=known(registry.typ_areas),
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
    found += check_decision(registry, party, today)
    return found


def check_decision(registry: Registry, party: Party, today: dt.date) -> list[Diagnostic]:
    """A decision that is made has its date and minutes, dated after the letter and not ahead."""
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
                        missing=key,
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
        deadline = registry.agreement.application_deadline
        if deadline is not None and decision.date > deadline:
            found.append(
                warning(
                    "decision_after_deadline",
                    (*path, "date"),
                    at_value=True,
                    name=party.name,
                    date=decision.date,
                    deadline=deadline,
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
