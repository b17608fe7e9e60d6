"""The application dossier from the dashboard: ask for a file name, write the printable HTML in
a worker, say where.

A coordinator on the shared server runs the dashboard over SSH, in the folder the session
started in: their home, not the registry's folder (a git work tree the group shares, where a
file of one person's would sit untracked in everyone's History). The form proposes
`hakemus.html` there (`hakemus-2.html`, … when that is taken) and shows the whole path; a file
that is there is never replaced, neither when the name is typed nor when another process makes
it meanwhile (the file is created exclusively).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kokeilu.text.display import literal
from kokeilu.text.strings import speaking, t
from kokeilu.tui.commands import VIEWS
from kokeilu.tui.messages import Notice, ReportFailed, ReportRequested
from kokeilu.tui.saving import push_form
from kokeilu.tui.screens.form import FormField, FormScreen
from kokeilu.tui.workers import in_thread

if TYPE_CHECKING:
    from kokeilu.registry.model import Registry
    from kokeilu.tui.screens.main import MainScreen

# The suffix of the file written: the dossier as one printable HTML page.
SUFFIX = ".html"


def free_name(folder: Path, stem: str) -> Path:
    """`folder/stem.html`, or the first of `stem-2.html`, `stem-3.html`, … that is not there."""
    candidate = folder / f"{stem}{SUFFIX}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{SUFFIX}"
        n += 1
    return candidate


def target(typed: str) -> Path:
    """The file a typed name means: relative to the folder the dashboard started in, `~` the
    account's home."""
    return Path.cwd() / Path(typed.strip()).expanduser()


def problems(values: dict[str, Any]) -> dict[str, str]:
    """Why the typed name cannot be written to, by field: empty, taken, or no such folder."""
    typed = str(values.get("file", "")).strip()
    if not typed:
        return {"file": t("valid.required")}
    path = target(typed)
    if path.exists() or path.is_symlink():
        return {"file": t("ui.report_exists")}
    if not path.parent.is_dir():
        return {"file": t("ui.report_no_folder", folder=literal(str(path.parent)))}
    return {}


def write_new(path: Path, text: str) -> None:
    """Write `text` to a new file at `path`; FileExistsError if one is there (never replaced).
    The file gets the mode the account's umask gives, as any file it makes."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


class Reporter:
    """The main screen's application dossier: one form, one write in a worker."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def ask(self) -> None:
        """Open the form that asks where to write the dossier."""
        state = self.screen.state
        if state is None:
            return
        if (
            state.errors
        ):  # as `kokeilu report` refuses: a dossier is not made from a broken registry
            self.screen.notify(
                t("ui.report_has_errors", count=state.errors, key=VIEWS.index("findings") + 1),
                title=t("ui.report_title"),
                severity="error",
                timeout=10,
            )
            return
        with speaking(state.registry.language):
            stem = t("report.file_stem")
        proposed = free_name(Path.cwd(), stem)
        form = FormScreen(
            t("ui.report_title"),
            [FormField("file", t("ui.report_file"), value=str(proposed))],
            problems,
            note=t("ui.report_note", stem=stem),
        )
        self.open(form)

    def open(self, form: FormScreen) -> None:
        push_form(self.screen, form, lambda values: ReportRequested(target(values["file"])))

    def write(self, event: ReportRequested) -> None:
        """Write the dossier of the registry shown now, in a worker."""
        state = self.screen.state
        if state is None:
            return
        in_thread(
            self.screen,
            self.write_in_thread,
            state.registry,
            state.today,
            event.path,
            event.form,
            group="report",
        )

    def write_in_thread(
        self, registry: Registry, today: dt.date, path: Path, form: FormScreen | None
    ) -> None:
        from kokeilu.reports.application import application_dossier
        from kokeilu.reports.html import to_html

        text = to_html(application_dossier(registry, today))
        try:
            write_new(path, text)
        except FileExistsError:
            self.screen.post_message(ReportFailed(t("ui.report_exists"), form))
            return
        except OSError as exc:
            reason = t("ui.report_cannot_write", reason=exc.strerror or str(exc))
            self.screen.post_message(ReportFailed(reason, form))
            return
        self.screen.post_message(
            Notice(t("ui.report_written", path=str(path)), title=t("ui.report_title"), timeout=10)
        )

    def failed(self, event: ReportFailed) -> None:
        """Say why nothing was written, and open the form again with the reason under the name."""
        self.screen.notify(event.reason, title=t("ui.report_title"), severity="error", timeout=10)
        if event.form is not None:
            self.open(event.form.again({"file": event.reason}))
