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

import re
import tomllib
from collections.abc import Callable
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
    headers = [h for h in _HEADER.finditer(text) if _at_line_start(text, h.start())]
    if not headers:
        return None
    first = headers[0].start()
    if text.find('"""', first) >= 0 or text.find("'''", first) >= 0:
        return None
    rest: list[str] = []
    periods: list[str] = []
    tables: list[dict[str, int]] = []
    done = 0
    for header in headers:
        start, end = header.span()
        if start < done:  # cannot happen: a body stops before any `[`; but never read twice
            return None
        rest.append(text[done:end])
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
        periods.append(header.group(1))
        tables.append(counts)
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
    return data


def _at_line_start(text: str, pos: int) -> bool:
    """Whether only spaces and tabs stand between the start of `pos`'s line and `pos`."""
    line = text.rfind("\n", 0, pos) + 1
    return _INDENT.match(text, line).end() == pos  # type: ignore[union-attr]
