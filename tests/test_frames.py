"""The remembered first frame (kokeilu.tui.frames): shown at once on the next start, and only
when everything it was drawn from is the same; a real terminal (tmux) for the whole path."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

from bench.term import Term
from kokeilu.tui import frames

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="needs tmux (.ci/run installs it)"
)

SIZE = (80, 24)
LIVE = r"(?s)Overview.*\d+ errors, \d+ warnings"
PLANTED = "REMEMBERED-FRAME-PLANTED"


def _key(file: Path, size: tuple[int, int] = SIZE, day: str = "2026-11-30") -> str | None:
    return frames.frame_key(file, ["commit=True"], size, datetime.date.fromisoformat(day))


def test_the_key_changes_with_what_the_frame_is_drawn_from(bundled_copy: Path) -> None:
    key = _key(bundled_copy)
    assert key is not None and key == _key(bundled_copy)
    assert _key(bundled_copy, size=(81, 24)) != key
    assert _key(bundled_copy, day="2026-12-01") != key  # "days left" and findings move with it
    os.chmod(bundled_copy, 0o444)  # who may write shows on the status line
    assert _key(bundled_copy) != key
    os.chmod(bundled_copy, 0o644)
    assert _key(bundled_copy) == key
    with bundled_copy.open("a") as f:
        f.write("\n")  # one byte more, as after anybody's save
    assert _key(bundled_copy) != key


def test_only_a_frame_of_ones_own_is_shown(tmp_path: Path) -> None:
    frames.remember("k1", b"frame one")
    folder = frames.cache_dir()
    assert frames.remembered("k1") == b"frame one"
    assert (folder / "k1").stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    os.chmod(folder / "k1", 0o620)  # anyone in the group could have written escapes into it
    assert frames.remembered("k1") is None
    (tmp_path / "elsewhere").write_bytes(b"not mine")
    (folder / "k2").symlink_to(tmp_path / "elsewhere")
    assert frames.remembered("k2") is None
    assert frames.remembered("missing") is None


def test_only_the_newest_frames_are_kept() -> None:
    for n in range(frames.KEEP + 3):
        frames.remember(f"k{n:02d}", b"x")
        os.utime(frames.cache_dir() / f"k{n:02d}", ns=(n * 10**9, n * 10**9))
    frames.remember("last", b"y")
    kept = sorted(p.name for p in frames.cache_dir().iterdir())
    assert len(kept) == frames.KEEP
    assert "last" in kept and "k00" not in kept


def _start(file: Path, cache: Path) -> Term:
    kokeilu = Path(sys.executable).parent / "kokeilu"
    env = {"XDG_CACHE_HOME": str(cache), "KOKEILU_LANG": "en"}
    return Term([str(kokeilu), "-f", str(file)], *SIZE, env=env, kill=True)


def _kept(cache: Path, count: int = 1) -> list[Path]:
    """The frames kept, once `count` are there: the dashboard keeps its first frame once the
    frame is out, so it may come a moment after the frame is on the screen."""
    folder = cache / "kokeilu" / "frames"
    for _ in range(1000):
        kept = sorted(folder.iterdir()) if folder.exists() else []
        if len(kept) >= count:
            return kept
        time.sleep(0.01)
    raise AssertionError(f"{count} frames were not kept in {folder}")


def _plant(cache: Path) -> Path:
    """Put a frame of our own making in place of the one the last start kept."""
    (only,) = _kept(cache)
    only.write_bytes(f"\x1b[H\x1b[2J{PLANTED}".encode())
    return only


def test_the_next_start_shows_the_remembered_frame_then_draws_its_own(
    bundled_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "term-cache"
    with _start(bundled_copy, cache) as t:
        t.wait_for(LIVE, timeout=60)
    (kept,) = _kept(cache)
    first = kept.read_bytes()
    assert b"Overview" in first and b"errors" in first
    _plant(cache)
    with _start(bundled_copy, cache) as t:
        t.wait_for(PLANTED, timeout=60, poll=0.002)  # before Textual has drawn anything
        t.wait_for(LIVE, timeout=60)
        assert PLANTED not in t.screen()  # drawn over, not under or beside
    # The live frame differed from the planted one, so it was kept again: the same bytes.
    for _ in range(1000):
        if kept.read_bytes() != f"\x1b[H\x1b[2J{PLANTED}".encode():
            break
        time.sleep(0.01)
    assert kept.read_bytes() == first


def test_a_registry_changed_since_shows_no_old_frame(bundled_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "term-cache"
    with _start(bundled_copy, cache) as t:
        t.wait_for(LIVE, timeout=60)
    _plant(cache)
    text = bundled_copy.read_text(encoding="utf-8")
    bundled_copy.write_text(
        text.replace('toteuttamisesta Pohjois-Savossa"', 'toteuttamisesta (muutettu)"')
    )
    seen = []
    with _start(bundled_copy, cache) as t:
        while not re.search(LIVE, screen := t.screen()):
            seen.append(screen)
        assert "(muutettu)" in t.screen()
    assert not any(PLANTED in s for s in seen)
    assert len(_kept(cache, 2)) == 2


def _pty_output(file: Path, cache: Path, frames_drawn: int) -> bytes:
    """Everything the dashboard writes to a pseudo-terminal of 80x24 until `frames_drawn`
    frames with its status line are out, then ctrl+q (which Textual reads only once it runs: the
    terminal, still in its own mode, takes it for flow control before)."""
    import fcntl
    import pty
    import select
    import struct
    import subprocess
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOKEILU_")}
    env |= {"XDG_CACHE_HOME": str(cache), "KOKEILU_LANG": "en", "TERM": "xterm-256color"}
    kokeilu = Path(sys.executable).parent / "kokeilu"
    proc = subprocess.Popen(
        [str(kokeilu), "-f", str(file)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    out = b""
    deadline = time.monotonic() + 60
    try:
        while out.count(b"Overview") < frames_drawn and time.monotonic() < deadline:
            if select.select([master], [], [], 0.1)[0]:
                out += os.read(master, 65536)
        os.write(master, b"\x11")  # ctrl+q
        while proc.poll() is None and time.monotonic() < deadline:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    out += os.read(master, 65536)
                except OSError:
                    break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        os.close(master)
    return out


def test_the_alternate_screen_is_entered_once_so_the_frame_is_not_blanked(
    bundled_copy: Path, tmp_path: Path
) -> None:
    """An xterm clears the alternate screen when it is entered again: Textual must not."""
    cache = tmp_path / "pty-cache"
    first = _pty_output(bundled_copy, cache, frames_drawn=1)
    assert first.count(b"\x1b[?1049h") == 1
    (kept,) = _kept(cache)
    second = _pty_output(bundled_copy, cache, frames_drawn=2)
    # Entered once, before the remembered frame; then Textual's own first frame; left once.
    # (Until Textual sets the terminal's modes, the terminal writes each "\n" as "\r\n".)
    shown = second.replace(b"\r\n", b"\n")
    assert shown.startswith(b"\x1b[?1049h\x1b[?25l" + kept.read_bytes())
    assert second.count(b"\x1b[?1049h") == 1
    assert second.count(b"\x1b[?1049l") == 1
