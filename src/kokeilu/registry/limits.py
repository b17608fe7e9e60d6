"""The numeric limits of a registry, and the one place that checks a number against them.

`check` (through `schema` and `rules`), the dashboard's forms and the command line (through
`validation`) and the division itself (`shares`) all ask here, so a value refused in one is
refused in all, for the same reason. docs/registry.md states the limits and why they are where
they are:

- a caseload (clients of one party in one month) is at most 10^9: far above any municipality's
  population, so a larger count is a typo or a unit error, never a count;
- a resource's total is at most 10^15 units: ten thousand times the whole Finnish state budget
  in euros, and still exact in a Decimal;
- a resource has at most 10^18 steps (total / step): the largest power of ten below 2^63, so
  every allocation, counted in steps, fits the signed 64-bit integers of a polars column;
- a caseload period lies from FIRST_PERIOD (2000-01) to the month of today: years before 2000
  are typos or an empty spreadsheet date (Excel's day zero is 1900), years after are not counted
  yet.

Nothing here builds a number larger than its input text: a TOML float such as `1e-999999999`
is judged by its exponent, never expanded into a billion digits.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

MAX_CASELOAD = 10**9
MAX_TOTAL = 10**15
MAX_STEPS = 10**18
FIRST_PERIOD = "2000-01"


class OutOfRange(ValueError):
    """A number beyond its limit, or a total that is not whole steps; `code` names which."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def check_caseload(count: int) -> None:
    """Raise OutOfRange("caseload_too_large") for a count above MAX_CASELOAD."""
    if count > MAX_CASELOAD:
        raise OutOfRange("caseload_too_large")


def steps(total: Decimal, step: Decimal) -> int:
    """The number of whole steps in `total`, exactly; raises OutOfRange when there is none.

    Codes: `total_too_large` (total above MAX_TOTAL), `total_not_multiple` (not a whole number
    of steps), `too_many_steps` (more than MAX_STEPS). `total` is finite and zero or more,
    `step` finite and above zero (`schema` reports the others before anyone asks).
    """
    if total > MAX_TOTAL:
        raise OutOfRange("total_too_large")
    if total == 0:
        return 0
    _, t_digits, t_exp = total.as_tuple()
    _, s_digits, s_exp = step.as_tuple()
    assert isinstance(t_exp, int) and isinstance(s_exp, int)  # both finite
    # From the digits by Decimal, exactly: int("...") refuses more than 4300 digits.
    t_coef = int(Decimal((0, t_digits, 0)))
    s_coef = int(Decimal((0, s_digits, 0)))
    # total / step = t_coef / s_coef * 10^shift. Decide by the digit counts first, so that a
    # power of ten is only built when it is no longer than the numbers' own digits.
    shift = t_exp - s_exp
    t_len, s_len = len(t_digits), len(s_digits)  # no leading zeros: neither is zero
    # total / step > 10^(t_len - 1 - s_len + shift): beyond MAX_STEPS once that exponent is 18.
    if t_len - 1 - s_len + shift >= 18:
        raise OutOfRange("too_many_steps")
    # total / step < 10^(t_len - s_len + 1 + shift): below 1 (and above 0) is never whole.
    if t_len - s_len + 1 + shift <= 0:
        raise OutOfRange("total_not_multiple")
    if shift >= 0:
        numerator, denominator = t_coef * 10**shift, s_coef
    else:
        numerator, denominator = t_coef, s_coef * 10**-shift
    count, rest = divmod(numerator, denominator)
    if rest:
        raise OutOfRange("total_not_multiple")
    if count > MAX_STEPS:
        raise OutOfRange("too_many_steps")
    return count


def blamed(code: str) -> str:
    """The resource field a finding of `steps` points at: the step when there are too many."""
    return "step" if code == "too_many_steps" else "total"


def period_after(period: str, today: dt.date) -> bool:
    """Whether a period (YYYY-MM) lies after the month of `today`: a count not yet possible."""
    return period > f"{today.year:04d}-{today.month:02d}"


def period_problem(period: str, today: dt.date) -> str | None:
    """What is wrong with a well-formed period (YYYY-MM), as a code; None when nothing is.

    `period_too_early` before FIRST_PERIOD, `period_in_future` after the month of `today`.
    The one judge of a period's range, for `check`, the forms, `set-caseload` and imports.
    """
    if period < FIRST_PERIOD:
        return "period_too_early"
    if period_after(period, today):
        return "period_in_future"
    return None
