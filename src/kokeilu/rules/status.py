"""Where the letter stands: in force or not, who is missing, and who shares the resources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kokeilu.registry.model import Party, Registry
from kokeilu.text.display import date
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
    # The coordinator's role in the letter's words (`[regions.*] role`).
    role: str | None = None


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
    # Every approval of a party, (party id, date), oldest first: who approved and when. An
    # approval without a date (an error `check` reports) comes last.
    approvals: tuple[tuple[str, dt.date | None], ...] = ()

    @property
    def waiting_since(self) -> tuple[str, dt.date] | None:
        """The first approval (party id, date): since then the letter waits for the others."""
        first = self.approvals[0] if self.approvals else None
        return (first[0], first[1]) if first is not None and first[1] is not None else None


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
            role=r.role,
        )
        for r in registry.regions.values()
    )
    return AgreementStatus(
        in_force=in_force,
        in_force_since=max(dates) if in_force and dates else None,
        missing=missing,
        application=tuple(sorted(p.id for p in approved)),
        regions=regions,
        approvals=tuple(
            (p.id, p.decision.date)
            for p in sorted(
                approved, key=lambda p: (p.decision.date is None, p.decision.date, p.id)
            )
        ),
    )


def days_to_deadline(registry: Registry, today: dt.date) -> int | None:
    """Days from `today` to the application deadline: negative once it has passed, None when the
    registry gives no deadline."""
    deadline = registry.agreement.application_deadline
    return (deadline - today).days if deadline is not None else None


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


def deadline_words(registry: Registry, today: dt.date) -> str | None:
    """The application deadline and how far it is from `today`, in words ("passed 2565 days
    ago"); None when the registry gives no deadline."""
    days = days_to_deadline(registry, today)
    if days is None:
        return None
    key = {1: "tomorrow", 0: "today", -1: "yesterday"}.get(days, "ahead" if days > 0 else "passed")
    deadline = registry.agreement.application_deadline
    return t(f"deadline.{key}", date=date(deadline), days=abs(days))


def waiting_words(registry: Registry, status: AgreementStatus) -> str:
    """Since when the letter waits for the others' approvals: the first approval's date."""
    first = status.waiting_since
    if first is None:
        return t("status.waiting_none")
    return t("status.waiting_since", date=date(first[1]), name=registry.display_name(first[0]))
