"""The one save path: lock, re-read if changed, apply, validate, write atomically.

Every change to a registry, from the dashboard or the command line, goes through `Store.save`:

1. take an exclusive lock on a lock file beside the registry (released if the process dies);
2. compare the file with what this store last read; if someone else changed it, re-read it, and
   refuse (`Conflict`) if a field this edit changes is no longer what the user saw;
3. apply the edit to the format-preserving tomlkit document;
4. validate: refuse (`Rejected`) an edit that would add errors to the registry;
5. write atomically: a temporary file in the same folder, fsync, `os.replace`, fsync the folder,
   keeping the file's mode and group;
6. commit the file alone to git, in the edit's words, authored by the editor — still under the
   lock, so that saves from several processes land as commits in the order they were written.

The tomlkit document is kept between saves while the file is unchanged, so an edit does not
re-parse the whole registry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kokeilu import git, rules, schema
from kokeilu.diagnostics import Diagnostic
from kokeilu.edits import Change, Edit, apply, apply_data, is_insert, same, value_at
from kokeilu.git import Commit
from kokeilu.load import Document, load, parse


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What identifies one version of the file: cheap stat fields, and the content's hash."""

    size: int
    mtime_ns: int
    inode: int
    sha256: str


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


class Rejected(Exception):
    """The edit would make the registry invalid; nothing was written."""

    def __init__(self, errors: list[Diagnostic]):
        super().__init__("; ".join(d.message for d in errors))
        self.errors = errors


def lock_path(file: Path) -> Path:
    """The lock file beside a registry: `.NAME.lock` in the same folder."""
    return file.with_name(f".{file.name}.lock")


@contextlib.contextmanager
def locked(file: Path) -> Iterator[None]:
    """Hold the registry's exclusive lock; the kernel releases it if the process dies."""
    path = lock_path(file)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def atomic_write(file: Path, text: str) -> None:
    """Replace `file` with `text` so that readers see the old or the new file, never half of one."""
    data = text.encode("utf-8")
    try:
        st: os.stat_result | None = file.stat()
    except FileNotFoundError:
        st = None
    fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=file.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if st is not None:
            os.chmod(tmp, st.st_mode & 0o7777)
            with contextlib.suppress(PermissionError):
                os.chown(tmp, -1, st.st_gid)
        os.replace(tmp, file)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(file.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    except OSError as exc:  # some file systems cannot fsync a folder
        if exc.errno not in (errno.EINVAL, errno.EBADF):
            raise
    finally:
        os.close(dir_fd)


def _clear_stale_temporaries(file: Path) -> None:
    """Remove temporary files of writers that died mid-write; only called under the lock."""
    for stale in file.parent.glob(f".{file.name}.*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()


def _errors(doc: Document, today: dt.date) -> set[tuple[str, tuple]]:
    found = doc.diagnostics + rules.check(doc.registry, today)
    return {(d.code, d.path) for d in found if d.severity == "error"}


class Store:
    """One registry file, as this process last read it, and the only way to change it."""

    def __init__(self, file: str | Path, *, commit: bool = True):
        self.file = Path(file)
        # Whether each save is committed to git (`--no-commit` turns it off).
        self.commit = commit
        self.document: Document | None = None
        self.fingerprint: Fingerprint | None = None
        self._toml: Any = None  # the tomlkit document of `fingerprint`, once parsed
        # Guards `document` and `_toml` between a save and `prepare` in another thread.
        self._mutex = threading.Lock()

    def _read(self) -> tuple[bytes, Fingerprint]:
        with open(self.file, "rb") as f:
            st = os.fstat(f.fileno())
            raw = f.read()
        return raw, Fingerprint(
            st.st_size, st.st_mtime_ns, st.st_ino, hashlib.sha256(raw).hexdigest()
        )

    def read(self) -> Document:
        """Read the file afresh; raises `Unreadable` as `load.load` does."""
        doc = load(self.file)
        raw = doc.text.encode("utf-8")
        st = self.file.stat()
        self.document = doc
        self.fingerprint = Fingerprint(
            st.st_size, st.st_mtime_ns, st.st_ino, hashlib.sha256(raw).hexdigest()
        )
        self._toml = None
        return doc

    def prepare(self) -> None:
        """Parse the format-preserving document ahead of the first save (from a worker).

        Parsing with tomlkit is slow for a large registry; done once while the user reads, the
        first save is as quick as the later ones.
        """
        import tomlkit

        doc = self.document
        if doc is None or self._toml is not None:
            return
        toml = tomlkit.parse(doc.text)
        with self._mutex:
            if self.document is doc and self._toml is None:
                self._toml = toml

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

        Raises `Conflict` (a field changed underneath), `Rejected` (the edit adds errors) or
        `Unreadable` (the file on disk is not a registry any more); in each case nothing is written.
        """
        import tomlkit

        today = today or dt.date.today()
        with locked(self.file), self._mutex:
            raw, fp = self._read()
            if self.document is None or fp.sha256 != (self.fingerprint and self.fingerprint.sha256):
                current = parse(raw.decode("utf-8"), str(self.file))
                toml = None
            else:
                current = self.document
                toml = self._toml
            for change in edit.changes:
                if is_insert(change):
                    continue
                theirs = value_at(current.data, change.path)
                if not same(theirs, change.old) and not same(theirs, change.new):
                    raise Conflict(change, theirs, edit)
            if toml is None:
                toml = tomlkit.parse(current.text)
            apply(toml, edit)
            text = toml.as_string()
            # Validate the data the edit makes, rather than parsing the whole text again.
            data = apply_data(current.data, edit)
            registry, diagnostics = schema.build(data)
            new = Document(str(self.file), text, registry, diagnostics, data)
            added = _errors(new, today) - _errors(current, today)
            if added:
                self._toml = None
                found = new.diagnostics + rules.check(new.registry, today)
                raise Rejected([d for d in found if (d.code, d.path) in added])
            _clear_stale_temporaries(self.file)
            atomic_write(self.file, text)
            st = self.file.stat()
            self.fingerprint = Fingerprint(
                st.st_size,
                st.st_mtime_ns,
                st.st_ino,
                hashlib.sha256(text.encode("utf-8")).hexdigest(),
            )
            self.document = new
            self._toml = toml
            commit = self._commit(edit, new)
        return Saved(new, commit)

    def _commit(self, edit: Edit, doc: Document) -> Commit:
        if not self.commit:
            return Commit(skipped="disabled")
        return self._commit_message(edit.describe(), doc)

    def _commit_message(self, message: str, doc: Document) -> Commit:
        try:
            repo = git.repository(self.file) if git.git_available() else None
            author = git.identity(doc.registry, repo)
        except git.GitError as exc:
            return Commit(error=str(exc))
        return git.commit_file(self.file, message, author)

    def commit_pending(self, message: str) -> Commit:
        """Commit the file as it is (a hand edit), under the lock, with the user's message."""
        with locked(self.file):
            doc = self.read()
            return self._commit_message(message, doc)

    def restore(self, text: str) -> Document:
        """Put back an earlier text of the file (discarding a hand edit), atomically, under the lock."""
        parse(text, str(self.file))  # never write back a text that is not a registry
        with locked(self.file):
            atomic_write(self.file, text)
            return self.read()
