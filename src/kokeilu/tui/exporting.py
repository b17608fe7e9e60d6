"""Export… in the dashboard: a form asks for the file, a worker writes it through the core's one
export function (`kokeilu.export.export`, the one `kokeilu export` calls), a notice says where.

The export divides the period and the division (approved-only or provisional) the dashboard
shows, so the file holds what the user sees in Resources.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kokeilu.text.display import literal
from kokeilu.text.strings import language, t
from kokeilu.tui.messages import ExportRequested, Notice
from kokeilu.tui.workers import in_thread

if TYPE_CHECKING:
    from kokeilu.registry.model import Registry
    from kokeilu.tui.screens.main import MainScreen


def default_name(period: str | None, provisional: bool) -> str:
    """The file name the form offers: kokeilu-2020-12.xlsx (-alustava/-provisional when so)."""
    mark = "-" + t("ui.export_provisional_mark") if provisional else ""
    return f"kokeilu-{period}{mark}.xlsx" if period else "kokeilu.xlsx"


class Exporter:
    """The main screen's exports: one form, one worker per file."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def ask(self) -> None:
        """Open the form that asks for the file's name (its suffix picks the format)."""
        from kokeilu.export import ExportError, format_of
        from kokeilu.tui.saving import push_form
        from kokeilu.tui.screens.form import FormField, FormScreen

        screen = self.screen
        if screen.state is None:
            return

        def check(values: dict[str, Any]) -> dict[str, str]:
            name = str(values["path"]).strip()
            if not name:
                return {"path": t("ui.export_no_name")}
            try:
                format_of(Path(name))
            except ExportError as exc:
                return {"path": str(exc)}
            return {}

        def build(values: dict[str, Any]) -> ExportRequested:
            return ExportRequested(str(values["path"]).strip())

        basis = t("export.basis.provisional" if screen.provisional else "export.basis.approved")
        note = t("ui.export_note", period=screen.period or "-", basis=basis, folder=str(Path.cwd()))
        field = FormField(
            "path",
            t("ui.export_file"),
            value=default_name(screen.period, screen.provisional),
        )
        push_form(screen, FormScreen(t("ui.export_title"), [field], check, note=note), build)

    def export(self, name: str) -> None:
        """Write the export to `name` (relative to the folder kokeilu runs in), in a worker."""
        screen = self.screen
        if screen.state is None:
            return
        in_thread(
            screen,
            self.export_in_thread,
            screen.state.registry,
            screen.session.file,
            Path(name).expanduser(),
            screen.period,
            screen.provisional,
            language(),
            screen.state.version.sha if screen.state.version is not None else None,
            group="export",
        )

    def export_in_thread(
        self,
        registry: Registry,
        file: Path,
        target: Path,
        period: str | None,
        provisional: bool,
        locale: str,
        commit: str | None,
    ) -> None:
        from kokeilu.export import ExportError, export
        from kokeilu.shares.division import SharesError

        shown = literal(str(target.absolute()))
        try:
            content = export(registry, file, target, period, provisional, locale, commit)
        except (ExportError, SharesError) as exc:
            self.screen.post_message(
                Notice(str(exc), title=t("ui.export_failed"), severity="error", timeout=10)
            )
            return
        except OSError as exc:
            reason = t("export.cannot_write", reason=exc.strerror or str(exc))
            self.screen.post_message(
                Notice(
                    f"{shown}: {reason}", title=t("ui.export_failed"), severity="error", timeout=10
                )
            )
            return
        basis = t("export.basis.provisional" if provisional else "export.basis.approved")
        self.screen.post_message(
            Notice(
                t("ui.exported", path=shown, period=content.period, basis=basis),
                title=t("ui.export_done"),
                timeout=10,
            )
        )
