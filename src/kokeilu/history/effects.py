"""What a registry change did to the allocations, divided as `kokeilu shares` divides them.

Polars is imported only here, and only when allocations are compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from kokeilu.history.wording import Names
from kokeilu.registry.model import Registry
from kokeilu.text.display import literal
from kokeilu.text.strings import t


class Effect(NamedTuple):
    """One party's allocation of one resource that a change moved (None: not a participant)."""

    resource: str
    resource_name: str
    unit: str
    party: str
    party_name: str
    old: Decimal | None
    new: Decimal | None


class Side(NamedTuple):
    """One version's division: its period (None: none to name) and why it cannot be divided.

    `incomplete`, when some participants have no count in the period (they count as zero):
    how many of how many, so that the heading says INCOMPLETE as `shares` does.
    """

    period: str | None
    problem: str | None = None
    incomplete: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Effects:
    """What a change did to the allocations, divided as `kokeilu shares` divides them.

    `before` and `after` name each version's period and, when one cannot be divided, why;
    `moved` lists the allocations that differ (a party that starts or stops sharing goes from or
    to None). A version in which no party shares divides nothing: its parties' amounts are None.
    """

    provisional: bool
    before: Side
    after: Side
    moved: list[Effect]


def default_period(registry: Registry, provisional: bool = False) -> str:
    """The period `kokeilu shares` divides when none is given; raises SharesError.

    The one choice is made in `shares`; an effect is computed for the period each version's
    `shares` would show (`--provisional` among its own participants), so that the diff and
    `shares` give the same amounts.
    """
    from kokeilu.rules import participants
    from kokeilu.shares.division import latest_period

    return latest_period(registry, participants(registry, provisional=provisional))


def _divide(
    registry: Registry, period: str | None, provisional: bool
) -> tuple[Side, dict[tuple[str, str], Decimal] | None]:
    """One version's amounts by (resource, party), or None when it cannot be divided."""
    from kokeilu.rules import participants
    from kokeilu.shares.division import SharesError, allocate, amount, missing

    try:
        period = period or default_period(registry, provisional)
    except SharesError as exc:
        return Side(None, str(exc)), None
    sharing = participants(registry, provisional=provisional)
    absent = len(missing(registry, period, sharing)) if period in registry.caseloads else 0
    incomplete = (absent, len(sharing)) if absent else None
    if not sharing and period in registry.caseloads:
        key = "semdiff.nobody_shares_provisional" if provisional else "semdiff.nobody_shares"
        return Side(period, t(key)), {}
    try:
        frame = allocate(registry, period, sharing, provisional=provisional)
    except (SharesError, ArithmeticError) as exc:
        return Side(period, str(exc), incomplete), None
    return Side(period, None, incomplete), {
        (row["resource"], row["party"]): amount(registry.resources[row["resource"]], row["units"])
        for row in frame.iter_rows(named=True)
    }


def effects(
    old_registry: Registry,
    new_registry: Registry,
    period: str | None = None,
    provisional: bool = False,
) -> Effects:
    """How the change from `old_registry` to `new_registry` moved the allocations.

    As `kokeilu shares` divides by default: among the approved parties (`provisional` for every
    party that has not rejected), each version in its own default period unless `period` is given.
    """
    before_side, before = _divide(old_registry, period, provisional)
    after_side, after = _divide(new_registry, period, provisional)
    if before is None or after is None:
        return Effects(provisional, before_side, after_side, [])
    names = Names(old_registry, new_registry)
    resources = {**old_registry.resources, **new_registry.resources}
    order = list(new_registry.resources) + [
        r for r in old_registry.resources if r not in new_registry.resources
    ]
    parties = list(new_registry.parties) + [
        p for p in old_registry.parties if p not in new_registry.parties
    ]
    moved = []
    for rid in order:
        for pid in parties:
            was, now = before.get((rid, pid)), after.get((rid, pid))
            if was == now:
                continue
            moved.append(
                Effect(
                    rid,
                    names.resource(rid),
                    literal(resources[rid].unit),
                    pid,
                    names.party(pid),
                    was,
                    now,
                )
            )
    return Effects(provisional, before_side, after_side, moved)
