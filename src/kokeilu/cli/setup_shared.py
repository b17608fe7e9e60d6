"""`kokeilu setup-shared --group GROUP`: prepare the registry's repository for several accounts."""

from __future__ import annotations

import sys
from pathlib import Path

from kokeilu.cli.exits import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE
from kokeilu.store.shared import SetupError, prepare
from kokeilu.text.display import literal
from kokeilu.text.strings import t


def run_setup_shared(file: str, group: str) -> int:
    """Say each change made, or that there was none; 1 when something could not be changed."""
    try:
        report = prepare(Path(file), group)
    except SetupError as exc:
        print(f"{literal(file)}: error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    top = literal(str(report.top))
    for line in report.changed:
        print(f"{top}: {line}")
    for line in report.failed:
        print(f"{top}: error: {line}", file=sys.stderr)
    if not report.changed and not report.failed:
        print(t("shared.nothing", top=top, group=literal(group)))
    return EXIT_ERRORS if report.failed else EXIT_OK
