"""Saving: edits through the session's one save path in a worker, what became of them, conflicts,
forms opened again after a refused save, and the History view's commit, discard and revert.

The worker never touches widgets: it reports with a message (`SaveDone`, `SaveFailed`,
`SaveConflict`, `HistoryChanged`), which the main screen hands back here on the app's thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.message import Message

from kokeilu.registry.load import Unreadable
from kokeilu.text.display import literal
from kokeilu.text.strings import t
from kokeilu.tui import messages as msg
from kokeilu.tui.state import SaveState, Saving
from kokeilu.tui.workers import in_thread

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from kokeilu.editing.edits import Edit
    from kokeilu.registry.model import KeyPath
    from kokeilu.store.store import Saved
    from kokeilu.tui.screens.form import FormScreen
    from kokeilu.tui.screens.main import MainScreen

# Workers that write the file or the repository: quitting waits for them, and for nothing else.
WRITING = ("save", "history-commit", "history-discard")


def push_form(
    poster: MessagePump, form: FormScreen, build: Callable[[dict[str, Any]], Message | None]
) -> None:
    """Open `form`; its values, once saved, are turned by `build` into a message that `poster`
    posts (the message's `form` is this form, to be opened again if the save is refused)."""
    form.done = build

    def submitted(values: dict[str, Any] | None) -> None:
        if values is None:
            return
        message = build(values)
        if message is None:
            return
        if hasattr(message, "form"):
            message.form = form
        poster.post_message(message)

    poster.app.push_screen(form, submitted)


class Saver:
    """The main screen's saving: one save at a time, in a worker."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        # True while a save runs: the file is not watched, git's word does not replace "saving…".
        self.busy = False

    @property
    def session(self) -> Any:
        return self.screen.session

    def refused(self, reason: str, title: str | None = None) -> None:
        """Say that an edit is not the user's to make, and why (the rule)."""
        title = title or t("rights.not_allowed")
        self.screen.notify(reason, title=title, severity="error", timeout=10)

    def read_only(self) -> bool:
        """Whether an old version is shown, where nothing is written (saying so if it is).

        Every write starts here (a save, undo, redo, a commit, a discard, a revert): the views
        ask the same (`View.refuse`) before a form opens, and this is the check that holds.
        """
        reason = self.screen.state.read_only_reason if self.screen.state is not None else None
        if reason is not None:
            self.refused(reason, t("ui.read_only_title"))
        return reason is not None

    def save(self, *edits: Edit, form: FormScreen | None = None) -> None:
        """Save edits, in order; if the save is refused, `form` opens again holding them."""
        edits = tuple(e for e in edits if not e.empty)
        if not edits:
            self.screen.notify(t("ui.nothing_changed"))
            return
        self.run("apply", edits, form)

    def run(self, op: str, edits: tuple[Edit, ...] = (), form: FormScreen | None = None) -> None:
        """Apply `edits`, or undo or redo (`op`), in a worker."""
        if self.read_only():
            return
        self.busy = True
        self.screen.save_state = SaveState(Saving.SAVING)
        in_thread(self.screen, self.save_in_thread, op, edits, form, group="save")

    def save_in_thread(self, op: str, edits: tuple[Edit, ...], form: FormScreen | None) -> None:
        from kokeilu.history.git import Untrusted
        from kokeilu.store.store import Conflict, Forbidden, LayoutRefused, Rejected

        post = self.screen.post_message
        done: list[tuple[Edit, Saved]] = []
        try:
            if op == "apply":
                for edit in edits:
                    done.append((edit, self.session.apply(edit)))
            elif (
                result := self.session.undo() if op == "undo" else self.session.redo()
            ) is not None:
                done.append(result)
        except Forbidden as exc:
            post(msg.SaveFailed(exc.reason, done, title=t("rights.not_allowed"), forbidden=exc))
        except Conflict as exc:
            post(msg.SaveConflict(exc, done, form))
        except Rejected as exc:
            reasons = "; ".join(literal(d.message) for d in exc.errors)
            found = [(d.path, d.message) for d in exc.errors]
            post(msg.SaveFailed(t("ui.rejected", reasons=reasons), done, form, found))
        except (Unreadable, LayoutRefused, OSError, Untrusted) as exc:
            reason = t("ui.save_error", reason=literal(str(exc)))
            post(msg.SaveFailed(reason, done, form, [((), reason)]))
        else:
            post(msg.SaveDone(op, done))

    def saved(self, event: msg.SaveDone) -> None:
        """Say what was saved, and show it."""
        self.busy = False
        notify = self.screen.notify
        if not event.done:
            notify(t("ui.nothing_to_undo" if event.op == "undo" else "ui.nothing_to_redo"))
        for edit, saved in event.done:
            self.screen.save_state = SaveState.of_commit(saved.commit)
            notify(edit.describe(), title=t("ui.saved_title"), timeout=3)
            if saved.commit.error:
                notify(
                    saved.commit.error, title=t("ui.commit_failed"), severity="error", timeout=15
                )
        self.screen.refresh_state()

    def failed(self, event: msg.SaveFailed) -> None:
        """Say why the save was refused; open its form again."""
        if event.forbidden is not None:
            # Rights are judged by the file on disk, which may have changed: show it as it is.
            self.screen.reread()
        self.show_failure(event.message, event.done, event.title)
        if event.reasons:
            self.reopen(event.form, event.reasons)

    def show_failure(
        self, message: str, done: list[tuple[Edit, Saved]], title: str | None = None
    ) -> None:
        self.busy = False
        self.screen.save_state = SaveState(Saving.SAVE_FAILED)
        for edit, _ in done:
            self.screen.notify(edit.describe(), title=t("ui.saved_title"), timeout=3)
        self.screen.refresh_state()
        self.screen.notify(message, title=title or t("ui.not_saved"), severity="error", timeout=10)

    def reopen(self, form: FormScreen | None, reasons: list[tuple[KeyPath, str]]) -> None:
        """Open again the form whose save was refused, holding what was typed, each reason under
        the field it is about."""
        if form is None or form.done is None:
            return
        refused: dict[str, list[str]] = {}
        for path, message in reasons:
            refused.setdefault(form.field_for(path), []).append(message)
        again = form.again({k: "\n".join(v) for k, v in refused.items()})
        push_form(self.screen, again, form.done)

    def conflict(self, event: msg.SaveConflict) -> None:
        """Someone else changed what the edit changes: show theirs, and ask whose to keep."""
        from kokeilu.editing.edits import rebase
        from kokeilu.tui.screens.form import ConfirmScreen

        exc, form = event.conflict, event.form
        self.screen.reread()  # show theirs (`_failed` draws it), and make "use mine" go over theirs
        self.show_failure(t("ui.conflict_short"), event.done)
        theirs = _shown(exc.theirs)
        question = t("ui.conflict", what=exc.edit.describe(), theirs=theirs, mine=_shown(exc.mine))

        def answer(use_mine: bool | None) -> None:
            doc = self.session.document
            if use_mine and doc is not None:
                self.save(rebase(exc.edit, doc.data), form=form)
            elif form is not None and len(form.fields) > 1:
                # Theirs is kept; the rest of what was typed is not lost: the form again.
                self.reopen(form, [(exc.change.path, t("ui.conflict_theirs", theirs=theirs))])

        self.screen.app.push_screen(ConfirmScreen(question), answer)

    # --- History: commit, discard, revert ------------------------------------------------------

    def commit(self, event: msg.CommitRequested) -> None:
        """Commit the file's uncommitted change, in a worker."""
        if self.read_only():
            return
        in_thread(
            self.screen, self.commit_in_thread, event.message, event.form, group="history-commit"
        )

    def commit_in_thread(self, message: str, form: FormScreen | None) -> None:
        from kokeilu.store.store import Forbidden

        post = self.screen.post_message
        try:
            commit = self.session.store.commit_pending(message)
        except Forbidden as exc:
            post(msg.Refused(exc.reason))
            return
        except (Unreadable, OSError) as exc:
            reason = t("ui.save_error", reason=str(getattr(exc, "message", exc)))
            post(msg.Notice(reason, severity="error"))
            post(msg.HistoryChanged(None, "", form, reopen=reason))
            return
        post(msg.HistoryChanged(commit, message, form))

    def discard(self) -> None:
        """Throw away the file's uncommitted change, in a worker."""
        if self.read_only():
            return
        in_thread(self.screen, self.discard_in_thread, group="history-discard")

    def discard_in_thread(self) -> None:
        from kokeilu.history import versions
        from kokeilu.history.git import GitError
        from kokeilu.store.store import Forbidden

        post = self.screen.post_message
        try:
            head = versions.head_version(self.session.file)
            if head is None:
                raise GitError(t("ui.never_committed"))
            self.session.store.restore(head.text, head.bom)
        except Forbidden as exc:
            post(msg.Refused(exc.reason))
            return
        except (GitError, Unreadable, OSError) as exc:  # OSError: store.Unwritable
            post(msg.Notice(str(getattr(exc, "message", exc)), severity="error"))
            return
        post(msg.HistoryChanged(None, t("ui.discarded")))

    def revert(self, event: msg.RevertRequested) -> None:
        """Take back a commit's change as a new edit, worked out in a worker."""
        if self.read_only():
            return
        in_thread(self.screen, self.revert_in_thread, event.sha, group="history-revert")

    def revert_in_thread(self, sha: str) -> None:
        from kokeilu.history import versions
        from kokeilu.history.git import GitError

        try:
            old, new = versions.versions_of(self.session.file, sha)
            edit = versions.revert(old, new, sha)
        except (GitError, Unreadable) as exc:
            self.screen.post_message(
                msg.Notice(str(getattr(exc, "message", exc)), severity="error")
            )
            return
        self.screen.post_message(msg.EditRequested((edit,)))

    def history_changed(self, event: msg.HistoryChanged) -> None:
        """After committing or discarding a hand edit: reload and say so."""
        commit = event.commit
        if event.reopen:  # the commit could not be made: its form again, with why
            self.reopen(event.form, [((), event.reopen)])
            return
        if commit is not None and commit.error:
            self.screen.notify(
                commit.error, title=t("ui.commit_failed"), severity="error", timeout=15
            )
        else:
            self.screen.notify(event.what, title=t("ui.saved_title"))
            if commit is not None:
                self.screen.save_state = SaveState.of_commit(commit)
        self.screen.reload(quiet=True)  # History, in front, loads its commits again
        if commit is None or commit.error:
            self.screen.watcher.look_at_git()  # the status line asks git anew
        if commit is not None and commit.error:
            self.reopen(event.form, [((), commit.error)])


def _shown(value: Any) -> str:
    from kokeilu.editing.edits import MISSING

    return t("ui.absent") if value is MISSING else literal(str(value))
