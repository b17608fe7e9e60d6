"""Git, as the registry's history: who changed what, when, in words.

Every call is an argument list (never a shell). After each saved edit the registry file alone is
committed, with the edit's words as the message and the editor as the author. A registry
outside a repository, or a machine without git, still saves: the caller is told why nothing was
committed. When another git process holds `index.lock`, the commit is retried for a while;
when git fails, its own message is reported.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from kokeilu.model import Registry

# How long to keep retrying while another git process holds index.lock (seconds).
LOCK_PATIENCE = 10.0


class GitError(Exception):
    """Git refused; the message is git's own."""


@dataclass(frozen=True, slots=True)
class Identity:
    """Who an edit is by: a name and an email, as a commit's author."""

    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


@dataclass(frozen=True, slots=True)
class Commit:
    """A commit of the registry: what became of one save."""

    sha: str | None = None
    # Why there is no commit: "no_git", "not_a_repo", "disabled" or git's own message.
    skipped: str | None = None
    error: str | None = None


def git_available() -> bool:
    """Whether a git executable is on the PATH."""
    return shutil.which("git") is not None


def run(
    cwd: Path, *args: str, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """`git ARGS` in `cwd`; raises GitError with git's message when it fails and `check` is set."""
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C", **(env or {})},
        check=False,
    )
    if check and result.returncode != 0:
        raise GitError((result.stderr or result.stdout).strip())
    return result


def repository(file: Path) -> Path | None:
    """The top folder of the git work tree holding `file`, or None."""
    if not git_available():
        return None
    result = run(file.resolve().parent, "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0:
        if "dubious ownership" in result.stderr:
            raise GitError(result.stderr.strip())
        return None
    return Path(result.stdout.strip())


def login() -> str:
    """The login name of the person running kokeilu."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "kokeilu")


def identity(registry: Registry | None, repo: Path | None) -> Identity | None:
    """The editor: their entry in the people table by login, else git's identity (None), else the login."""
    user = login()
    person = registry.people.get(user) if registry else None
    if person is not None:
        return Identity(person.name, person.email or f"{user}@{socket.gethostname()}")
    if repo is not None:
        name = run(repo, "config", "user.name", check=False).stdout.strip()
        email = run(repo, "config", "user.email", check=False).stdout.strip()
        if name and email:
            return None  # git's own configured identity
    return Identity(user, f"{user}@{socket.gethostname()}")


def _identity_env(author: Identity | None, repo: Path) -> dict[str, str]:
    env: dict[str, str] = {}
    if author is not None:
        env |= {"GIT_AUTHOR_NAME": author.name, "GIT_AUTHOR_EMAIL": author.email}
    # A committer git can always name, so that a machine without `git config user.*` commits too.
    if not run(repo, "config", "user.email", check=False).stdout.strip():
        fallback = author or Identity(login(), f"{login()}@{socket.gethostname()}")
        env |= {"GIT_COMMITTER_NAME": fallback.name, "GIT_COMMITTER_EMAIL": fallback.email}
    return env


def _retrying(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run git, waiting while another git process holds the index lock."""
    deadline = time.monotonic() + LOCK_PATIENCE
    delay = 0.02
    while True:
        result = run(repo, *args, env=env, check=False)
        if (
            result.returncode == 0
            or "index.lock" not in result.stderr
            or time.monotonic() > deadline
        ):
            return result
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def commit_file(file: Path, message: str, author: Identity | None) -> Commit:
    """Commit `file` alone with `message`; other staged or changed files are left as they are."""
    if not git_available():
        return Commit(skipped="no_git")
    try:
        repo = repository(file)
    except GitError as exc:
        return Commit(error=str(exc))
    if repo is None:
        return Commit(skipped="not_a_repo")
    relative = str(file.resolve().relative_to(repo))
    env = _identity_env(author, repo)
    tracked = run(repo, "ls-files", "--error-unmatch", "--", relative, check=False).returncode == 0
    if not tracked:
        added = _retrying(repo, "add", "--", relative, env=env)
        if added.returncode != 0:
            return Commit(error=(added.stderr or added.stdout).strip())
    result = _retrying(repo, "commit", "--quiet", "--only", "-m", message, "--", relative, env=env)
    if result.returncode != 0:
        text = (result.stderr or result.stdout).strip()
        if "nothing to commit" in text or "no changes added" in text:
            return Commit(skipped="unchanged")
        return Commit(error=text)
    sha = run(repo, "rev-parse", "HEAD").stdout.strip()
    return Commit(sha=sha)
