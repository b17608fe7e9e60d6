"""The one save path: lock, re-read if changed, apply, validate, write atomically.

Every change to a registry, from the dashboard or the command line, goes through `Store.save`:

1. take an exclusive lock on a lock file beside the registry (released if the process dies);
   refuse a read-only registry (no write bit, or not writable by this user): never replaced;
2. compare the file with what this store last read; if someone else changed it, re-read it;
   refuse (`Forbidden`) an edit the editor's access does not cover (rights.py), judged by the
   registry as it is on disk before the edit; and refuse (`Conflict`) if a field this edit
   changes is no longer what the user saw;
3. write the edit into the text: a value edit goes straight to the old value's place
   (`splice`), anything else through the format-preserving tomlkit document;
4. validate: refuse (`Rejected`) an edit that would add errors to the registry;
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
of the whole file, and the registry is checked once per save: the current document's findings
are kept from the save that made it. A tomlkit document, once parsed for another kind of edit,
is kept (and kept in step) between saves while the file is unchanged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kokeilu import rules
from kokeilu.editing import rights
from kokeilu.editing.edits import (
    Change,
    Edit,
    LayoutError,
    apply,
    apply_data,
    is_insert,
    not_a_table,
    read_back,
    rewritten,
    same,
    same_data,
    value_at,
    writing_table,
)
from kokeilu.history import git
from kokeilu.history.git import Commit
from kokeilu.registry import schema
from kokeilu.registry.diagnostics import Diagnostic
from kokeilu.registry.load import Document, Unreadable, parse, parse_bytes, read
from kokeilu.registry.model import Registry
from kokeilu.text.display import literal
from kokeilu.text.strings import t


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


class Unwritable(OSError):
    """The registry cannot be written; nothing was changed. The message is one line."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class Uncommitted(Unwritable):
    """The file holds a change nobody committed: a save would fold it into its own commit."""


def target(file: Path) -> Path:
    """The file that `file` names: itself, or what its symbolic links lead to (they stay links)."""
    return Path(os.path.realpath(file))


def lock_path(file: Path) -> Path:
    """The lock file beside the registry's target: `.NAME.lock` in the same folder."""
    real = target(file)
    return real.with_name(f".{real.name}.lock")


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class Lock:
    """A held lock: the open lock file, and a way to tell that it is still the one on disk."""

    def __init__(self, path: Path, fd: int):
        self.path = path
        self.fd = fd

    def check(self) -> None:
        """Raise `Unwritable` when the lock file was removed or replaced since it was taken.

        Another process would then take a new lock file, and two writers would hold "the" lock.
        """
        try:
            on_disk = os.stat(self.path)
        except OSError:
            on_disk = None
        held = os.fstat(self.fd)
        if on_disk is None or (on_disk.st_dev, on_disk.st_ino) != (held.st_dev, held.st_ino):
            raise Unwritable(t("store.lock_lost", lock=literal(str(self.path))))


# A lock file is created readable and writable by the group, whatever the umask: the next
# coordinator of the group must be able to open it (reading is enough for flock).
LOCK_MODE = 0o660


def _open_lock(path: Path) -> int:
    """An fd on the lock file: opened read-only when it exists, else created group-writable.

    flock needs no write access, so any account that may read the lock file may lock it.
    """
    # O_NONBLOCK: a FIFO in its place must not hang the open (flock waits all the same).
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    while True:
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            pass
        else:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                return fd
            os.close(fd)  # a folder (or a device) in the lock file's place is no lock file
            raise OSError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        try:
            fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, LOCK_MODE)
        except FileExistsError:
            continue  # another process created it first: open theirs
        with contextlib.suppress(OSError):
            os.fchmod(fd, LOCK_MODE)  # the umask took the group's bits away
        return fd


@contextlib.contextmanager
def locked(file: Path) -> Iterator[Lock]:
    """Hold the registry's exclusive lock; the kernel releases it if the process dies.

    Raises `Unwritable` when the lock file cannot be opened or created or cannot be locked.
    A lock file removed while this process waited for it is taken again, so that every writer
    locks the same file; one removed while held is found by `Lock.check` before writing.
    """
    path = lock_path(file)
    for attempt in range(LOCK_ATTEMPTS):
        lock = _take(path)
        try:
            lock.check()
        except Unwritable:
            os.close(lock.fd)
            if attempt == LOCK_ATTEMPTS - 1:
                raise
            continue  # removed while we waited for it: lock the lock file that is there now
        try:
            yield lock
        finally:
            os.close(lock.fd)
        return


# How often to take the lock again when its file was removed while this process waited for it.
LOCK_ATTEMPTS = 3


def _take(path: Path) -> Lock:
    """Open (or create) the lock file and wait for its exclusive lock."""
    try:
        fd = _open_lock(path)
    except OSError as exc:
        raise Unwritable(
            t("store.lock_failed", lock=literal(str(path)), reason=_reason(exc))
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError as exc:
        os.close(fd)
        raise Unwritable(
            t("store.lock_failed", lock=literal(str(path)), reason=_reason(exc))
        ) from None
    return Lock(path, fd)


def refuse_read_only(file: Path, st: os.stat_result) -> None:
    """Raise `Unwritable` for a registry that is read-only: no write bit, or not writable by us.

    Replacing a file needs only its folder to be writable, so the file's own mode is checked
    here; for root, who may write any file, the mode's write bits are what say "read-only". A
    file the mode lets us write but the OS does not (`chattr +i`) is refused with the OS's reason.
    """
    if not st.st_mode & 0o222:
        raise Unwritable(t("store.read_only", mode=f"{st.st_mode & 0o7777:04o}"))
    if not os.access(target(file), os.W_OK):
        # The mode allows writing, the OS does not (immutable with `chattr +i`, another user's
        # file, a read-only mount): say the OS's reason, asked by opening the file to write
        # (nothing is written, and this is a refusal anyway).
        reason = os.strerror(errno.EACCES)
        try:
            os.close(os.open(target(file), os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC))
        except OSError as exc:
            reason = _reason(exc)
        raise Unwritable(t("store.cannot_write", reason=reason))


def atomic_write(file: Path, text: str | bytes) -> os.stat_result:
    """Replace `file` with `text` so that readers see the old or the new file, never half of one.

    A symbolic link is written through: the file it leads to is replaced (by a temporary file
    in that file's folder), and the link stays. Returns the status of the file written
    (renaming it keeps its inode, size and mtime). Raises `Unwritable` when the temporary file
    cannot be written or put in place; the file is then unchanged and no temporary file is left.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    real = target(file)
    try:
        st: os.stat_result | None = real.stat()
    except FileNotFoundError:
        st = None
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
            written = os.fstat(out.fileno())
        if st is not None:
            os.chmod(tmp, st.st_mode & 0o7777)
            with contextlib.suppress(PermissionError):
                os.chown(tmp, -1, st.st_gid)
        os.replace(tmp, real)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise Unwritable(t("store.cannot_write", reason=_reason(exc))) from None
        raise
    # The file is in place: a folder that cannot be synced does not undo that.
    with contextlib.suppress(OSError):
        dir_fd = os.open(real.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        except OSError as exc:  # some file systems cannot fsync a folder
            if exc.errno not in (errno.EINVAL, errno.EBADF):
                raise
        finally:
            os.close(dir_fd)
    return written


def _clear_stale_temporaries(file: Path) -> None:
    """Remove temporary files of writers that died mid-write; only called under the lock."""
    real = target(file)
    for stale in real.parent.glob(f".{real.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


_LONE_LF = re.compile(r"(?<!\r)\n")


def keep_line_ends(before: str, after: str) -> str:
    """`after` with CRLF line ends when every line of `before` ends so.

    tomlkit writes the lines of a new table or key with LF; in a CRLF file they must be CRLF
    like the rest. A file with LF (or mixed) line ends is left as the edit wrote it.
    """
    first = before.find("\n")
    if first <= 0 or before[first - 1] != "\r" or _LONE_LF.search(before, first + 1):
        return after
    return _LONE_LF.sub("\r\n", after)


ErrorKeys = frozenset[tuple[str, tuple]]


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _fingerprint(st: os.stat_result, raw: bytes) -> Fingerprint:
    return Fingerprint(st.st_size, st.st_mtime_ns, st.st_ino, _sha256(raw))


def _error_keys(found: list[Diagnostic]) -> ErrorKeys:
    return frozenset((d.code, d.path) for d in found if d.severity == "error")


def _caseload_periods(edit: Edit, current: Document) -> set[str] | None:
    """The periods an edit of caseloads alone touches, when each is a table the registry read."""
    periods = set()
    for change in edit.changes:
        path = change.path
        if len(path) != 3 or path[0] != "caseloads" or not isinstance(path[2], str):
            return None
        if path[1] not in current.registry.caseloads:
            return None
        periods.add(path[1])
    return periods


def _build(
    current: Document, data: dict[str, Any], edit: Edit
) -> tuple[Registry, list[Diagnostic]]:
    """`schema.build(data)`, rebuilding only the periods when the edit changes caseloads alone.

    Each period's table is read on its own (a test holds the two ways equal); when a touched
    period has or gets a finding, the whole registry is built again so that findings keep their
    order.
    """
    periods = _caseload_periods(edit, current)
    if periods:
        part, found = schema.build({"caseloads": {p: data["caseloads"][p] for p in periods}})
        touched = {("caseloads", p) for p in periods}
        if not any(d.path[:2] in touched for d in (*found, *current.diagnostics)):
            caseloads = current.registry.caseloads | part.caseloads
            return replace(current.registry, caseloads=caseloads), list(current.diagnostics)
    return schema.build(data)


def _applied(toml: Any, edit: Edit) -> Any:
    """The tomlkit document with `edit` applied, or None when it cannot be."""
    try:
        apply(toml, edit)
    except Exception:  # tomlkit's own corners: the document is of no more use
        return None
    return toml


def _write(
    current: Document, edit: Edit, data: dict[str, Any], toml: Any
) -> tuple[str, Any, dict[str, Any]]:
    """The text of `current` after `edit`, written through tomlkit; the tomlkit document; the data.

    tomlkit writes some layouts wrongly without a word (a key in the wrong table, an order
    changed), so the text must read back as `data`, the data the edit means; else the edit is
    refused (`LayoutRefused`), as it is when tomlkit would rewrite lines the edit does not change. A
    document kept from an earlier save is tried first, then a fresh one.
    """
    import tomlkit

    attempts = [toml, None] if toml is not None else [None]
    refusal: LayoutError | None = None
    for kept in attempts:
        try:
            doc = kept
            if doc is None:
                doc = tomlkit.parse(current.text)
                rendered = doc.as_string()
                if rendered != current.text:  # it would rewrite lines the edit does not change
                    refusal = rewritten(current.text, rendered)
                    break
            apply(doc, edit)
            text = keep_line_ends(current.text, doc.as_string())
        except LayoutError as exc:
            refusal = exc
            continue
        except Exception:  # tomlkit's corners: refused below, never a traceback
            continue
        found = read_back(text)
        if found is not None and same_data(found, data):
            # The same data; the order of its tables may differ (the first part of a table
            # written in parts removed), and a table left empty may be gone with its last
            # entry: the document is what reading the file gives.
            return text, doc, found
    raise _unwritable(current, edit, refusal)


def _unwritable(current: Document, edit: Edit, refusal: LayoutError | None) -> LayoutRefused:
    """The refusal of `edit`, placed at the table whose layout kokeilu cannot write into."""
    if refusal is None:
        refusal = writing_table(current.data, edit)
    line, col = refusal.line, refusal.col
    if line is None and refusal.path:
        spans = current.spans
        from kokeilu.registry.locate import find  # only for a refusal: not before the first frame

        found = find(spans, refusal.path)
        # A table with no header of its own ([caseloads] of [caseloads."2020-01"]): its first.
        inside = [s for p, s in spans.items() if p[: len(refusal.path)] == refusal.path]
        span = found[1] if found else min(inside, key=lambda s: (s.line, s.col), default=None)
        line, col = (span.line, span.col) if span else (None, None)
    return LayoutRefused(refusal.describe(line, col), line, col)


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
        self._toml: Any = None  # the tomlkit document of `fingerprint`, once parsed
        # The errors found in `document` on a day, kept from the save that made it.
        self._errors: tuple[Document, dt.date, ErrorKeys] | None = None
        self._committer = git.Committer(self.file, self.login)
        # The editor's rights in `document`, kept from the last time they were asked for.
        self._rights: tuple[Document, rights.Rights] | None = None

    def read(self) -> Document:
        """Read the file afresh; raises `Unreadable` as `load.load` does."""
        raw, st = read(self.file)
        doc = parse_bytes(raw, str(self.file))
        self.document = doc
        self.fingerprint = _fingerprint(st, raw)
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
            unchanged = not (self.document is None or known is None or _sha256(raw) != known.sha256)
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
                raise _unwritable(current, edit, not_table)
            for change in edit.changes:
                if is_insert(change):
                    continue
                theirs = value_at(current.data, change.path)
                if not same(theirs, change.old) and not same(theirs, change.new):
                    raise Conflict(change, theirs, edit)
            # The edit is applied to the kept tomlkit document below: it is kept again only once
            # the file is written (a refusal above leaves it as the file's).
            toml = None
            if unchanged:
                toml, self._toml = self._toml, None
            # The data the edit makes: validated below rather than parsing the whole text again.
            data = apply_data(current.data, edit)
            from kokeilu.editing.splice import splice  # with `locate`: not before the first frame

            text = splice(current.text, current.data, edit)
            if text is None:
                text, toml, data = _write(current, edit, data, toml)
            elif toml is not None:
                # Cheap, and keeps it for the next edit tomlkit must write (if it cannot make
                # this edit, the next one parses the file afresh).
                toml = _applied(toml, edit)
            registry, diagnostics = _build(current, data, edit)
            new = Document(str(self.file), text, registry, diagnostics, data, current.bom)
            found = new.diagnostics + rules.check(new.registry, today)
            errors = _error_keys(found)
            # Without errors in the new registry there is none added: no need to check the old.
            added = errors - self._errors_of(current, today) if errors else errors
            if added:
                raise Rejected([d for d in found if (d.code, d.path) in added])
            # The message is made before the file is written: a save is never left uncommitted
            # (and folded into the next commit) because its words could not be said.
            message = git.commit_message(edit.describe()) if self.commit else ""
            lock.check()
            _clear_stale_temporaries(self.file)
            data_bytes = current.bom + text.encode("utf-8")
            self.fingerprint = _fingerprint(atomic_write(self.file, data_bytes), data_bytes)
            self.document = new
            self._toml = toml
            self._errors = (new, today, errors)
            commit = self._commit(message, new)
        return Saved(new, commit)

    def _errors_of(self, doc: Document, today: dt.date) -> ErrorKeys:
        """The errors in `doc`: kept from the save that wrote it, else found now."""
        kept = self._errors
        if kept is not None and kept[0] is doc and kept[1] == today:
            return kept[2]
        return _error_keys(doc.diagnostics + rules.check(doc.registry, today))

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
        Raises `Forbidden` unless the editor may edit everything, as the text put back says.
        """
        doc = parse(text, str(self.file))  # never write back a text that is not a registry
        doc.bom = bom or doc.bom
        data_bytes = doc.bom + doc.text.encode("utf-8")
        with locked(self.file) as lock:
            with contextlib.suppress(FileNotFoundError):
                refuse_read_only(self.file, self.file.stat())
            lock.check()
            self._may_take_whole_file(doc, doc)
            self.fingerprint = _fingerprint(atomic_write(self.file, data_bytes), data_bytes)
            self.document = doc
            self._toml = None
            return doc
