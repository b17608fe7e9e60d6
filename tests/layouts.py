"""The same registry written in the many ways TOML allows: tables in any order, super-tables
written or not, dotted keys, inline tables, arrays of tables split around other tables.

`render(data, layout)` writes parsed registry data as TOML text in a chosen layout; the text
reads back (tomllib) as exactly `data`, in the same order of keys. Each table's header or first
line comes after a comment naming it, so that a test can see comments kept.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")

# How a table of entries (parties, caseloads …) is written:
#   headers  [parties.kuopio] per entry (the registry's own way)
#   super    the same, with an explicit [parties] header too
#   dotted   [parties] then `kuopio.name = "Kuopio"` lines
#   inline   [parties] then `kuopio = { name = "Kuopio", … }` lines
#   whole    `parties = { kuopio = { … }, … }` at the top
#   root     `parties.kuopio.name = "Kuopio"` at the top
STYLES = ("headers", "super", "dotted", "inline", "whole", "root")
# How a party's decision is written inside its [parties.x] table: its own header, an inline
# table, or dotted keys.
SUB_STYLES = ("header", "inline", "dotted")


@dataclass(frozen=True)
class Layout:
    """How each top-level table is written, and which table chunks move where."""

    styles: Mapping[str, str] = field(default_factory=dict)
    sub_style: str = "header"
    service_agreements: str = "aot"  # or "inline": an array of inline tables
    moves: tuple[tuple[int, int], ...] = ()  # (from, to) positions of header chunks


def key(name: str) -> str:
    """A key, bare when it can be."""
    return name if _BARE.match(name) else json.dumps(name, ensure_ascii=False)


def dotted(path: tuple[str, ...]) -> str:
    return ".".join(key(p) for p in path)


def value(v: Any) -> str:
    """A value as TOML, inline."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | Decimal):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, Mapping):
        return "{ " + ", ".join(f"{key(k)} = {value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def _pairs(table: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> list[str]:
    """`a.b.c = v` lines for every scalar (and array) under `table`."""
    out = []
    for k, v in table.items():
        if isinstance(v, Mapping):
            out += _pairs(v, (*prefix, k))
        else:
            out.append(f"{dotted((*prefix, k))} = {value(v)}")
    return out


class _Text:
    def __init__(self) -> None:
        self.root: list[str] = []
        self.chunks: list[tuple[str, list[str]]] = []  # (kind, lines): kind "table" or "aot"

    def header(self, path: tuple[str, ...], lines: list[str], aot: bool = False) -> None:
        name = dotted(path)
        head = f"[[{name}]]" if aot else f"[{name}]"
        self.chunks.append(("aot" if aot else "table", [f"# {name}", head, *lines]))


def _entry_lines(
    text: _Text, path: tuple[str, ...], entry: Mapping[str, Any], sub_style: str
) -> list[str]:
    """An entry's own lines under its header; a sub-table in `sub_style` (its own header: later)."""
    lines = []
    for k, v in entry.items():
        if isinstance(v, Mapping):
            if sub_style == "header":
                text.header((*path, k), _entry_lines(text, (*path, k), v, "header"))
            elif sub_style == "inline":
                lines.append(f"{key(k)} = {value(v)}")
            else:
                lines += _pairs(v, (k,))
        else:
            lines.append(f"{key(k)} = {value(v)}")
    return lines


def render(data: Mapping[str, Any], layout: Layout) -> str:
    """`data` written as TOML in `layout`."""
    text = _Text()
    for name, table in data.items():
        style = layout.styles.get(name, "headers")
        if name == "service_agreements":
            if layout.service_agreements == "inline":
                text.root.append(f"# {name}")
                text.root.append(f"{name} = [" + ", ".join(value(x) for x in table) + "]")
            else:
                for item in table:
                    text.header((name,), _pairs(item), aot=True)
        elif not isinstance(table, Mapping):
            text.root.append(f"{key(name)} = {value(table)}")
        elif not all(isinstance(v, Mapping) for v in table.values()):  # [agreement]
            if style in ("whole", "inline"):
                text.root += [f"# {name}", f"{key(name)} = {value(table)}"]
            elif style == "root":
                text.root += [f"# {name}", *_pairs(table, (name,))]
            else:
                text.header((name,), _pairs(table))
        elif style == "whole":
            text.root += [f"# {name}", f"{key(name)} = {value(table)}"]
        elif style == "root":
            text.root += [f"# {name}", *_pairs(table, (name,))]
        elif style == "dotted":
            text.header((name,), _pairs(table))
        elif style == "inline":
            text.header((name,), [f"{key(k)} = {value(v)}" for k, v in table.items()])
        else:
            if style == "super":
                text.header((name,), [])
            for k, entry in table.items():
                at = len(text.chunks)
                lines = _entry_lines(text, (name, k), entry, layout.sub_style)
                text.chunks.insert(
                    at, ("table", [f"# {dotted((name, k))}", f"[{dotted((name, k))}]", *lines])
                )
    chunks = list(text.chunks)
    for source, target in layout.moves:
        if chunks:
            chunks.insert(target % (len(chunks) + 1), chunks.pop(source % len(chunks)))
    # Arrays of tables keep their items' order: their chunks take the places they moved to.
    places = [i for i, (kind, _) in enumerate(chunks) if kind == "aot"]
    aots = [c for c in text.chunks if c[0] == "aot"]
    for i, chunk in zip(places, aots, strict=True):
        chunks[i] = chunk
    out = list(text.root)
    for _, lines in chunks:
        out += ["", *lines]
    return "\n".join(out) + "\n"
