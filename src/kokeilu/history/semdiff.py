"""What changed between two versions of a registry, in the registry's own words.

A line diff of the TOML file shows moved comments and reflowed tables; a reviewer wants to read
"Iisalmi: decision outcome pending → approved" and see what that did to the shares. So two parsed
registries are compared by key, never by text: comments, order and formatting do not count. A
table added or removed as a whole (a new party, a new month of caseloads) is one change.

Pure: data in, changes and words out. Polars is imported only when allocations are compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from kokeilu.editing.edits import MISSING
from kokeilu.registry.model import KeyPath, Registry
from kokeilu.text.display import date as fi_date
from kokeilu.text.display import literal
from kokeilu.text.strings import t

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

# A text longer than this is said to have changed rather than quoted whole.
LONG_TEXT = 60


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One value that differs: at `path`, `old` became `new` (MISSING when absent)."""

    path: KeyPath
    old: Any
    new: Any


class Effect(NamedTuple):
    """One party's allocation of one resource that a change moved (None: not a participant)."""

    resource: str
    resource_name: str
    unit: str
    party: str
    party_name: str
    old: Decimal | None
    new: Decimal | None


# --- Comparing ---------------------------------------------------------------------------------


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


# --- Describing --------------------------------------------------------------------------------


class _Names:
    """Display names from the newer registry, else the older one, else the id."""

    def __init__(self, old: Registry, new: Registry):
        self.registries = (new, old)

    def _find(self, table: str, key: Any) -> Any:
        if not isinstance(key, str):
            return None
        for registry in self.registries:
            found = getattr(registry, table).get(key)
            if found is not None:
                return found
        return None

    def party(self, key: Any) -> str:
        found = self._find("parties", key)
        return literal(found.name) if found else _value(key)

    def region(self, key: Any) -> str:
        found = self._find("regions", key)
        return literal(found.name) if found else _value(key)

    def typ_area(self, key: Any) -> str:
        found = self._find("typ_areas", key)
        return literal(found.name) if found else _value(key)

    def service(self, key: Any) -> str:
        found = self._find("services", key)
        return literal(found.name) if found else _value(key)

    def resource(self, key: Any) -> str:
        found = self._find("resources", key)
        return literal(found.name) if found else _value(key)

    def person(self, key: Any) -> str:
        found = self._find("people", key)
        name = literal(found.name) if found else _value(key)
        return t("semdiff.person", name=name, login=_value(key))


def _value(value: Any) -> str:
    """A plain value as a line of the diff writes it; absent as a dash."""
    if value is MISSING or value is None:
        return t("semdiff.absent")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return literal(value.isoformat(sep=" "))
    if isinstance(value, dt.date):
        return fi_date(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "[]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{literal(str(k))} = {_value(v)}" for k, v in value.items()) + "}"
    return literal(str(value))


def _is_long(value: Any) -> bool:
    return isinstance(value, str) and (len(value) > LONG_TEXT or "\n" in value)


# Fields whose values are ids of another table, and how to name them.
_REFERENCES = {
    "region": "region",
    "typ_area": "typ_area",
    "coordinator": "party",
    "applicant": "party",
    "administrator": "party",
    "national_contact": "party",
    "provider": "party",
    "recipients": "party",
    "service": "service",
}


def _field_value(names: _Names, field: Any, value: Any) -> str:
    """A field's value with ids replaced by the names they refer to."""
    if value is MISSING or value is None:
        return _value(value)
    kind = _REFERENCES.get(field) if isinstance(field, str) else None
    if kind is not None:
        name = getattr(names, kind)
        if isinstance(value, list):
            return ", ".join(name(v) for v in value) or "[]"
        return name(value)
    if field == "outcome" and value in ("pending", "approved", "rejected"):
        return t(f"outcome.{value}")
    if field == "status" and value in ("party", "candidate", "withdrawn"):
        return t(f"status.{value}")
    return _value(value)


def _field_line(subject: str, field: str, label: str, names: _Names, change: FieldChange) -> str:
    if _is_long(change.old) or _is_long(change.new):
        return t("semdiff.field_changed", subject=subject, field=label)
    return t(
        "semdiff.change",
        subject=subject,
        field=label,
        old=_field_value(names, field, change.old),
        new=_field_value(names, field, change.new),
    )


def _whole(subject: str, change: FieldChange) -> str:
    """A table added or removed as a whole (or, in a broken file, replaced by a plain value)."""
    if change.old is MISSING:
        return t("semdiff.added", subject=subject)
    if change.new is MISSING:
        return t("semdiff.removed", subject=subject)
    return _generic(change)


def describe(change: FieldChange, old_registry: Registry, new_registry: Registry) -> str:
    """One change in words, with display names: `Iisalmi: decision outcome pending → approved`."""
    names = _Names(old_registry, new_registry)
    path = change.path
    head = path[0] if path else None
    whole = change.old is MISSING or change.new is MISSING
    if head == "parties" and len(path) >= 2:
        return _party(names, change)
    if head == "caseloads" and len(path) == 2 and whole:
        table = change.new if change.old is MISSING else change.old
        count = len(table) if isinstance(table, Mapping) else 0
        key = "semdiff.period_added" if change.old is MISSING else "semdiff.period_removed"
        key += "_one" if count == 1 else ""
        return t(key, period=_value(path[1]), count=count)
    if head == "caseloads" and len(path) == 3:
        return t(
            "semdiff.caseload",
            name=names.party(path[2]),
            period=_value(path[1]),
            old=_value(change.old),
            new=_value(change.new),
        )
    if head == "service_agreements" and len(path) >= 2 and isinstance(path[1], int):
        return _service_agreement(names, change)
    subjects = {
        "regions": lambda key: t("semdiff.region", name=names.region(key)),
        "typ_areas": lambda key: t("semdiff.typ_area", name=names.typ_area(key)),
        "services": lambda key: t("semdiff.service", name=names.service(key)),
        "resources": names.resource,
        "people": names.person,
    }
    if head in subjects and len(path) >= 2:
        subject = subjects[head](path[1])
        if len(path) == 2:
            return _whole(subject, change)
        return _field_line(subject, str(path[2]), _label(path[2:]), names, change)
    if head == "agreement":
        subject = t("semdiff.agreement")
        if len(path) == 1:
            return _whole(subject, change)
        return _field_line(subject, str(path[1]), _label(path[1:]), names, change)
    return _generic(change)


def _label(path: KeyPath) -> str:
    return ".".join(str(p) for p in path)


def _generic(change: FieldChange) -> str:
    key = _label(change.path) or t("type.top_level")
    if _is_long(change.old) or _is_long(change.new):
        return t("semdiff.key_changed", key=literal(key))
    return t("semdiff.generic", key=literal(key), old=_value(change.old), new=_value(change.new))


def _party(names: _Names, change: FieldChange) -> str:
    path = change.path
    subject = names.party(path[1])
    if len(path) == 2:
        return _whole(subject, change)
    if path[2] == "decision":
        if len(path) == 3 and isinstance(change.new, Mapping) and change.old is MISSING:
            d = change.new
            details = [
                _field_value(names, "outcome", d.get("outcome", MISSING)),
                *(
                    _value(d[k])
                    for k in ("body", "date", "minutes")
                    if d.get(k) not in (None, MISSING)
                ),
            ]
            return t("semdiff.decision_added", name=subject, details=", ".join(details))
        if len(path) == 3 and change.new is MISSING:
            return t("semdiff.decision_removed", name=subject)
        if len(path) >= 4:
            label = t("semdiff.decision_field", field=_label(path[3:]))
            return _field_line(subject, str(path[3]), label, names, change)
    return _field_line(subject, str(path[2]), _label(path[2:]), names, change)


def _service_agreement(names: _Names, change: FieldChange) -> str:
    path = change.path
    number = int(path[1]) + 1
    if len(path) == 2 and (change.old is MISSING or change.new is MISSING):
        item = change.new if change.old is MISSING else change.old
        item = item if isinstance(item, Mapping) else {}
        key = "semdiff.agreement_added" if change.old is MISSING else "semdiff.agreement_removed"
        return t(
            key,
            n=number,
            provider=_field_value(names, "provider", item.get("provider", MISSING)),
            recipients=_field_value(names, "recipients", item.get("recipients", MISSING)),
            service=_field_value(names, "service", item.get("service", MISSING)),
        )
    if len(path) == 2:
        return _generic(change)
    subject = t("semdiff.service_agreement", n=number)
    return _field_line(subject, str(path[2]), _label(path[2:]), names, change)


def summary(changes: list[FieldChange], old_registry: Registry, new_registry: Registry) -> str:
    """The changes as one line, as the history lists them: the first, and how many more."""
    if not changes:
        return t("semdiff.layout_only")
    first = describe(changes[0], old_registry, new_registry)
    if len(changes) == 1:
        return first
    return t("semdiff.more", summary=first, count=len(changes) - 1)


# --- Effects on allocations ----------------------------------------------------------------------


class Side(NamedTuple):
    """One version's division: its period (None: none to name) and why it cannot be divided.

    `incomplete`, when some participants have no count in the period (they count as zero):
    how many of how many, so that the heading says INCOMPLETE as `shares` does.
    """

    period: str | None
    problem: str | None = None
    incomplete: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Effects:
    """What a change did to the allocations, divided as `kokeilu shares` divides them.

    `before` and `after` name each version's period and, when one cannot be divided, why;
    `moved` lists the allocations that differ (a party that starts or stops sharing goes from or
    to None). A version in which no party shares divides nothing: its parties' amounts are None.
    """

    provisional: bool
    before: Side
    after: Side
    moved: list[Effect]


def default_period(registry: Registry, provisional: bool = False) -> str:
    """The period `kokeilu shares` divides when none is given; raises SharesError.

    The one choice is made in `shares`; an effect is computed for the period each version's
    `shares` would show (`--provisional` among its own participants), so that the diff and
    `shares` give the same amounts.
    """
    from kokeilu.rules import participants
    from kokeilu.shares.division import latest_period

    return latest_period(registry, participants(registry, provisional=provisional))


def _divide(
    registry: Registry, period: str | None, provisional: bool
) -> tuple[Side, dict[tuple[str, str], Decimal] | None]:
    """One version's amounts by (resource, party), or None when it cannot be divided."""
    from kokeilu.rules import participants
    from kokeilu.shares.division import SharesError, allocate, amount, missing

    try:
        period = period or default_period(registry, provisional)
    except SharesError as exc:
        return Side(None, str(exc)), None
    sharing = participants(registry, provisional=provisional)
    absent = len(missing(registry, period, sharing)) if period in registry.caseloads else 0
    incomplete = (absent, len(sharing)) if absent else None
    if not sharing and period in registry.caseloads:
        key = "semdiff.nobody_shares_provisional" if provisional else "semdiff.nobody_shares"
        return Side(period, t(key)), {}
    try:
        frame = allocate(registry, period, sharing, provisional=provisional)
    except (SharesError, ArithmeticError) as exc:
        return Side(period, str(exc), incomplete), None
    return Side(period, None, incomplete), {
        (row["resource"], row["party"]): amount(registry.resources[row["resource"]], row["units"])
        for row in frame.iter_rows(named=True)
    }


def effects(
    old_registry: Registry,
    new_registry: Registry,
    period: str | None = None,
    provisional: bool = False,
) -> Effects:
    """How the change from `old_registry` to `new_registry` moved the allocations.

    As `kokeilu shares` divides by default: among the approved parties (`provisional` for every
    party that has not rejected), each version in its own default period unless `period` is given.
    """
    before_side, before = _divide(old_registry, period, provisional)
    after_side, after = _divide(new_registry, period, provisional)
    if before is None or after is None:
        return Effects(provisional, before_side, after_side, [])
    names = _Names(old_registry, new_registry)
    resources = {**old_registry.resources, **new_registry.resources}
    order = list(new_registry.resources) + [
        r for r in old_registry.resources if r not in new_registry.resources
    ]
    parties = list(new_registry.parties) + [
        p for p in old_registry.parties if p not in new_registry.parties
    ]
    moved = []
    for rid in order:
        for pid in parties:
            was, now = before.get((rid, pid)), after.get((rid, pid))
            if was == now:
                continue
            moved.append(
                Effect(
                    rid,
                    names.resource(rid),
                    literal(resources[rid].unit),
                    pid,
                    names.party(pid),
                    was,
                    now,
                )
            )
    return Effects(provisional, before_side, after_side, moved)


def allocation_effect(
    old_registry: Registry,
    new_registry: Registry,
    period: str | None = None,
    provisional: bool = False,
) -> list[Effect]:
    """Only the allocations that moved (see `effects`); none when a version cannot be divided."""
    return effects(old_registry, new_registry, period, provisional).moved
