"""The wheel as a deployment installs it: built, installed (not editable) into a fresh venv, and
the dashboard opened from that venv in a real terminal (tmux, on a socket of the test's own).

An editable install reads the package from the source tree, so a file the wheel leaves out (the
dashboard's stylesheet) goes unnoticed there; only a wheel installed elsewhere shows it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import venv
from pathlib import Path

from conftest import BUNDLED

# How long the dashboard may take to draw its first screen in tmux (seconds): a bound on
# waiting, not a measurement.
PATIENCE = 60.0


def _fresh_venv(folder: Path) -> Path:
    """A new venv that sees the test environment's packages (the dependencies) after its own.

    The paths are added by a .pth file, which adds folders without running the .pth files in
    them: the test environment's editable kokeilu stays out, and the wheel's is the only one.
    """
    venv.create(
        folder, with_pip=False
    )  # this environment's pip installs into it (ensurepip is slow)
    python = folder / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ours = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
    (Path(purelib) / "test_dependencies.pth").write_text("\n".join(ours) + "\n")
    return python


def _tmux(socket: str, *args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", socket, *args], check=True, capture_output=True, text=True
    ).stdout


def _wait_for(socket: str, what: str, predicate) -> str:
    """Poll the pane until `predicate(screen)` holds; fail with the screen when it never does."""
    deadline = time.monotonic() + PATIENCE
    while True:
        screen = _tmux(socket, "capture-pane", "-p", "-t", "wheel")
        if predicate(screen):
            return screen
        assert time.monotonic() < deadline, f"no {what} within {PATIENCE} s; the screen:\n{screen}"
        time.sleep(0.1)


def test_the_installed_wheel_opens_the_dashboard(tmp_path: Path, wheel: Path) -> None:
    python = _fresh_venv(tmp_path / "venv")
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "--python", str(python)),
            *("install", "--quiet", "--no-deps", "--no-index", str(wheel)),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    where = subprocess.run(
        [str(python), "-c", "import kokeilu; print(kokeilu.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout.strip()
    assert Path(where).is_relative_to(tmp_path / "venv"), where
    assert (Path(where).parent / "tui" / "kokeilu.tcss").is_file()

    registry = tmp_path / "registry.toml"
    shutil.copyfile(BUNDLED, registry)
    socket = f"kokeilu-wheel-{os.getpid()}"
    command = f"{tmp_path / 'venv' / 'bin' / 'kokeilu'} -f {registry}"
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "TERM": "xterm-256color"}
    clean_sh = ["env", "-i", *(f"{k}={v}" for k, v in env.items()), "sh"]
    new_session = ["new-session", "-d", "-s", "wheel", "-x", "100", "-y", "30"]
    subprocess.run(
        ["tmux", "-L", socket, "-f", "/dev/null", *new_session, *clean_sh],
        check=True,
        cwd=tmp_path,
    )
    try:
        _tmux(socket, "set-option", "-t", "wheel", "remain-on-exit", "on")
        _tmux(socket, "send-keys", "-t", "wheel", f"{command}; echo __EXIT__$?", "Enter")
        screen = _wait_for(
            socket,
            "dashboard",
            lambda s: ("Overview" in s and "registry.toml" in s) or "Error" in s,
        )
        assert "Overview" in screen and "Error" not in screen, screen
        _tmux(socket, "send-keys", "-t", "wheel", "C-q")
        # The shell waits for the dashboard and says how it ended (tmux itself may put off
        # reaping a pane's process, and with it its "Pane is dead" line).
        screen = _wait_for(socket, "exit", lambda s: re.search(r"__EXIT__\d", s) is not None)
        assert re.search(r"__EXIT__0\b", screen), screen
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], check=False, capture_output=True)
