"""Real git repositories in temporary folders, for tests that commit."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import BUNDLED


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` and return its output (a failing git fails the test)."""
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


def make_repo(folder: Path, *, user: bool = True) -> Path:
    """A repository holding a committed copy of the bundled registry; returns the registry's path."""
    folder.mkdir(parents=True, exist_ok=True)
    git(folder, "init", "-q", "-b", "main")
    if user:
        git(folder, "config", "user.name", "Test Admin")
        git(folder, "config", "user.email", "admin@example.org")
    registry = folder / "pohjois-savo.toml"
    shutil.copyfile(BUNDLED, registry)
    (folder / ".gitignore").write_text(".*.lock\n", encoding="utf-8")
    git(folder, "add", ".")
    env_commit = ["-c", "user.name=Setup", "-c", "user.email=setup@example.org"]
    subprocess.run(["git", *env_commit, "commit", "-q", "-m", "registry"], cwd=folder, check=True)
    return registry


def subjects(repo: Path) -> list[str]:
    """Commit subjects, newest first."""
    return git(repo, "log", "--format=%s").splitlines()
