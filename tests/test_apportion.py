"""The largest-remainder division: exact, within one step of the quota, independent of row order."""

from __future__ import annotations

import math
from fractions import Fraction

import polars as pl
import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from kokeilu.registry.limits import MAX_CASELOAD, MAX_STEPS
from kokeilu.shares.apportion import ApportionError, largest_remainder


def divide(weights: dict[str, int], seats: int) -> dict[str, int]:
    frame = pl.DataFrame(
        {
            "g": ["r"] * len(weights),
            "key": list(weights),
            "w": list(weights.values()),
            "seats": [seats] * len(weights),
        },
        schema={"g": pl.String, "key": pl.String, "w": pl.Int64, "seats": pl.Int64},
    )
    out = largest_remainder(frame, group="g", key="key", weight="w", seats="seats")
    return dict(zip(out["key"], out["units"], strict=True))


def reference(weights: dict[str, int], seats: int) -> dict[str, int]:
    """The same rule written plainly with fractions, to compare against."""
    total = sum(weights.values())
    quotas = {k: Fraction(seats * w, total) for k, w in weights.items()}
    result = {k: math.floor(q) for k, q in quotas.items()}
    left = seats - sum(result.values())
    order = sorted(weights, key=lambda k: (-(quotas[k] - result[k]), -weights[k], k))
    for k in order[:left]:
        result[k] += 1
    return result


ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)
weights_st = st.dictionaries(ids, st.integers(0, 200_000), min_size=1, max_size=40).filter(
    lambda d: sum(d.values()) > 0
)
seats_st = st.integers(0, 50_000_000)


@settings(max_examples=examples(200), deadline=None)
@given(weights_st, seats_st)
def test_sum_is_exactly_the_total(weights: dict[str, int], seats: int) -> None:
    assert sum(divide(weights, seats).values()) == seats


@settings(max_examples=examples(200), deadline=None)
@given(weights_st, seats_st)
def test_each_allocation_is_within_one_step_of_its_quota(
    weights: dict[str, int], seats: int
) -> None:
    total = sum(weights.values())
    for key, units in divide(weights, seats).items():
        quota = Fraction(seats * weights[key], total)
        assert math.floor(quota) <= units <= math.ceil(quota)
        assert abs(units - quota) < 1


@settings(max_examples=examples(100), deadline=None)
@given(weights_st, seats_st, st.randoms(use_true_random=False))
def test_result_does_not_depend_on_row_order(weights: dict[str, int], seats: int, rnd) -> None:
    keys = list(weights)
    rnd.shuffle(keys)
    assert divide({k: weights[k] for k in keys}, seats) == divide(weights, seats)


@settings(max_examples=examples(200), deadline=None)
@given(weights_st, seats_st)
def test_matches_the_rule_written_with_fractions(weights: dict[str, int], seats: int) -> None:
    assert divide(weights, seats) == reference(weights, seats)


def test_equal_remainders_go_to_the_larger_caseload() -> None:
    # 2 seats by weights 1:3 -> quotas 0.5 and 1.5: equal remainders, the larger weight wins.
    assert divide({"a": 1, "b": 3}, 2) == {"a": 0, "b": 2}


def test_equal_remainders_and_caseloads_go_to_the_first_id() -> None:
    assert divide({"c": 1, "a": 1, "b": 1}, 10) == {"c": 3, "a": 4, "b": 3}


def test_groups_divide_independently() -> None:
    frame = pl.DataFrame(
        {
            "g": ["x", "x", "y", "y"],
            "key": ["a", "b", "a", "b"],
            "w": [1, 1, 1, 3],
            "seats": [3, 3, 8, 8],
        }
    )
    out = largest_remainder(frame, group="g", key="key", weight="w", seats="seats")
    assert out.select("g", "key", "units").rows() == [
        ("x", "a", 2),
        ("x", "b", 1),
        ("y", "a", 2),
        ("y", "b", 6),
    ]


def test_zero_total_weight_is_an_error_not_a_division_by_zero() -> None:
    with pytest.raises(ApportionError) as info:
        divide({"a": 0, "b": 0}, 5)
    assert info.value.code == "zero_weight"


def test_nothing_to_divide_among_nobody_gives_zeros() -> None:
    assert divide({"a": 0, "b": 0}, 0) == {"a": 0, "b": 0}


def test_products_beyond_64_bits_are_divided_exactly() -> None:
    # 2^30 * 2^40 does not fit in 64 bits: it used to be refused, now it is exact.
    assert divide({"a": 2**40, "b": 1}, 2**30) == {"a": 2**30, "b": 0}
    assert divide({"a": 2**40, "b": 2**40 + 1}, 2**30 + 1) == reference(
        {"a": 2**40, "b": 2**40 + 1}, 2**30 + 1
    )


def test_four_weights_of_2_61_and_one_seat_give_the_seat_to_the_first_id() -> None:
    """Their sum passes 2^63: polars' int64 wrapped around and every row got 0 of 1 seat."""
    assert divide({"d": 2**61, "b": 2**61, "a": 2**61, "c": 2**61}, 1) == {
        "d": 0,
        "b": 0,
        "a": 1,
        "c": 0,
    }


# Weights and seats up to the registry's limits and beyond, with zeros and many ties: a few
# values drawn often, so that equal remainders and equal weights are common.
limit_weights = st.one_of(
    st.sampled_from([0, 1, 2, 3, MAX_CASELOAD - 1, MAX_CASELOAD, 2**61]),
    st.integers(0, MAX_CASELOAD),
)
limit_seats = st.one_of(
    st.sampled_from([0, 1, 2, 3, MAX_STEPS - 1, MAX_STEPS, 2**63 - 1]), st.integers(0, MAX_STEPS)
)


@settings(max_examples=examples(200), deadline=None)
@given(st.dictionaries(ids, limit_weights, min_size=1, max_size=12), limit_seats)
def test_matches_exact_fractions_at_the_limits(weights: dict[str, int], seats: int) -> None:
    if sum(weights.values()) == 0:
        if seats:
            with pytest.raises(ApportionError):
                divide(weights, seats)
        else:
            assert set(divide(weights, seats).values()) == {0}
        return
    result = divide(weights, seats)
    assert result == reference(weights, seats)
    assert sum(result.values()) == seats
