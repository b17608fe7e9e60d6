"""JSON text with exact numbers and no hidden characters: the one JSON printer.

Numbers: decimals are written as their own digits, never as binary floats.

`json.dumps` writes a Decimal only by way of `float`, which turns 90071992547409.93 into
90071992547409.94. This small encoder writes the same layout as `json.dumps(..., indent=2,
ensure_ascii=False)`, but a `Decimal` as its exact decimal text and a `Rounded` fraction as a
decimal of a stated number of places. A `float` is refused: nothing in a registry is one.

Strings: `json.dumps(ensure_ascii=False)` escapes only C0 controls; C1 controls (U+009B opens a
terminal sequence), DEL and the bidi overrides would reach the terminal raw. Here every hidden
character (`display.hidden`) is written `\\uXXXX`: the JSON stays exact and valid.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kokeilu.text.display import hidden


@dataclass(frozen=True, slots=True)
class Rounded:
    """An exact fraction to be written rounded half to even to `places` decimals."""

    value: Fraction
    places: int


def decimal_text(value: Decimal | int) -> str:
    """A decimal's exact text without exponent or trailing zeros: 32.60 -> 32.6, 5E+3 -> 5000."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def rounded_text(value: Fraction, places: int) -> str:
    """`value` rounded half to even to `places` decimals, all of them written: 1/3 -> 0.333333."""
    scaled = round(Fraction(value) * 10**places)
    sign = "-" if scaled < 0 else ""
    whole, part = divmod(abs(scaled), 10**places)
    return f"{sign}{whole}.{part:0{places}d}" if places else f"{sign}{whole}"


def _escape(ch: str) -> str:
    code = ord(ch)
    if code > 0xFFFF:  # JSON escapes astral characters as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def string(text: str) -> str:
    """`text` as a JSON string, every hidden character escaped."""
    out = json.dumps(text, ensure_ascii=False)
    if out.isprintable():
        return out
    return "".join(_escape(ch) if hidden(ch) else ch for ch in out)


def dumps(value: Any, indent: int = 2) -> str:
    """`value` (dicts, lists, str, bool, None, int, Decimal, Rounded) as indented JSON text."""
    return _dump(value, indent, 0)


def _dump(value: Any, indent: int, level: int) -> str:
    if isinstance(value, str):
        return string(value)
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a JSON number: {value}")
        return decimal_text(value)
    if isinstance(value, Rounded):
        return rounded_text(value.value, value.places)
    pad, inner = " " * (indent * level), " " * (indent * (level + 1))
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (
            f"{inner}{string(str(k))}: {_dump(v, indent, level + 1)}" for k, v in value.items()
        )
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = (f"{inner}{_dump(v, indent, level + 1)}" for v in value)
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    raise TypeError(f"cannot write {type(value).__name__} as exact JSON")
