"""JSON text with exact numbers: decimals written as their own digits, never as binary floats.

`json.dumps` writes a Decimal only by way of `float`, which turns 90071992547409.93 into
90071992547409.94. This small encoder writes the same layout as `json.dumps(..., indent=2,
ensure_ascii=False)`, but a `Decimal` as its exact decimal text and a `Rounded` fraction as a
decimal of a stated number of places. A `float` is refused: nothing in a registry is one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any


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


def dumps(value: Any, indent: int = 2) -> str:
    """`value` (dicts, lists, str, bool, None, int, Decimal, Rounded) as indented JSON text."""
    return _dump(value, indent, 0)


def _dump(value: Any, indent: int, level: int) -> str:
    if value is None or isinstance(value, bool | str):
        return json.dumps(value, ensure_ascii=False)
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
            f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {_dump(v, indent, level + 1)}"
            for k, v in value.items()
        )
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = (f"{inner}{_dump(v, indent, level + 1)}" for v in value)
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    raise TypeError(f"cannot write {type(value).__name__} as exact JSON")
