"""`kokeilu report application`: the application dossier, as Markdown or printable HTML.

The registry is read in one call (`read_valid`, which gives `--at` and `--rev`), as `status` and `shares` read it, and the
dossier is written in the registry's language, whoever runs the command.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from kokeilu.cli.exits import EXIT_ERRORS, EXIT_OK
from kokeilu.cli.reading import read_valid
from kokeilu.registry.model import Registry
from kokeilu.reports.application import application_dossier
from kokeilu.text.display import literal
from kokeilu.text.strings import t

FORMATS = ("md", "html")


def render(registry: Registry, fmt: str, today: dt.date) -> str:
    """The dossier of `registry` in the format asked for (`md` or `html`)."""
    document = application_dossier(registry, today)
    if fmt == "html":
        from kokeilu.reports.html import to_html

        return to_html(document)
    from kokeilu.reports.markdown import to_markdown

    return to_markdown(document)


def run_report(
    file: str,
    kind: str,
    fmt: str = "md",
    output: str | None = None,
    at: dt.date | None = None,
    rev: str | None = None,
) -> int:
    """Print the dossier, or write it to `output` (replaced if it is there: the user named it);
    of the registry as of day `at` or at `rev` (prepared as of that day), if asked."""
    assert kind == "application"  # argparse offers no other
    shown = read_valid(file, at, rev)
    if isinstance(shown, int):
        return shown
    for line in shown.heading()[:1]:  # which version: beside the dossier, not in it
        print(line, file=sys.stderr)
    text = render(shown.document.registry, fmt, at or dt.date.today())
    if output is None or output == "-":
        sys.stdout.write(text)
        return EXIT_OK
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(t("report.cannot_write", file=literal(output), reason=reason), file=sys.stderr)
        return EXIT_ERRORS
    print(t("report.written", file=literal(output)), file=sys.stderr)
    return EXIT_OK
