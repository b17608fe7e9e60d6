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
from kokeilu.registry.load import Unreadable, load
from kokeilu.text.display import literal
from kokeilu.text.strings import t
from kokeilu.tui.messages import (
    CommitRequested,
    DiscardRequested,
    HistoryDetail,
    HistoryLoaded,
    RevertRequested,
    VersionRequested,
)
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
    TABLES = ()

    def compose(self) -> ComposeResult:
        yield RegistryTable(
            [("date", t("col.date")), ("author", t("col.author")), ("change", t("col.change"))],
            cursor="row",
            # One line a commit keeps the list easy to scan; the pane below says it whole.
            flex="change",
            id="history-table",
        )
        with VerticalScroll(id="history-detail-scroll", can_focus=False):
            yield Static(id="history-detail")

    @property
    def table(self) -> RegistryTable:
        """The commits table."""
        return self.query_one(RegistryTable)

    def show_text(self, text: Text | str) -> None:
        self.query_one("#history-detail", Static).update(
            text if isinstance(text, Text) else Text(text)
        )

    def refresh_view(self) -> None:
        self.show_text(t("ui.history_loading"))
        in_thread(self, self.load, group="history", exclusive=True, droppable=True)

    def load(self) -> None:
        assert self.state is not None and self.state.file is not None
        file = self.state.file
        try:
            found = versions.FileHistory(file)
            rows, dirty = found.log(COUNT), found.pending()
        except (GitError, Unreadable) as exc:
            self.post_message(HistoryLoaded([], error=str(getattr(exc, "message", exc))))
            return
        self.post_message(HistoryLoaded(rows, dirty))

    def on_history_loaded(self, event: HistoryLoaded) -> None:
        event.stop()
        rows, dirty = event.rows, event.dirty
        if event.error is not None:
            self.table.set_rows([])
            reason = literal(event.error)
            self.show_text(Text(t("ui.history_unavailable", reason=reason), style="yellow"))
            return
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
            self.show_text(t("ui.history_empty"))
        else:
            self.ask_detail(self.table.current_key)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.ask_detail(self.table.current_key)

    def ask_detail(self, key: str | None) -> None:
        if key is None:
            return
        in_thread(
            self, self.load_detail, key, group="history-detail", exclusive=True, droppable=True
        )

    def load_detail(self, key: str) -> None:
        try:
            lines = self.detail_lines(key)
        except (GitError, Unreadable) as exc:
            lines = [t("ui.history_unavailable", reason=str(getattr(exc, "message", exc)))]
        self.post_message(HistoryDetail(Text("\n".join(literal(line) for line in lines))))

    def on_history_detail(self, event: HistoryDetail) -> None:
        event.stop()
        self.show_text(event.text)

    def detail_lines(self, key: str) -> list[str]:
        assert self.state is not None and self.state.file is not None
        file = self.state.file
        if key == WORKTREE:
            # While an old version is shown, the file as it is now is read from the disk.
            current = self.state.document if self.state.version is None else load(file)
            head = versions.head_version(file)
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

    def action_open_version(self) -> None:
        """Show the selected commit's version in every view, read-only (Escape returns)."""
        key = self.table.current_key
        if key is None:
            return
        if key == WORKTREE:
            self.notify(t("ui.choose_commit_to_open"), severity="warning")
            return
        self.post_message(VersionRequested(key))

    def action_revert(self) -> None:
        """Take back the selected commit's change, as a new commit (after asking)."""
        key = self.table.current_key
        if key is None or key == WORKTREE:
            self.notify(t("ui.choose_commit"), severity="warning")
            return
        if self.refuse_read_only():
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.post_message(RevertRequested(key))

        self.app.push_screen(ConfirmScreen(t("ui.confirm_revert", sha=key[:7])), answer)

    def action_commit(self) -> None:
        """Commit an uncommitted change of the file, with a message."""
        if WORKTREE not in self.table.shown_keys():
            self.notify(t("ui.nothing_uncommitted"), severity="warning")
            return
        if self.refuse():  # the save path asks again, by the registry as committed
            return

        def check(values: dict[str, Any]) -> dict[str, str]:
            return {} if values["message"].strip() else {"message": t("valid.required")}

        def done(values: dict[str, Any]) -> CommitRequested:
            return CommitRequested(values["message"].strip())

        field = FormField("message", t("col.message_text"), placeholder=t("ui.commit_placeholder"))
        self.open_form(FormScreen(t("ui.commit_title"), [field], check), done)

    def action_discard(self) -> None:
        """Throw away an uncommitted change of the file, back to the last commit (after asking)."""
        if WORKTREE not in self.table.shown_keys():
            self.notify(t("ui.nothing_uncommitted"), severity="warning")
            return
        if self.refuse():
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.post_message(DiscardRequested())

        self.app.push_screen(ConfirmScreen(t("ui.confirm_discard")), answer)
