"""Findings as a person reads them: `FILE:LINE:COL: error: message`, an excerpt, what to do.

Modelled on `hledger check`: the position first so editors can jump to it, then for errors the
lines concerned with a caret under the offending key or value, then a hint.
"""

from __future__ import annotations

from dataclasses import dataclass

from kokeilu.registry.diagnostics import Diagnostic
from kokeilu.registry.load import Document, Unreadable
from kokeilu.registry.locate import enclosing_header, find
from kokeilu.text.display import literal, literal_lines
from kokeilu.text.strings import t


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """Where a finding points in the file (1-based), or nowhere when the text cannot say."""

    line: int
    col: int


def position(doc: Document, diagnostic: Diagnostic) -> Position:
    """The line and column of the key or table header a finding concerns."""
    found = find(doc.spans, diagnostic.path)
    if found is None:
        return Position(1, 1)
    return Position(found[1].line, found[1].col)


def render(doc: Document, diagnostic: Diagnostic) -> str:
    """One finding: its line, and for an error the excerpt and the hint."""
    found = find(doc.spans, diagnostic.path)
    pos = position(doc, diagnostic)
    head = f"{doc.file}:{pos.line}:{pos.col}: {diagnostic.severity}: {literal(diagnostic.message)}"
    if diagnostic.severity != "error" or found is None:
        return head
    path, span = found
    lines = doc.text.splitlines()
    shown: list[int] = []
    header = enclosing_header(doc.spans, path) if not span.header else None
    if header is not None:
        shown.append(header.line)
    shown.append(span.line)
    if span.header and diagnostic.code in (
        "missing_field",
        "decision_needs_date",
        "decision_needs_minutes",
    ):
        shown.extend(range(span.line + 1, min(span.last_line or span.line, span.line + 6) + 1))
    if diagnostic.at_value and path == diagnostic.path and span.value_col is not None:
        start, end = span.value_col, span.value_end_col or span.value_col + 1
    else:
        start, end = span.col, span.end_col
    out = [head, *_excerpt(lines, shown, span.line, start, end)]
    if diagnostic.hint_text:
        out.append(f"{' ' * _gutter(shown)} = {t('report.hint')}: {literal(diagnostic.hint_text)}")
    return "\n".join(out)


def render_unreadable(exc: Unreadable) -> str:
    """A file that is not TOML: its position, then the excerpt with a caret."""
    if exc.line is None or exc.col is None:  # a file that cannot be read: no position
        message = literal_lines(exc.message)
        return message if message.startswith(exc.file) else f"{exc.file}: error: {message}"
    head = f"{exc.file}:{exc.line}:{exc.col}: error: {literal(exc.message)}"
    if exc.text is None:
        return head
    lines = exc.text.splitlines()
    if exc.line > len(lines):
        return head
    return "\n".join([head, *_excerpt(lines, [exc.line], exc.line, exc.col, exc.col + 1)])


def _gutter(numbers: list[int]) -> int:
    return len(str(max(numbers)))


def _excerpt(
    lines: list[str], numbers: list[int], caret_line: int, start: int, end: int
) -> list[str]:
    """The given lines with their numbers, `...` over gaps, and carets under caret_line[start:end]."""
    width = _gutter(numbers)
    pad = " " * width
    out = [f"{pad} |"]
    previous = None
    for n in sorted(set(numbers)):
        if previous is not None and n > previous + 1:
            out.append(f"{pad} | ...")
        line = lines[n - 1] if n - 1 < len(lines) else ""
        out.append(f"{n:>{width}} | {literal(line)}")
        if n == caret_line:
            # Under the text as shown: a character shown as its escape is wider than one column.
            before, under = line[: start - 1], line[start - 1 : end - 1]
            indent = len(literal(before)) + (start - 1 - len(before))
            carets = len(literal(under)) + (end - start - len(under))
            out.append(f"{pad} | {' ' * indent}{'^' * max(1, carets)}")
        previous = n
    return out
