"""Value edits written straight into the text: only the changed values' characters change.

To change one number of a 1 MB registry, parsing it with tomlkit takes seconds and rendering it
again ~150 ms. An edit that only replaces values already in the file (a caseload, a status, a
decision's date) needs neither: each new value is rendered as tomlkit renders it (`toml_writer.apply`
then `as_string`) and put into the text where the old value stood, so the result is the same
text byte for byte (a property test holds the two to it). Anything else — a key or a table added
or removed, a value inside an inline table, a table without a header of its own, a file with
multi-line strings or arrays — is left to tomlkit: `splice` returns None. So is a new value that
would not read back as the value the edit means.
"""

from __future__ import annotations

import bisect
import datetime as dt
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from kokeilu.editing.edits import MISSING, Edit, data_value, toml_scalar, value_at
from kokeilu.registry.keys import BARE, escaped
from kokeilu.registry.locate import value_end
from kokeilu.registry.model import ID_RE, KeyPath


def splice(text: str, data: Mapping[str, Any], edit: Edit) -> str | None:
    """`text` after `edit`, when every change replaces a one-line value `text` holds; else None.

    `data` is what `text` reads as (tomllib with Decimal floats): each old value found in the
    text must read back as the value `data` holds there, or nothing is spliced.
    """
    spliced = splice_pieces(text, data, edit)
    return None if spliced is None else spliced[0]


Pieces = list[tuple[int, int, int]]


def splice_pieces(
    text: str, data: Mapping[str, Any], edit: Edit, headers: list[int] | None = None
) -> tuple[str, Pieces, list[int] | None] | None:
    """`splice`, the pieces of `text` it replaced (start, end, and the new length, in order),
    and where each table header's line starts in the new text (None when not looked for).

    `headers`, when given, are where they start in `text` (from the splice that made it):
    finding them costs more than the rest of a splice into a large file.
    """
    if not edit.changes:
        return text, [], headers
    if len({c.path for c in edit.changes}) != len(edit.changes):
        return None
    if headers is None:
        headers = _header_lines(text)
        if headers is None:
            return None
    pieces: list[tuple[int, int, str]] = []
    for change in edit.changes:
        old = value_at(data, change.path)
        if old is MISSING or change.new is MISSING or not _simple_path(change.path):
            return None
        span = _value_span(text, headers, change.path)
        if span is None:
            return None
        start, end = span
        old_text = text[start:end]
        if not _reads_as(old_text, old):
            return None
        new_text = _render_over(change.new, old_text, old)
        if new_text is None or not _reads_as(new_text, data_value(change.new)):
            return None  # the store's safety net: the text must read as the data the edit means
        pieces.append((start, end, new_text))
    pieces.sort()
    out: list[str] = []
    at = 0
    for start, end, new_text in pieces:
        out += (text[at:start], new_text)
        at = end
    out.append(text[at:])
    replaced = [(start, end, len(new_text)) for start, end, new_text in pieces]
    return "".join(out), replaced, _shifted(headers, pieces)


def _shifted(headers: list[int], pieces: list[tuple[int, int, str]]) -> list[int]:
    """The header lines after each piece's value (all within one line) took its new length."""
    out = []
    shift = 0
    k = 0
    for h in headers:
        while k < len(pieces) and pieces[k][0] < h:
            start, end, new_text = pieces[k]
            shift += len(new_text) - (end - start)
            k += 1
        out.append(h + shift)
    return out


# --- Rendering, as tomlkit renders a value it is given --------------------------------------------


def _render_over(value: Any, old_text: str = "", old: Any = None) -> str | None:
    """`value` in TOML as tomlkit writes it over `old` (written `old_text`); None if not a scalar.

    An integer written with digit groups (4_300_000) stays grouped, as `toml_writer._like` keeps it.
    """
    value = toml_scalar(value)
    if (
        type(value) is int
        and isinstance(old, int)
        and not isinstance(old, bool)
        and "_" in old_text
    ):
        return f"{value:_}"
    return _render(value)


def _render(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return '"' + escaped(value) + '"'
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        s = f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
        if value.microsecond:
            s += f".{value.microsecond:06d}".rstrip("0")
        return s
    if isinstance(value, list | tuple):
        if any(isinstance(v, Mapping) for v in value):
            return None  # inline tables or an array of tables: tomlkit's to write
        items = [_render(v) for v in value]
        if any(i is None for i in items):
            return None
        return "[" + ", ".join(items) + "]"  # type: ignore[arg-type]
    return None


# --- Finding a value in the text ---------------------------------------------------------------


def _header_lines(text: str) -> list[int] | None:
    """Where each table header's line starts, or None when a value spans lines.

    With every value on one line, a line that starts with `[` is a header and nothing else.
    Multi-line strings are seen by their delimiters; a multi-line array or inline table opens
    with a `[` inside a line, and each such line is checked to be whole.
    """
    if '"""' in text or "'''" in text:
        return None
    starts: list[int] = []
    pos = text.find("[")
    while pos >= 0:
        line_start = text.rfind("\n", 0, pos) + 1
        line_end = text.find("\n", pos)
        if line_end < 0:
            line_end = len(text)
        if not text[line_start:pos].strip(" \t"):
            starts.append(line_start)
        elif not _whole(text[line_start:line_end]):
            return None
        pos = text.find("[", line_end)
    return starts


def _whole(line: str) -> bool:
    """Whether a line is TOML by itself: a value that ends on the line it starts."""
    try:
        tomllib.loads(line.removesuffix("\r"))
    except tomllib.TOMLDecodeError:
        return False
    return True


def _simple_path(path: KeyPath) -> bool:
    """A key of a table named by a header: strings, or an index right after the first name."""
    return (
        len(path) >= 1
        and isinstance(path[-1], str)
        and all(isinstance(p, str) or (i == 1 and len(path) == 3) for i, p in enumerate(path))
    )


def _spellings(name: str) -> list[str]:
    """The ways a key can be written without escapes, the registry's own way first.

    The registry writes an id bare and anything else ("2020-01") as a "basic" string.
    """
    out = []
    if ID_RE.match(name):
        out.append(name)
    out.append('"' + escaped(name) + '"')
    if name and all(c in BARE for c in name) and not ID_RE.match(name):
        out.append(name)
    if "'" not in name and not any((c < " " and c != "\t") or c == "\x7f" for c in name):
        out.append("'" + name + "'")
    return out


def _is_header(text: str, headers: list[int], at: int, length: int) -> bool:
    """Whether `text[at:at+length]` is a whole header: a header line's start, then a comment at most."""
    line_start = text.rfind("\n", 0, at) + 1
    k = bisect.bisect_left(headers, line_start)
    if k == len(headers) or headers[k] != line_start or text[line_start:at].strip(" \t"):
        return False
    rest = _line_rest(text, at + length)
    return not rest.strip(" \t") or rest.lstrip(" \t").startswith("#")


def _line_rest(text: str, at: int) -> str:
    end = text.find("\n", at)
    return text[at : end if end >= 0 else len(text)].removesuffix("\r")


def _header_at(text: str, headers: list[int], table: KeyPath) -> int | None:
    """Where the line of `table`'s header ends, when the header is written in one of the plain ways.

    TOML defines a table once, so one header names it (an array of tables: one per item).
    """
    if len(table) == 2 and isinstance(table[1], int):
        wanted = [f"[[{s}]]" for s in _spellings(str(table[0]))]
        index: int | None = table[1]
    else:
        combos = [""]
        for part in table:
            combos = [f"{c}.{s}" if c else s for c in combos for s in _spellings(str(part))]
            if len(combos) > 27:
                return None
        wanted = [f"[{c}]" for c in combos]
        index = None
    found: list[int] = []
    for spelling in wanted:
        at = text.find(spelling)
        while at >= 0:
            if _is_header(text, headers, at, len(spelling)):
                found.append(at)
                if index is None:
                    break  # the one header of this table
            at = text.find(spelling, at + 1)
        if found and index is None:
            break
    found.sort()
    if index is None:
        if len(found) != 1:
            return None
        index = 0
    if index >= len(found):
        return None
    end = text.find("\n", found[index])
    return len(text) if end < 0 else end


def _value_span(text: str, headers: list[int], path: KeyPath) -> tuple[int, int] | None:
    """Start and end of the value of `path` in `text`, when its key is on a line of its table."""
    section = _header_at(text, headers, path[:-1]) if len(path) > 1 else 0
    if section is None:
        return None
    k = bisect.bisect_right(headers, section) if len(path) > 1 else 0
    section_end = headers[k] if k < len(headers) else len(text)
    hits = []
    for spelling in _spellings(str(path[-1])):
        at = text.find(spelling, section, section_end)
        while at >= 0:
            line_start = text.rfind("\n", 0, at) + 1
            after = at + len(spelling)
            rest = _line_rest(text, after)
            if not text[line_start:at].strip(" \t") and rest.lstrip(" \t").startswith("="):
                hits.append(after + len(rest) - len(rest.lstrip(" \t")) + 1)
            at = text.find(spelling, at + 1, section_end)
    if len(hits) != 1:
        return None
    line = _line_rest(text, hits[0])
    at = len(line) - len(line.lstrip(" \t"))
    end = value_end(line, at)
    rest = line[end:].lstrip(" \t")
    if rest and not rest.startswith("#"):
        return None
    return hits[0] + at, hits[0] + end


def _reads_as(value_text: str, expected: Any) -> bool:
    """Whether `value_text` is exactly the TOML value `expected` (types too: 1 is not true)."""
    try:
        found = tomllib.loads(f"v = {value_text}", parse_float=Decimal)["v"]
    except tomllib.TOMLDecodeError:
        return False
    return _identical(found, expected)


def _identical(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_identical(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_identical(a[k], b[k]) for k in a)
    return a == b
