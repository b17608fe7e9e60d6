"""How registry data is put on a screen: literally, and in the user's number format.

Text from the registry is data, never markup or terminal control: a name holding an escape
sequence must show as typed, not move the cursor or clear the screen; a bidi override must not
reorder what follows it; a line break must not start a line (a forged commit trailer, a second
line in a CSV cell). Everything put on a screen or printed from the registry goes through
`literal` (or, for JSON, `jsontext.dumps`, which keeps the data exact); the dashboard shows it
with markup off.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kokeilu.text.strings import language

# Characters that are not drawn but act: C0 and C1 controls and DEL (Cc), format characters
# such as the bidi overrides and isolates, marks and the BOM (Cf), the line and paragraph
# separators (Zl, Zp), and lone surrogates (Cs).
HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def hidden(ch: str) -> bool:
    """Whether a character acts instead of being drawn (see HIDDEN)."""
    return unicodedata.category(ch) in HIDDEN


def literal(text: str) -> str:
    """`text` on one line, every hidden character shown as its escape (`\\x1b`, `\\u202e`, `\\n`).

    Tabs become spaces. The result holds no control character, so it is safe on a terminal, in
    a commit message and in a CSV cell, and `literal(literal(x)) == literal(x)`.
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch == "\t":
            out.append(" ")
        elif hidden(ch):
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def literal_lines(text: str) -> str:
    """A message of our own lines (data already in them), each line shown literally."""
    return "\n".join(literal(line) for line in text.split("\n"))


def places(step: Decimal) -> int:
    """How many decimals an amount of this step needs: 0.1 -> 1, 1 -> 0, 0.25 -> 2."""
    exponent = step.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


# Beyond these a number is past every limit of the registry (limits.py), and writing out all of
# its digits (1e999999999 has a billion) would hang the screen: it is shown as written instead.
_MAX_PLACES = 40
_MAX_MAGNITUDE = 40


def decimal_separator() -> str:
    """The decimal separator of the user's language (of the registry's, inside `speaking`):
    a comma in Finnish (61,5 htv), a point in English (61.5 htv)."""
    return "," if language() == "fi" else "."


def _in_language(text: str) -> str:
    """`text`, written with points, with the language's decimal separator."""
    return text.replace(".", decimal_separator())


def number(value: Decimal | int, decimals: int = 0, *, group: bool = True) -> str:
    """A number for people: `decimals` places, the language's decimal separator, and (unless
    `group` is off) thousands in groups of three with a space between, as Finnish readers write
    them (and the project's English text keeps): 4 300 000,00 in Finnish, 4 300 000.00 in
    English.

    This is the one formatter of numbers for people (the dashboard, the command line's text,
    the history's words and commit subjects); JSON and CSV keep the registry's own digits.
    """
    if decimals > _MAX_PLACES or (
        isinstance(value, Decimal) and value.is_finite() and value.adjusted() > _MAX_MAGNITUDE
    ):
        return _in_language(str(value))
    if isinstance(value, int) and value.bit_length() > 4 * _MAX_MAGNITUDE:
        return _in_language(f"{value:.3e}") if value.bit_length() < 1000 else "…"
    text = f"{value:,.{decimals}f}".replace(",", " ") if group else f"{value:.{decimals}f}"
    return _in_language(text)


def exact(value: Decimal) -> str:
    """A decimal in a sentence, digits as the registry holds them (61.5, 0.10, 4300000, 1E-18)
    but in the language's decimal separator, without groups, as the whole numbers beside it."""
    return _in_language(str(value))


def in_sentence(params: Mapping[str, Any]) -> dict[str, Any]:
    """A message's parameters with every decimal written for people (`exact`): what a
    catalogue template receives, so that `total {total}` reads 61,5 in Finnish."""
    return {k: exact(v) if isinstance(v, Decimal) else v for k, v in params.items()}


def percent(fraction: Fraction) -> str:
    """An exact share of 1 as a percentage with one decimal, rounded half to even, in the
    language's decimal separator (61,5 % in Finnish)."""
    tenths = round(Fraction(fraction) * 1000)
    sign = "-" if tenths < 0 else ""
    return f"{sign}{abs(tenths) // 10}{decimal_separator()}{abs(tenths) % 10} %"


def date(value: dt.date | None) -> str:
    """A date as Finnish documents write it: 11.11.2019."""
    return f"{value.day}.{value.month}.{value.year}" if value else ""
