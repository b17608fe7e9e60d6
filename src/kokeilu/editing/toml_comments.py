"""Comments that stand after a table's last key, kept in place when tomlkit adds or removes tables.

The comments written after the last table of a group (before the next group's header) belong, to
tomlkit, to that last table. Removing the table must not remove them: they move to the table
before it, and a table added after that one takes them back, so undo is byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


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


def keep_trailing_comments(doc: Any, node: Any, key: str) -> None:
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


def take_trailing_comments(node: Any, new: Any) -> None:
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
