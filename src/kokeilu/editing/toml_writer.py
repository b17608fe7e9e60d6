"""Writing an edit into the format-preserving tomlkit document: the path for what `splice` cannot.

Only the changed values are touched; comments, order and formatting elsewhere stay as they were.
A key goes in written as the table it joins is (dotted keys, an inline table, the last part of a
table written in parts); a layout tomlkit cannot write into raises `LayoutError`, and `preview`
refuses whatever does not read back as the data the edit means (`layout.made`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kokeilu.editing.edits import MISSING, Change, Edit, is_insert, toml_scalar
from kokeilu.editing.layout import LayoutError, toml_path
from kokeilu.editing.toml_comments import keep_trailing_comments, take_trailing_comments
from kokeilu.registry.model import ID_RE, KeyPath

if TYPE_CHECKING:
    from tomlkit.items import Item


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
            child: Item
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
            keep_trailing_comments(doc, node, last)
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
        keys = [p for p in rel if isinstance(p, str)]
        if len(keys) != len(rel):  # an index: dotted keys cannot write an array's item
            raise LayoutError("other", table)
        _append_line(anchor, DottedKey([_key(p) for p in keys]), _inline_value(leaf))


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
    take_trailing_comments(node, new)
    if isinstance(new, Table):
        node.append(_key(key), new)
    else:
        _append_line(node, _key(key), new)
    if isinstance(new, Table):
        # The header names the whole path as the registry writes it, whatever spelling the
        # tables above it have (`[ 'caseloads' . '2020-01' ]`); set after `append`, which
        # clears it.
        new.display_name = toml_path((*where, key))


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
