"""Largest-remainder apportionment, exact, as polars expressions.

A resource of `seats` whole steps is divided among rows in proportion to their `weight`. Every
row first gets the floor of its exact quota `seats * weight / total_weight`; the steps left over
go one each to the rows with the largest remainders. All of it is integer arithmetic, so the
allocations add up to `seats` exactly, with no float drift.

Ties between equal remainders go to the larger weight, then to the smaller key (ids sort in
byte order): a fixed rule, so the result never depends on the order of the rows.
"""

from __future__ import annotations

import polars as pl

# The largest product seats * weight that int64 holds with room to spare.
_LIMIT = 2**62


class ApportionError(ValueError):
    """A division that cannot be made: nothing to divide by, or numbers too large to be exact."""

    def __init__(self, code: str, group: object):
        super().__init__(f"{code}: {group}")
        self.code = code
        self.group = group


def largest_remainder(
    frame: pl.DataFrame,
    *,
    group: str,
    key: str,
    weight: str,
    seats: str,
    out: str = "units",
) -> pl.DataFrame:
    """`frame` with a column `out`: each row's whole number of seats within its group.

    `weight` and `seats` must be non-negative integers; `seats` is constant within a group.
    Raises ApportionError("zero_weight", g) for a group with seats to give and no weight, and
    ApportionError("too_large", g) where seats * weight could overflow 64-bit integers.
    """
    checks = frame.group_by(group, maintain_order=True).agg(
        total_weight=pl.col(weight).sum(),
        max_weight=pl.col(weight).max(),
        seats=pl.col(seats).first(),
    )
    zero = checks.filter((pl.col("total_weight") == 0) & (pl.col("seats") > 0))
    if zero.height:
        raise ApportionError("zero_weight", zero[group][0])
    large = checks.filter(
        pl.col("seats").cast(pl.Float64) * pl.col("max_weight").cast(pl.Float64) >= _LIMIT
    )
    if large.height:
        raise ApportionError("too_large", large[group][0])

    total = pl.col(weight).sum().over(group)
    product = pl.col(seats) * pl.col(weight)
    # A group with no weight and no seats gives every row zero.
    safe_total = pl.when(total == 0).then(1).otherwise(total)
    floor = product // safe_total
    remainder = product % safe_total
    return (
        frame.with_columns(_floor=floor, _remainder=remainder)
        .with_columns(
            _left=pl.col(seats) - pl.col("_floor").sum().over(group),
            _rank=pl.struct(pl.col("_remainder").neg(), pl.col(weight).neg(), pl.col(key))
            .rank("ordinal")
            .over(group),
        )
        .with_columns(
            (pl.col("_floor") + (pl.col("_rank") <= pl.col("_left")).cast(pl.Int64)).alias(out)
        )
        .drop("_floor", "_remainder", "_left", "_rank")
    )
