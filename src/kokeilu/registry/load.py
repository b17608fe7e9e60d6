"""Reading a registry file: bytes to text to TOML data to the registry's types.

This is the one place that reads a registry for the command line and the dashboard. A file that
cannot be read or is not TOML raises `Unreadable` with the position tomllib reports; a file that
parses always yields a registry, with findings for what is wrong in it.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kokeilu.registry import fastparse, schema
from kokeilu.registry.diagnostics import Diagnostic
from kokeilu.registry.model import KeyPath, Registry
from kokeilu.text.strings import t

if TYPE_CHECKING:
    from kokeilu.registry.locate import Span

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


class Unreadable(Exception):
    """The file is missing, unreadable, not UTF-8 or not TOML: there is no registry to check."""

    def __init__(
        self,
        file: str,
        message: str,
        line: int | None = None,
        col: int | None = None,
        text: str | None = None,
    ):
        super().__init__(message)
        self.file = file
        self.message = message
        self.line = line
        self.col = col
        self.text = text


@dataclass
class Document:
    """A registry file as read: its text, the registry in it, and what loading found wrong."""

    file: str
    text: str
    registry: Registry
    diagnostics: list[Diagnostic]
    data: dict[str, Any] = field(repr=False)
    # The UTF-8 byte order mark the file starts with (b"" when none): kept when it is saved.
    bom: bytes = b""
    # Where the caseload tables stand in `text`, when the fast path read it: an edit of counts
    # alone is read back by reading only the tables it touched (`fastparse.reread`).
    layout: fastparse.Layout | None = field(default=None, repr=False, compare=False)
    # Where each table header's line starts in `text`, when the splice that wrote it found
    # them: finding them again costs a large file more than the rest of the next splice.
    header_lines: list[int] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def spans(self) -> dict[KeyPath, Span]:
        """Positions of the file's keys; computed only when a finding needs one."""
        # Imported here: `locate` (and json) cost the dashboard's first frame ~3 ms.
        from kokeilu.registry.locate import locate

        return locate(self.text)


BOM = "\ufeff"


def parse(text: str, file: str = "<registry>") -> Document:
    """Parse registry text; raises `Unreadable` when it is not TOML.

    A byte order mark before the text (some Windows editors write one) is not TOML: it is set
    aside, so that lines and columns are counted as an editor shows them, and a save keeps it.
    """
    bom = b""
    if text.startswith(BOM):
        text, bom = text[1:], BOM.encode("utf-8")
    layout = None
    try:
        read = fastparse.fast_read(text, parse_float=Decimal)
        if read is None:
            data = tomllib.loads(text, parse_float=Decimal)
        else:
            data, layout = read
    except tomllib.TOMLDecodeError as exc:
        line, col, message = _toml_position(exc, text)
        raise Unreadable(file, message, line, col, text) from None
    except (ValueError, ArithmeticError):
        # Not a syntax error: a number tomllib read but Python would not convert (an integer
        # of more than 4 300 digits, a float whose exponent Decimal refuses).
        line, col = _number_position(text)
        raise Unreadable(file, t("diag.number_too_long"), line, col, text) from None
    registry, diagnostics = schema.build(data)
    return Document(file, text, registry, diagnostics, data, bom, layout)


def load(file: str | Path) -> Document:
    """Read and parse the registry at `file`; raises `Unreadable` for any reason it has none."""
    return parse_bytes(read(file)[0], str(file))


def read(file: str | Path) -> tuple[bytes, os.stat_result]:
    """The bytes of `file` and its status, from one open file; raises `Unreadable` as `load` does.

    Only a regular file is a registry: a folder, a named pipe (whose open would wait for a
    writer), a device (`/dev/zero` never ends) or a socket is refused before anything is read.
    """
    name = str(file)
    try:
        before = os.stat(file)
        if not stat.S_ISREG(before.st_mode):
            raise Unreadable(name, not_regular(before))
        # O_NONBLOCK: a named pipe put in its place since then must not hang the open.
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb") as f:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise Unreadable(name, not_regular(st))
            return f.read(), st
    except FileNotFoundError:
        raise Unreadable(name, t("cli.not_found", file=name)) from None
    except OSError as exc:
        raise Unreadable(name, t("diag.unreadable", reason=exc.strerror or str(exc))) from None


# What a file that is not a regular file is, for the message that refuses it.
_KINDS = (
    (stat.S_ISDIR, "folder"),
    (stat.S_ISFIFO, "fifo"),
    (stat.S_ISCHR, "char_device"),
    (stat.S_ISBLK, "block_device"),
    (stat.S_ISSOCK, "socket"),
)


def not_regular(st: os.stat_result) -> str:
    """Why a file of this status is no registry: "not a regular file (a named pipe, FIFO); …"."""
    kind = next((word for test, word in _KINDS if test(st.st_mode)), "other")
    return t("load.not_regular", kind=t(f"load.kind.{kind}"))


def parse_bytes(raw: bytes, file: str = "<registry>") -> Document:
    """Parse a registry file's bytes; raises `Unreadable` when they are not UTF-8 or not TOML."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", errors="replace").removeprefix(BOM)
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        raise Unreadable(file, t("diag.not_utf8", reason=exc.reason), line, col) from None
    return parse(text, file)


def _toml_position(exc: tomllib.TOMLDecodeError, text: str) -> tuple[int, int, str]:
    """Line, column and bare message of a TOML syntax error, on every Python since 3.11."""
    message = str(exc.args[0]) if exc.args else str(exc)
    lineno = getattr(exc, "lineno", None)
    colno = getattr(exc, "colno", None)
    bare = getattr(exc, "msg", None)
    if lineno is not None and colno is not None and bare:
        return lineno, colno, bare
    m = _TOML_POSITION.search(message)
    if m:
        return int(m.group(1)), int(m.group(2)), message[: m.start()]
    m = _TOML_AT_END.search(message)
    lines = text.splitlines() or [""]
    return len(lines), len(lines[-1]) + 1, message[: m.start()] if m else message


# A TOML number where a value stands: after `=`, `[`, `,`, `{` or space, before the end of a value.
_NUMBER = re.compile(
    r"(?<=[=\s\[,{])[+-]?[0-9](?:_?[0-9])*(?:\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?"
    r"(?=[\s,\]}#]|\Z)"
)


def _convertible(number: str) -> bool:
    """Whether tomllib's conversion of this number text (int, or Decimal for floats) succeeds."""
    plain = number.replace("_", "")
    try:
        if any(c in plain for c in ".eE"):
            Decimal(plain)
        else:
            int(plain)
    except (ValueError, ArithmeticError):
        return False
    return True


def _number_position(text: str) -> tuple[int, int]:
    """Where the first number stands that tomllib parsed but could not convert.

    The candidates are found by a pattern that also matches in strings and comments; each one is
    replaced by letters of the same length, and tomllib, reading the text again, stops at the
    first that stood where a value belongs ("Invalid value"), at its line and column. A string,
    a comment or a key holding the letters reads as before.
    """
    masked = text
    for m in _NUMBER.finditer(text):
        if not _convertible(m.group()):
            masked = masked[: m.start()] + "x" * (m.end() - m.start()) + masked[m.end() :]
    try:
        tomllib.loads(masked, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        line, col, _ = _toml_position(exc, masked)
        return line, col
    except (ValueError, ArithmeticError):
        pass
    return 1, 1
