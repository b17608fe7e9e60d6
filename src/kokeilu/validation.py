"""Checks of what a user types into an edit, field by field, before it becomes an edit.

Pure and shared by the dashboard's forms and the command line, so a value refused in one is
refused in the other with the same words. Each check returns the parsed value or raises
`Invalid` with a message from the catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from kokeilu import display, limits
from kokeilu.model import ID_RE, LOGIN_RE, PERIOD_RE
from kokeilu.strings import t

_FI_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\Z")
_DIGITS = re.compile(r"[0-9]+\Z")


class Invalid(ValueError):
    """A typed value that cannot be used, with the reason in the user's language."""


def parse_date(text: str) -> dt.date | None:
    """A date as Finns write it (18.11.2019) or as ISO (2019-11-18); empty is None."""
    text = text.strip()
    if not text:
        return None
    m = _FI_DATE.match(text)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid(t("valid.date", value=text)) from None


def parse_count(text: str) -> int:
    """A client count: ASCII digits, zero or more, at most `limits.MAX_CASELOAD`.

    Spaces and `_` may group thousands. Only ASCII digits: `str.isdigit` also accepts `²` and
    `①`, which `int` refuses. The length is judged before `int`, which refuses 4 301 digits.
    """
    cleaned = text.replace(" ", "").replace("\u00a0", "").replace("_", "")
    if not _DIGITS.match(cleaned):
        raise Invalid(t("valid.count", value=text.strip()))
    digits = cleaned.lstrip("0")
    try:
        if len(digits) > len(str(limits.MAX_CASELOAD)):
            raise limits.OutOfRange("caseload_too_large")
        count = int(digits or "0")
        limits.check_caseload(count)
    except limits.OutOfRange:
        raise Invalid(
            t("valid.count_too_large", maximum=display.number(limits.MAX_CASELOAD))
        ) from None
    return count


def parse_number(text: str, *, positive: bool) -> Decimal:
    """A resource total (zero or more) or step (more than zero), exactly; a decimal comma is fine."""
    cleaned = text.replace(" ", "").replace("\u00a0", "").replace("_", "").replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise Invalid(t("valid.number", value=text.strip())) from None
    if not number.is_finite() or number < 0 or (positive and number == 0):
        raise Invalid(t("valid.positive" if positive else "valid.not_negative", value=text.strip()))
    return number


def parse_period(text: str, today: dt.date) -> str:
    """A caseload period, YYYY-MM, not after the month of `today` (a count cannot be ahead)."""
    text = text.strip()
    if not PERIOD_RE.match(text):
        raise Invalid(t("valid.period", value=text))
    if limits.period_after(text, today):
        raise Invalid(t("valid.period_future", value=text))
    return text


def check_resource(total: Decimal, step: Decimal) -> tuple[str, str] | None:
    """What is wrong with a resource's total and step together (the rule `check` applies):
    the field to blame (`total` or `step`) and why; None when nothing is."""
    try:
        limits.steps(total, step)
    except limits.OutOfRange as exc:
        message = t(
            f"valid.{exc.code}",
            step=step,
            maximum=display.number(limits.MAX_TOTAL),
            steps=display.number(limits.MAX_STEPS),
        )
        return limits.blamed(exc.code), message
    return None


def parse_id(text: str, *, login: bool = False) -> str:
    """A new entry's id (or a person's login name)."""
    text = text.strip()
    if not (LOGIN_RE if login else ID_RE).match(text):
        raise Invalid(t("valid.id", value=text))
    return text


def check_decision(
    outcome: str,
    date: dt.date | None,
    minutes: str,
    *,
    letter: dt.date | None,
    today: dt.date,
) -> dict[str, str]:
    """What is wrong with a decision as a whole, by field: the same rules `check` applies."""
    problems: dict[str, str] = {}
    decided = outcome in ("approved", "rejected")
    if decided and date is None:
        problems["date"] = t("valid.needs_date")
    if decided and not minutes.strip():
        problems["minutes"] = t("valid.needs_minutes")
    if date is not None and letter is not None and date < letter:
        problems["date"] = t(
            "valid.before_letter", letter=f"{letter.day}.{letter.month}.{letter.year}"
        )
    if date is not None and date > today:
        problems["date"] = t("valid.in_future")
    return problems
