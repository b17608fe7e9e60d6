"""Real Unix accounts for tests of a repository shared by a group (the tests run as root).

`as_account` runs kokeilu's command line as another account: a forked child takes that
account's uid, gid and groups and the umask 022 of a default login, forgets the environment, and
runs `kokeilu.cli.main`; git runs as that account too. (Forked rather than exec'd, so that the
test needs no interpreter the account may read: the code is loaded before the child drops root.)
"""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
import tempfile
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# Loaded before a child drops root, so that it imports nothing it might not be allowed to read.
import kokeilu.cli.caseloads
import kokeilu.cli.setup_shared
import kokeilu.store.shared  # noqa: F401
from kokeilu.cli import main

PATH = "/usr/local/bin:/usr/bin:/bin"


@dataclass(frozen=True)
class Ran:
    """What a command did: its exit code and what it printed."""

    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Accounts:
    """A group and two of its members, made for one test."""

    group: str
    a: str
    b: str


def _run(*args: str) -> None:
    subprocess.run(list(args), check=True, capture_output=True)


@pytest.fixture
def accounts() -> Iterator[Accounts]:
    """A fresh group and two accounts in it, removed afterwards."""
    if os.geteuid() != 0:
        # CI runs as root: there, a missing privilege is a failure, never a quiet skip.
        assert not os.environ.get("CI"), "CI must run as root: these tests make Unix accounts"
        pytest.skip("creates Unix accounts: run as root (as CI does)")
    tag = uuid.uuid4().hex[:6]
    made = Accounts(f"kg{tag}", f"ka{tag}", f"kb{tag}")
    _run("groupadd", made.group)
    try:
        for name in (made.a, made.b):
            _run("useradd", "-M", "-N", "-g", made.group, "-s", "/usr/sbin/nologin", name)
        yield made
    finally:
        for name in (made.a, made.b):
            subprocess.run(["userdel", name], capture_output=True, check=False)
        subprocess.run(["groupdel", made.group], capture_output=True, check=False)


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder every account may reach (pytest's tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="kokeilu-shared-"))
    folder.chmod(0o755)
    yield folder
    subprocess.run(["rm", "-rf", str(folder)], check=False)


def as_account(name: str, *argv: str, umask: int = 0o022) -> Ran:
    """`kokeilu ARGV` as the account `name`, in a clean environment, with its umask."""
    account = pwd.getpwnam(name)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 99
            try:
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
                sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
                os.setgroups(os.getgrouplist(name, account.pw_gid))
                os.setgid(account.pw_gid)
                os.setuid(account.pw_uid)
                os.umask(umask)
                os.chdir("/")
                os.environ.clear()
                os.environ.update(PATH=PATH, HOME="/nonexistent")
                code = main(list(argv))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        out.seek(0)
        err.seek(0)
        return Ran(
            os.waitstatus_to_exitcode(status),
            out.read().decode("utf-8"),
            err.read().decode("utf-8"),
        )
