"""An editing session: one user's edits of one registry, with undo and redo, each one saved.

The dashboard and the command line both edit through a session, so both take the same save
path (`store.Store.save`). Undo and redo are edits too: undoing saves the inverse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from kokeilu import rules
from kokeilu.editing.edits import Edit
from kokeilu.registry.diagnostics import Diagnostic
from kokeilu.registry.load import Document
from kokeilu.store.store import Saved, Store


class Session:
    """The registry being edited, the edits made, and those undone.

    "Today" comes from `clock`, read each time a rule needs it: a dashboard left open overnight
    must accept a decision dated the new day. `today=` fixes the clock (tests, one-shot commands).
    """

    def __init__(
        self,
        file: Path,
        today: dt.date | None = None,
        commit: bool = True,
        clock: Callable[[], dt.date] | None = None,
        login: str | None = None,
    ) -> None:
        self.file = Path(file)
        self.clock: Callable[[], dt.date] = clock or (
            dt.date.today if today is None else (lambda: today)
        )
        # The account editing; None for the one running kokeilu (`git.login`).
        self.store = Store(self.file, commit=commit, login=login)
        self.done: list[Edit] = []
        self.undone: list[Edit] = []

    @property
    def today(self) -> dt.date:
        """Today's date, read from the clock now."""
        return self.clock()

    @property
    def document(self) -> Document | None:
        """The registry as last read or saved."""
        return self.store.document

    def open(self) -> Document:
        """Read the file; raises `load.Unreadable`."""
        return self.store.read()

    def findings(self) -> list[Diagnostic]:
        """Everything `check` would report about the current document."""
        doc = self.store.document
        if doc is None:
            return []
        return rules.findings(doc, self.today)

    def apply(self, edit: Edit) -> Saved:
        """Save `edit`; it becomes the one that undo takes back."""
        saved = self.store.save(edit, self.today)
        self.done.append(edit)
        self.undone.clear()
        return saved

    def undo(self) -> tuple[Edit, Saved] | None:
        """Save the inverse of the last edit; returns that inverse and its save, or None."""
        if not self.done:
            return None
        inverse = self.done[-1].inverse()
        saved = self.store.save(inverse, self.today)
        self.undone.append(self.done.pop())
        return inverse, saved

    def redo(self) -> tuple[Edit, Saved] | None:
        """Save again the last edit undone; returns it and its save, or None."""
        if not self.undone:
            return None
        edit = self.undone[-1]
        saved = self.store.save(edit, self.today)
        self.done.append(self.undone.pop())
        return edit, saved
