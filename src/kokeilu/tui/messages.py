"""Every message the dashboard's parts send one another, in one place.

Views ask (`EditRequested`, `GoTo`, `PeriodChanged`, …) and the main screen decides; thread
workers report back with a message (`SharesReady`, `SaveDone`, …), which Textual delivers on
the app's thread, so only that thread changes what is on screen. `post_message` is thread-safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from rich.text import Text

    from kokeilu.editing.edits import Edit
    from kokeilu.history.git import Commit
    from kokeilu.registry.model import KeyPath
    from kokeilu.store.store import Conflict, Forbidden, Saved
    from kokeilu.tui.screens.form import FormScreen
    from kokeilu.tui.state import SaveState, Shares

# --- Asked by views ------------------------------------------------------------------------


@dataclass
class EditRequested(Message):
    """Save these edits, in order; if the save is refused, `form` opens again holding them."""

    edits: tuple[Edit, ...]
    form: FormScreen | None = None


@dataclass
class CommitRequested(Message):
    """Commit the file's uncommitted change with `message` (History)."""

    message: str
    form: FormScreen | None = None


class DiscardRequested(Message):
    """Throw away the file's uncommitted change, back to the last commit (History)."""


@dataclass
class RevertRequested(Message):
    """Take back the change of commit `sha` as a new edit (History)."""

    sha: str


@dataclass
class GoTo(Message):
    """Show the view and row that a registry path names."""

    path: KeyPath


@dataclass
class PeriodChanged(Message):
    """Divide the resources for `period` (and show it)."""

    period: str


@dataclass
class PeriodStepped(Message):
    """Move to the previous (-1) or next (+1) period."""

    delta: int


class ProvisionalToggled(Message):
    """Divide among every party that has not rejected, or only among those who approved."""


@dataclass
class Refused(Message):
    """An edit is not the user's to make: say why (the rule)."""

    reason: str


# --- Results of workers --------------------------------------------------------------------


@dataclass
class SharesReady(Message):
    """A division of the resources is ready."""

    shares: Shares


@dataclass
class GitStateKnown(Message):
    """What git says of the file: committed, uncommitted, or not in git."""

    state: SaveState


@dataclass
class SaveDone(Message):
    """Edits were saved (`op`: apply, undo or redo); `done` may be empty (nothing to undo)."""

    op: str
    done: list[tuple[Edit, Saved]]


@dataclass
class SaveFailed(Message):
    """A save was refused (`title` and `message` say why); `done` were saved before it."""

    message: str
    done: list[tuple[Edit, Saved]]
    form: FormScreen | None = None
    reasons: list[tuple[KeyPath, str]] = field(default_factory=list)
    title: str | None = None
    forbidden: Forbidden | None = None


@dataclass
class SaveConflict(Message):
    """Someone else changed what an edit changes: ask whose value to keep."""

    conflict: Conflict
    done: list[tuple[Edit, Saved]]
    form: FormScreen | None = None


@dataclass
class HistoryChanged(Message):
    """A hand edit was committed (`commit`) or discarded (None): reload and say `what`."""

    commit: Commit | None
    what: str
    form: FormScreen | None = None
    # Why the commit could not be made at all (then `form` opens again, saying so).
    reopen: str = ""


@dataclass
class Notice(Message):
    """Say something to the user (from a worker): `notify`'s arguments."""

    message: str
    title: str = ""
    severity: Any = "information"
    timeout: float | None = None


@dataclass
class HistoryLoaded(Message):
    """The History view's commits (sha, date, author, line), and whether the file has an
    uncommitted change; or why git could not tell (`error`)."""

    rows: list[tuple[str, str, str, str]]
    dirty: bool = False
    error: str | None = None


@dataclass
class HistoryDetail(Message):
    """What one commit (or the uncommitted change) changed, in lines to show."""

    text: Text
