"""The one save path: lock, re-read if changed, apply, validate, write atomically.

Every change to a registry, from the dashboard or the command line, goes through `Store.save`:

1. take an exclusive lock on a lock file beside the registry (released if the process dies);
   refuse a read-only registry (no write bit, or not writable by this user): never replaced;
2. compare the file with what this store last read; if someone else changed it, re-read it;
   refuse (`Forbidden`) an edit the editor's access does not cover (rights.py), judged by the
   registry as it is on disk before the edit; and refuse (`Conflict`) if a field this edit
   changes is no longer what the user saw;
3. ask `preview` what the edit makes: the text (a value edit goes straight to the old value's
   place, anything else through the format-preserving tomlkit document) and what that text
   reads as; refuse (`LayoutRefused`) what cannot be written into the file as it is laid out;
4. validate what the text reads as: refuse (`Rejected`) an edit that would add errors;
5. write atomically: a temporary file in the same folder, fsync, `os.replace`, fsync the folder,
   keeping the file's mode and group;
6. commit the file alone to git, in the edit's words, authored by the editor — still under the
   lock, so that saves from several processes land as commits in the order they were written.

A registry given as a symbolic link is written through the link: the lock, the temporary file
and the commit are those of the file the link points to (so every path to one file shares one
lock), and the link stays a link. A file that cannot be written (read-only, a folder that is
not writable, a full disk, a lock that cannot be taken or was removed during the save) raises
`Unwritable` with one line that says why, and the file is left as it was.

A value edit (a caseload, a status, a decision's date) needs no tomlkit parse and no rendering
of the whole file. A tomlkit document, once parsed for another kind of edit, is kept (and kept
in step) between saves while the file is unchanged: the store's `_toml`, set and dropped with
its fingerprint.

The lock is `lock.py`'s, the fingerprint and the atomic write `files.py`'s.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kokeilu.editing import rights
from kokeilu.editing.edits import Change, Edit, is_insert, same, value_at
from kokeilu.history import git
from kokeilu.history.git import Commit
from kokeilu.registry.diagnostics import Diagnostic
from kokeilu.registry.load import Document, Unreadable, parse, parse_bytes, read
from kokeilu.store.files import (
    Fingerprint,
    atomic_write,
    clear_stale_temporaries,
    fingerprint,
    refuse_read_only,
    sha256,
)
from kokeilu.store.files import Unwritable as Unwritable
from kokeilu.store.lock import lock_path as lock_path
from kokeilu.store.lock import locked
from kokeilu.text.strings import t

if TYPE_CHECKING:
    from kokeilu.editing.layout import LayoutError


@dataclass(frozen=True, slots=True)
class Saved:
    """A saved edit: the registry as written, and what became of its commit."""

    document: Document
    commit: Commit


class Conflict(Exception):
    """The field being edited changed underneath since the user saw it."""

    def __init__(self, change: Change, theirs: Any, edit: Edit):
        super().__init__(f"{change.path}: {change.old!r} -> {theirs!r}")
        self.change = change
        self.theirs = theirs
        self.mine = change.new
        self.edit = edit


class LayoutRefused(Exception):
    """The edit cannot be written into the file as its tables are laid out; nothing was written.

    `message` names the layout, where it stands and what to write instead; `line` and `col`
    (1-based) are its place in the file, when known.
    """

    def __init__(self, message: str, line: int | None = None, col: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


class Rejected(Exception):
    """The edit would make the registry invalid; nothing was written."""

    def __init__(self, errors: list[Diagnostic]):
        super().__init__("; ".join(d.message for d in errors))
        self.errors = errors


class Forbidden(Exception):
    """The editor's access does not cover the edit; nothing was written. The message names the rule."""

    def __init__(self, reason: str, edit: Edit | None = None):
        super().__init__(reason)
        self.reason = reason
        self.edit = edit


class Uncommitted(Unwritable):
    """The file holds a change nobody committed: a save would fold it into its own commit."""


class ChangedUnderneath(Unwritable):
    """The file changed since this store last read it: a discard would throw away unseen work."""


def _refused(refusal: LayoutError) -> LayoutRefused:
    return LayoutRefused(refusal.describe(refusal.line, refusal.col), refusal.line, refusal.col)


class Store:
    """One registry file, as this process last read it, and the only way to change it."""

    def __init__(self, file: str | Path, *, commit: bool = True, login: str | None = None):
        self.file = Path(file)
        # Whether each save is committed to git (`--no-commit` turns it off).
        self.commit = commit
        # Who edits: the account running kokeilu (tests name another); never the environment.
        self.login = login or git.login()
        self.document: Document | None = None
        self.fingerprint: Fingerprint | None = None
        # The tomlkit document of the file as `fingerprint` says it is, once one was parsed.
        self._toml: Any = None
        self._committer = git.Committer(self.file, self.login)
        # The editor's rights in `document`, kept from the last time they were asked for.
        self._rights: tuple[Document, rights.Rights] | None = None

    def read(self) -> Document:
        """Read the file afresh; raises `Unreadable` as `load.load` does."""
        raw, st = read(self.file)
        doc = parse_bytes(raw, str(self.file))
        self.document = doc
        self.fingerprint = fingerprint(st, raw)
        self._toml = None
        return doc

    def changed_on_disk(self) -> bool:
        """Whether the file is no longer the version this store last read or wrote (stat only)."""
        try:
            st = self.file.stat()
        except FileNotFoundError:
            return True
        fp = self.fingerprint
        return fp is None or (st.st_size, st.st_mtime_ns, st.st_ino) != (
            fp.size,
            fp.mtime_ns,
            fp.inode,
        )

    def save(self, edit: Edit, today: dt.date | None = None) -> Saved:
        """Apply `edit` to the file through the one save path; returns the new document and commit.

        Raises `Forbidden` (the editor may not make it), `Conflict` (a field changed underneath),
        `Rejected` (the edit adds errors), `Unreadable` (the file on disk is not a registry any
        more), `LayoutRefused` (the file's layout of the tables concerned is one kokeilu cannot
        write into, or a value that is not a table where the edit writes a key), `Unwritable` (read-only, no room, the lock lost or not to be had; `Uncommitted`, a change
        nobody committed is in the file) or
        `git.Untrusted` (the repository is not safe to commit in); in each case nothing is written.
        """
        # Imported by the first save: the first screen needs none of the save path's modules.
        from kokeilu.editing.layout import LayoutError, not_a_table, placed
        from kokeilu.editing.preview import preview

        today = today or dt.date.today()
        if self.commit:
            self._committer.check()  # refuse before writing what could not be committed
        # The lock also keeps out a save from another thread: flock locks each open of the file.
        with locked(self.file) as lock:
            raw, st = read(self.file)
            refuse_read_only(self.file, st)
            if self.commit and self._committer.uncommitted():
                raise Uncommitted(t("store.uncommitted"))
            known = self.fingerprint
            unchanged = not (self.document is None or known is None or sha256(raw) != known.sha256)
            current = self.document if unchanged else parse_bytes(raw, str(self.file))
            assert current is not None
            refused = rights.refusal(current.registry, self.login, edit)
            if refused is not None:
                raise Forbidden(refused, edit)
            # A key to be written into a value that is not a table (`caseloads = 5`): no layout
            # to write it into, and nothing below may see it (a
            # hand edit made it so since the user looked: that, not a conflict, is the reason).
            not_table = not_a_table(current.data, edit)
            if not_table is not None:
                raise _refused(placed(current, edit, not_table))
            for change in edit.changes:
                if is_insert(change):
                    continue
                theirs = value_at(current.data, change.path)
                if not same(theirs, change.old) and not same(theirs, change.new):
                    raise Conflict(change, theirs, edit)
            # The kept tomlkit document is handed to `preview`, which writes into it: it is kept
            # again only once the file is written (a refusal leaves none, and the next edit that
            # needs one parses the file afresh).
            toml = None
            if unchanged:
                toml, self._toml = self._toml, None
            try:
                made = preview(current, edit, today=today, toml=toml)
            except LayoutError as exc:
                raise _refused(exc) from None
            if made.added:
                raise Rejected(list(made.added))
            new = made.document
            # The message is made before the file is written: a save is never left uncommitted
            # (and folded into the next commit) because its words could not be said.
            message = (
                git.commit_message(edit.describe(new.registry.language)) if self.commit else ""
            )
            lock.check()
            clear_stale_temporaries(self.file)
            data_bytes = new.bom + made.text.encode("utf-8")
            self.fingerprint = fingerprint(atomic_write(self.file, data_bytes), data_bytes)
            self.document = new
            self._toml = made.toml
            commit = self._commit(message, new)
        return Saved(new, commit)

    def _commit(self, message: str, doc: Document) -> Commit:
        if not self.commit:
            return Commit(skipped="disabled")
        return self._commit_message(message, doc)

    def _commit_message(self, message: str, doc: Document) -> Commit:
        return self._committer.commit(message, doc.registry)

    def editor_rights(self) -> rights.Rights | None:
        """What this store's editor may edit in the registry as last read (None before a read).

        Kept for the document it was worked out for: the dashboard asks at every status update
        and table drawing, and the rights change only with the registry.
        """
        doc = self.document
        if doc is None:
            return None
        kept = self._rights
        if kept is None or kept[0] is not doc:
            kept = self._rights = (doc, rights.of(doc.registry, self.login))
        return kept[1]

    def _may_take_whole_file(self, committed: Document | None, current: Document) -> None:
        """A hand edit is not divided by responsibility: committing or discarding it is the
        administrator's (or anyone's in an open registry), judged by the registry as last
        committed, since the hand edit may have changed the people table itself."""
        judge = committed if committed is not None else current
        refused = rights.of(judge.registry, self.login).refusal_of_whole_file()
        if refused is not None:
            raise Forbidden(refused)

    def commit_pending(self, message: str) -> Commit:
        """Commit the file as it is (a hand edit), under the lock, with the user's message.

        Raises `Forbidden` unless the editor may edit everything (an administrator, or anyone in
        an open registry).
        """
        from kokeilu.history import versions

        with locked(self.file):
            doc = self.read()
            try:
                committed = versions.head_version(self.file)
            except (git.GitError, Unreadable):
                committed = None
            self._may_take_whole_file(committed, doc)
            return self._commit_message(message, doc)

    def restore(self, text: str, bom: bytes = b"") -> Document:
        """Put back an earlier text of the file (discarding a hand edit), atomically, under the lock.

        `bom` is the byte order mark the text had (`Document.bom`), written back before it.
        Raises `ChangedUnderneath` when the file is no longer the version this store last read
        (what would be discarded is not what the user saw), and `Forbidden` unless the editor
        may edit everything, as the text put back says; in each case nothing is written.
        """
        doc = parse(text, str(self.file))  # never write back a text that is not a registry
        doc.bom = bom or doc.bom
        data_bytes = doc.bom + doc.text.encode("utf-8")
        with locked(self.file) as lock:
            try:
                current: tuple[bytes, os.stat_result] | None = read(self.file)
            except Unreadable:
                current = None
            known = self.fingerprint
            if current is None or known is None or sha256(current[0]) != known.sha256:
                raise ChangedUnderneath(t("store.changed_underneath"))
            refuse_read_only(self.file, current[1])
            lock.check()
            self._may_take_whole_file(doc, doc)
            self.fingerprint = fingerprint(atomic_write(self.file, data_bytes), data_bytes)
            self.document = doc
            self._toml = None
            return doc
