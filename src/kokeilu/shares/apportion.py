"""Largest-remainder apportionment, exact at any size: integer arithmetic in Python ints.

A resource of `seats` whole steps is divided among rows in proportion to their `weight`. Every
row first gets the floor of its exact quota `seats * weight / total_weight`; the steps left over
go one each to the rows with the largest remainders. All of it is integer arithmetic, so the
allocations add up to `seats` exactly, with no float drift.

Ties between equal remainders go to the larger weight, then to the smaller key (ids sort in
byte order): a fixed rule, so the result never depends on the order of the rows.

Why Python ints and not polars expressions: within the registry's limits (`limits.py`) a
product `seats * weight` reaches 10^18 * 10^9 = 10^27, and the sum of the weights grows with
the number of rows; neither fits polars' 64-bit integers, which wrap around silently (four
weights of 2^61 summed to a negative total and gave every row zero). Python ints do not wrap,
so there is no size at which the division stops being exact. The frames that carry the result
hold only each row's weight and units, which the limits keep below 2^63; `largest_remainder`
checks that it can put them there before it does.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import polars as pl

# The largest value a polars Int64 column holds.
INT64_MAX = 2**63 - 1


class ApportionError(ValueError):
    """A division that cannot be made: nothing to divide by, or numbers too large to store."""

    def __init__(self, code: str, group: object):
        super().__init__(f"{code}: {group}")
        self.code = code
        self.group = group


def divide(weights: Sequence[tuple[str, int]], seats: int) -> list[int]:
    """Each (key, weight) row's whole number of seats, in the rows' order.

    `weights` and `seats` are non-negative integers of any size. Raises ValueError when there
    are seats to give and no weight to give them by. With no seats, every row gets zero.
    """
    total = sum(w for _, w in weights)
    if total == 0:
        if seats:
            raise ValueError("zero_weight")
        return [0] * len(weights)
    floors: list[int] = []
    remainders: list[int] = []
    for _, weight in weights:
        floor, remainder = divmod(seats * weight, total)
        floors.append(floor)
        remainders.append(remainder)
    left = seats - sum(floors)
    # Remainders share the denominator `total`, so comparing them as integers is exact.
    order = sorted(
        range(len(weights)), key=lambda i: (-remainders[i], -weights[i][1], weights[i][0])
    )
    for i in order[:left]:
        floors[i] += 1
    return floors


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
    ApportionError("too_large", g) for a group whose seats do not fit a 64-bit column.
    """
    units: list[int] = [0] * frame.height
    rows: dict[Hashable, list[int]] = {}
    for i, g in enumerate(frame[group].to_list()):
        rows.setdefault(g, []).append(i)
    keys = frame[key].to_list()
    weights = frame[weight].to_list()
    all_seats = frame[seats].to_list()
    for g, indices in rows.items():
        count = all_seats[indices[0]]
        if count > INT64_MAX:
            raise ApportionError("too_large", g)
        try:
            shares = divide([(keys[i], weights[i]) for i in indices], count)
        except ValueError:
            raise ApportionError("zero_weight", g) from None
        for i, share in zip(indices, shares, strict=True):
            units[i] = share
    return frame.with_columns(pl.Series(out, units, dtype=pl.Int64))
