"""How registry data is put on a screen: literally, and in the user's number format.

Text from the registry is data, never markup or terminal control: a name holding an escape
sequence must show as typed, not move the cursor or clear the screen; a bidi override must not
reorder what follows it; a line break must not start a line (a forged commit trailer, a second
line in a CSV cell). Everything put on a screen or printed from the registry goes through
`literal` (or, for JSON, `json_text`, which keeps the data exact); the dashboard shows it
with markup off.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from decimal import Decimal
from typing import Any

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


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code > 0xFFFF:  # JSON escapes astral characters as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_text(value: Any, indent: int | None = 2) -> str:
    """JSON that keeps the data exact yet holds no hidden character: each one written `\\uXXXX`.

    `json.dumps(ensure_ascii=False)` escapes only C0 controls; C1 controls (U+009B opens a
    terminal sequence), DEL and the bidi overrides would reach the terminal raw. Outside
    strings the JSON holds only spaces and line breaks, so escaping elsewhere changes no value.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    if text.isprintable():
        return text
    return "".join(_json_escape(ch) if ch != "\n" and hidden(ch) else ch for ch in text)


def places(step: Decimal) -> int:
    """How many decimals an amount of this step needs: 0.1 -> 1, 1 -> 0, 0.25 -> 2."""
    exponent = step.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def number(value: Decimal | int, decimals: int = 0) -> str:
    """A number with thin groups of thousands, as Finnish readers write it: 4 300 000, 61.5."""
    return f"{value:,.{decimals}f}".replace(",", " ")


def percent(fraction: float) -> str:
    """A share of 1 as a percentage with one decimal."""
    return f"{fraction * 100:.1f} %"


def date(value: dt.date | None) -> str:
    """A date as Finnish documents write it: 11.11.2019."""
    return f"{value.day}.{value.month}.{value.year}" if value else ""
