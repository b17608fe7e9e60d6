"""How the state's resources divide among the participating parties, by caseload, in polars.

polars is imported by the functions that divide, not by the module: the dashboard chooses the
default period (`latest_period`) on its first paint, before any division.

Pure: a registry and a period in, a frame out. The frame has one row per resource and party
(`resource, party, region, caseload, pool, units`); `units` counts whole steps of the resource,
so amounts stay exact, and `pool` is the participants' total caseload, so that a share is the
exact fraction `caseload / pool` (`share`), never a binary float. Who participates is the
rules' decision (`rules.participants`).
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from kokeilu import rules
from kokeilu.registry import limits
from kokeilu.registry.model import Registry, Resource
from kokeilu.text.display import in_sentence
from kokeilu.text.strings import t

if TYPE_CHECKING:
    import polars as pl

COLUMNS = ("resource", "party", "region", "caseload", "pool", "units")


class SharesError(ValueError):
    """A division that cannot be shown, with a message for the user."""

    def __init__(self, key: str, **params: Any):
        super().__init__(t(key, **in_sentence(params)))
        self.key = key
        self.params = params


def steps(resource: Resource) -> int:
    """The resource's total as a whole number of steps; `check` reports totals that are not."""
    try:
        return limits.steps(resource.total, resource.step)
    except limits.OutOfRange as exc:
        if exc.code == "total_not_multiple":
            raise SharesError(
                "diag.total_not_multiple",
                name=resource.name,
                total=resource.total,
                step=resource.step,
            ) from None
        raise SharesError("shares.too_large", name=resource.name) from None


# Decimal arithmetic rounds to 28 digits by default: 10^12 steps of a step of 19 digits would
# lose the last ones. This context holds any product exactly, and would raise if it could not.
_EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation, decimal.Overflow],
)


def amount(resource: Resource, units: int) -> Decimal:
    """An allocation of `units` steps in the resource's unit, exactly, at any number of digits."""
    return _EXACT.multiply(Decimal(units), resource.step)


def missing(registry: Registry, period: str, participants: Sequence[str]) -> list[str]:
    """The participants without a count in `period`, in the participants' order.

    A count above the limit is not missing: `allocate` refuses it by name (`too_large`), and a
    default period must not pass it over as if the party had not counted yet.
    """
    counts = registry.caseloads.get(period, {})
    too_large = registry.too_large.get(period, ())
    return [p for p in participants if p not in counts and p not in too_large]


def latest_period(registry: Registry, participants: Sequence[str] | None = None) -> str:
    """The default period of a division: the latest in which every participant has a count.

    A month's counts arrive one party at a time; dividing by the first of them would give that
    party everything. So a period where a participant has no count yet is passed over, and only
    when no period is complete is the latest one chosen (and shown as incomplete, see
    `missing`). `participants` defaults to the parties with an approved decision.
    """
    if not registry.caseloads:
        raise SharesError("shares.no_periods")
    if participants is None:
        participants = rules.participants(registry)
    periods = registry.periods
    for period in reversed(periods):
        if not missing(registry, period, participants):
            return period
    return periods[-1]


def share(caseload: int, pool: int) -> Fraction:
    """A participant's (or region's) exact share of a division: its caseload of the pool's."""
    return Fraction(caseload, pool) if pool else Fraction(0)


def allocate(
    registry: Registry, period: str, participants: list[str], *, provisional: bool = False
) -> pl.DataFrame:
    """Every resource divided among `participants` by their caseloads in `period`.

    A participant with no caseload recorded for the period counts as zero clients (`check`
    warns about it). `provisional` says which division `participants` is, so that a refusal
    for want of participants gives the reason that holds for it.
    """
    import polars as pl

    from kokeilu.shares.apportion import ApportionError, largest_remainder

    if period not in registry.caseloads:
        raise SharesError(
            "shares.no_period", period=period, known=", ".join(registry.periods) or "-"
        )
    if not registry.resources:
        raise SharesError("shares.no_resources")
    if not participants:
        raise SharesError(
            "shares.no_participants_provisional" if provisional else "shares.no_participants"
        )
    counts = registry.caseloads[period]
    too_large = registry.too_large.get(period, ())
    for party in participants:
        try:
            if party in too_large:
                raise limits.OutOfRange("caseload_too_large")
            limits.check_caseload(counts.get(party, 0))
        except limits.OutOfRange:
            raise SharesError(
                "shares.caseload_too_large", period=period, name=registry.display_name(party)
            ) from None
    parties = pl.DataFrame(
        {
            "party": participants,
            "region": [registry.parties[p].region for p in participants],
            "caseload": [counts.get(p, 0) for p in participants],
        },
        schema={"party": pl.String, "region": pl.String, "caseload": pl.Int64},
    )
    resources = pl.DataFrame(
        {
            "resource": list(registry.resources),
            "seats": [steps(r) for r in registry.resources.values()],
        },
        schema={"resource": pl.String, "seats": pl.Int64},
    )
    frame = resources.join(parties, how="cross")
    try:
        frame = largest_remainder(
            frame, group="resource", key="party", weight="caseload", seats="seats"
        )
    except ApportionError as exc:
        name = registry.resources[str(exc.group)].name
        key = "shares.zero_caseload" if exc.code == "zero_weight" else "shares.too_large"
        raise SharesError(key, period=period, name=name) from None
    # At most len(participants) * MAX_CASELOAD: far below 2^63 for any number of parties.
    return frame.with_columns(pool=pl.col("caseload").sum().over("resource")).select(COLUMNS)


def by_region(frame: pl.DataFrame, registry: Registry) -> pl.DataFrame:
    """The parties' rows summed per region: `resource, region, caseload, pool, units`."""
    import polars as pl

    order = {rid: i for i, rid in enumerate(registry.regions)}
    summed = frame.group_by("resource", "region", maintain_order=True).agg(
        pl.col("caseload").sum(), pl.col("pool").first(), pl.col("units").sum()
    )
    resource_order = {rid: i for i, rid in enumerate(registry.resources)}
    return (
        summed.with_columns(
            _r=pl.col("resource").replace_strict(resource_order, default=len(resource_order)),
            _g=pl.col("region").replace_strict(order, default=len(order)),
        )
        .sort("_r", "_g")
        .drop("_r", "_g")
    )
