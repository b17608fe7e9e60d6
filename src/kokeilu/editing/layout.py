"""The layouts of tables an edit cannot be written into, and the check that it was written right.

tomlkit writes some layouts wrongly, or not at all: a table written in parts, an array of tables
split around other tables, dotted keys. `LayoutError` names such a layout and where it stands;
`rewritten` says why tomlkit would rewrite lines an edit does not change; `not_a_table` refuses an
edit that writes a key into a value that is not a table. `made` checks that the data a written
text reads as is the data before the edit with the edit's changes made, and nothing else changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kokeilu.editing.edits import MISSING, Edit, data_value, is_insert, value_at
from kokeilu.registry.keys import dotted
from kokeilu.registry.load import Document
from kokeilu.registry.locate import find
from kokeilu.registry.model import KeyPath
from kokeilu.registry.schema import toml_type
from kokeilu.text.strings import t


class LayoutError(Exception):
    """An edit that tomlkit cannot write into the file as the table at `path` is laid out.

    `layout` names the layout (a key of `layout.*` in the catalogue); `header` is the table
    header the user could write instead, so that kokeilu can make the edit.
    """

    def __init__(
        self,
        layout: str,
        path: KeyPath,
        header: KeyPath | None = None,
        line: int | None = None,
        col: int | None = None,
        actual: str = "",
    ):
        super().__init__(f"{layout}: {path}")
        self.layout = layout
        self.path = path
        self.header = header if header is not None else path
        # What stands at `path` instead of a table, in words (`not_table` and `not_array`).
        self.actual = actual
        # Where the layout stands, when known without looking `path` up in the text.
        self.line = line
        self.col = col

    def describe(self, line: int | None, col: int | None) -> str:
        """The refusal in the user's words, placed at `line`:`col` when known."""
        where = t("layout.at", line=line, col=col) if line is not None else ""
        return t(
            f"layout.{self.layout}",
            what=(self.path[0] if self.layout in _ARRAYS else toml_path(self.path))
            if self.path
            else t("layout.top"),
            at=where,
            header=toml_path(self.header),
            actual=self.actual,
        )


_ARRAYS = ("split_aot", "aot_between")  # layouts named by an array's header as written


def toml_path(path: KeyPath) -> str:
    """A registry path as a TOML key, as a header names it: parties.kuopio.decision."""
    return dotted(path, indices=False)


def rewritten(text: str, rendered: str) -> LayoutError:
    """Why tomlkit, reading `text` and writing it back unchanged, wrote `rendered` instead.

    An array of tables written in parts around other tables is read by tomlkit as one array and
    written back in one place; anything else is named by the first line that would change.
    """
    lines = text.splitlines()
    headers = []  # (line, column, name, whether an array of tables), in file order
    for number, line in enumerate(lines, 1):
        header = _AOT_HEADER.match(line) or _TABLE_HEADER.match(line)
        if header is not None:
            col = len(line) - len(line.lstrip()) + 1
            headers.append((number, col, header.group(1).strip(), line.lstrip().startswith("[[")))
    seen: set[str] = set()
    for k, (number, col, name, aot) in enumerate(headers):
        if not aot:
            continue
        if name in seen and headers[k - 1][2:] != (name, True):
            return LayoutError("split_aot", (name,), line=number, col=col)
        seen.add(name)
        # Between two tables of one group ([caseloads."2020-01"] … [caseloads."2020-02"]).
        before = _top_name(headers[k - 1][2]) if k and not headers[k - 1][3] else None
        after = next((h[2] for h in headers[k + 1 :] if h[2] != name), None)
        if before is not None and after is not None and before == _top_name(after) != name:
            return LayoutError("aot_between", (name,), (before,), line=number, col=col)
    other = rendered.splitlines()
    number = next(
        (n for n, (a, b) in enumerate(zip(lines, other, strict=False), 1) if a != b),
        min(len(lines), len(other)) + 1,
    )
    return LayoutError("rewritten", (), line=number, col=1)


def _top_name(header: str) -> str:
    """The first key of a header's dotted name, unquoted: `caseloads` of `caseloads."2020-01"`."""
    first = _FIRST_KEY.match(header)
    return first.group(1).strip("\"'") if first else header


_FIRST_KEY = re.compile(r"""\s*("[^"]*"|'[^']*'|[^.\s]+)""")
_AOT_HEADER = re.compile(r"^\s*\[\[([^\]]*)\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[([^\[\]][^\]]*)\]")


def writing_table(data: Mapping[str, Any], edit: Edit) -> LayoutError:
    """The refusal of `edit` for want of a better reason: the deepest table its first change
    writes into that `data` holds, and the header of the table it writes, to suggest."""
    if not edit.changes:
        return LayoutError("other", ())
    change = edit.changes[0]
    path = change.path
    table: KeyPath = ()
    for n in range(len(path) - 1, 0, -1):
        if isinstance(value_at(data, path[:n]), Mapping | list):
            table = path[:n]
            break
    written = len(path) > len(table) + 1 or isinstance(change.new, Mapping)
    return LayoutError("other", table, path[: len(table) + 1] if written else table)


def not_a_table(data: Mapping[str, Any], edit: Edit) -> LayoutError | None:
    """The refusal of an edit that would write into something that is not a table.

    `caseloads = 5`, `[[caseloads."2020-12"]]` or `"2020-12" = 7` under `[caseloads]` are findings
    of `kokeilu check`; an edit that writes a key into one of them has nowhere to put it. It is
    refused before anything is applied, naming the value and what stands there instead.
    """
    for change in edit.changes:
        path = change.path
        node: Any = data
        for depth, part in enumerate(path[:-1]):
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break  # missing here: the edit makes it, as a table
            below = path[depth + 1]
            wants_array = isinstance(below, int)
            if isinstance(node, list) if wants_array else isinstance(node, Mapping):
                continue
            written = path if isinstance(change.new, Mapping) else path[:-1]
            return LayoutError(
                "not_array" if wants_array else "not_table",
                path[: depth + 1],
                header=written,
                actual=_kind_of(node),
            )
    return None


def _kind_of(value: Any) -> str:
    """What a value that is not a table is, in words: "an array of tables ([[...]])", "a value
    of type integer"."""
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        return t("type.array_of_tables")
    if isinstance(value, Mapping):
        return t("type.table")
    return t("layout.value_of_type", type=toml_type(value))


def same_data(a: Any, b: Any) -> bool:
    """Whether two parsed registries hold the same data: the same types (1 is not true), in any
    order of keys, an empty table the same as none (`[people]` with no one in it)."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        keys = {k for k, v in a.items() if not _empty(v)}
        if keys != {k for k, v in b.items() if not _empty(v)}:
            return False
        return all(same_data(a[k], b[k]) for k in keys)
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _empty(value: Any) -> bool:
    return isinstance(value, Mapping) and all(_empty(v) for v in value.values())


def placed(document: Document, edit: Edit, refusal: LayoutError | None) -> LayoutError:
    """`refusal` (or, for want of one, `writing_table`'s) with its line and column in the file.

    A table with no header of its own ([caseloads] of [caseloads."2020-01"]) is placed at its
    first key or table.
    """
    if refusal is None:
        refusal = writing_table(document.data, edit)
    if refusal.line is None and refusal.path:
        spans = document.spans
        found = find(spans, refusal.path)
        inside = [s for p, s in spans.items() if p[: len(refusal.path)] == refusal.path]
        span = found[1] if found else min(inside, key=lambda s: (s.line, s.col), default=None)
        if span is not None:
            refusal.line, refusal.col = span.line, span.col
    return refusal


# --- Was the edit written as meant? --------------------------------------------------------------


def made(before: Mapping[str, Any], after: Mapping[str, Any], edit: Edit) -> bool:
    """Whether `after` is `before` with `edit`'s changes made and nothing else changed.

    tomlkit writes some layouts wrongly without a word (a key in the wrong table, an order
    changed): what it wrote is read back and held to this. Each changed path must hold its new
    value (a removed one nothing, or an empty table); an array of tables whose items move (an
    item added or removed) must hold its items in their new order; every other value, the same.
    Empty tables count as none, and the order of keys does not count.
    """
    moving = {
        c.path[:-1]
        for c in edit.changes
        if isinstance(c.path[-1], int) and (c.new is MISSING or is_insert(c))
    }
    for array in moving:
        if not _array_made(before, after, array, edit):
            return False
    changes = edit.changes
    for n, change in enumerate(changes):
        path = change.path
        if any(_under(path, array) for array in moving):
            continue  # held with its array above
        later = changes[n + 1 :]
        if any(_under(c.path, path) or _under(path, c.path) or c.path == path for c in later):
            continue  # made over again by a later change: that one is held
        if not _holds(value_at(after, path), change.new):
            return False
    return _unchanged_but(before, after, (), {c.path for c in changes} | moving)


def _under(path: KeyPath, table: KeyPath) -> bool:
    return len(path) > len(table) and path[: len(table)] == table


def _holds(found: Any, new: Any) -> bool:
    if new is MISSING:
        return found is MISSING or _empty(found)
    return same_data(found, data_value(new))


def _unchanged_but(a: Any, b: Any, at: KeyPath, skip: set[KeyPath]) -> bool:
    """Whether `a` and `b` hold the same data outside the paths in `skip` (below `at`)."""
    if at in skip:
        return True
    if not any(_under(p, at) for p in skip):
        return same_data(a, b) if a is not MISSING and b is not MISSING else _empty(a or b or {})
    if a is MISSING and isinstance(b, Mapping):
        a = {}
    if b is MISSING and isinstance(a, Mapping):
        b = {}
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        keys = {k for k, v in a.items() if not _empty(v)} | {
            k for k, v in b.items() if not _empty(v)
        }
        return all(
            _unchanged_but(a.get(k, MISSING), b.get(k, MISSING), (*at, k), skip) for k in keys
        )
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return all(
            _unchanged_but(x, y, (*at, i), skip) for i, (x, y) in enumerate(zip(a, b, strict=True))
        )
    return False


def _array_made(before: Any, after: Any, array: KeyPath, edit: Edit) -> bool:
    """Whether the array of tables at `array` holds its items as `edit` orders them.

    An item changed inside (a key of it set) as well as moved is not compared: its changes are
    the rare "together" of two edits of one agreement, and its place is still checked.
    """
    old = value_at(before, array)
    old = old if isinstance(old, list) else []
    slots: list[tuple[str, Any]] = [("old", item) for item in old]
    for change in edit.changes:
        if not _under(change.path, array):
            continue
        index = change.path[len(array)]
        if not isinstance(index, int):
            return False  # a key under what the edit orders as an array: it cannot hold
        if len(change.path) > len(array) + 1:
            if 0 <= index < len(slots):
                slots[index] = ("any", None)
            continue
        if is_insert(change):
            slots.insert(index, ("new", data_value(change.new)))
        elif change.new is MISSING:
            if 0 <= index < len(slots):
                del slots[index]
        elif 0 <= index < len(slots):
            slots[index] = ("new", data_value(change.new))
    new = value_at(after, array)
    new = new if isinstance(new, list) else []
    return len(new) == len(slots) and all(
        kind == "any" or same_data(item, value)
        for (kind, value), item in zip(slots, new, strict=True)
    )
