"""What an edit makes of a registry file: its text, what that text reads as, and its findings.

`preview` is the one answer to "what if": the save path writes what it says (`Store.save`), and
a form can ask it as the user types. The data is what the written text parses to, never a
prediction of it:

- the fast path: a value edit is spliced into the text (`splice`), and the text is read by the
  registry's own reader (`fastparse`, exact as tomllib);
- the plain path: the edit is written through the format-preserving tomlkit document
  (`toml_writer`), and the text read back must be the data before the edit with the edit's
  changes made, nothing else (`layout.made`).

`KOKEILU_PLAIN_PATH=1` in the environment forces the plain path, read in full by tomllib: CI runs
the save and edit tests both ways, so the fast path is always checked against the plain one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kokeilu.editing.edits import Edit
from kokeilu.editing.layout import LayoutError, made, not_a_table, placed, rewritten
from kokeilu.editing.splice import Pieces, splice_pieces
from kokeilu.editing.toml_writer import apply
from kokeilu.registry import fastparse, schema
from kokeilu.registry.diagnostics import Diagnostic
from kokeilu.registry.load import Document, parse
from kokeilu.rules import findings

# The environment variable that forces the plain path (any value but "" and "0").
PLAIN_PATH = "KOKEILU_PLAIN_PATH"


def plain_path() -> bool:
    """Whether the plain path is forced (`KOKEILU_PLAIN_PATH=1`)."""
    return os.environ.get(PLAIN_PATH, "") not in ("", "0")


@dataclass(frozen=True)
class Preview:
    """The registry file as an edit would make it."""

    text: str  # the file's text after the edit
    document: Document  # that text parsed: data, registry, schema diagnostics
    findings: tuple[Diagnostic, ...]  # findings(document, today) of the new text
    added: tuple[Diagnostic, ...]  # error findings the edit adds (not present before)
    # The tomlkit document of `text`, when the edit was written through one: a store keeps it
    # for the next edit that needs one (parsing a large file with tomlkit takes seconds).
    toml: Any = field(default=None, compare=False, repr=False)


def preview(document: Document, edit: Edit, *, today: dt.date, toml: Any = None) -> Preview:
    """What `edit` makes of `document`: the new text, parsed and checked on `today`.

    `toml`, when given, is a tomlkit document of `document.text` to write into (it is changed).
    Raises `LayoutError`, placed at its line and column, when the edit cannot be written into
    the file as its tables are laid out, or writes a key into a value that is not a table.
    """
    not_table = not_a_table(document.data, edit)
    if not_table is not None:
        raise placed(document, edit, not_table)
    plain = plain_path()
    spliced = (
        None if plain else splice_pieces(document.text, document.data, edit, document.header_lines)
    )
    if spliced is not None:
        new = _read_spliced(document, *spliced)
        toml = _kept(toml, edit)
    else:
        text, (data, layout), toml = _through_tomlkit(document, edit, toml, plain)
        registry, diagnostics = schema.build(data)
        new = Document(document.file, text, registry, diagnostics, data, document.bom, layout)
    found = tuple(findings(new, today))
    errors = _error_keys(found)
    # Without errors in the new registry there is none added: no need to check the old one.
    if errors:
        errors -= _error_keys(findings(document, today))
    added = tuple(d for d in found if (d.code, d.path) in errors)
    return Preview(new.text, new, found, added, toml)


def _read_spliced(
    document: Document, text: str, pieces: Pieces, headers: list[int] | None
) -> Document:
    """The spliced `text` read: its caseload tables alone when only their counts changed
    (`fastparse.reread`, `schema.with_periods`), else the whole text."""
    layout = document.layout
    again = None if layout is None else fastparse.reread(document.data, layout, text, pieces)
    if again is not None:
        data, layout, periods = again
        built = schema.with_periods(document.registry, document.diagnostics, data, periods)
        if built is not None:
            registry, diagnostics = built
            return Document(
                document.file, text, registry, diagnostics, data, document.bom, layout, headers
            )
    new = parse(text, document.file)
    new.bom, new.header_lines = document.bom, headers
    return new


def _error_keys(found: tuple[Diagnostic, ...] | list[Diagnostic]) -> set[tuple[str, tuple]]:
    return {(d.code, d.path) for d in found if d.severity == "error"}


def _kept(toml: Any, edit: Edit) -> Any:
    """The tomlkit document with `edit` applied as well, or None when it cannot be."""
    if toml is None:
        return None
    try:
        apply(toml, edit)
    except Exception:  # tomlkit's own corners: the document is of no more use
        return None
    return toml


def _read(text: str, plain: bool) -> tuple[dict[str, Any], fastparse.Layout | None] | None:
    """`text` read as the registry is read (floats exact), with where its caseload tables
    stand; None when it is not TOML. The plain path reads it with tomllib alone."""
    try:
        read = None if plain else fastparse.fast_read(text, parse_float=Decimal)
        return read or (tomllib.loads(text, parse_float=Decimal), None)
    except tomllib.TOMLDecodeError:
        return None


def _through_tomlkit(
    document: Document, edit: Edit, toml: Any, plain: bool
) -> tuple[str, tuple[dict[str, Any], fastparse.Layout | None], Any]:
    """The text after `edit` written through tomlkit, what it reads as (and its layout), and the
    tomlkit document.

    The text must read back as the data before the edit with the edit's changes made; else the
    edit is refused, as it is when tomlkit would rewrite lines the edit does not change. A
    document kept from an earlier save is tried first, then a fresh one.
    """
    import tomlkit

    attempts = [toml, None] if toml is not None else [None]
    refusal: LayoutError | None = None
    for kept in attempts:
        try:
            doc = kept
            if doc is None:
                doc = tomlkit.parse(document.text)
                rendered = doc.as_string()
                if rendered != document.text:  # it would rewrite lines the edit does not change
                    refusal = rewritten(document.text, rendered)
                    break
            apply(doc, edit)
            text = keep_line_ends(document.text, doc.as_string())
        except LayoutError as exc:
            refusal = exc
            continue
        except Exception:  # tomlkit's corners: refused below, never a traceback
            continue
        found = _read(text, plain)
        if found is not None and made(document.data, found[0], edit):
            return text, found, doc
    raise placed(document, edit, refusal)


_LONE_LF = re.compile(r"(?<!\r)\n")


def keep_line_ends(before: str, after: str) -> str:
    """`after` with CRLF line ends when every line of `before` ends so.

    tomlkit writes the lines of a new table or key with LF; in a CRLF file they must be CRLF
    like the rest. A file with LF (or mixed) line ends is left as the edit wrote it.
    """
    first = before.find("\n")
    if first <= 0 or before[first - 1] != "\r" or _LONE_LF.search(before, first + 1):
        return after
    return _LONE_LF.sub("\r\n", after)
