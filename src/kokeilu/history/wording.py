"""A registry change in words, with the names the registry gives: `Iisalmi: decision outcome
pending → approved`. Ids are replaced by names from the newer registry, else the older one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from kokeilu.editing.edits import MISSING
from kokeilu.history.semdiff import FieldChange
from kokeilu.registry.model import KeyPath, Registry
from kokeilu.text.display import date as fi_date
from kokeilu.text.display import exact, literal
from kokeilu.text.strings import t

# A text longer than this is said to have changed rather than quoted whole.
LONG_TEXT = 60


class Names:
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
        return exact(value)
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


def _field_value(names: Names, field: Any, value: Any) -> str:
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


def _field_line(subject: str, field: str, label: str, names: Names, change: FieldChange) -> str:
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
    names = Names(old_registry, new_registry)
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


def _party(names: Names, change: FieldChange) -> str:
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


def _service_agreement(names: Names, change: FieldChange) -> str:
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
