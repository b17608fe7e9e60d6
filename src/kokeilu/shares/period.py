"""Which period a division is for, and what a reader must be told beside its figures: why this
period, that it is incomplete, and, until the letter is in force, what the division is then.

Said once for `kokeilu shares` and `kokeilu export` (its cover sheet and CSV/JSON notes).
"""

from __future__ import annotations

from dataclasses import dataclass

from kokeilu.registry.model import Registry
from kokeilu.rules import agreement_status, participants
from kokeilu.shares.division import latest_period, missing
from kokeilu.text.display import literal
from kokeilu.text.strings import t


@dataclass(frozen=True, slots=True)
class Chosen:
    """The period divided, and what the reader must know about it."""

    period: str
    # The participants without a count in it (they count as zero): an incomplete period.
    missing: tuple[str, ...]
    # The latest period, when it is incomplete and a default passed it over.
    later: str | None
    later_missing: int
    participants: int


def choose(registry: Registry, period: str | None, provisional: bool) -> Chosen:
    """`period`, or the default (`shares.latest_period`), with its completeness; SharesError."""
    who = participants(registry, provisional=provisional)
    later = None
    if period is None:
        period = latest_period(registry, who)
        newest = registry.periods[-1]
        later = newest if newest != period else None
    return Chosen(
        period,
        tuple(missing(registry, period, who)),
        later,
        len(missing(registry, later, who)) if later else 0,
        len(who),
    )


def in_force_notes(registry: Registry, provisional: bool) -> list[str]:
    """Until the letter is in force, what the division is: the approvers' alone (then the way to
    the provisional one), or provisional. Nothing once it is in force (the two are one)."""
    status = agreement_status(registry)
    if status.in_force:
        return []
    total = sum(1 for p in registry.parties.values() if p.status == "party")
    out = [t("shares.not_in_force", approved=len(status.application), total=total)]
    if not provisional:
        count = len(participants(registry, provisional=True))
        out.append(t("shares.approved_only", count=count))
    return out


def notes(registry: Registry, chosen: Chosen) -> list[str]:
    """The lines that say why this period, and that it is incomplete when it is."""
    out = []
    if chosen.later:
        out.append(
            t(
                "shares.default_period",
                period=chosen.period,
                later=chosen.later,
                count=chosen.later_missing,
                total=chosen.participants,
            )
        )
    if chosen.missing:
        names = [literal(registry.display_name(p)) for p in chosen.missing]
        out.append(
            t(
                "shares.incomplete",
                period=chosen.period,
                count=len(names),
                total=chosen.participants,
                names=", ".join(names[:5]) + (", …" if len(names) > 5 else ""),
            )
        )
    return out
