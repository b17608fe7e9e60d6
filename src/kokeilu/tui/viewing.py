"""An old version of the registry, shown read-only in every view (History's Enter; Escape
returns to now): read from git in a worker that reports with `VersionReady`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from kokeilu.registry.load import Unreadable
from kokeilu.text.display import literal
from kokeilu.text.strings import t
from kokeilu.tui import messages as msg
from kokeilu.tui.workers import in_thread

if TYPE_CHECKING:
    from kokeilu.history.asof import Version
    from kokeilu.registry.load import Document
    from kokeilu.tui.screens.main import MainScreen


class Viewer:
    """The main screen's old version: the screen's `viewing` says which, None for now."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def request(self, sha: str) -> None:
        """Read commit `sha`'s version in a worker (the latest request wins)."""
        in_thread(self.screen, self.read_in_thread, sha, group="version", exclusive=True)

    def read_in_thread(self, sha: str) -> None:
        """Read commit `sha`'s version from git (never the work tree, never the session)."""
        from kokeilu.history.asof import of_commit
        from kokeilu.history.git import GitError

        try:
            version, document = of_commit(self.screen.session.file, sha)
        except (GitError, Unreadable) as exc:
            if isinstance(exc, Unreadable):  # where in that version: REV:path:line:col
                from kokeilu.registry.findings_report import render_unreadable

                reason = render_unreadable(exc).splitlines()[0]
            else:
                reason = str(exc)
            self.screen.post_message(
                msg.Notice(t("ui.version_unavailable", reason=reason), severity="error")
            )
            return
        self.screen.post_message(msg.VersionReady(version, document))

    def show(self, version: Version, document: Document) -> None:
        """Show the version in every view, under the banner; the session is left as it is (its
        document, undo, the file): nothing is read into it or written from it."""
        screen = self.screen
        screen.viewing = (version, document)
        banner = screen.query_one("#version-banner", Static)
        banner.update(
            Text(
                t(
                    "ui.version_banner",
                    sha=version.short,
                    date=version.date,
                    author=literal(version.author),
                )
            )
        )
        banner.display = True
        screen.refresh_state()
        screen.refresh_bindings()

    def back_to_now(self) -> None:
        """Show the file as it is now again, with what changed in it meanwhile (said, as ever)."""
        screen = self.screen
        if screen.viewing is None:
            return
        screen.viewing = None
        screen.query_one("#version-banner", Static).display = False
        screen.refresh_state()
        screen.refresh_bindings()
        screen.watcher.check()
        screen.notify(t("ui.back_to_now"), timeout=3)
