"""What every command does first: read the registry (from the file, or a version from git), and
refuse to work from a broken one, saying why on standard error."""

from __future__ import annotations

import datetime as dt
import sys

from kokeilu import rules
from kokeilu.cli.exits import EXIT_ERRORS, EXIT_UNREADABLE
from kokeilu.registry.diagnostics import Diagnostic, has_errors
from kokeilu.registry.findings_report import render_unreadable
from kokeilu.registry.load import Document, Unreadable, load
from kokeilu.text.display import literal_lines
from kokeilu.text.strings import t


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
