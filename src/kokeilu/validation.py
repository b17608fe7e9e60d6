"""Checks of what a user types into an edit, field by field, before it becomes an edit.

Pure and shared by the dashboard's forms and the command line, so a value refused in one is
refused in the other with the same words. Each check returns the parsed value or raises
`Invalid` with a message from the catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from kokeilu.model import ID_RE, LOGIN_RE, PERIOD_RE
from kokeilu.strings import t

_FI_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\Z")


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
    """A client count: a whole number, zero or more (spaces as thousands separators allowed)."""
    cleaned = text.replace(" ", "").replace("\u00a0", "").replace("_", "")
    if not cleaned.isdigit():
        raise Invalid(t("valid.count", value=text.strip()))
    return int(cleaned)


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


def parse_period(text: str) -> str:
    """A caseload period, YYYY-MM."""
    text = text.strip()
    if not PERIOD_RE.match(text):
        raise Invalid(t("valid.period", value=text))
    return text


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
