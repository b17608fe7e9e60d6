"""Whether kokeilu may run git in a repository, and how: the checks before every git process.

A coordinator's repository may belong to another account of the group (`kokeilu setup-shared`).
git refuses such a repository unless told it is safe; kokeilu tells it so only when nobody but
trusted accounts can change what git obeys, and then runs no hook.
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

from kokeilu.text.display import literal
from kokeilu.text.strings import t


class GitError(Exception):
    """Git refused; the message is git's own."""


class Untrusted(GitError):
    """The repository belongs to another account and a file git obeys may be changed by others."""


# In a repository of another account, hooks never run in kokeilu's git calls: one coordinator
# must not run code as another (even a hook swapped in between a check and the commit), and
# kokeilu checks every edit itself before it commits it.
NO_HOOKS = ("-c", "core.hooksPath=/dev/null")


def work_tree_top(cwd: Path) -> Path | None:
    """The work tree holding `cwd` whose `.git` is a folder (no symbolic link), found without
    asking git; None for none, or for a linked work tree or submodule (git decides alone)."""
    for folder in (cwd, *cwd.parents):
        git_dir = folder / ".git"
        if git_dir.is_dir() and not git_dir.is_symlink():
            return folder
        if git_dir.exists() or git_dir.is_symlink():
            return None
    return None


def obeyed(git_dir: Path) -> list[Path]:
    """What git obeys and only its owner may change: the config, the hooks folder, each hook."""
    hooks = git_dir / "hooks"
    paths = [git_dir / "config", hooks]
    if hooks.is_dir() and not hooks.is_symlink():
        paths += sorted(hooks.iterdir())
    return paths


def unsafe_file(top: Path) -> tuple[Path, str] | None:
    """The first file git obeys in `top` that someone untrusted may change, and why; else None.

    Trusted are root, the account running kokeilu and the owner of the work tree's top folder:
    `.git/config`, `.git/hooks` and each hook must belong to one of them and be writable by
    nobody else (no group or other write bit, no symbolic link).
    """
    git_dir = top / ".git"
    trusted = {0, os.geteuid(), top.stat().st_uid}
    for path in obeyed(git_dir):
        try:
            st = path.lstat()
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(st.st_mode):
            return path, "symlink"
        if st.st_uid not in trusted:
            return path, "owner"
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return path, "writable"
    return None


def trust(cwd: Path) -> tuple[list[str], int | None]:
    """The options and umask for git in `cwd`: trust another account's repository when safe.

    git refuses a repository owned by another account ("dubious ownership") unless it is listed
    in `safe.directory`, which a coordinator without a shell cannot configure. kokeilu lists it
    on git's command line (protected configuration, honoured by git 2.39: git-config(1), SCOPES),
    but only when `unsafe_file` finds nothing;
    else it raises `Untrusted` naming the file. There no hook runs (`NO_HOOKS`). In a shared repository (its `.git` folder
    setgid, as `kokeilu setup-shared` leaves it) git runs with group write in its umask, so that
    the files it creates (COMMIT_EDITMSG, refs) stay writable for the next account.
    """
    options: list[str] = []
    top = work_tree_top(cwd)
    if top is None:
        return options, None
    git_dir = top / ".git"
    st = git_dir.stat()
    umask = None
    if st.st_mode & stat.S_ISGID:
        umask = _process_umask() & ~stat.S_IWGRP & 0o777
    me = os.geteuid()
    if me != top.stat().st_uid or me != st.st_uid:
        found = unsafe_file(top)
        if found is not None:
            path, why = found
            shown = {"top": literal(str(top)), "path": literal(str(path))}
            raise Untrusted(t(f"git.untrusted_{why}", **shown))
        options += ["-c", f"safe.directory={top}", *NO_HOOKS]
    return options, umask


@functools.cache
def _process_umask() -> int:
    """This process's umask, read once: setting it to read it back would change it, for a
    moment, under the threads of the dashboard that create files."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current
