"""Edits as typed operations on the registry: each says what it does in words and gives its inverse.

An edit is a list of field changes, each with the value it expects to find (`old`) and the value it
writes (`new`). Keeping `old` makes the inverse trivial (undo), and lets the save path see whether
the field changed underneath since the user saw it (a conflict) before it writes anything.
What an edit makes of a file is `preview`'s to say: the text (`splice`, else `toml_writer`), and
what that text reads as.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

# Values at key paths, read and compared: edits are made of them, and their users read them here.
from kokeilu.editing.lookup import MISSING as MISSING
from kokeilu.editing.lookup import data_value as data_value
from kokeilu.editing.lookup import plain as plain
from kokeilu.editing.lookup import same as same
from kokeilu.editing.lookup import toml_scalar as toml_scalar
from kokeilu.editing.lookup import value_at as value_at
from kokeilu.registry.model import KeyPath
from kokeilu.text.display import date as fi_date
from kokeilu.text.display import exact, literal
from kokeilu.text.strings import Phrase, speaking, t


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
            if isinstance(v, Decimal):
                return exact(v)  # in the language of the moment: the commit's
            if isinstance(v, int):
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


def is_insert(change: Change) -> bool:
    """An item added to an array of tables at an index: the items after it move up one."""
    return isinstance(change.path[-1], int) and change.old is MISSING


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
    """Add (index None), change, or remove (fields None) one service agreement.

    A field None or "" is left out; an empty list is written as one (`recipients = []`), so
    that the rules say what is wrong with it (`no_recipients`), not merely that it is missing."""
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
    new: dict[KeyPath, Any] = {
        (*path, k): (MISSING if v in (None, "") else v) for k, v in fields.items()
    }
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
