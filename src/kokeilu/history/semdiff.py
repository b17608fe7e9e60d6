"""What changed between two versions of a registry, in the registry's own words.

A line diff of the TOML file shows moved comments and reflowed tables; a reviewer wants to read
"Iisalmi: decision outcome pending → approved" and see what that did to the shares. So two parsed
registries are compared by key, never by text: comments, order and formatting do not count. A
table added or removed as a whole (a new party, a new month of caseloads) is one change.

Pure: data in, changes out. Their words are `history.wording`'s; what they did to the
allocations, `history.effects`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kokeilu.editing.edits import MISSING
from kokeilu.registry.model import KeyPath

# Top-level tables whose entries are tables of their own: an absent collection is an empty one,
# so that the first party or period added is described as that entry, not as a whole new table.
COLLECTIONS = frozenset(
    ("regions", "typ_areas", "parties", "services", "resources", "caseloads", "people")
)
# Arrays of tables compared item by item; absent is empty.
ARRAYS = frozenset(("service_agreements",))
# Top-level tables whose changes can move an allocation.
ALLOCATION_INPUTS = frozenset(("parties", "resources", "caseloads"))
# The fields of a party or a resource that can move an allocation.
ALLOCATION_FIELDS = {"parties": ("status", "decision"), "resources": ("total", "step")}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One value that differs: at `path`, `old` became `new` (MISSING when absent)."""

    path: KeyPath
    old: Any
    new: Any


def diff_data(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FieldChange]:
    """Every value that differs between two parsed registries, in file order of `new`."""
    changes: list[FieldChange] = []
    _diff_table(old, new, (), changes)
    return changes


def _keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The keys of both, `new`'s order first, then those only `old` has."""
    return [*new, *(k for k in old if k not in new)]


def _diff_table(
    old: Mapping[str, Any], new: Mapping[str, Any], path: KeyPath, out: list[FieldChange]
) -> None:
    for key in _keys(old, new):
        a, b = old.get(key, MISSING), new.get(key, MISSING)
        here = (*path, key)
        if not path and key in COLLECTIONS:
            a = {} if a is MISSING else a
            b = {} if b is MISSING else b
        elif not path and key in ARRAYS:
            a = [] if a is MISSING else a
            b = [] if b is MISSING else b
        _diff_value(a, b, here, out)


def _diff_value(a: Any, b: Any, path: KeyPath, out: list[FieldChange]) -> None:
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        _diff_table(a, b, path, out)
    elif _is_array_of_tables(a) and _is_array_of_tables(b):
        for i in range(max(len(a), len(b))):
            _diff_value(
                a[i] if i < len(a) else MISSING, b[i] if i < len(b) else MISSING, (*path, i), out
            )
    elif not _same(a, b):
        out.append(FieldChange(path, a, b))


def _is_array_of_tables(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, Mapping) for v in value)


def _same(a: Any, b: Any) -> bool:
    """Equal as registry values; a date and a datetime, or 1 and True, are not."""
    if type(a) is not type(b) and not (_is_number(a) and _is_number(b)):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal, float)) and not isinstance(value, bool)


def affects_allocations(changes: Iterable[FieldChange]) -> bool:
    """Whether any change can move an allocation: who shares, what is divided, or by what.

    A party added or removed, its status or decision; a resource added or removed, its total or
    step; any caseload. A party's name or region, or a resource's name, moves nothing.
    """
    return any(_can_move(c.path) for c in changes)


def _can_move(path: KeyPath) -> bool:
    if not path or path[0] not in ALLOCATION_INPUTS:
        return False
    if path[0] == "caseloads" or len(path) <= 2:
        return True
    if path[2] == "decision" and len(path) > 3:
        return path[3] == "outcome"
    return path[2] in ALLOCATION_FIELDS.get(str(path[0]), ())
