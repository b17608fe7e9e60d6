"""Every message the dashboard's parts send one another, in one place.

Views ask (`EditRequested`, `GoTo`, `PeriodChanged`, …) and the main screen decides; thread
workers report back with a message (`SharesReady`, `SaveDone`, …), which Textual delivers on
the app's thread, so only that thread changes what is on screen. `post_message` is thread-safe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from pathlib import Path

    from rich.text import Text

    from kokeilu.editing.edits import Edit
    from kokeilu.history.asof import Version
    from kokeilu.history.git import Commit
    from kokeilu.registry.load import Document
    from kokeilu.registry.model import KeyPath
    from kokeilu.store.store import Conflict, Forbidden, Saved
    from kokeilu.tui.screens.form import FormScreen
    from kokeilu.tui.state import SaveState, Shares

# --- Asked by views ------------------------------------------------------------------------


class EditRequested(Message):
    """Save these edits, in order; if the save is refused, `form` opens again holding them."""

    def __init__(self, edits: tuple[Edit, ...], form: FormScreen | None = None) -> None:
        super().__init__()
        self.edits = edits
        self.form = form


class CommitRequested(Message):
    """Commit the file's uncommitted change with `message` (History)."""

    def __init__(self, message: str, form: FormScreen | None = None) -> None:
        super().__init__()
        self.message = message
        self.form = form


class DiscardRequested(Message):
    """Throw away the file's uncommitted change, back to the last commit (History)."""


class RevertRequested(Message):
    """Take back the change of commit `sha` as a new edit (History)."""

    def __init__(self, sha: str) -> None:
        super().__init__()
        self.sha = sha


class GoTo(Message):
    """Show the view and row that a registry path names."""

    def __init__(self, path: KeyPath) -> None:
        super().__init__()
        self.path = path


class PeriodChanged(Message):
    """Divide the resources for `period` (and show it)."""

    def __init__(self, period: str) -> None:
        super().__init__()
        self.period = period


class PeriodStepped(Message):
    """Move to the previous (-1) or next (+1) period."""

    def __init__(self, delta: int) -> None:
        super().__init__()
        self.delta = delta


class ProvisionalToggled(Message):
    """Divide among every party that has not rejected, or only among those who approved."""


class ExportRequested(Message):
    """Write the export (the division shown, and the registry) to the file `name`."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class Refused(Message):
    """An edit is not the user's to make: say why (the rule), under `title` (default: not allowed)."""

    def __init__(self, reason: str, title: str | None = None) -> None:
        super().__init__()
        self.reason = reason
        self.title = title


# --- Results of workers --------------------------------------------------------------------


class SharesReady(Message):
    """A division of the resources is ready: the one the switch asks for (`shares`), and the
    letter's provisional one (`provisional`, the same while the switch is on or the letter is in
    force), which the Overview shows until the letter is in force."""

    def __init__(self, shares: Shares, provisional: Shares | None = None) -> None:
        super().__init__()
        self.shares = shares
        self.provisional = provisional or shares


class GitStateKnown(Message):
    """What git says of the file: committed, uncommitted, or not in git."""

    def __init__(self, state: SaveState) -> None:
        super().__init__()
        self.state = state


class SaveDone(Message):
    """Edits were saved (`op`: apply, undo or redo); `done` may be empty (nothing to undo)."""

    def __init__(self, op: str, done: list[tuple[Edit, Saved]]) -> None:
        super().__init__()
        self.op = op
        self.done = done


class SaveFailed(Message):
    """A save was refused (`title` and `message` say why); `done` were saved before it."""

    def __init__(
        self,
        message: str,
        done: list[tuple[Edit, Saved]],
        form: FormScreen | None = None,
        reasons: list[tuple[KeyPath, str]] | None = None,
        title: str | None = None,
        forbidden: Forbidden | None = None,
    ) -> None:
        super().__init__()
        self.message = message
        self.done = done
        self.form = form
        self.reasons: list[tuple[KeyPath, str]] = reasons if reasons is not None else []
        self.title = title
        self.forbidden = forbidden


class SaveConflict(Message):
    """Someone else changed what an edit changes: ask whose value to keep."""

    def __init__(
        self,
        conflict: Conflict,
        done: list[tuple[Edit, Saved]],
        form: FormScreen | None = None,
    ) -> None:
        super().__init__()
        self.conflict = conflict
        self.done = done
        self.form = form


class HistoryChanged(Message):
    """A hand edit was committed (`commit`) or discarded (None): reload and say `what`."""

    def __init__(
        self,
        commit: Commit | None,
        what: str,
        form: FormScreen | None = None,
        reopen: str = "",
    ) -> None:
        super().__init__()
        self.commit = commit
        self.what = what
        self.form = form
        # Why the commit could not be made at all (then `form` opens again, saying so).
        self.reopen = reopen


class Notice(Message):
    """Say something to the user (from a worker): `notify`'s arguments."""

    def __init__(
        self,
        message: str,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
    ) -> None:
        super().__init__()
        self.message = message
        self.title = title
        self.severity = severity
        self.timeout = timeout


class HistoryLoaded(Message):
    """The History view's commits (sha, date, author, line), and whether the file has an
    uncommitted change; or why git could not tell (`error`)."""

    def __init__(
        self,
        rows: list[tuple[str, str, str, str]],
        dirty: bool = False,
        error: str | None = None,
    ) -> None:
        super().__init__()
        self.rows = rows
        self.dirty = dirty
        self.error = error


class HistoryDetail(Message):
    """What one commit (or the uncommitted change) changed, in lines to show."""

    def __init__(self, text: Text) -> None:
        super().__init__()
        self.text = text


# --- An old version, read-only (issue 12) --------------------------------------------------


class VersionRequested(Message):
    """Show the registry as commit `sha` left it, in every view, read-only (History's Enter)."""

    def __init__(self, sha: str) -> None:
        super().__init__()
        self.sha = sha


class VersionReady(Message):
    """The version asked for, read from git in a worker."""

    def __init__(self, version: Version, document: Document) -> None:
        super().__init__()
        self.version = version
        self.document = document


# --- The application dossier (issue 12, item 5) ------------------------------------------


class ReportRequested(Message):
    """Write the application dossier to `path` (a new file); `form` opens again if it cannot."""

    def __init__(self, path: Path, form: FormScreen | None = None) -> None:
        super().__init__()
        self.path = path
        self.form = form


class ReportFailed(Message):
    """The dossier was not written: why, and the form that asked for it."""

    def __init__(self, reason: str, form: FormScreen | None = None) -> None:
        super().__init__()
        self.reason = reason
        self.form = form
