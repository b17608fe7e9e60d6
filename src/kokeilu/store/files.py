"""The registry file on disk: what identifies a version of it, and replacing it atomically.

A registry given as a symbolic link is written through the link: the temporary file is that
of the file the link points to, and the link stays a link. A file that cannot be written
raises `Unwritable` with one line that says why, and the file is left as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from kokeilu.text.strings import t


class Fingerprint:
    """What identifies one version of the file: cheap stat fields, and the content's hash.

    The hash is worked out when it is first asked for (a save or a restore compares it with the
    file on disk), from the bytes kept until then: the dashboard reads the file before its first
    frame, and `hashlib` loads OpenSSL (2-9 ms) that the first frame does not need. The hash of
    the same bytes is the same whenever it is taken, so a conflict is found exactly as before.
    """

    __slots__ = ("_raw", "_sha256", "inode", "mtime_ns", "size")

    def __init__(self, size: int, mtime_ns: int, inode: int, raw: bytes) -> None:
        self.size = size
        self.mtime_ns = mtime_ns
        self.inode = inode
        self._raw: bytes | None = raw
        self._sha256: str | None = None

    @property
    def sha256(self) -> str:
        """The content's SHA-256, in hex; the bytes are let go once it is known."""
        # The bytes before the hash: the hash is set before the bytes are let go, so one of the
        # two is always there, whichever thread asks.
        raw = self._raw
        known = self._sha256
        if known is None:
            assert raw is not None
            known = self._sha256 = sha256(raw)
            self._raw = None
        return known


class Unwritable(OSError):
    """The registry cannot be written; nothing was changed. The message is one line."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def target(file: Path) -> Path:
    """The file that `file` names: itself, or what its symbolic links lead to (they stay links)."""
    return Path(os.path.realpath(file))


def reason(exc: OSError) -> str:
    """The OS's words for why an operation failed."""
    return exc.strerror or str(exc)


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
        why = os.strerror(errno.EACCES)
        try:
            os.close(os.open(target(file), os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC))
        except OSError as exc:
            why = reason(exc)
        raise Unwritable(t("store.cannot_write", reason=why))


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
            raise Unwritable(t("store.cannot_write", reason=reason(exc))) from None
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


def clear_stale_temporaries(file: Path) -> None:
    """Remove temporary files of writers that died mid-write; only called under the lock."""
    real = target(file)
    for stale in real.parent.glob(f".{real.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def sha256(raw: bytes) -> str:
    """The content's hash, as a `Fingerprint` holds it."""
    import hashlib  # here: see `Fingerprint`

    return hashlib.sha256(raw).hexdigest()


def fingerprint(st: os.stat_result, raw: bytes) -> Fingerprint:
    """The fingerprint of a file of status `st` and content `raw`."""
    return Fingerprint(st.st_size, st.st_mtime_ns, st.st_ino, raw)
