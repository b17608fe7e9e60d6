"""`kokeilu export FILE.xlsx|FILE.csv|FILE.json`: the division and the registry, to hand on."""

from __future__ import annotations

import sys
from pathlib import Path

from kokeilu.cli.exits import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE
from kokeilu.cli.reading import load_valid
from kokeilu.text.display import literal
from kokeilu.text.strings import language, t


def run_export(
    file: str, target: str, period: str | None, provisional: bool, locale: str | None
) -> int:
    """Write the export to `target` (its format by its suffix); say where, or why not."""
    from kokeilu.export import ExportError, export, format_of
    from kokeilu.shares.division import SharesError

    try:
        format_of(Path(target))
    except ExportError as exc:  # before reading anything: a usage error
        print(f"{literal(target)}: error: {literal(str(exc))}", file=sys.stderr)
        return EXIT_UNREADABLE
    doc = load_valid(file)
    if isinstance(doc, int):
        return doc
    locale = locale or language()
    try:
        content = export(doc.registry, Path(file), Path(target), period, provisional, locale)
    except SharesError as exc:
        print(f"{file}: error: {literal(str(exc))}", file=sys.stderr)
        return EXIT_ERRORS
    except OSError as exc:
        print(
            f"{literal(target)}: error: {t('export.cannot_write', reason=literal(exc.strerror or str(exc)))}",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    # The file is in `locale`; what is said to the user, in the user's language.
    if doc.registry.example_figures:
        print(t("cli.example_figures_short"), file=sys.stderr)
    for note in content.notes():
        print(literal(note), file=sys.stderr)
    print(written(target, content.period, provisional))
    return EXIT_OK


def written(target: str, period: str, provisional: bool) -> str:
    """The line that says where the export went, and what it holds."""
    from kokeilu.export import format_of

    basis = t("export.basis.provisional" if provisional else "export.basis.approved")
    return t(
        "export.written",
        path=literal(target),
        format=format_of(Path(target)).upper(),
        period=literal(period),
        basis=basis,
    )
