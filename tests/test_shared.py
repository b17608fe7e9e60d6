"""One repository, two real Unix accounts of one group, the default umask 022.

After `kokeilu setup-shared --group G`, each coordinator saves and commits under their own name;
a lock file left by one opens for the other; a hook planted by one never runs for the other; a
repository whose config or hooks others may change is refused by name.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
import subprocess
import sys
from pathlib import Path

from accounts import Accounts, Ran, accounts, as_account, open_folder  # noqa: F401
from gitrepo import git, make_repo, subjects

LOCK = ".pohjois-savo.toml.lock"


def setup(registry: Path, group: str) -> list[str]:
    """Run setup-shared as root; its lines of output."""
    ran = as_root("-f", str(registry), "setup-shared", "--group", group)
    assert ran.returncode == 0, ran.stderr
    return ran.stdout.splitlines()


def as_root(*argv: str) -> Ran:
    """kokeilu as root, a real process."""
    result = subprocess.run(
        [sys.executable, "-m", "kokeilu", *argv], capture_output=True, text=True, check=False
    )
    return Ran(result.returncode, result.stdout, result.stderr)


def shared_repo(folder: Path, group: str) -> Path:
    """A repository of root's, prepared for `group`; the registry's path."""
    registry = make_repo(folder / "pilot", user=False)  # each author is the account's login
    setup(registry, group)
    return registry


def test_setup_shared_says_each_change_then_nothing(
    accounts: Accounts,  # noqa: F811
    open_folder: Path,  # noqa: F811
) -> None:
    registry = make_repo(open_folder / "pilot")
    top = registry.parent
    (top / ".git" / "config").chmod(0o664)  # as the README's old chmod -R g+rwX left it
    (top / ".gitignore").unlink()
    git(top, "commit", "-qam", "no ignore")
    paths, folders, files = count(top)
    first = setup(registry, accounts.group)
    prefix = f"{top}: "
    assert [line.removeprefix(prefix) for line in first] == [
        "core.sharedRepository = group (was unset)",
        ".git/info/exclude: added .*.lock (lock files are not committed)",
        ".git/config: write by the group and others taken away",
        f"group set to {accounts.group} on {paths} files and folders",
        f"setgid and group read, write and search on {folders} folders",
        f"group read and write as the owner's on {files} files",
    ]
    second = setup(registry, accounts.group)
    assert second == [f"{top}: already shared with group {accounts.group}; nothing changed"]
    gid = grp.getgrnam(accounts.group).gr_gid
    for path in (top, top / ".git", top / ".git" / "objects", registry):
        assert path.stat().st_gid == gid
    assert stat.S_IMODE((top / ".git").stat().st_mode) == 0o2775
    assert stat.S_IMODE(registry.stat().st_mode) == 0o664
    assert stat.S_IMODE((top / ".git" / "config").stat().st_mode) == 0o644
    assert stat.S_IMODE((top / ".git" / "hooks").stat().st_mode) == 0o755
    assert git(top, "config", "core.sharedRepository") == "group\n"


def count(top: Path) -> tuple[int, int, int]:
    """Before setup-shared: all paths; folders it must make setgid (all but .git/hooks); files
    whose group lacks the owner's read or write (not .git/config: it loses write instead)."""
    paths, folders, files = 1, 1, 0
    hooks, config = top / ".git" / "hooks", top / ".git" / "config"
    for base, dirs, names in os.walk(top):
        for name in dirs:
            paths += 1
            folders += Path(base, name) != hooks
        for name in names:
            path = Path(base, name)
            paths += 1
            mode = path.stat().st_mode
            owner = (mode & 0o600) >> 3
            files += path != config and path.parent != hooks and mode & owner != owner
    return paths, folders, files


def test_two_accounts_save_and_commit_under_their_own_names(
    accounts: Accounts,  # noqa: F811
    open_folder: Path,  # noqa: F811
) -> None:
    registry = shared_repo(open_folder, accounts.group)
    file = str(registry)
    (registry.parent / ".git" / "COMMIT_EDITMSG").unlink()  # A's commit creates it
    first = as_account(accounts.a, "-f", file, "set-caseload", "kuopio", "2020-12", "6800")
    assert (first.returncode, first.stderr) == (0, "")
    lock = registry.parent / LOCK
    assert stat.S_IMODE(lock.stat().st_mode) == 0o660  # whatever A's umask
    message = registry.parent / ".git" / "COMMIT_EDITMSG"
    assert stat.S_IMODE(message.stat().st_mode) == 0o664  # for B's commit to rewrite
    lock.chmod(0o644)  # as an older kokeilu left it: read-only for the group is enough
    second = as_account(accounts.b, "-f", file, "set-caseload", "kuopio", "2020-12", "6801")
    assert (second.returncode, second.stderr) == (0, "")
    assert second.stdout.startswith("Kuopio: caseload 2020-12 6800 → 6801\ncommitted ")
    top = registry.parent
    assert git(top, "log", "--format=%an|%s").splitlines() == [
        f"{accounts.b}|Kuopio: asiakasmäärä 2020-12 6800 → 6801",
        f"{accounts.a}|Kuopio: asiakasmäärä 2020-12 6757 → 6800",
        "Setup|registry",
    ]
    assert git(top, "status", "--porcelain") == ""  # the lock file is ignored
    third = as_account(accounts.a, "-f", file, "set-caseload", "kuopio", "2020-12", "6802")
    assert (third.returncode, third.stderr) == (0, "")
    assert len(subjects(top)) == 4


def test_a_lock_that_cannot_be_opened_is_one_line(
    accounts: Accounts,  # noqa: F811
    open_folder: Path,  # noqa: F811
) -> None:
    registry = shared_repo(open_folder, accounts.group)
    lock = registry.parent / LOCK
    lock.touch()
    lock.chmod(0o600)  # root's, and nobody else may read it
    before = registry.read_bytes()
    ran = as_account(accounts.a, "-f", str(registry), "set-caseload", "kuopio", "2020-12", "6800")
    assert (ran.returncode, ran.stdout) == (1, "")
    assert ran.stderr == (
        f"{registry}: error: cannot take the lock {lock}: Permission denied; nothing written\n"
    )
    assert registry.read_bytes() == before


def test_a_hook_planted_by_one_account_never_runs_for_another(
    accounts: Accounts,  # noqa: F811
    open_folder: Path,  # noqa: F811
) -> None:
    registry = shared_repo(open_folder, accounts.group)
    top = registry.parent
    drop = open_folder / "drop"
    drop.mkdir()
    drop.chmod(0o1777)  # a hook run by any account could write here
    marker = drop / "hook-ran"
    script = f"#!/bin/sh\nid -un >> {marker}\n"
    # A hook in the trusted place (root's) does not run in kokeilu's commits either.
    hook = top / ".git" / "hooks" / "post-commit"
    hook.write_text(script, encoding="utf-8")
    hook.chmod(0o755)
    ran = as_account(accounts.b, "-f", str(registry), "set-caseload", "kuopio", "2020-12", "6800")
    assert (ran.returncode, ran.stderr) == (0, "")
    assert not marker.exists()
    # A swaps in a hooks folder of their own (.git is the group's, so A may rename in it).
    plant = (
        "import os, sys; h = sys.argv[1]; os.rename(h, h + '.old'); os.mkdir(h); "
        "p = os.path.join(h, 'post-commit'); open(p, 'w').write(sys.argv[2]); os.chmod(p, 0o755)"
    )
    planted = as_python(accounts.a, plant, str(top / ".git" / "hooks"), script)
    assert planted == 0
    before = registry.read_bytes()
    ran = as_account(accounts.b, "-f", str(registry), "set-caseload", "kuopio", "2020-12", "6801")
    assert (ran.returncode, ran.stdout) == (1, "")
    assert ran.stderr == (
        f"{registry}: error: git repository {top} is not trusted: {top}/.git/hooks belongs to "
        "another account; give it to the repository's owner or root (kokeilu setup-shared "
        "checks it)\n"
    )
    assert not marker.exists()
    assert registry.read_bytes() == before
    assert len(subjects(top)) == 2
    # setup-shared, run again by root, gives the planted files to the repository's owner.
    lines = setup(registry, accounts.group)
    assert f"{top}: .git/hooks: given to the repository's owner" in lines
    assert f"{top}: .git/hooks/post-commit: given to the repository's owner" in lines
    ran = as_account(accounts.b, "-f", str(registry), "set-caseload", "kuopio", "2020-12", "6801")
    assert (ran.returncode, ran.stderr) == (0, "")
    assert not marker.exists()  # and kokeilu's commits run no hook


def test_a_config_the_group_may_change_is_refused_by_name(
    accounts: Accounts,  # noqa: F811
    open_folder: Path,  # noqa: F811
) -> None:
    registry = shared_repo(open_folder, accounts.group)
    top = registry.parent
    (top / ".git" / "config").chmod(0o664)
    ran = as_account(accounts.a, "-f", str(registry), "set-caseload", "kuopio", "2020-12", "6800")
    assert ran.returncode == 1
    assert ran.stderr == (
        f"{registry}: error: git repository {top} is not trusted: {top}/.git/config may be "
        "changed by others than its owner; take away the group's and others' write "
        "(kokeilu setup-shared does)\n"
    )
    # `kokeilu log` says the same, in git's place.
    ran = as_account(accounts.a, "-f", str(registry), "log")
    assert ran.returncode == 1
    assert "/.git/config may be changed by others than its owner" in ran.stderr


def as_python(name: str, code: str, *args: str) -> int:
    """Run a few lines of Python as the account `name` (forked, as `as_account` runs kokeilu)."""
    account = pwd.getpwnam(name)
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.setgroups(os.getgrouplist(name, account.pw_gid))
            os.setgid(account.pw_gid)
            os.setuid(account.pw_uid)
            os.umask(0o022)
            sys.argv = ["-c", *args]
            exec(code, {})
            status = 0
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)
