"""Reading one table by its declaration (`spec`): each key checked for its type, choices and
presence, a finding for every one that is wrong, and the key left out rather than guessed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from kokeilu.registry.diagnostics import Diagnostic, error, warning
from kokeilu.registry.keys import dotted
from kokeilu.registry.model import ID_RE, KeyPath
from kokeilu.registry.spec import Field, Spec
from kokeilu.text.strings import t

_EXPECTED = {
    "text": "type.text",
    "id": "type.id",
    "ids": "type.ids",
    "choice": "type.text",
    "choices": "type.list",
    "date": "type.date",
    "bool": "type.bool",
    "int": "type.int",
    "number": "type.number",
    "table": "type.table",
    "array": "type.array_of_tables",
}


def toml_type(value: Any) -> str:
    """The TOML name of a parsed value's type, for messages."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, Decimal | float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dt.datetime):
        return "date-time"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, dt.time):
        return "time"
    if isinstance(value, list):
        return "array"
    return "table"


def _is_kind(value: Any, spec: Field) -> bool:
    kind = spec.kind
    if kind in ("text", "choice"):
        return isinstance(value, str)
    if kind == "id":
        return isinstance(value, str) and ID_RE.match(value) is not None
    if kind == "ids":
        return isinstance(value, list) and all(isinstance(v, str) and ID_RE.match(v) for v in value)
    if kind == "choices":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "date":
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | Decimal) and not isinstance(value, bool)
    if kind == "table":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    raise ValueError(kind)


class TableReader:
    """Reads tables field by field, collecting findings."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def fields(self, raw: Mapping[str, Any], path: KeyPath, spec: Spec) -> dict[str, Any]:
        """The table's known fields, checked; a wrong one is reported and read as None."""
        out: dict[str, Any] = {}
        for key, value in raw.items():
            rule = spec.get(key)
            if rule is None:
                self.diagnostics.append(
                    warning(
                        "unknown_key",
                        (*path, key),
                        hint="unknown_key",
                        key=key,
                        table=dotted(path) or t("type.top_level"),
                    )
                )
                continue
            if not _is_kind(value, rule):
                self._wrong_type((*path, key), value, rule)
                continue
            kind = rule.kind
            if kind == "choice" and value not in rule.choices:
                where = (*path, key)
                self.diagnostics.append(
                    error(
                        "bad_choice",
                        where,
                        at_value=True,
                        field=dotted(where),
                        value=value,
                        choices=", ".join(rule.choices),
                    )
                )
                continue
            if kind == "choices":
                bad = [v for v in value if v not in rule.choices]
                if bad:
                    where = (*path, key)
                    self.diagnostics.append(
                        error(
                            "bad_choice",
                            where,
                            at_value=True,
                            field=dotted(where),
                            value=bad[0],
                            choices=", ".join(rule.choices),
                        )
                    )
                    value = [v for v in value if v in rule.choices]
            if kind == "text" and rule.required and not value.strip():
                where = (*path, key)
                self.diagnostics.append(error("empty", where, at_value=True, field=dotted(where)))
            out[key] = value
        for key in spec.required:
            if key not in raw:
                self.diagnostics.append(
                    error(
                        "missing_field",
                        path,
                        table=dotted(path) or t("type.top_level"),
                        field=key,
                        missing=key,
                    )
                )
        return out

    def _wrong_type(self, where: KeyPath, value: Any, rule: Field) -> None:
        if rule.kind == "id" and isinstance(value, str):
            self.diagnostics.append(error("bad_id", where, at_value=True, hint="bad_id", id=value))
            return
        if rule.kind == "ids" and isinstance(value, list):
            bad = next(v for v in value if not (isinstance(v, str) and ID_RE.match(v)))
            self.diagnostics.append(
                error("bad_id", where, at_value=True, hint="bad_id", id=str(bad))
            )
            return
        self.diagnostics.append(
            error(
                "wrong_type",
                where,
                at_value=True,
                field=dotted(where),
                expected=t(_EXPECTED[rule.kind]),
                actual=toml_type(value),
            )
        )

    def keyed(
        self, raw: Mapping[str, Any], path: KeyPath, key_re: re.Pattern[str] = ID_RE
    ) -> dict[str, dict[str, Any]]:
        """The sub-tables of a table of entries keyed by id; bad ids and non-tables are reported."""
        out: dict[str, dict[str, Any]] = {}
        for key, value in raw.items():
            where = (*path, key)
            if not key_re.match(key):
                self.diagnostics.append(error("bad_id", where, hint="bad_id", id=key))
            elif not isinstance(value, dict):
                self.diagnostics.append(
                    error(
                        "wrong_type",
                        where,
                        at_value=True,
                        field=dotted(where),
                        expected=t("type.table"),
                        actual=toml_type(value),
                    )
                )
            else:
                out[key] = value
        return out

    def number(self, value: Any, where: KeyPath, *, positive: bool) -> Decimal | None:
        """A resource number as an exact decimal, checked against its range."""
        if value is None:
            return None
        number = Decimal(value)
        if not number.is_finite():
            self.diagnostics.append(
                error("not_finite", where, at_value=True, field=dotted(where), value=value)
            )
            return None
        if positive and number <= 0:
            self.diagnostics.append(
                error("not_positive", where, at_value=True, field=dotted(where), value=value)
            )
            return None
        if number < 0:
            self.diagnostics.append(
                error("negative", where, at_value=True, field=dotted(where), value=value)
            )
            return None
        return number
