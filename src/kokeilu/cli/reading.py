"""What every command does first: read the registry (from the file, or a version from git), and
refuse to work from a broken one, saying why on standard error."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kokeilu import rules
from kokeilu.cli.exits import EXIT_ERRORS, EXIT_UNREADABLE
from kokeilu.registry.diagnostics import Diagnostic, has_errors
from kokeilu.registry.findings_report import render_unreadable
from kokeilu.registry.load import Document, Unreadable, load
from kokeilu.text.display import literal_lines
from kokeilu.text.strings import t

if TYPE_CHECKING:
    from kokeilu.history.asof import Version


def report_failure(file: str, exc: Exception) -> int:
    """Say why a git-reading command could not run: git's own words (1) or the file's error (2)."""
    if isinstance(exc, Unreadable):
        print(render_unreadable(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    print(t("diff.git_error", file=file, message=literal_lines(str(exc))), file=sys.stderr)
    return EXIT_ERRORS


def findings(doc: Document, today: dt.date | None = None) -> list[Diagnostic]:
    """Everything wrong with a document (`rules.findings`), today unless told another day."""
    return rules.findings(doc, today or dt.date.today())


def load_or_report(file: str) -> Document | int:
    """The document at `file`, or the exit code after reporting why there is none."""
    try:
        return load(file)
    except Unreadable as exc:
        print(render_unreadable(exc), file=sys.stderr)
        return EXIT_UNREADABLE


def load_valid(file: str) -> Document | int:
    """The document at `file` if it has no errors; else the exit code after saying so."""
    doc = load_or_report(file)
    if isinstance(doc, int):
        return doc
    found = findings(doc)
    if has_errors(found):
        count = sum(1 for d in found if d.severity == "error")
        print(t("cli.has_errors", file=file, count=count), file=sys.stderr)
        return EXIT_ERRORS
    return doc


# --- The registry as of a day or a commit (`--at DAY`, `--rev REV`) -----------------------------


@dataclass(frozen=True, slots=True)
class Shown:
    """The registry a command shows: its document, and which version of it (None: the file)."""

    document: Document
    version: Version | None = None

    def heading(self) -> list[str]:
        """The lines a text output starts with: which version it shows, then a blank line."""
        return [self.version.line(), ""] if self.version is not None else []

    def version_json(self) -> dict[str, Any] | None:
        """The `version` field of a JSON output (null: the file as it is now)."""
        return self.version.as_json() if self.version is not None else None


def read_valid(file: str, at: dt.date | None = None, rev: str | None = None) -> Shown | int:
    """The registry at `file` (`load_valid`), or its version on day `at` or at revision `rev`
    read from git (`history.asof`); else the exit code after saying why there is none.

    A command gets `--at` and `--rev` with `cli.version_options(parser)` and this one call.
    A version with errors is refused like the file, each error shown at `REV:path:line:col`;
    it is judged as of today, as the file is (the rules' "after today" stays today's).
    """
    if at is None and rev is None:
        doc = load_valid(file)
        return doc if isinstance(doc, int) else Shown(doc)
    from kokeilu.history.asof import resolve
    from kokeilu.history.git import GitError

    try:
        version, doc = resolve(Path(file), at=at, rev=rev)
    except (GitError, Unreadable) as exc:
        return report_failure(file, exc)
    found = [d for d in findings(doc) if d.severity == "error"]
    if found:
        from kokeilu.registry.findings_report import position, render

        for diagnostic in sorted(found, key=lambda d: position(doc, d)):
            print(render(doc, diagnostic), file=sys.stderr)
        print(t("asof.version_has_errors", file=doc.file, count=len(found)), file=sys.stderr)
        return EXIT_ERRORS
    return Shown(doc, version)
