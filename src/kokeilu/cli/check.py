"""`kokeilu check`: every finding at once, positioned, errors with an excerpt."""

from __future__ import annotations

import sys

from kokeilu.cli.exits import EXIT_ERRORS, EXIT_OK
from kokeilu.cli.reading import findings, load_or_report
from kokeilu.registry.diagnostics import has_errors
from kokeilu.registry.findings_report import position, render
from kokeilu.text.strings import t


def run_check(file: str) -> int:
    """Print each finding, sorted by position; exit 0 clean or warnings only, 1 errors, 2 unreadable."""
    doc = load_or_report(file)
    if isinstance(doc, int):
        return doc
    found = findings(doc)
    placed = sorted(found, key=lambda d: position(doc, d))
    for diagnostic in placed:
        print(render(doc, diagnostic))
    errors = sum(1 for d in found if d.severity == "error")
    summary = (
        t("report.summary", errors=errors, warnings=len(found) - errors)
        if found
        else t("report.clean")
    )
    print(summary, file=sys.stderr)
    return EXIT_ERRORS if has_errors(found) else EXIT_OK
