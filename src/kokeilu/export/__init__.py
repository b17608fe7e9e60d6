"""Exports for people who hand the figures on: a workbook with charts, CSV, JSON.

One function (`export`) serves `kokeilu export` and the dashboard's Export…: it gathers the
division as `kokeilu shares` computes it (`content.gather`), writes it in the format the file's
suffix names, and puts the file in place in one piece (`store.files.atomic_write`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from kokeilu.export.content import Content, Origin, gather, origin
from kokeilu.registry.model import Registry
from kokeilu.text.strings import t

FORMATS = ("xlsx", "csv", "json")
LOCALES = ("en", "fi")


class ExportError(ValueError):
    """An export that cannot be made, with a message for the user."""

    def __init__(self, key: str, **params: Any):
        super().__init__(t(key, **params))
        self.key = key


def format_of(target: Path) -> str:
    """The format a file's suffix names (`.xlsx`, `.csv`, `.json`, any case); ExportError else."""
    suffix = target.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ExportError("export.unknown_format", suffix=target.suffix or target.name)
    return suffix


def render(content: Content, fmt: str, locale: str) -> bytes:
    """The bytes of `content` in `fmt`, its words and numbers in `locale`."""
    if fmt == "xlsx":
        from kokeilu.export.workbook import workbook_bytes

        return workbook_bytes(content, locale)
    from kokeilu.export.flat import csv_text, json_text

    return (csv_text(content, locale) if fmt == "csv" else json_text(content)).encode("utf-8")


def export(
    registry: Registry,
    file: Path,
    target: Path,
    period: str | None = None,
    provisional: bool = False,
    locale: str = "en",
    commit: str | None = None,
) -> Content:
    """Write the export of `registry` (read from `file`) to `target`; returns what was written.

    `commit`: the registry is that commit's version of the file (the dashboard showing an old
    version), not the file as it is now.

    Raises ExportError (an unknown suffix), SharesError (no division for the period) or
    OSError (the file cannot be written); `target` is then unchanged.
    """
    fmt = format_of(target)
    source = Origin(str(file), commit) if commit is not None else origin(file)
    content = gather(registry, source, period, provisional)
    write(target, render(content, fmt, locale if locale in LOCALES else "en"))
    return content


def write(target: Path, data: bytes) -> None:
    """Put `data` in `target` in one piece: a reader (or a spreadsheet that has it open) sees
    the old file or the new one. A new file gets the mode the umask gives; an existing one
    keeps its own. Raises OSError, leaving no temporary file behind."""
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    """The process's umask, read without setting it (`os.umask` would change it for a moment
    under every other thread of the dashboard); 022 where the system does not tell."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022
