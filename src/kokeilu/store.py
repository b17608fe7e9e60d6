"""The one save path: lock, re-read if changed, apply, validate, write atomically.

Every change to a registry, from the dashboard or the command line, goes through `Store.save`:

1. take an exclusive lock on a lock file beside the registry (released if the process dies);
2. compare the file with what this store last read; if someone else changed it, re-read it, and
   refuse (`Conflict`) if a field this edit changes is no longer what the user saw;
3. write the edit into the text: a value edit goes straight to the old value's place
   (`splice`), anything else through the format-preserving tomlkit document;
4. validate: refuse (`Rejected`) an edit that would add errors to the registry;
5. write atomically: a temporary file in the same folder, fsync, `os.replace`, fsync the folder,
   keeping the file's mode and group;
6. commit the file alone to git, in the edit's words, authored by the editor — still under the
   lock, so that saves from several processes land as commits in the order they were written.

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
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kokeilu import git, rules, schema
from kokeilu.diagnostics import Diagnostic
from kokeilu.edits import (
    Change,
    Edit,
    LayoutError,
    apply,
    apply_data,
    is_insert,
    read_back,
    rewritten,
    same,
    same_data,
    value_at,
    writing_table,
)
from kokeilu.git import Commit
from kokeilu.load import Document, parse, parse_bytes, read
from kokeilu.locate import find
from kokeilu.model import Registry
from kokeilu.splice import splice


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


class Unwritable(Exception):
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


def atomic_write(file: Path, text: str | bytes) -> os.stat_result:
    """Replace `file` with `text` so that readers see the old or the new file, never half of one.

    Returns the status of the file written (renaming it keeps its inode, size and mtime).
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
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
            written = os.fstat(out.fileno())
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
    return written


def _clear_stale_temporaries(file: Path) -> None:
    """Remove temporary files of writers that died mid-write; only called under the lock."""
    for stale in file.parent.glob(f".{file.name}.*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()


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
    refused (`Unwritable`), as it is when tomlkit would rewrite lines the edit does not change. A
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
            text = doc.as_string()
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


def _unwritable(current: Document, edit: Edit, refusal: LayoutError | None) -> Unwritable:
    """The refusal of `edit`, placed at the table whose layout kokeilu cannot write into."""
    if refusal is None:
        refusal = writing_table(current.data, edit)
    line, col = refusal.line, refusal.col
    if line is None and refusal.path:
        spans = current.spans
        found = find(spans, refusal.path)
        # A table with no header of its own ([caseloads] of [caseloads."2020-01"]): its first.
        inside = [s for p, s in spans.items() if p[: len(refusal.path)] == refusal.path]
        span = found[1] if found else min(inside, key=lambda s: (s.line, s.col), default=None)
        line, col = (span.line, span.col) if span else (None, None)
    return Unwritable(refusal.describe(line, col), line, col)


class Store:
    """One registry file, as this process last read it, and the only way to change it."""

    def __init__(self, file: str | Path, *, commit: bool = True):
        self.file = Path(file)
        # Whether each save is committed to git (`--no-commit` turns it off).
        self.commit = commit
        self.document: Document | None = None
        self.fingerprint: Fingerprint | None = None
        self._toml: Any = None  # the tomlkit document of `fingerprint`, once parsed
        # The errors found in `document` on a day, kept from the save that made it.
        self._errors: tuple[Document, dt.date, ErrorKeys] | None = None
        self._committer = git.Committer(self.file)

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

        Raises `Conflict` (a field changed underneath), `Rejected` (the edit adds errors),
        `Unwritable` (the file's layout of the tables concerned is one kokeilu cannot write into)
        or `Unreadable` (the file on disk is not a registry any more); in each case nothing is
        written.
        """
        today = today or dt.date.today()
        # The lock also keeps out a save from another thread: flock locks each open of the file.
        with locked(self.file):
            raw, _ = read(self.file)
            known = self.fingerprint
            if self.document is None or known is None or _sha256(raw) != known.sha256:
                current = parse_bytes(raw, str(self.file))
                toml = None
            else:
                current = self.document
                # The edit is applied to it below: kept again only once the file is written.
                toml, self._toml = self._toml, None
            for change in edit.changes:
                if is_insert(change):
                    continue
                theirs = value_at(current.data, change.path)
                if not same(theirs, change.old) and not same(theirs, change.new):
                    raise Conflict(change, theirs, edit)
            # The data the edit makes: validated below rather than parsing the whole text again.
            data = apply_data(current.data, edit)
            text = splice(current.text, current.data, edit)
            if text is None:
                text, toml, data = _write(current, edit, data, toml)
            elif toml is not None:
                # Cheap, and keeps it for the next edit tomlkit must write (if it cannot make
                # this edit, the next one parses the file afresh).
                toml = _applied(toml, edit)
            registry, diagnostics = _build(current, data, edit)
            new = Document(str(self.file), text, registry, diagnostics, data)
            found = new.diagnostics + rules.check(new.registry, today)
            errors = _error_keys(found)
            # Without errors in the new registry there is none added: no need to check the old.
            added = errors - self._errors_of(current, today) if errors else errors
            if added:
                raise Rejected([d for d in found if (d.code, d.path) in added])
            _clear_stale_temporaries(self.file)
            data_bytes = text.encode("utf-8")
            self.fingerprint = _fingerprint(atomic_write(self.file, data_bytes), data_bytes)
            self.document = new
            self._toml = toml
            self._errors = (new, today, errors)
            commit = self._commit(edit, new)
        return Saved(new, commit)

    def _errors_of(self, doc: Document, today: dt.date) -> ErrorKeys:
        """The errors in `doc`: kept from the save that wrote it, else found now."""
        kept = self._errors
        if kept is not None and kept[0] is doc and kept[1] == today:
            return kept[2]
        return _error_keys(doc.diagnostics + rules.check(doc.registry, today))

    def _commit(self, edit: Edit, doc: Document) -> Commit:
        if not self.commit:
            return Commit(skipped="disabled")
        return self._commit_message(edit.describe(), doc)

    def _commit_message(self, message: str, doc: Document) -> Commit:
        return self._committer.commit(message, doc.registry)

    def commit_pending(self, message: str) -> Commit:
        """Commit the file as it is (a hand edit), under the lock, with the user's message."""
        with locked(self.file):
            doc = self.read()
            return self._commit_message(message, doc)

    def restore(self, text: str) -> Document:
        """Put back an earlier text of the file (discarding a hand edit), atomically, under the lock."""
        doc = parse(text, str(self.file))  # never write back a text that is not a registry
        data_bytes = text.encode("utf-8")
        with locked(self.file):
            self.fingerprint = _fingerprint(atomic_write(self.file, data_bytes), data_bytes)
            self.document = doc
            self._toml = None
            return doc
