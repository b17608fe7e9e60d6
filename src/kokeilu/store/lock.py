"""The registry's lock: one exclusive flock on a lock file beside it, taken for every write.

The kernel releases it if the process dies. A registry given as a symbolic link is locked by
the file the link points to, so every path to one file shares one lock.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from kokeilu.store.files import Unwritable, reason, target
from kokeilu.text.display import literal
from kokeilu.text.strings import t


def lock_path(file: Path) -> Path:
    """The lock file beside the registry's target: `.NAME.lock` in the same folder."""
    real = target(file)
    return real.with_name(f".{real.name}.lock")


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
            t("store.lock_failed", lock=literal(str(path)), reason=reason(exc))
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError as exc:
        os.close(fd)
        raise Unwritable(
            t("store.lock_failed", lock=literal(str(path)), reason=reason(exc))
        ) from None
    return Lock(path, fd)
