"""Checks of what a user types into an edit, field by field, before it becomes an edit.

Pure and shared by the dashboard's forms and the command line, so a value refused in one is
refused in the other with the same words. Each check returns the parsed value or raises
`Invalid` with a message from the catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from kokeilu.registry import limits
from kokeilu.registry.model import ID_RE, LOGIN_RE, PERIOD_RE, Party
from kokeilu.text import display
from kokeilu.text.strings import t

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


# Separators of thousands a person may type: a space, a no-break space, a narrow no-break space
# (U+202F, as Finnish text writes 1 235) or `_`. Only between real groups of three digits.
SEPARATORS = " \u00a0\u202f_"
_GROUPED = rf"(?:[0-9]+|[0-9]{{1,3}}(?:[{SEPARATORS}][0-9]{{3}})+)"
_COUNT = re.compile(rf"{_GROUPED}\Z")
# A resource's total or step: a count's digits, a decimal point or comma and ASCII decimals, and
# an exponent as Python writes a Decimal (1E+3), which the forms show. A sign is read, so that
# `-5` is refused for what it is.
_NUMBER = re.compile(rf"[+-]?(?:{_GROUPED}(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?\Z")


def visible(text: str) -> str:
    """`text` with every character that cannot be told apart from a space, or is not drawn,
    written as its escape: `1\\u2009235`, not a thin space that looks like any other."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if ch != " " and (display.hidden(ch) or unicodedata.category(ch) == "Zs")
        else ch
        for ch in display.literal(text)
    )


def _odd(text: str) -> str | None:
    """The first character of a number that is neither an ASCII digit nor a separator and
    cannot be seen for what it is (a thin space, a control), named: `U+2009 THIN SPACE`."""
    for ch in text:
        if ch not in SEPARATORS and (display.hidden(ch) or unicodedata.category(ch) == "Zs"):
            return f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip()
    return None


def _not_a(key: str, text: str) -> Invalid:
    """The refusal of a number: which character is wrong when it cannot be seen, or that the
    digits are not in groups of three when only the grouping is."""
    odd = _odd(text)
    if odd is not None:
        return Invalid(t(f"{key}_char", value=visible(text), char=odd))
    if all(ch in SEPARATORS or "0" <= ch <= "9" for ch in text) and text.strip(SEPARATORS):
        return Invalid(t(f"{key}_groups", value=visible(text)))
    return Invalid(t(key, value=visible(text)))


def parse_count(text: str) -> int:
    """A client count: ASCII digits, zero or more, at most `limits.MAX_CASELOAD`.

    The digits may be grouped in threes by one of SEPARATORS (`1 235`, `12 345 678`, `1_000`);
    any other grouping (`12 34 5`, `1 2`, `_1`) is refused, not read as some number. Only ASCII
    digits: `str.isdigit` also accepts `²` and `①`, which `int` refuses, and `int` reads `١٢`.
    The length is judged before `int`, which refuses 4 301 digits.
    """
    text = text.strip()
    if not _COUNT.match(text):
        raise _not_a("valid.count", text)
    digits = "".join(ch for ch in text if ch not in SEPARATORS).lstrip("0")
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
    """A resource total (zero or more) or step (more than zero), exactly; a decimal comma is fine.

    ASCII digits grouped as in a count, never `Infinity` or `NaN`: `Decimal` reads both and any
    Unicode digit (`٦٢` is 62 to it), so the text is matched before `Decimal` sees it.
    """
    text = text.strip()
    if not _NUMBER.match(text):
        raise _not_a("valid.number", text)
    cleaned = "".join(ch for ch in text if ch not in SEPARATORS).replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:  # the pattern admits only what Decimal reads; kept as a guard
        raise Invalid(t("valid.number", value=visible(text))) from None
    if number < 0 or (positive and number == 0):
        raise Invalid(
            t("valid.positive" if positive else "valid.not_negative", value=visible(text))
        )
    return number


def parse_period(text: str, today: dt.date) -> str:
    """A caseload period, YYYY-MM, from `limits.FIRST_PERIOD` to the month of `today` (a count
    cannot be ahead, and a year before 2000 is a typo); `limits.period_problem` judges the range."""
    text = text.strip()
    if not PERIOD_RE.match(text):
        raise Invalid(t("valid.period", value=visible(text)))
    problem = limits.period_problem(text, today)
    if problem == "period_too_early":
        raise Invalid(t("valid.period_too_early", value=text, first=limits.FIRST_PERIOD))
    if problem == "period_in_future":
        raise Invalid(t("valid.period_future", value=text))
    return text


def parse_id(text: str, *, login: bool = False) -> str:
    """A new entry's id (or a person's login name)."""
    text = text.strip()
    if not (LOGIN_RE if login else ID_RE).match(text):
        raise Invalid(t("valid.id", value=text))
    return text


def folded(text: str) -> str:
    """Text as a search compares it: case and diacritics aside, so `jarvi` finds Siilinjärvi."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def party_id(parties: Mapping[str, Party], written: str) -> str | None:
    """The id of the party a person names: its id, or its name as the registry writes it, in
    any case (the letters exact: `Siilinjärvi`, `SIILINJÄRVI`). None when no party has that id
    or name; `Invalid` naming the candidates when several parties have that name."""
    text = written.strip()
    if text in parties:
        return text
    wanted = text.casefold()
    named = [party.id for party in parties.values() if party.name.casefold() == wanted]
    if len(named) > 1:
        raise Invalid(t("valid.ambiguous_party", party=text, ids=", ".join(named)))
    return named[0] if named else None
