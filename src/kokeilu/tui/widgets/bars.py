"""Horizontal bars: each resource's allocation per party or region, drawn in text cells."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rich.text import Text

from kokeilu.text.display import literal, number

_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(fraction: float, width: int) -> str:
    """A bar `fraction` of `width` cells long, in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[part] if part else "")).ljust(width)


def bars(rows: Sequence[tuple[str, Decimal]], decimals: int, unit: str, width: int) -> Text:
    """One line per row: label, bar scaled to the largest amount, amount and unit."""
    if not rows:
        return Text()
    label_width = min(16, max(len(label) for label, _ in rows))
    amounts = [number(amount, decimals) for _, amount in rows]
    amount_width = max(len(a) for a in amounts)
    bar_width = max(4, width - label_width - amount_width - len(unit) - 4)
    largest = max(amount for _, amount in rows) or Decimal(1)
    text = Text()
    for (label, amount), shown in zip(rows, amounts, strict=True):
        text.append(literal(label)[:label_width].ljust(label_width) + " ")
        text.append(bar(float(amount / largest), bar_width), style="cyan")
        text.append(f" {shown:>{amount_width}} {literal(unit)}\n")
    text.rstrip()
    return text
