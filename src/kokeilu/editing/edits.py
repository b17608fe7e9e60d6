"""Edits as typed operations on the registry: each says what it does in words, applies itself to
the format-preserving tomlkit document, and gives its inverse.

An edit is a list of field changes, each with the value it expects to find (`old`) and the value it
writes (`new`). Keeping `old` makes the inverse trivial (undo), and lets the save path see whether
the field changed underneath since the user saw it (a conflict) before it writes anything.
Only the changed values are touched; comments, order and formatting elsewhere stay as they were.
A key goes in written as the table it joins is (dotted keys, an inline table, the last part of
a table written in parts); a layout tomlkit cannot write into raises `LayoutError`, and the save
path refuses whatever does not read back as the data the edit means (`same_data`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from kokeilu.registry.model import ID_RE, KeyPath
from kokeilu.registry.schema import toml_type
from kokeilu.text.display import date as fi_date
from kokeilu.text.display import literal
from kokeilu.text.strings import Phrase, speaking, t


class _Missing:
    """The value of a key that is not there."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


@dataclass(frozen=True, slots=True)
class Change:
    """One value at one path: what the editor saw there (`old`) and what they want (`new`)."""

    path: KeyPath
    old: Any
    new: Any

    def inverse(self) -> Change:
        """The change that puts `old` back."""
        return Change(self.path, self.new, self.old)


@dataclass(frozen=True, slots=True)
class Edit:
    """A user's edit: its kind and words, and the changes it makes, in order."""

    kind: str
    params: tuple[tuple[str, Any], ...]
    changes: tuple[Change, ...]
    undo: bool = False

    def describe(self, language: str | None = None) -> str:
        """The edit in words, as a commit message or an undo notice says it: one line, in
        `language` (a commit's: the registry's, whoever saves), else the user's.

        Names in it are registry data, so each is shown `literal`: a name cannot add a line
        (a forged `Signed-off-by:` trailer), a NUL (which git's argument list refuses) or an
        escape sequence to the message. Words not said yet (a `Phrase`, the edits of
        `together`, anything with `words()`) are said now, in that language.
        """

        def said(v: Any) -> Any:
            if isinstance(v, int | Decimal):
                return v
            if isinstance(v, tuple) and all(isinstance(e, Edit) for e in v):
                return "; ".join(e.describe() for e in v)
            return literal(v.words() if callable(getattr(v, "words", None)) else str(v))

        with speaking(language):
            text = t(f"edit.{self.kind}", **{k: said(v) for k, v in self.params})
            return t("edit.undo", what=text) if self.undo else text

    def inverse(self) -> Edit:
        """The edit that undoes this one."""
        return replace(
            self, changes=tuple(c.inverse() for c in reversed(self.changes)), undo=not self.undo
        )

    @property
    def empty(self) -> bool:
        """True when the edit changes nothing."""
        return not self.changes


# --- Reading values -----------------------------------------------------------------------------


def value_at(data: Any, path: KeyPath) -> Any:
    """The plain value at `path` in parsed data (tomllib dicts or a tomlkit document), or MISSING."""
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return MISSING
    return plain(node)


def plain(value: Any) -> Any:
    """A value as plain Python, comparable whatever read it: tomlkit items unwrapped, floats exact."""
    unwrap = getattr(value, "unwrap", None)
    if unwrap is not None:
        value = unwrap()
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def same(a: Any, b: Any) -> bool:
    """Whether two values are the same registry value (61.5 and Decimal('61.5') are)."""
    return plain(a) == plain(b)


# --- Applying to a tomlkit document ---------------------------------------------------------------


def toml_scalar(value: Any) -> Any:
    """A plain value as it is given to tomlkit: exact decimals as the shortest int or float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [toml_scalar(v) for v in value]
    return value


def _toml_value(value: Any) -> Any:
    """A plain value as tomlkit writes it: exact decimals as the shortest int or float."""
    import tomlkit

    if isinstance(value, Decimal):
        return toml_scalar(value)
    if isinstance(value, Mapping):
        table = _new_table()
        for k, v in value.items():
            table[k] = _toml_value(v)
        return table
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        aot = tomlkit.aot()
        for v in value:
            aot.append(_toml_value(v))
        return aot
    if isinstance(value, list):
        return [_toml_value(v) for v in value]
    return value


def _key(name: str) -> Any:
    """A key as the registry writes it: bare when it can be, else quoted ("2020-01")."""
    import tomlkit
    from tomlkit.items import KeyType, SingleKey

    if ID_RE.match(name):
        return tomlkit.key(name)
    return SingleKey(name, t=KeyType.Basic)


def is_insert(change: Change) -> bool:
    """An item added to an array of tables at an index: the items after it move up one."""
    return isinstance(change.path[-1], int) and change.old is MISSING


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
    """A registry path as a TOML key: parties.kuopio.decision, caseloads."2020-01"."""
    parts = []
    for part in path:
        if isinstance(part, int):
            continue  # an item of an array of tables has no name of its own
        parts.append(part if ID_RE.match(part) else '"' + _basic(part) + '"')
    return ".".join(parts)


def _basic(text: str) -> str:
    return "".join(
        "\\" + c if c in '"\\' else (f"\\u{ord(c):04x}" if c < " " or c == "\x7f" else c)
        for c in text
    )


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


def read_back(text: str) -> dict[str, Any] | None:
    """`text` read as the registry is read (floats exact), or None when it is not TOML."""
    import tomllib

    from kokeilu.registry import fastparse

    try:
        return fastparse.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError:
        return None


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


def apply(doc: Any, edit: Edit) -> None:
    """Make `edit`'s changes in the tomlkit document `doc`, in order.

    Raises `LayoutError` for a layout it cannot write into; the save path also checks that the
    text tomlkit then writes reads back as the data the edit means.
    """
    for change in edit.changes:
        _set(doc, change)


def _set(doc: Any, change: Change) -> None:
    import tomlkit

    path, value = change.path, change.new
    node = doc
    for depth, part in enumerate(path[:-1]):
        if isinstance(part, int):
            node = node[part]
            continue
        if part not in node:
            if value is MISSING:
                return  # nothing to remove
            # An array of tables ([[service_agreements]]) where the next part is an index.
            array = isinstance(path[depth + 1], int)
            if _inline(node):
                child = tomlkit.array() if array else tomlkit.inline_table()
            elif _dotted(doc, path[:depth]) and not array:
                nested = value
                for key in reversed(path[depth + 1 :]):
                    if isinstance(key, int):
                        raise LayoutError("other", path[:depth])
                    nested = {key: nested}
                _append_dotted(doc, path[:depth], part, nested)
                return
            else:
                child = tomlkit.aot() if array else _new_table()
            _append(node, part, child, path[:depth])
        node = node[part]
    last = path[-1]
    if isinstance(last, int):
        new = _inline_value(value) if _inline(node) else _toml_value(value)
        if value is MISSING:
            del node[last]
            if not len(node):  # the last item gone: no empty `key = []` left behind
                parent = _node(doc, path[:-2])
                del parent[path[-2]]
        elif is_insert(change):
            if last >= len(node):
                node.append(new)
            else:
                node.insert(last, new)
        else:
            node[last] = new
        return
    if value is MISSING:
        if last in node:
            _keep_trailing_comments(doc, node, last)
            _delete(node, last)
            _tidy_inline(doc, path[:-1])
        return
    new = _inline_value(value) if _inline(node) else _toml_value(value)
    if last in node:
        node[last] = _like(node[last], new)
    elif not _inline(node) and _dotted(doc, path[:-1]):
        _append_dotted(doc, path[:-1], last, value)
    else:
        _append(node, last, new, path[:-1])
        _tidy_inline(doc, path[:-1])


def _delete(node: Any, key: str) -> None:
    """Remove `key` from a table; from a table written in parts, from the part that holds it.

    tomlkit's own way with parts also drops a part left empty, and in doing so moves the
    items of an array of tables written around it.
    """
    from tomlkit.container import OutOfOrderTableProxy

    if isinstance(node, OutOfOrderTableProxy):
        holders = [part for part in node._tables if key in part]
        if len(holders) == 1:
            del holders[0][key]
            return
    del node[key]


def _body(node: Any) -> list[tuple[Any, Any]]:
    """The keys and items a table holds in the text, all its parts together."""
    from tomlkit.container import Container, OutOfOrderTableProxy
    from tomlkit.items import Table

    if isinstance(node, OutOfOrderTableProxy):
        return [entry for part in node._tables for entry in part.value.body]
    if isinstance(node, Table):
        return node.value.body
    if isinstance(node, Container):
        return node.body
    return []


def _headed(doc: Any, table: KeyPath) -> int:
    """How much of `table`'s path is written with headers: `table[:n]` has a header of its own
    (or is the top level), and the rest is written as dotted keys (`decision.outcome = …`)."""
    node, n = doc, 0
    for i, part in enumerate(table):
        dotted = isinstance(part, str) and any(
            key is not None and key.key == part and key.is_dotted() for key, _ in _body(node)
        )
        if not dotted:
            n = i + 1
        node = node[part]
    return n


def _dotted(doc: Any, table: KeyPath) -> bool:
    """Whether the table at `table` is written as dotted keys: what is added to it must be too."""
    return _headed(doc, table) < len(table)


def _append_dotted(doc: Any, table: KeyPath, key: str, value: Any) -> None:
    """Add `key` to a table written as dotted keys, as dotted keys: `"2020-02".kuopio = 5`.

    The lines go at the end of the table with a header (or the top level) that holds the dotted
    keys; a new table is written one dotted key per value.
    """
    from tomlkit.container import OutOfOrderTableProxy
    from tomlkit.items import DottedKey

    n = _headed(doc, table)
    anchor = _node(doc, table[:n])
    first = table[n]
    if isinstance(anchor, OutOfOrderTableProxy):
        holders = [
            part
            for part in anchor._tables
            if any(k is not None and k.key == first and k.is_dotted() for k, _ in part.value.body)
        ]
        if not holders:
            raise LayoutError("other", table)
        anchor = holders[-1]
    for rel, leaf in _leaves((*table[n:], key), value):
        if any(isinstance(p, int) for p in rel):
            raise LayoutError("other", table)
        _append_line(anchor, DottedKey([_key(p) for p in rel]), _inline_value(leaf))


def _append_line(node: Any, key: Any, item: Any) -> None:
    """Add a key/value line to a table (or the top level) right after its last such line.

    Blank lines and comments after a table's last key stand before the next header and belong
    to it (`# February figures` above `[caseloads."2020-02"]`); tomlkit appends after them, so
    they are set aside while the line goes in. When tables follow inside `node` (the top level,
    a party's `[parties.x.decision]`), the line is inserted before the comments above the first.
    """
    from tomlkit.container import Container
    from tomlkit.items import AoT, Comment, Table, Whitespace

    container = node.value if isinstance(node, Table) else node
    if not isinstance(container, Container):
        node.append(key, item)
        return
    body = container.body
    lines = [
        i
        for i, (k, v) in enumerate(body)
        if k is not None and (not isinstance(v, Table | AoT) or k.is_dotted())
    ]
    last = lines[-1] if lines else -1
    end = next((i for i in range(last + 1, len(body)) if body[i][0] is not None), len(body))
    tail = body[last + 1 : end]
    if (
        last < 0
        or not tail
        or not any(isinstance(v, Comment) for _, v in tail)
        or not all(k is None and isinstance(v, Whitespace | Comment) for k, v in tail)
    ):
        node.append(key, item)
    elif end == len(body):
        del body[last + 1 :]
        node.append(key, item)
        body.extend(tail)
    elif not key.is_dotted() and key.key not in container:
        container._insert_at(last + 1, key, item)
    else:
        node.append(key, item)


def _leaves(prefix: KeyPath, value: Any) -> list[tuple[KeyPath, Any]]:
    """Each value under `value` with its path: a table becomes one dotted key per value."""
    if isinstance(value, Mapping) and value:
        return [leaf for k, v in value.items() for leaf in _leaves((*prefix, k), v)]
    return [(prefix, value)]


def _inline(node: Any) -> bool:
    """Whether `node` is written on one line (an inline table or array): what goes in is too."""
    from tomlkit.items import Array, InlineTable

    return isinstance(node, InlineTable | Array)


def _inline_value(value: Any) -> Any:
    """A plain value as tomlkit writes it inside an inline table: tables inline too."""
    if isinstance(value, Mapping) or (
        isinstance(value, list) and any(isinstance(v, Mapping) for v in value)
    ):
        return _parsed(_inline_text(value))
    return _toml_value(value)


def _inline_text(value: Any) -> str:
    """A value as one line of TOML, spaced as the registry is: `{ kuopio = 6700 }`."""
    import tomlkit

    if isinstance(value, Mapping):
        items = [f"{_key(k).as_string()} = {_inline_text(v)}" for k, v in value.items()]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline_text(v) for v in value) + "]"
    return tomlkit.item(_toml_value(value)).as_string()


def _parsed(text: str) -> Any:
    import tomlkit

    return tomlkit.parse(f"v = {text}")["v"]


def _tidy_inline(doc: Any, table: KeyPath) -> None:
    """Write the inline table at `table` again, spaced evenly, after a key was added or removed.

    tomlkit adds a key to `{ a = 1 }` as `{ a = 1,  b = 2}`; the line changes anyway.
    """
    from tomlkit.items import InlineTable

    node = _node(doc, table)
    if not isinstance(node, InlineTable) or not table or isinstance(table[-1], int):
        return
    items = [
        f"{key.as_string().strip()} = {item.as_string().strip()}"
        for key, item in node.value.body
        if key is not None
    ]
    text = "{ " + ", ".join(items) + " }" if items else "{}"
    _node(doc, table[:-1])[table[-1]] = _parsed(text)


def _append(node: Any, key: str, new: Any, where: KeyPath) -> None:
    """Add `key` to the table `node` after what it holds, as tomllib will read it back: last.

    A table written in parts (`[caseloads."2020-01"]` … `[people.x]` … `[caseloads."2020-03"]`)
    takes a new table after its last part; tomlkit's own way puts it in the first.
    """
    from tomlkit.container import OutOfOrderTableProxy
    from tomlkit.items import Table

    if isinstance(node, OutOfOrderTableProxy):
        parts = node._tables
        if not isinstance(new, Table) or not parts:
            raise LayoutError("split", where)
        node = parts[-1]
    _take_trailing_comments(node, new)
    if isinstance(new, Table):
        node.append(_key(key), new)
    else:
        _append_line(node, _key(key), new)
    if isinstance(new, Table):
        # The header names the whole path as the registry writes it, whatever spelling the
        # tables above it have (`[ 'caseloads' . '2020-01' ]`); set after `append`, which
        # clears it.
        new.display_name = toml_path((*where, key))


# The comments written after the last table of a group (before the next group's header) belong,
# to tomlkit, to that last table. Removing the table must not remove them: they move to the
# table before it, and a table added after that one takes them back, so undo is byte for byte.


def _tables(node: Any) -> list[Any]:
    from tomlkit.items import Table

    body = getattr(node, "body", None) or getattr(getattr(node, "value", None), "body", [])
    return [item for key, item in body if key is not None and isinstance(item, Table)]


def _comment_tail(table: Any) -> list[tuple[Any, Any]]:
    """The table's trailing items from its first comment after its last key on, removed."""
    from tomlkit.items import Comment

    body = table.value.body
    last_key = max((i for i, (key, _) in enumerate(body) if key is not None), default=-1)
    first = next(
        (i for i in range(last_key + 1, len(body)) if isinstance(body[i][1], Comment)), None
    )
    if first is None:
        return []
    tail = body[first:]
    del body[first:]
    return tail


def _leaf(table: Any) -> Any:
    """The table itself, or the last table nested at its end (a party's decision)."""
    from tomlkit.items import Table

    while True:
        keyed = [item for key, item in table.value.body if key is not None]
        if not keyed or not isinstance(keyed[-1], Table):
            return table
        table = keyed[-1]


def _keep_trailing_comments(doc: Any, node: Any, key: str) -> None:
    from tomlkit.items import Table

    item = node[key]
    if not isinstance(item, Table):
        return
    tables = _tables(node)
    if len(tables) >= 2 and tables[-1] is item:
        tail = _comment_tail(_leaf(item))
        _leaf(tables[-2]).value.body.extend(tail)
        return
    # Any other table: its trailing comments stand before the header of the table written
    # after it, and stay there.
    following = _written_after(doc, item)
    if following is None:
        return
    tail = _comment_tail(_leaf(item))
    if tail:
        text = "".join(part.as_string() for _, part in tail)
        following.trivia.indent = text + following.trivia.indent


def _written_after(doc: Any, item: Any) -> Any:
    """The first table with a header of its own written after `item` and all it holds."""
    order = list(_in_writing_order(getattr(doc, "body", [])))
    at = next((i for i, table in enumerate(order) if table is item), None)
    if at is None:
        return None
    inside = {id(t) for t in _in_writing_order(item.value.body)}
    return next(
        (t for t in order[at + 1 :] if id(t) not in inside and not t.is_super_table()), None
    )


def _in_writing_order(body: list[tuple[Any, Any]]) -> Iterator[Any]:
    from tomlkit.items import AoT, Table

    for _, item in body:
        if isinstance(item, Table):
            yield item
            yield from _in_writing_order(item.value.body)
        elif isinstance(item, AoT):
            for table in item.body:
                yield table
                yield from _in_writing_order(table.value.body)


def _take_trailing_comments(node: Any, new: Any) -> None:
    from tomlkit.items import Table, Whitespace

    tables = _tables(node)
    if not isinstance(new, Table):
        return
    if tables:
        previous = _leaf(tables[-1])
    elif isinstance(node, Table) and not node.is_super_table():
        previous = node  # `[people]` with `login = { … }` lines: the new table comes after them
    else:
        return
    tail = _comment_tail(previous)
    if not tail:
        return
    if previous.as_string().endswith("\n\n"):
        new.trivia.indent = ""  # the blank line before the header is there already
    target = _leaf(new)
    target.value.body.append((None, Whitespace("\n")))
    target.value.body.extend(tail)


def _like(old: Any, new: Any) -> Any:
    """`new` written the way `old` was: 4_300_000 stays grouped when it becomes 4_400_000."""
    from tomlkit.items import Integer

    if isinstance(old, Integer) and "_" in old.as_string() and type(new) is int:
        return Integer(new, old.trivia, f"{new:_}")
    return new


def _node(doc: Any, path: KeyPath) -> Any:
    node = doc
    for part in path:
        node = node[part]
    return node


def _new_table() -> Any:
    """A new table, set off from what comes before it by a blank line as the registry writes it."""
    import tomlkit

    table = tomlkit.table()
    table.trivia.indent = "\n"
    return table


# --- Applying to parsed data (what tomllib would read back) -------------------------------------


def apply_data(data: Mapping[str, Any], edit: Edit) -> dict[str, Any]:
    """`data` as it is after `edit`, copying only what the edit changes.

    The save path validates this instead of parsing the whole written file again; a test keeps
    it equal to what tomllib reads back from the text tomlkit writes.
    """
    root = dict(data)
    for change in edit.changes:
        _set_data(root, change)
    return root


def data_value(value: Any) -> Any:
    """A value as tomllib (with Decimal floats) reads back what `_toml_value` writes."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else Decimal(repr(float(value)))
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Mapping):
        return {k: data_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [data_value(v) for v in value]
    return value


def _set_data(root: dict[str, Any], change: Change) -> None:
    path = change.path
    node: Any = root
    parents: list[tuple[Any, Any]] = []
    for depth, part in enumerate(path[:-1]):
        present = part < len(node) if isinstance(part, int) else part in node
        child = node[part] if present else ([] if isinstance(path[depth + 1], int) else {})
        child = list(child) if isinstance(child, list) else dict(child)
        node[part] = child
        parents.append((node, part))
        node = child
    last = path[-1]
    if change.new is MISSING:
        if isinstance(last, int):
            del node[last]
            if not node and parents:  # no empty array left behind, as in the file
                parent, key = parents[-1]
                del parent[key]
        else:
            node.pop(last, None)
    elif isinstance(last, int) and is_insert(change):
        node.insert(last, data_value(change.new))
    else:
        node[last] = data_value(change.new)


# --- The edits a coordinator makes ---------------------------------------------------------------


def _edit(
    data: Mapping[str, Any], kind: str, params: dict[str, Any], new: dict[KeyPath, Any]
) -> Edit:
    """An edit of `kind` setting each path in `new`, with what `data` holds now as `old`.

    A value whose table does not exist yet is written as that whole new table, so that the
    inverse removes the table again and undo gives back the file as it was.
    """
    changes: list[Change] = []
    for path, value in new.items():
        old = value_at(data, path)
        if same(old, value):
            continue
        if old is MISSING and value is not MISSING:
            path, value = _from_first_missing(data, path, value)
            # Two values of one new table (a new month's rows) make that table once, with both.
            earlier = next((i for i, c in enumerate(changes) if c.path == path), None)
            if earlier is not None and isinstance(value, dict):
                merged = _merged(changes[earlier].new, value)
                changes[earlier] = Change(path, changes[earlier].old, merged)
                continue
        changes.append(Change(path, value_at(data, path), value))
    return Edit(kind, tuple(params.items()), tuple(changes))


def _merged(old: Any, new: dict[str, Any]) -> Any:
    """`old` (a new table being made) with the nested values of `new` added."""
    if not isinstance(old, dict):
        return new
    out = dict(old)
    for key, value in new.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and key in out else value
    return out


def _from_first_missing(data: Mapping[str, Any], path: KeyPath, value: Any) -> tuple[KeyPath, Any]:
    """The shallowest missing table on `path`, and the nested value to create there."""
    for depth in range(1, len(path)):
        if isinstance(path[depth], int):
            break
        if value_at(data, path[:depth]) is MISSING:
            nested = value
            for part in reversed(path[depth:]):
                nested = {part: nested}
            return path[:depth], nested
    return path, value


def _name(data: Mapping[str, Any], party: str) -> str:
    found = value_at(data, ("parties", party, "name"))
    return found if isinstance(found, str) else party


def record_decision(
    data: Mapping[str, Any],
    party: str,
    *,
    outcome: str,
    body: str | None = None,
    date: dt.date | None = None,
    minutes: str | None = None,
    case: str | None = None,
    attachment: str | None = None,
) -> Edit:
    """Record a board's decision on the letter; empty fields are removed from the file."""
    base = ("parties", party, "decision")
    fields = {
        "outcome": outcome,
        "body": body,
        "date": date,
        "minutes": minutes,
        "case": case,
        "attachment": attachment,
    }
    details = " ".join(x for x in (body, fi_date(date), minutes) if x)
    return _edit(
        data,
        "record_decision",
        {
            "name": _name(data, party),
            "outcome": Phrase(f"outcome.{outcome}"),
            "details": f" ({details})" if details else "",
        },
        {(*base, k): (MISSING if v in (None, "") else v) for k, v in fields.items()},
    )


def set_caseload(data: Mapping[str, Any], party: str, period: str, count: int) -> Edit:
    """Set one party's client count for one period."""
    path = ("caseloads", period, party)
    old = value_at(data, path)
    return _edit(
        data,
        "set_caseload",
        {
            "name": _name(data, party),
            "period": period,
            "old": "-" if old is MISSING else old,
            "new": count,
        },
        {path: count},
    )


def import_caseloads(
    data: Mapping[str, Any], rows: list[tuple[str, str, int]], source: str
) -> Edit:
    """Set many caseloads at once, as one edit (one commit): a monthly import."""
    periods = sorted({period for _, period, _ in rows})
    return _edit(
        data,
        "import_caseloads",
        {"source": source, "count": len(rows), "periods": ", ".join(periods)},
        {("caseloads", period, party): count for party, period, count in rows},
    )


def move_party(data: Mapping[str, Any], party: str, region: str) -> Edit:
    """Move a party to another coordination region."""
    return _edit(
        data,
        "move_party",
        {
            "name": _name(data, party),
            "old": _region_name(data, value_at(data, ("parties", party, "region"))),
            "new": _region_name(data, region),
        },
        {("parties", party, "region"): region},
    )


def _word(kind: str, value: Any) -> str:
    """A registry value (party, approved) in the user's words, for descriptions."""
    return t(f"{kind}.{value}") if isinstance(value, str) else str(value)


def _region_name(data: Mapping[str, Any], region: Any) -> str:
    found = value_at(data, ("regions", region, "name")) if isinstance(region, str) else MISSING
    return found if isinstance(found, str) else str(region)


def set_status(data: Mapping[str, Any], party: str, status: str) -> Edit:
    """Make a municipality a party, a candidate, or withdrawn."""
    return _edit(
        data,
        "set_status",
        {
            "name": _name(data, party),
            "old": _word("status", value_at(data, ("parties", party, "status"))),
            "new": _word("status", status),
        },
        {("parties", party, "status"): status},
    )


def set_coordinator(data: Mapping[str, Any], region: str, party: str) -> Edit:
    """Change a region's coordinating municipality."""
    region_name = value_at(data, ("regions", region, "name"))
    return _edit(
        data,
        "set_coordinator",
        {
            "region": region_name if isinstance(region_name, str) else region,
            "name": _name(data, party),
        },
        {("regions", region, "coordinator"): party},
    )


def set_resource(
    data: Mapping[str, Any],
    resource: str,
    *,
    total: Decimal | None = None,
    step: Decimal | None = None,
) -> Edit:
    """Change a resource's total or step."""
    base = ("resources", resource)
    new: dict[KeyPath, Any] = {}
    if total is not None:
        new[(*base, "total")] = total
    if step is not None:
        new[(*base, "step")] = step
    name = value_at(data, (*base, "name"))
    return _edit(
        data,
        "set_resource",
        {
            "name": name if isinstance(name, str) else resource,
            "total": total if total is not None else value_at(data, (*base, "total")),
            "step": step if step is not None else value_at(data, (*base, "step")),
        },
        new,
    )


def put_entry(
    data: Mapping[str, Any], table: str, key: str, fields: Mapping[str, Any] | None
) -> Edit:
    """Add, change or (with `fields=None`) remove a whole entry of `table`: a party, a person.

    When changing, only the fields given are touched (an empty one is removed), so editing one
    field of a person changes one line.
    """
    base = (table, key)
    old = value_at(data, base)
    source = fields if fields is not None else old
    label = source.get("name", key) if isinstance(source, Mapping) else key
    if fields is None:
        changes = () if old is MISSING else (Change(base, old, MISSING),)
        return Edit(f"remove_{table}", (("name", label),), changes)
    if old is MISSING:
        return Edit(f"add_{table}", (("name", label),), (Change(base, MISSING, dict(fields)),))
    return _edit(
        data,
        f"edit_{table}",
        {"name": label},
        {(*base, k): (MISSING if v in (None, "", []) else v) for k, v in fields.items()},
    )


def put_service_agreement(
    data: Mapping[str, Any], index: int | None, fields: Mapping[str, Any] | None
) -> Edit:
    """Add (index None), change, or remove (fields None) one service agreement."""
    existing = value_at(data, ("service_agreements",))
    count = len(existing) if isinstance(existing, list) else 0
    if index is None:
        path = ("service_agreements", count)
        return Edit(
            "add_service_agreement",
            _sa_params(data, fields or {}),
            (Change(path, MISSING, dict(fields or {})),),
        )
    path = ("service_agreements", index)
    old = value_at(data, path)
    if fields is None:
        return Edit(
            "remove_service_agreement", _sa_params(data, old), (Change(path, old, MISSING),)
        )
    new = {(*path, k): (MISSING if v in (None, "", []) else v) for k, v in fields.items()}
    for k in old:
        new.setdefault((*path, k), MISSING)
    return _edit(data, "edit_service_agreement", dict(_sa_params(data, fields)), new)


def _sa_params(data: Mapping[str, Any], fields: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    service = fields.get("service", "")
    service_name = value_at(data, ("services", service, "name"))
    recipients = ", ".join(_name(data, r) for r in fields.get("recipients", []))
    return (
        ("service", service_name if isinstance(service_name, str) else service),
        ("provider", _name(data, fields.get("provider", ""))),
        ("recipients", recipients),
    )


def together(edits: list[Edit]) -> Edit:
    """Several edits saved, undone and committed as one (a form that changes several things)."""
    done = [e for e in edits if not e.empty]
    if len(done) == 1:
        return done[0]
    return Edit(
        "together",
        (("what", tuple(done)),),
        tuple(c for e in done for c in e.changes),
    )


def rebase(edit: Edit, data: Mapping[str, Any]) -> Edit:
    """The same edit made over what `data` holds now: "use mine" after a conflict.

    Each change now expects the value it replaces, and the words (the commit subject) name that
    value too, not the one the editor first saw. A table the edit meant to create that someone
    else created meanwhile gets only this edit's keys, so their other keys stay. An insert into
    an array of tables stays an insert.
    """
    changes: list[Change] = []
    for change in edit.changes:
        changes += _rebased(change, data)
    rebased = replace(edit, changes=tuple(changes))
    worded = _REWORD.get(edit.kind)
    if worded is None or edit.undo or len(changes) != 1:
        return rebased
    params = dict(edit.params) | {"old": worded(data, changes[0].old)}
    return replace(rebased, params=tuple(params.items()))


def _rebased(change: Change, data: Mapping[str, Any]) -> list[Change]:
    if is_insert(change):
        return [change]
    now = value_at(data, change.path)
    if change.old is MISSING and isinstance(change.new, Mapping) and isinstance(now, Mapping):
        out: list[Change] = []
        for key, value in change.new.items():
            out += _rebased(Change((*change.path, key), MISSING, value), data)
        return out
    if same(now, change.new):
        return []
    return [Change(change.path, now, change.new)]


# How each edit that names the value it replaces words it (see the edit functions above).
_REWORD: dict[str, Any] = {
    "set_caseload": lambda data, old: "-" if old is MISSING else old,
    "move_party": _region_name,
    "set_status": lambda data, old: _word("status", old),
}
