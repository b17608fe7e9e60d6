"""Watching the file: reload when someone else changed it, say what changed and by whom, and
ask git whether the file is committed (the status line says so)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kokeilu.registry.load import Document, Unreadable
from kokeilu.text.display import literal
from kokeilu.text.strings import t
from kokeilu.tui.messages import GitStateKnown, Notice
from kokeilu.tui.state import SaveState, Saving
from kokeilu.tui.workers import in_thread

if TYPE_CHECKING:
    from kokeilu.tui.screens.main import MainScreen


class Watcher:
    """Looks at the main screen's file every `interval` seconds (None: only when asked)."""

    def __init__(self, screen: MainScreen, interval: float | None) -> None:
        self.screen = screen
        self.interval = interval
        # The day the findings shown were checked on ("in the future" depends on it).
        self.checked_on = screen.session.today

    def start(self) -> None:
        """Look at the file every `interval` seconds from now on."""
        if self.interval is not None:
            self.screen.set_interval(self.interval, self.check)

    def checked(self) -> None:
        """The findings shown were checked today."""
        self.checked_on = self.screen.session.today

    def check(self) -> None:
        """Reload when someone else changed the file (our own saves update the fingerprint)."""
        screen = self.screen
        # Not under an open form: its edit must meet their change as a conflict, not go over it.
        if screen.saver.busy or screen.app.screen is not screen:
            return
        # Not while an old version is shown: it stays until Escape, which looks again.
        if screen.viewing is not None:
            return
        session = screen.session
        if session.store.changed_on_disk():
            before = session.document
            screen.reload(quiet=True)
            self.look_at_git()
            after = session.document
            if before is not None and after is not None and screen.load_error is None:
                in_thread(screen, self.tell_change, before, after, group="watch", droppable=True)
        elif screen.state is not None and session.today != self.checked_on:
            screen.refresh_state(
                divide=False
            )  # a new day: a decision dated today is no longer ahead

    def tell_change(self, before: Document, after: Document) -> None:
        """Say what changed underneath, and by whom: the last commit's author, or a hand edit."""
        from kokeilu.history import versions
        from kokeilu.history.git import GitError
        from kokeilu.history.semdiff import diff_data
        from kokeilu.history.wording import summary

        changes = diff_data(before.data, after.data)
        what = summary(changes, before.registry, after.registry)
        try:
            who = versions.last_author(self.screen.session.file)
        except (GitError, Unreadable):
            who = None
        by = t("ui.changed_by", who=literal(who)) if who else t("ui.changed_by_hand")
        notice = Notice(f"{what}\n{by}", title=t("ui.changed_on_disk"), timeout=8)
        self.screen.post_message(notice)

    def look_at_git(self) -> None:
        """Find out, in a worker, whether the file is committed, so the status line can say so."""
        in_thread(self.screen, self.git_state_in_thread, group="git-state", droppable=True)

    def git_state_in_thread(self) -> None:
        from kokeilu.history import versions
        from kokeilu.history.git import GitError

        try:
            pending = versions.pending(self.screen.session.file)
            state = Saving.GIT_PENDING if pending else Saving.GIT_COMMITTED
        except (GitError, Unreadable):
            state = Saving.GIT_NONE
        self.screen.post_message(GitStateKnown(SaveState(state)))
