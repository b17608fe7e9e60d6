"""History: the registry's commits in words, what a selected one changed and did to the
allocations, reverting a change as a new commit, and settling a hand edit (commit or discard).

All git work runs in thread workers; the table shows the newest commits first, with any
uncommitted change to the file on top.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from kokeilu.history import versions
from kokeilu.history.git import GitError
from kokeilu.registry.load import Unreadable
from kokeilu.text.display import literal
from kokeilu.text.strings import t
from kokeilu.tui.screens.form import ConfirmScreen, FormField, FormScreen
from kokeilu.tui.views.base import View
from kokeilu.tui.widgets.table import RegistryTable, Row
from kokeilu.tui.workers import in_thread

WORKTREE = "worktree"
# How many commits the view lists.
COUNT = 200


class HistoryView(View):
    """Who changed what, when; and taking a change back."""

    view_id = "history"

    def compose(self) -> ComposeResult:
        yield RegistryTable(
            [("date", t("col.date")), ("author", t("col.author")), ("change", t("col.change"))],
            cursor="row",
            id="history-table",
        )
        with VerticalScroll(id="history-detail-scroll", can_focus=False):
            yield Static(id="history-detail")

    @property
    def table(self) -> RegistryTable:
        """The commits table."""
        return self.query_one(RegistryTable)

    def _detail(self, text: Text | str) -> None:
        self.query_one("#history-detail", Static).update(
            text if isinstance(text, Text) else Text(text)
        )

    def refresh_view(self) -> None:
        self._detail(t("ui.history_loading"))
        in_thread(self, self._load, group="history", exclusive=True)

    def _load(self) -> None:
        file = self.kapp.session.file
        try:
            found = versions.FileHistory(file)
            rows, dirty = found.log(COUNT), found.pending()
        except (GitError, Unreadable) as exc:
            self.app.call_from_thread(self._show_error, str(getattr(exc, "message", exc)))
            return
        self.app.call_from_thread(self._loaded, rows, dirty)

    def _show_error(self, message: str) -> None:
        self.table.set_rows([])
        self._detail(Text(t("ui.history_unavailable", reason=literal(message)), style="yellow"))

    def _loaded(self, rows: list[tuple[str, str, str, str]], dirty: bool) -> None:
        shown = [Row(sha, (date, author, line)) for sha, date, author, line in rows]
        if dirty:
            shown.insert(
                0,
                Row(
                    WORKTREE,
                    ("", t("ui.uncommitted_author"), t("ui.uncommitted_changes")),
                    style="bold yellow",
                ),
            )
        self.table.set_rows(shown)
        if not shown:
            self._detail(t("ui.history_empty"))
        else:
            self._show_detail(self.table.current_key)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail(self.table.current_key)

    def _show_detail(self, key: str | None) -> None:
        if key is None:
            return
        in_thread(self, self._load_detail, key, group="history-detail", exclusive=True)

    def _load_detail(self, key: str) -> None:
        try:
            lines = self._lines(key)
        except (GitError, Unreadable) as exc:
            lines = [t("ui.history_unavailable", reason=str(getattr(exc, "message", exc)))]
        self.app.call_from_thread(self._detail, Text("\n".join(literal(line) for line in lines)))

    def _lines(self, key: str) -> list[str]:
        file = self.kapp.session.file
        if key == WORKTREE:
            current = self.kapp.session.document
            head = versions.head_version(file)
            if current is None:
                return []
            if head is None:
                return [t("ui.never_committed")]
            return [
                t("ui.uncommitted_heading"),
                *versions.render(head, current),
                "",
                t("ui.uncommitted_keys"),
            ]
        old, new = versions.versions_of(file, key)
        heading = t("ui.commit_heading", sha=key[:7])
        if old is None:
            return [heading, t("semdiff.created")]
        return [heading, *versions.render(old, new), "", t("ui.revert_keys")]

    # --- Actions -------------------------------------------------------------------------------

    def action_revert(self) -> None:
        """Take back the selected commit's change, as a new commit (after asking)."""
        key = self.table.current_key
        if key is None or key == WORKTREE:
            self.notify(t("ui.choose_commit"), severity="warning")
            return

        def answer(yes: bool | None) -> None:
            if yes:
                in_thread(self, self._revert, key, group="history-revert")

        self.app.push_screen(ConfirmScreen(t("ui.confirm_revert", sha=key[:7])), answer)

    def _revert(self, sha: str) -> None:
        try:
            old, new = versions.versions_of(self.kapp.session.file, sha)
            edit = versions.revert(old, new, sha)
        except (GitError, Unreadable) as exc:
            self.app.call_from_thread(
                self.notify, str(getattr(exc, "message", exc)), severity="error"
            )
            return
        self.app.call_from_thread(self.kapp.save, edit)

    def action_commit(self) -> None:
        """Commit an uncommitted change of the file, with a message."""
        if WORKTREE not in self.table.shown_keys():
            self.notify(t("ui.nothing_uncommitted"), severity="warning")
            return
        if self.kapp.refuse():  # the save path asks again, by the registry as committed
            return

        def check(values: dict[str, Any]) -> dict[str, str]:
            return {} if values["message"].strip() else {"message": t("valid.required")}

        def done(values: dict[str, Any] | None) -> None:
            if values is not None:
                message = values["message"].strip()
                form = self.kapp.submitting  # opened again, with the message, if this fails
                in_thread(self, self._commit, message, form, group="history-commit")

        field = FormField("message", t("col.message_text"), placeholder=t("ui.commit_placeholder"))
        self.app.push_screen(FormScreen(t("ui.commit_title"), [field], check), done)

    def _commit(self, message: str, form: FormScreen | None = None) -> None:
        from kokeilu.store.store import Forbidden

        try:
            commit = self.kapp.session.store.commit_pending(message)
        except Forbidden as exc:
            self.app.call_from_thread(self.kapp.refused, exc.reason)
            return
        except (Unreadable, OSError) as exc:
            reason = t("ui.save_error", reason=str(getattr(exc, "message", exc)))
            self.app.call_from_thread(self.notify, reason, severity="error")
            self.app.call_from_thread(self.kapp.reopen, form, [((), reason)])
            return
        self.app.call_from_thread(self.kapp.after_history_change, commit, message)
        if commit.error:
            self.app.call_from_thread(self.kapp.reopen, form, [((), commit.error)])

    def action_discard(self) -> None:
        """Throw away an uncommitted change of the file, back to the last commit (after asking)."""
        if WORKTREE not in self.table.shown_keys():
            self.notify(t("ui.nothing_uncommitted"), severity="warning")
            return
        if self.kapp.refuse():
            return

        def answer(yes: bool | None) -> None:
            if yes:
                in_thread(self, self._discard, group="history-discard")

        self.app.push_screen(ConfirmScreen(t("ui.confirm_discard")), answer)

    def _discard(self) -> None:
        from kokeilu.store.store import Forbidden

        file = self.kapp.session.file
        try:
            head = versions.head_version(file)
            if head is None:
                raise GitError(t("ui.never_committed"))
            self.kapp.session.store.restore(head.text, head.bom)
        except Forbidden as exc:
            self.app.call_from_thread(self.kapp.refused, exc.reason)
            return
        except (GitError, Unreadable, OSError) as exc:  # OSError: store.Unwritable
            self.app.call_from_thread(
                self.notify, str(getattr(exc, "message", exc)), severity="error"
            )
            return
        self.app.call_from_thread(self.kapp.after_history_change, None, t("ui.discarded"))
