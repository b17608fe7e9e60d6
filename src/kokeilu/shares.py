"""How the state's resources divide among the participating parties, by caseload, in polars.

Pure: a registry and a period in, a frame out. The frame has one row per resource and party
(`resource, party, region, caseload, share, units`); `units` counts whole steps of the resource,
so amounts stay exact. Who participates is the rules' decision (`rules.participants`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl

from kokeilu.apportion import ApportionError, largest_remainder
from kokeilu.model import Registry, Resource
from kokeilu.strings import t

COLUMNS = ("resource", "party", "region", "caseload", "share", "units")


class SharesError(ValueError):
    """A division that cannot be shown, with a message for the user."""

    def __init__(self, key: str, **params: Any):
        super().__init__(t(key, **params))
        self.key = key
        self.params = params


def steps(resource: Resource) -> int:
    """The resource's total as a whole number of steps; `check` reports totals that are not."""
    count = resource.total / resource.step
    if count != count.to_integral_value():
        raise SharesError(
            "diag.total_not_multiple", name=resource.name, total=resource.total, step=resource.step
        )
    if count >= 2**62:
        raise SharesError("shares.too_large", name=resource.name)
    return int(count)


def amount(resource: Resource, units: int) -> Decimal:
    """An allocation of `units` steps in the resource's unit, exactly."""
    return units * resource.step


def latest_period(registry: Registry) -> str:
    """The newest period with caseloads: the default for a division."""
    if not registry.caseloads:
        raise SharesError("shares.no_periods")
    return registry.periods[-1]


def allocate(registry: Registry, period: str, participants: list[str]) -> pl.DataFrame:
    """Every resource divided among `participants` by their caseloads in `period`.

    A participant with no caseload recorded for the period counts as zero clients (`check`
    warns about it).
    """
    if period not in registry.caseloads:
        raise SharesError(
            "shares.no_period", period=period, known=", ".join(registry.periods) or "-"
        )
    if not registry.resources:
        raise SharesError("shares.no_resources")
    if not participants:
        raise SharesError("shares.no_participants")
    counts = registry.caseloads[period]
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
    total = pl.col("caseload").sum().over("resource")
    return frame.with_columns(
        share=pl.when(total == 0).then(0.0).otherwise(pl.col("caseload") / total)
    ).select(COLUMNS)


def by_region(frame: pl.DataFrame, registry: Registry) -> pl.DataFrame:
    """The parties' rows summed per region: `resource, region, caseload, share, units`."""
    order = {rid: i for i, rid in enumerate(registry.regions)}
    summed = frame.group_by("resource", "region", maintain_order=True).agg(
        pl.col("caseload").sum(), pl.col("share").sum(), pl.col("units").sum()
    )
    total = pl.col("caseload").sum().over("resource")
    resource_order = {rid: i for i, rid in enumerate(registry.resources)}
    return (
        summed.with_columns(
            share=pl.when(total == 0).then(0.0).otherwise(pl.col("caseload") / total),
            _r=pl.col("resource").replace_strict(resource_order, default=len(resource_order)),
            _g=pl.col("region").replace_strict(order, default=len(order)),
        )
        .sort("_r", "_g")
        .drop("_r", "_g")
    )
