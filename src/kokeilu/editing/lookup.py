"""Values at key paths in parsed registry data, read and compared whatever read them.

`MISSING` is the value of a key that is not there. Values from tomllib (floats as `Decimal`) and
from a tomlkit document compare equal when they are the same registry value (`same`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from kokeilu.registry.model import KeyPath


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


def toml_scalar(value: Any) -> Any:
    """A plain value as it is given to tomlkit: exact decimals as the shortest int or float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [toml_scalar(v) for v in value]
    return value


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
