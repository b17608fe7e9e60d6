"""What an edit means for parsed data, written apart from the code that writes it: the tests'
oracle. The save path never predicts data (it reads what it wrote); tests hold what it wrote to
this model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kokeilu.editing.edits import MISSING, Change, Edit, data_value, is_insert


def apply_data(data: Mapping[str, Any], edit: Edit) -> dict[str, Any]:
    """`data` as it is after `edit`, copying only what the edit changes."""
    root = dict(data)
    for change in edit.changes:
        _set_data(root, change)
    return root


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
