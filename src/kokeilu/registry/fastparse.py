"""TOML parsing as tomllib does it, with a fast path for the registry's caseload tables.

The `[caseloads."YYYY-MM"]` tables, one `party = count` line each, are most of a large registry's
text and of tomllib's time. When they are written in the plain form that kokeilu writes (bare
keys, decimal integers, comments, blank lines), this module reads their lines with one strict
regular expression each and leaves only the rest of the file to tomllib. Whenever anything is not
plainly in that form it parses the whole text with tomllib instead, so the result, and every error
with its line and column, is always exactly tomllib's.

Why the split cannot change the text's meaning:

- The rest is the text with each caseload table's body taken out; the header lines stay. So
  tomllib still sees every header, in order: a header that is not a header in the whole text
  (inside a multi-line array, say) is an error in the rest too, and a period defined twice is too.
- Each body line taken out is one complete statement (`key = integer`, a comment or a blank line)
  that sets a key in the table its header opened, and nothing else.
- Multi-line strings could hide a header, or make a body line part of a string: any `\"\"\"` or
  `'''` from the first caseload header onward sends the whole text to tomllib.
- After the rest is parsed, `caseloads` must hold exactly the periods whose bodies were taken out,
  in the same order, each still empty: anything else that names a caseload table (`[caseloads]`
  with keys, dotted keys, another spelling of a header, a sub-table) sends the text to tomllib.
- A duplicate key within a body, a body that ends on a line that is not a header, a number with a
  leading zero or too many digits: the same.

Some of these guards overlap (a body that ends on a line not a header also leaves its table
non-empty in the rest); each is kept so that no one of them carries the whole argument.
`tests/test_fastparse.py` compares this module with tomllib on generated and mutated registries.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# A header exactly `[caseloads."YYYY-MM"]`, whitespace and a comment allowed after it. Whether
# only whitespace stands before it on its line is checked apart, so the search looks for the
# literal text.
_COMMENT = r"#[^\x00-\x08\x0a-\x1f\x7f]*"
_HEADER = re.compile(
    r'\[caseloads\."([0-9]{4}-[0-9]{2})"\][ \t]*(?:' + _COMMENT + r")?(?:\r?\n|\Z)"
)
_INDENT = re.compile(r"[ \t]*")
# TOML decimal integers without leading zeros; short enough for int() on every Python.
_INT = r"[+-]?(?:0|[1-9](?:_?[0-9]){0,30})"
_KEY = r"[A-Za-z0-9_-]+"
# Body lines as kokeilu writes them, `key = 123`: read by splitting on whitespace.
_PLAIN = re.compile(r"(?:" + _KEY + r" = (?:0|[1-9][0-9]{0,30})\n)*")
# Every line a body may have: `key = integer`, comments and blank lines, LF or CRLF.
_BODY = re.compile(
    r"(?:[ \t]*(?:" + _KEY + r"[ \t]*=[ \t]*" + _INT + r"[ \t]*)?(?:" + _COMMENT + r")?"
    r"(?:\r?\n|\Z))*"
)
_PAIR = re.compile(r"^[ \t]*(" + _KEY + r")[ \t]*=[ \t]*(" + _INT + r")", re.M)
# What may follow a body: the next header (any), or the end of the text.
_NEXT = re.compile(r"[ \t]*\[")


def loads(text: str, parse_float: Callable[[str], Any] = float) -> dict[str, Any]:
    """What `tomllib.loads(text, parse_float=parse_float)` gives, or the error it raises."""
    data = fast_loads(text, parse_float)
    if data is None:
        return tomllib.loads(text, parse_float=parse_float)
    return data


def fast_loads(text: str, parse_float: Callable[[str], Any] = float) -> dict[str, Any] | None:
    """tomllib's result by the fast path, or None where only a full parse is sure to be exact."""
    read = fast_read(text, parse_float)
    return None if read is None else read[0]


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the caseload tables' bodies stand in a text the fast path read: each period, and
    the start and end of its body (after its header line, up to the next header or the end)."""

    periods: tuple[str, ...]
    bodies: tuple[tuple[int, int], ...]


def fast_read(
    text: str, parse_float: Callable[[str], Any] = float
) -> tuple[dict[str, Any], Layout] | None:
    """`fast_loads`, and where the caseload bodies it read stand in `text`."""
    headers = [h for h in _HEADER.finditer(text) if _at_line_start(text, h.start())]
    if not headers:
        return None
    first = headers[0].start()
    if text.find('"""', first) >= 0 or text.find("'''", first) >= 0:
        return None
    rest: list[str] = []
    periods: list[str] = []
    tables: list[dict[str, int]] = []
    bodies: list[tuple[int, int]] = []
    done = 0
    for header in headers:
        start, end = header.span()
        if start < done:  # cannot happen: a body stops before any `[`; but never read twice
            return None
        rest.append(text[done:end])
        body = _body(text, end)
        if body is None:
            return None
        counts, done = body
        periods.append(header.group(1))
        tables.append(counts)
        bodies.append((end, done))
    rest.append(text[done:])
    try:
        data = tomllib.loads("".join(rest), parse_float=parse_float)
    except tomllib.TOMLDecodeError:
        return None
    caseloads = data.get("caseloads")
    if not isinstance(caseloads, dict) or list(caseloads) != periods:
        return None
    for period, counts in zip(periods, tables, strict=True):
        table = caseloads[period]
        if not isinstance(table, dict) or table:
            return None
        table.update(counts)
    return data, Layout(tuple(periods), tuple(bodies))


def _body(text: str, end: int) -> tuple[dict[str, int], int] | None:
    """The counts of the caseload body that starts at `end` (after its header), and where it
    ends; None when it is not plainly in form (a key given twice, a line of another kind)."""
    plain = _PLAIN.match(text, end).end()  # type: ignore[union-attr]
    done = _BODY.match(text, plain).end()  # type: ignore[union-attr]
    if done < len(text) and not _NEXT.match(text, done):
        return None
    parts = text[end:plain].split()
    counts = dict(zip(parts[0::3], map(int, parts[2::3]), strict=True))
    pairs = _PAIR.findall(text, plain, done)
    counts.update((key, int(value)) for key, value in pairs)
    if len(counts) != len(parts) // 3 + len(pairs):  # a key given twice
        return None
    return counts, done


def reread(
    data: dict[str, Any], layout: Layout, text: str, pieces: list[tuple[int, int, int]]
) -> tuple[dict[str, Any], Layout, tuple[str, ...]] | None:
    """What `text` reads as, when it is the text `data` and `layout` were read from with each
    piece `(start, end, length)` (sorted, not overlapping) replaced by `length` new characters.

    When every piece lies inside one caseload body, the rest of the text is the same, character
    for character, as that of the text `data` was read from, so it reads the same: only the
    bodies touched are read again, each of which must still end where its next header starts.
    Returns the data (sharing what did not change), the new layout, and the periods read again;
    None when a piece is elsewhere or a body is no longer plainly in form: read the whole text.
    """
    bodies = layout.bodies
    starts = [start for start, _ in bodies]
    growth = [0] * len(bodies)
    touched: dict[int, None] = {}
    for start, end, length in pieces:
        i = bisect.bisect_right(starts, start) - 1
        if i < 0 or not (bodies[i][0] <= start <= end <= bodies[i][1]):
            return None
        growth[i] += length - (end - start)
        touched[i] = None
    moved: list[tuple[int, int]] = []
    shift = 0
    for (start, end), grown in zip(bodies, growth, strict=True):
        moved.append((start + shift, end + shift + grown))
        shift += grown
    caseloads = dict(data["caseloads"])
    for i in touched:
        body = _body(text, moved[i][0])
        if body is None or body[1] != moved[i][1]:
            return None
        caseloads[layout.periods[i]] = body[0]
    periods = tuple(layout.periods[i] for i in touched)
    return {**data, "caseloads": caseloads}, Layout(layout.periods, tuple(moved)), periods


def _at_line_start(text: str, pos: int) -> bool:
    """Whether only spaces and tabs stand between the start of `pos`'s line and `pos`."""
    line = text.rfind("\n", 0, pos) + 1
    return _INDENT.match(text, line).end() == pos  # type: ignore[union-attr]
