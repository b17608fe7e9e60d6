"""Git, as the registry's history: who changed what, when, in words.

Every call is an argument list (never a shell). After each saved edit the registry file alone is
committed, with the edit's words as the message and the account running kokeilu (as the
people table names it) as both author and committer, whatever the environment says. A registry
outside a repository, or a machine without git, still saves: the caller is told why nothing was
committed. When another git process holds `index.lock`, the commit is retried for a while;
when git fails, its own message is reported.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from kokeilu.model import Registry

# The caller's variables that git would take an author, a committer or a date from.
_NOT_INHERITED = ("GIT_AUTHOR_", "GIT_COMMITTER_", "EMAIL")

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
        env={**_inherited(), "LC_ALL": "C", **(env or {})},
        check=False,
    )
    if check and result.returncode != 0:
        raise GitError((result.stderr or result.stdout).strip())
    return result


def _inherited() -> dict[str, str]:
    """The environment git runs in: the caller's, less what would say who commits, or when."""
    return {k: v for k, v in os.environ.items() if not k.startswith(_NOT_INHERITED)}


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
    """The account running kokeilu: the name of the real uid in the password database.

    Never an environment variable: LOGNAME, USER and git's own variables are the caller's to set,
    and an account is what the OS vouches for (over SSH, the one the key logged in).
    """
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # an account the password database does not know (some containers)
        return f"uid{uid}"


def identity(registry: Registry | None, user: str) -> Identity:
    """Who `user` is as an author and committer: their entry in the people table, else the login."""
    fallback = f"{user}@{socket.gethostname()}"
    person = registry.people.get(user) if registry else None
    if person is not None:
        return Identity(person.name, person.email or fallback)
    return Identity(user, fallback)


def _identity_env(who: Identity) -> dict[str, str]:
    """Author and committer both: git's configured user and the caller's variables do not count."""
    return {
        "GIT_AUTHOR_NAME": who.name,
        "GIT_AUTHOR_EMAIL": who.email,
        "GIT_COMMITTER_NAME": who.name,
        "GIT_COMMITTER_EMAIL": who.email,
    }


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


class Committer:
    """Commits one registry file, asking git no more than a commit needs.

    Each git process costs milliseconds to start, so a commit is `git commit` and
    `git rev-parse HEAD`, run in the file's folder (git finds the repository itself). The
    author and committer are the account's (`login`), looked up in the registry's people table
    at each commit, since that table can change with any edit. A file git does not track yet
    is added first.
    """

    def __init__(self, file: Path, user: str | None = None):
        self.file = file
        self.user = user or login()

    def commit(self, message: str, registry: Registry | None) -> Commit:
        """Commit the file alone with `message`; other staged or changed files are left as they are."""
        if not git_available():
            return Commit(skipped="no_git")
        real = self.file.resolve()
        folder, name = real.parent, real.name
        env = _identity_env(identity(registry, self.user))
        only = ("commit", "--quiet", "--only", "-m", message, "--", name)
        result = _retrying(folder, *only, env=env)
        if result.returncode != 0 and "did not match any file" in result.stderr:
            result = _retrying(folder, "add", "--", name, env=env)  # not tracked yet
            if result.returncode == 0:
                result = _retrying(folder, *only, env=env)
        if result.returncode != 0:
            text = (result.stderr or result.stdout).strip()
            if "not a git repository" in text:
                return Commit(skipped="not_a_repo")
            if "nothing to commit" in text or "no changes added" in text:
                return Commit(skipped="unchanged")
            return Commit(error=text)
        head = run(folder, "rev-parse", "HEAD", check=False)
        if head.returncode != 0:
            return Commit(error=(head.stderr or head.stdout).strip())
        return Commit(sha=head.stdout.strip())
