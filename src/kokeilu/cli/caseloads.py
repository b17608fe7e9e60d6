"""`kokeilu set-caseload` and `kokeilu import-caseloads`: edits from the command line, through the
same save path as the dashboard (lock, re-read, conflict check, validate, atomic write, commit)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from kokeilu.cli.exits import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE
from kokeilu.editing import edits
from kokeilu.editing.edits import MISSING, Edit
from kokeilu.editing.sheets import (
    Unparsable,
    check_rows,
    decode,
    parse_csv,
    read_capped,
    read_table,
)
from kokeilu.history.git import Untrusted
from kokeilu.registry.findings_report import render_unreadable
from kokeilu.registry.load import Unreadable
from kokeilu.registry.values import Invalid, parse_count, parse_period, party_id
from kokeilu.store.store import Conflict, Forbidden, LayoutRefused, Rejected, Store, Unwritable
from kokeilu.text.display import literal, literal_lines
from kokeilu.text.strings import t


def _shown(value: object) -> str:
    return "-" if value is MISSING else literal(str(value))


def save(store: Store, edit: Edit, file: str) -> int:
    """Save one edit and say what became of it; the exit code."""
    if edit.empty:
        print(t("cli.nothing_changed"))
        return EXIT_OK
    try:
        saved = store.save(edit)
    except Forbidden as exc:
        print(t("rights.forbidden", file=file, reason=literal(exc.reason)), file=sys.stderr)
        return EXIT_ERRORS
    except Conflict as exc:
        print(
            t(
                "cli.conflict",
                file=file,
                what=edit.describe(),
                theirs=_shown(exc.theirs),
                mine=_shown(exc.mine),
            ),
            file=sys.stderr,
        )
        return EXIT_ERRORS
    except Rejected as exc:
        print(
            t("cli.rejected", file=file, reasons="; ".join(literal(d.message) for d in exc.errors)),
            file=sys.stderr,
        )
        return EXIT_ERRORS
    except LayoutRefused as exc:
        print(
            t("cli.layout_refused", file=file, line=exc.line or 1, col=exc.col or 1, reason=exc),
            file=sys.stderr,
        )
        return EXIT_ERRORS
    except Unreadable as exc:
        print(render_unreadable(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    except Unwritable as exc:
        print(t("cli.unwritable", file=file, message=exc.message), file=sys.stderr)
        return EXIT_ERRORS
    except Untrusted as exc:
        print(t("cli.unwritable", file=file, message=str(exc)), file=sys.stderr)
        return EXIT_ERRORS
    print(t("cli.saved", what=edit.describe()))
    commit = saved.commit
    if commit.sha:
        print(t("cli.committed", sha=commit.sha[:7]))
    elif commit.error:
        print(
            t("cli.commit_failed", file=file, reason=literal_lines(commit.error)), file=sys.stderr
        )
        return EXIT_ERRORS
    else:
        print(t("cli.not_committed", why=t(f"cli.why.{commit.skipped}")))
    return EXIT_OK


def _open(file: str, commit: bool) -> Store | int:
    store = Store(file, commit=commit)
    try:
        store.read()
    except Unreadable as exc:
        print(render_unreadable(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    return store


def run_set_caseload(file: str, party: str, period: str, count: str, *, commit: bool = True) -> int:
    """Set one party's caseload for one period."""
    store = _open(file, commit)
    if isinstance(store, int):
        return store
    assert store.document is not None
    registry = store.document.registry
    try:
        named = party_id(registry.parties, party)
        if named is None:
            raise Invalid(t("cli.unknown_party", party=party, known=", ".join(registry.parties)))
        party = named
        period = parse_period(period, dt.date.today())
        number = parse_count(count)
    except Invalid as exc:
        print(f"{file}: error: {literal(str(exc))}", file=sys.stderr)
        return EXIT_ERRORS
    return save(store, edits.set_caseload(store.document.data, party, period, number), file)


def run_import_caseloads(file: str, source: str, *, commit: bool = True) -> int:
    """Import a sheet of caseloads as one edit; any bad row and nothing is written."""
    store = _open(file, commit)
    if isinstance(store, int):
        return store
    assert store.document is not None
    path = Path(source)
    try:
        if source == "-":  # the sheet on standard input: `ssh pilot import-caseloads - < m.csv`
            source = t("import.stdin")
            cells = parse_csv(decode(read_capped(sys.stdin.buffer)))
        else:
            cells = read_table(path)
    except Unparsable as exc:
        reason = t("import.unparsable", reason=str(exc))
        print(f"{literal(source)}:{exc.row}:1: error: {literal(reason)}", file=sys.stderr)
        return EXIT_UNREADABLE
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"{literal(source)}: error: {literal(str(exc))}", file=sys.stderr)
        return EXIT_UNREADABLE
    except Exception as exc:  # openpyxl raises its own errors for a file that is not a workbook
        print(
            f"{literal(source)}: error: {type(exc).__name__}: {literal(str(exc))}", file=sys.stderr
        )
        return EXIT_UNREADABLE
    rows, problems = check_rows(cells, store.document.registry, dt.date.today())
    for problem in problems:
        where = f"{literal(source)}:{problem.row}:{problem.col}"
        print(f"{where}: error: {literal(problem.message)}", file=sys.stderr)
    if problems:
        return EXIT_ERRORS
    edit = edits.import_caseloads(
        store.document.data,
        [(r.party, r.period, r.count) for r in rows],
        source if path.name == "-" else path.name,
    )
    return save(store, edit, file)
