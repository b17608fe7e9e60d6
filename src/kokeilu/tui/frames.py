"""The remembered first frame: the dashboard's first screen, shown at once on the next start.

Python and Textual take ~0.3 s to start before Textual can draw anything. The first frame the
dashboard drew is kept (per user, under `$XDG_CACHE_HOME/kokeilu/frames`, mode 0600), under a
key made of everything that frame was drawn from: the registry file's bytes and mode, the
terminal's size and kind, the language settings, the user (uid, login, groups, whether they may
write the file), today's date and the installed code (kokeilu's and Textual's files). When the
next start has the same key, those bytes are written to the terminal before Textual is imported,
and Textual then draws the same frame over them (it does not enter the alternate screen a second
time, which would blank it). Keys typed meanwhile wait in the terminal as they always did.

Any difference in the key means no remembered frame: a registry saved by anyone since, another
day, another size. If the live first frame still differs from the remembered one, it replaces
it. `KOKEILU_FRAMES=0` turns the whole thing off. Nothing here imports Textual: it runs before.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import stat
import sys
from pathlib import Path

ALT_SCREEN = "\x1b[?1049h"
LEAVE = "\x1b[?1049l\x1b[?25h"
HIDE_CURSOR = "\x1b[?25l"
# Frames kept per user; the oldest go.
KEEP = 16
ENV_KEYS = (
    "TERM",
    "COLORTERM",
    "TERM_PROGRAM",
    "NO_COLOR",
    "FORCE_COLOR",
    "KOKEILU_LANG",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "LC_MESSAGES",
)


def enabled() -> bool:
    """Only on a terminal, and not when switched off."""
    if os.environ.get("KOKEILU_FRAMES", "1") == "0":
        return False
    return sys.stdin.isatty() and sys.stdout.isatty()


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kokeilu" / "frames"


def _code_stamp() -> list[str]:
    """The installed code's files and their times: a reinstall or an edit changes the key."""
    import importlib.util

    stamp = []
    here = Path(__file__).resolve().parent.parent
    for root, _dirs, files in os.walk(here):
        for name in sorted(files):
            if name.endswith((".py", ".tcss")):
                st = os.stat(os.path.join(root, name))
                stamp.append(f"{root}/{name}:{st.st_size}:{st.st_mtime_ns}")
    spec = importlib.util.find_spec("textual")
    if spec is not None and spec.origin:
        init = Path(spec.origin)
        stamp.append(f"{init}:{init.stat().st_mtime_ns}:{init.parent.stat().st_mtime_ns}")
    return stamp


def frame_key(
    file: Path, argv: list[str], size: tuple[int, int], today: datetime.date | None = None
) -> str | None:
    """The key of the frame a start with these inputs draws at `size` (columns, lines) on
    `today`; None when it cannot be known."""
    import pwd

    try:
        data = file.read_bytes()
        st = os.stat(file)
        user = pwd.getpwuid(os.geteuid())
    except (OSError, KeyError):
        return None
    parts = [
        str(file.resolve()),
        hashlib.sha256(data).hexdigest(),
        f"{st.st_mode}:{st.st_uid}:{st.st_gid}:{os.access(file, os.W_OK)}",
        f"{size[0]}x{size[1]}",
        *(f"{k}={os.environ.get(k)}" for k in ENV_KEYS),
        *sorted(f"{k}={v}" for k, v in os.environ.items() if k.startswith("TEXTUAL")),
        f"{os.geteuid()}:{os.getegid()}:{sorted(os.getgroups())}:{tuple(user)}",
        (today or datetime.date.today()).isoformat(),
        repr(argv),
        *_code_stamp(),
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _owned(st: os.stat_result) -> bool:
    """Ours alone: a frame goes to the terminal as it is, so nobody else may have written it."""
    return st.st_uid == os.geteuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def remembered(key: str) -> bytes | None:
    """The frame kept under `key`, if it is a regular file of ours in a folder of ours."""
    folder = cache_dir()
    path = folder / key
    try:
        dst = os.lstat(folder)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not (stat.S_ISDIR(dst.st_mode) and _owned(dst)):
            return None
        if not (stat.S_ISREG(st.st_mode) and _owned(st)):
            return None
        return f.read()


def remember(key: str, frame: bytes) -> None:
    """Keep `frame` under `key` (written whole, then renamed); keep only the newest few."""
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _owned(os.lstat(folder)):
            return
        tmp = folder / f".{key}.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(frame)
        os.replace(tmp, folder / key)
        kept = sorted(
            (p for p in folder.iterdir() if not p.name.startswith(".")),
            key=lambda p: p.stat().st_mtime_ns,
            reverse=True,
        )
        for old in kept[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        return


class Frames:
    """One start's remembered frame: shown before Textual, recorded after, kept if it changed."""

    def __init__(self, key: str | None) -> None:
        self.key = key
        self.shown: bytes | None = None
        self.recording: list[str] | None = None
        # Whether Textual's driver has taken the terminal over (it leaves the screen at exit).
        self.taken = False

    @classmethod
    def start(cls, file: Path, argv: list[str]) -> Frames | None:
        """Show the remembered frame for this start, if there is one; None when switched off."""
        if not enabled():
            return None
        try:
            size = os.get_terminal_size(sys.stdout.fileno())
        except OSError:
            return None
        frames = cls(frame_key(file, argv, (size.columns, size.lines)))
        if frames.key is not None:
            frame = remembered(frames.key)
            if frame:
                out = sys.stdout.buffer
                out.write((ALT_SCREEN + HIDE_CURSOR).encode() + frame)
                out.flush()
                frames.shown = frame
        return frames

    def leave(self) -> None:
        """Textual never took the terminal over: leave the alternate screen we entered."""
        if self.shown is not None and not self.taken:
            sys.stdout.write(LEAVE)
            sys.stdout.flush()
            self.shown = None

    def recorded(self) -> None:
        """The first frame is drawn: keep it, unless it is what was shown."""
        if self.recording is None or self.key is None:
            return
        frame = "".join(self.recording).encode("utf-8", "surrogateescape")
        self.recording = None
        if frame and frame != self.shown:
            remember(self.key, frame)
