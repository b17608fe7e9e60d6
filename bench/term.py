"""A program in a tmux pane, as a person at an 80x24 terminal sees it.

The same method as the shared `tmuxdrive.py` (start in a detached tmux session, poll
`capture-pane` for a marker), kept here so that `bench/run` works on a fresh clone. It adds
what the benchmarks need: the program's process id, so that its peak memory can be read
from /proc and the next run does not start while the previous process is still exiting, and
a quick failure when the program exits without showing the marker.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import subprocess
import time
import uuid
from pathlib import Path


def _tmux(*args: str, check: bool = True) -> str:
    for _ in range(5):  # a tmux server that is just shutting down says "server exited unexpectedly"
        r = subprocess.run(["tmux", *args], capture_output=True, text=True)
        if r.returncode == 0 or "server exited unexpectedly" not in r.stderr:
            break
        time.sleep(0.2)
    if check and r.returncode != 0:
        raise RuntimeError(f"tmux {' '.join(args)}: {r.stderr.strip()}")
    return r.stdout


class Term:
    """`with Term(argv) as t: t.wait_for(marker)`; the program is the pane's process itself."""

    def __init__(
        self,
        argv: list[str],
        cols: int = 80,
        rows: int = 24,
        cwd: str | None = None,
        env: dict[str, str | None] | None = None,
        kill: bool = False,
    ):
        self.name = "bench-" + uuid.uuid4().hex[:8]
        self.argv, self.cols, self.rows = argv, cols, rows
        self.cwd = cwd or os.getcwd()
        self.env = env or {}
        # Whether leaving ends the program at once (SIGKILL), rather than as a closed terminal
        # does (SIGHUP), which waits for its threads: for measurements that are done with it.
        self.kill = kill
        self.pid: int | None = None
        self.started = 0.0

    def __enter__(self) -> Term:
        # The tmux server's environment is not ours: set (or, for None, unset) what matters.
        unset = [f"-u {k}" for k, v in self.env.items() if v is None]
        assign = [f"{k}={shlex.quote(v)}" for k, v in self.env.items() if v is not None]
        # The pane keeps its last screen after the program exits, so a failure can be read.
        command = (
            f"env {' '.join(unset)} TERM=xterm-256color {' '.join(assign)} "
            f"{shlex.join(self.argv)}; echo __EXIT__$?; sleep 60"
        )
        _tmux(
            "new-session",
            "-d",
            "-s",
            self.name,
            "-x",
            str(self.cols),
            "-y",
            str(self.rows),
            "-c",
            self.cwd,
            command,
        )
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        pid = self.process_id()
        if self.kill and pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _tmux("kill-session", "-t", self.name, check=False)
        if pid is not None:  # the next run starts when this program has gone
            deadline = time.monotonic() + 10
            while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
                time.sleep(0.01)

    def process_id(self) -> int | None:
        """The program's pid: the one child of the pane's shell."""
        if self.pid is None:
            shell = _tmux("display-message", "-p", "-t", self.name, "#{pane_pid}", check=False)
            try:
                children = Path(f"/proc/{shell.strip()}/task/{shell.strip()}/children").read_text()
                self.pid = int(children.split()[0])
            except (FileNotFoundError, ValueError, IndexError):
                return None
        return self.pid

    def screen(self) -> str:
        return _tmux("capture-pane", "-p", "-t", self.name, check=False)

    def keys(self, *keys: str) -> None:
        for k in keys:
            _tmux("send-keys", "-t", self.name, k, check=False)

    def wait_for(self, pattern: str, timeout: float = 60.0, poll: float = 0.005) -> float:
        """Seconds from the start of the program until `pattern` is on screen."""
        rx = re.compile(pattern)
        while time.monotonic() - self.started < timeout:
            screen = self.screen()
            if rx.search(screen):
                return time.monotonic() - self.started
            if "__EXIT__" in screen:
                break
            time.sleep(poll)
        raise TimeoutError(f"{pattern!r} not on screen; the screen was:\n{self.screen()}")

    def cpu_seconds(self) -> float | None:
        """CPU time the program has used so far (user + system, all its threads)."""
        pid = self.process_id()
        if pid is None:
            return None
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            return None
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wait_idle(self, limit: float, window: float = 0.5, busy: float = 0.1) -> float | None:
        """Wait until the program uses under `busy` of a CPU over `window` seconds; when it did
        (monotonic clock), or None if it was still busy after `limit` seconds."""
        deadline = time.monotonic() + limit
        before = self.cpu_seconds()
        while before is not None and time.monotonic() < deadline:
            time.sleep(window)
            now = self.cpu_seconds()
            if now is None or now - before < busy * window:
                return time.monotonic() - window
            before = now
        return None

    def wait_exit(self, limit: float) -> float | None:
        """Seconds until the program has exited, or None if it still runs after `limit`."""
        pid, t0 = self.process_id(), time.monotonic()
        while pid is not None and Path(f"/proc/{pid}").exists():
            if time.monotonic() - t0 > limit:
                return None
            time.sleep(0.01)
        return time.monotonic() - t0

    def peak_rss_mib(self) -> float | None:
        """The program's peak resident memory so far (VmHWM), in MiB."""
        pid = self.process_id()
        if pid is None:
            return None
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            return None
        m = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        return int(m.group(1)) / 1024 if m else None
