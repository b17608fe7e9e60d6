"""Where each key and table header of a TOML text stands, by registry path.

tomllib gives values but no positions; findings must point at lines. This is a small, line-based
scanner for the subset of TOML that locating needs: table headers, arrays of tables, dotted and
quoted keys, and the multi-line strings and arrays it must step over. It never decides whether
the text is valid TOML (tomllib does that first); on text it does not understand it records less.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass

from kokeilu.registry.keys import BARE
from kokeilu.registry.model import KeyPath


@dataclass(frozen=True, slots=True)
class Span:
    """A key or header: its line and columns (1-based), and for a header the table's last line."""

    line: int
    col: int
    end_col: int
    value_col: int | None = None
    value_end_col: int | None = None
    header: bool = False
    last_line: int | None = None


def _string_end(s: str, i: int) -> int:
    """Index just past the one-line basic or literal string that starts at s[i] (a quote)."""
    quote = s[i]
    j = i + 1
    while j < len(s):
        c = s[j]
        if c == "\\" and quote == '"':
            j += 2
            continue
        if c == quote:
            return j + 1
        j += 1
    return len(s)


def _ml_end(s: str, i: int, delim: str) -> int:
    """Index just past the delimiter closing a multi-line string whose text goes on at s[i], or -1.

    In a basic string a quote after a backslash is escaped and cannot start the delimiter; up to
    two quotes just before the delimiter belong to the text (four quotes end with one of it).
    """
    end = s.find(delim, i)
    while end >= 0 and delim == '"""' and (end - len(s[:end].rstrip("\\"))) % 2:
        end = s.find(delim, end + 1)
    if end < 0:
        return -1
    k = end + 3
    while k < min(len(s), end + 5) and s[k] == delim[0]:
        k += 1
    return k


def _key(s: str, i: int) -> tuple[list[str], int]:
    """The parts of the (dotted) key starting at s[i], and the index after it."""
    parts: list[str] = []
    n = len(s)
    while i < n:
        while i < n and s[i] in " \t":
            i += 1
        if i >= n:
            break
        c = s[i]
        if c in "\"'":
            end = _string_end(s, i)
            raw = s[i + 1 : end - 1]
            if c == '"':
                with contextlib.suppress(ValueError):
                    raw = json.loads('"' + raw + '"')
            parts.append(raw)
            i = end
        else:
            j = i
            while j < n and s[j] in BARE:
                j += 1
            if j == i:
                break
            parts.append(s[i:j])
            i = j
        while i < n and s[i] in " \t":
            i += 1
        if i < n and s[i] == ".":
            i += 1
            continue
        break
    return parts, i


def value_end(s: str, i: int) -> int:
    """Index after a one-line value starting at s[i], before any trailing comment.

    Shared with `splice`, which finds the value it replaces the same way.
    """
    if i < len(s) and s[i] in "\"'":
        if s.startswith(s[i] * 3, i):
            end = _ml_end(s, i + 3, s[i] * 3)
            return len(s.rstrip()) if end < 0 else end
        return _string_end(s, i)
    depth = 0
    j = i
    while j < len(s):
        c = s[j]
        if c in "\"'":
            j = _string_end(s, j)
            continue
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
        elif c == "#" and depth <= 0:
            break
        j += 1
    return len(s[:j].rstrip())


def _open_brackets(s: str, i: int, depth: int) -> tuple[int, str | None]:
    """Bracket depth after scanning s[i:], and the multi-line string delimiter left open, if any."""
    j = i
    while j < len(s):
        c = s[j]
        if c == "#":
            break
        if c in "\"'":
            if s.startswith(c * 3, j):
                end = _ml_end(s, j + 3, c * 3)
                if end < 0:
                    return depth, c * 3
                j = end
                continue
            j = _string_end(s, j)
            continue
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
        j += 1
    return depth, None


def locate(text: str) -> dict[KeyPath, Span]:
    """Every key and header of `text`, by path; array-of-tables items by their index."""
    spans: dict[KeyPath, Span] = {}
    headers: list[tuple[KeyPath, int]] = []
    aot_count: dict[KeyPath, int] = {}
    table: KeyPath = ()
    open_string: str | None = None
    depth = 0
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if open_string is not None:
            rest_at = _ml_end(line, 0, open_string)
            if rest_at < 0:
                continue
            open_string = None
            if depth > 0:
                depth, open_string = _open_brackets(line, rest_at, depth)
            continue
        if depth > 0:
            depth, open_string = _open_brackets(line, 0, depth)
            continue
        stripped = line.lstrip()
        if not stripped or stripped[0] == "#":
            continue
        indent = len(line) - len(stripped)
        if stripped[0] == "[":
            is_aot = stripped.startswith("[[")
            parts, after = _key(line, indent + (2 if is_aot else 1))
            path = _with_indices(tuple(parts), aot_count)
            if is_aot:
                aot_count[path] = aot_count.get(path, -1) + 1
                path = (*path, aot_count[path])
            close = line.find("]", after)
            end_col = (close + (2 if is_aot else 1)) if close >= 0 else len(line)
            spans[path] = Span(number, indent + 1, end_col + 1, header=True)
            headers.append((path, number))
            table = path
            continue
        parts, after = _key(line, indent)
        if not parts or after >= len(line) or line[after] != "=":
            continue
        value_at = after + 1
        while value_at < len(line) and line[value_at] in " \t":
            value_at += 1
        end = value_end(line, value_at)
        key_end = len(line[:after].rstrip())
        spans[(*table, *parts)] = Span(number, indent + 1, key_end + 1, value_at + 1, end + 1)
        if value_at < len(line):
            c = line[value_at]
            if c in "[{\"'":
                depth, open_string = _open_brackets(line, value_at, 0)
    _close_tables(spans, headers, lines)
    return spans


def _with_indices(parts: KeyPath, aot_count: dict[KeyPath, int]) -> KeyPath:
    """A header's path with the current item's index after each array-of-tables prefix."""
    out: list[str | int] = []
    for k, part in enumerate(parts):
        out.append(part)
        index = aot_count.get(tuple(out)) if k < len(parts) - 1 else None
        if index is not None:
            out.append(index)
    return tuple(out)


def _close_tables(
    spans: dict[KeyPath, Span], headers: list[tuple[KeyPath, int]], lines: list[str]
) -> None:
    """Give each header the last line of its table: before the next header, less trailing blanks."""
    for k, (path, start) in enumerate(headers):
        last = (headers[k + 1][1] - 1) if k + 1 < len(headers) else len(lines)
        while last > start and (
            not lines[last - 1].strip() or lines[last - 1].lstrip().startswith("#")
        ):
            last -= 1
        s = spans[path]
        spans[path] = Span(s.line, s.col, s.end_col, header=True, last_line=last)


def find(spans: dict[KeyPath, Span], path: KeyPath) -> tuple[KeyPath, Span] | None:
    """The span of `path`; else the first line inside it; else its nearest named ancestor.

    A table the text never names by itself still has a place: `[typo_table.x]` defines
    `typo_table`, `[[regions]]` defines `regions`, `[parties.kuopio.decision]` defines
    `parties.kuopio`. A finding about such a table points at the first header (or key) within.
    """
    span = spans.get(path)
    if span is not None:
        return path, span
    inside = _first_inside(spans, path)
    if inside is not None:
        return inside
    for n in range(len(path) - 1, 0, -1):
        span = spans.get(path[:n])
        if span is not None:
            return path[:n], span
    return None


def _first_inside(spans: dict[KeyPath, Span], path: KeyPath) -> tuple[KeyPath, Span] | None:
    """The span that comes first in the text among those below `path`, if any."""
    if not path:
        return None
    depth = len(path)
    below = [(p, s) for p, s in spans.items() if len(p) > depth and p[:depth] == path]
    return min(below, key=lambda item: (item[1].line, item[1].col), default=None)


def enclosing_header(spans: dict[KeyPath, Span], path: KeyPath) -> Span | None:
    """The header of the table that holds `path`, if the text has one."""
    for n in range(len(path) - 1, 0, -1):
        span = spans.get(path[:n])
        if span is not None and span.header:
            return span
    return None
