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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

# GitError and Untrusted are git's errors to every caller: they live with the checks that raise them.
from kokeilu.history.trust import GitError as GitError
from kokeilu.history.trust import Untrusted as Untrusted
from kokeilu.history.trust import trust
from kokeilu.registry.model import Registry
from kokeilu.text.display import literal
from kokeilu.text.strings import t

# The caller's variables that git would take an author, a committer or a date from.
_NOT_INHERITED = ("GIT_AUTHOR_", "GIT_COMMITTER_", "EMAIL")

# How long to keep retrying while another git process holds index.lock (seconds).
LOCK_PATIENCE = 10.0


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
    """`git ARGS` in `cwd`; raises GitError with git's message when it fails and `check` is set.

    Raises GitError too when git cannot be started at all: an argument or an environment
    value holding a NUL byte (which no process can be given), or a folder that is gone; and
    `Untrusted` when the repository belongs to another account and is not safe to use.
    """
    result = _git(cwd, args, env=env)
    if check and result.returncode != 0:
        raise GitError((result.stderr or result.stdout).strip())
    return result


@overload
def _git(
    cwd: Path, args: Sequence[str], *, env: dict[str, str] | None = None, input: None = None
) -> subprocess.CompletedProcess[str]: ...
@overload
def _git(
    cwd: Path, args: Sequence[str], *, env: dict[str, str] | None = None, input: bytes
) -> subprocess.CompletedProcess[bytes]: ...
def _git(
    cwd: Path, args: Sequence[str], *, env: dict[str, str] | None = None, input: bytes | None = None
) -> subprocess.CompletedProcess[Any]:
    """The one place a git process starts in a repository: trusted as `trust` says, hooks off
    where it says, in the umask it gives, with the caller's identity variables left out.

    With `input`, git reads those bytes and its output is bytes (a blob need not be text).
    """
    try:
        options, umask = trust(cwd)
        return subprocess.run(
            ["git", *options, *args],
            cwd=cwd,
            capture_output=True,
            text=input is None,
            input=input,
            env={**_inherited(), "LC_ALL": "C", **(env or {})},
            check=False,
            umask=-1 if umask is None else umask,
        )
    except (OSError, ValueError) as exc:
        raise GitError(t("git.cannot_run", reason=str(exc))) from None


def run_outside(*args: str) -> subprocess.CompletedProcess[str]:
    """`git ARGS` outside any repository (in `/`): no ownership check, no hook, nothing to trust;
    for `git config --file FILE`, which reads and writes that one file."""
    try:
        return subprocess.run(
            ["git", *args],
            cwd="/",
            capture_output=True,
            text=True,
            env={**os.environ, "LC_ALL": "C"},
            check=False,
        )
    except (OSError, ValueError) as exc:
        raise GitError(t("git.cannot_run", reason=str(exc))) from None


def _inherited() -> dict[str, str]:
    """The environment git runs in: the caller's, less what would say who commits, or when."""
    return {k: v for k, v in os.environ.items() if not k.startswith(_NOT_INHERITED)}


def refuse_option(rev: str) -> None:
    """Raise GitError for a revision git would read as an option (or an empty one).

    A revision comes from the user, and git reads an argument that starts with `-` as an
    option (`--output=FILE` makes `git show` write FILE): such a revision never reaches git.
    This is the one check; every revision kokeilu hands to git passes through it.
    """
    if not rev or rev.startswith("-"):
        raise GitError(t("git.bad_revision", rev=literal(rev)))


class Repository:
    """A folder in a git work tree, and every git process kokeilu runs there.

    Each process goes through `_git` (trust, hooks, umask, environment); a revision from the
    user goes through `refuse_option` and is told apart from options by `--end-of-options`.
    """

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def holding(cls, file: Path) -> tuple[Repository, str]:
        """The repository holding `file` (at its top) and the file's path in it.

        Raises GitError with git's own words when there is none, and load.Unreadable when the
        file's folder does not exist.
        """
        from kokeilu.registry.load import Unreadable

        if not git_available():
            raise GitError(t("diff.no_git"))
        folder = file.resolve().parent
        if not folder.is_dir():
            raise Unreadable(str(file), t("cli.not_found", file=file))
        top = repository(file)
        if top is None:
            # Not a work tree: this fails, and git says why in its own words.
            top = Path(run(folder, "rev-parse", "--show-toplevel").stdout.strip())
        return cls(top), file.resolve().relative_to(top.resolve()).as_posix()

    def run(
        self, *args: str, env: dict[str, str] | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """`git ARGS` here (see the module's `run`)."""
        return run(self.folder, *args, env=env, check=check)

    def commit_of(self, rev: str) -> str:
        """The full id of the commit that `rev` names; raises GitError when it names none."""
        refuse_option(rev)
        result = self.run(
            "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False
        )
        sha = result.stdout.strip()
        if result.returncode != 0 or not sha:
            raise GitError(t("git.bad_revision", rev=literal(rev)))
        return sha

    def show(self, rev: str, relative: str) -> bytes:
        """The bytes of `relative` at commit `rev`; raises GitError when there are none."""
        refuse_option(rev)
        spec = f"{rev}^{{commit}}:{relative}"
        result = _git(self.folder, ("show", "--end-of-options", spec), input=b"")
        if result.returncode != 0:
            raise GitError((result.stderr or result.stdout).decode("utf-8", "replace").strip())
        return result.stdout

    def blobs(self, ids: Iterable[str]) -> dict[str, bytes]:
        """The contents of the blobs `ids`, all read by one `git cat-file --batch` process.

        An id git does not have is left out. Ids come from git itself (`git log --raw`); one
        that is not plain hexadecimal is not asked for.
        """
        wanted = [i for i in dict.fromkeys(ids) if i and all(c in _HEX for c in i)]
        if not wanted:
            return {}
        result = _git(
            self.folder, ("cat-file", "--batch"), input="".join(f"{i}\n" for i in wanted).encode()
        )
        if result.returncode != 0:
            raise GitError(result.stderr.decode("utf-8", "replace").strip())
        out, at, found = result.stdout, 0, {}
        for blob in wanted:
            end = out.index(b"\n", at)
            header = out[at:end].split()
            at = end + 1
            if len(header) != 3:  # "<id> missing"
                continue
            size = int(header[2])
            found[blob] = out[at : at + size]
            at += size + 1  # the contents, then a line feed
        return found

    def log(self, *args: str, start: str | None = None, relative: str) -> str:
        """`git log ARGS` of the commits up to `start` (default HEAD) that touch `relative`."""
        if start is not None:
            refuse_option(start)
        starts = [start] if start is not None else []
        return self.run("log", *args, "--end-of-options", *starts, "--", relative).stdout

    def status(self, relative: str) -> str:
        """`git status --porcelain` of one file: empty when it is as committed."""
        return self.run("status", "--porcelain", "--", relative).stdout


_HEX = frozenset("0123456789abcdef")


def commit_of(repo: Path, rev: str) -> str:
    """The full id of the commit that `rev` names in `repo`; raises GitError when it names none.

    A revision starting with `-` is refused before git sees it (`refuse_option`), and
    `--end-of-options` keeps git from reading any revision as one.
    """
    return Repository(repo).commit_of(rev)


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
    # From the people table: data, so one line without controls (a NUL would stop the commit).
    name, email = literal(who.name), literal(who.email)
    return {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }


def commit_message(text: str) -> str:
    """`text` as a commit message: one line, no control character, so data adds no line to it.

    A line break in a name would let it forge a trailer (`Signed-off-by: ...`) or a body; a NUL
    is refused by the operating system in git's argument list.
    """
    return literal(text)


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

    def check(self) -> None:
        """Raise `Untrusted` before a save when the commit after it would not be trusted."""
        if git_available():
            trust(self.file.resolve().parent)

    def uncommitted(self) -> bool:
        """Whether the file differs from its committed version (HEAD): a change nobody committed,
        a hand edit or a save whose commit failed. False outside git, or before its first commit.

        A save on top of it would commit it too, under the saver's name and message (and be
        judged by rights the hand edit may itself have changed).
        """
        if not git_available():
            return False
        real = self.file.resolve()
        try:
            result = run(
                real.parent,
                *("diff", "--quiet", "--no-ext-diff", "--no-textconv", "HEAD", "--", real.name),
                check=False,
            )
        except GitError:
            return False
        # 1 with nothing said: they differ. Outside a repository git falls back to comparing
        # files (`--no-index`) and fails on "HEAD" with a message: not a change of ours.
        return result.returncode == 1 and not result.stderr.strip()

    def commit(self, message: str, registry: Registry | None) -> Commit:
        """Commit the file alone with `message`; other staged or changed files are left as they are."""
        if not git_available():
            return Commit(skipped="no_git")
        try:
            return self._commit(message, registry)
        except GitError as exc:  # git could not even be started (a NUL byte in an argument)
            return Commit(error=str(exc))

    def _commit(self, message: str, registry: Registry | None) -> Commit:
        real = self.file.resolve()
        folder, name = real.parent, real.name
        env = _identity_env(identity(registry, self.user))
        only = ("commit", "--quiet", "--only", "-m", commit_message(message), "--", name)
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
