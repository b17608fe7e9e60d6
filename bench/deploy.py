"""A real deployment on loopback, as docs/deploy.md describes it, for the end-to-end tests
(tests/test_deploy_sshd.py) and the SSH benchmark (bench/ssh_paint.py).

Everything here is the real thing: a wheel built from this checkout and installed (not editable)
into a venv made with the system's Python (root's own Python is not reachable by other accounts),
Unix accounts and a group made with useradd/groupadd, a repository prepared by
`kokeilu setup-shared`, and an OpenSSH server with its own config, host key, port and PID file,
whose ForceCommand is `kokeilu session`. The accounts log in with keys made here. Everything made
is removed at the end: the server by its PID, the accounts, the group and the folders.

It needs root (useradd, sshd); CI runs as root.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PYTHON = "/usr/bin/python3"
SSHD = "/usr/sbin/sshd"


# The test's own Python settings must not reach the deployment (a PYTHONPATH holding this
# checkout's src/ makes pip believe kokeilu is installed already, and it installs nothing).
CLEAN_ENV = {
    k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k != "VIRTUAL_ENV"
}


def sh(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a command as root; a failure fails the test with the command's own words."""
    kwargs.setdefault("env", CLEAN_ENV)
    result = subprocess.run(list(args), capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} -> {result.returncode}\n{result.stdout}{result.stderr}"
        )
    return result


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_wheel(folder: Path) -> Path:
    """kokeilu's wheel, built in `folder` from a copy of the checkout (the build writes nothing in
    the checkout), with this environment's setuptools and no build isolation: no index needed."""
    source = folder / "source"
    source.mkdir(parents=True)
    shutil.copytree(
        ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    for name in ("pyproject.toml", "README.md", *(p.name for p in ROOT.glob("LICEN[CS]E*"))):
        shutil.copyfile(ROOT / name, source / name)
    isolation = [] if importlib.util.find_spec("setuptools") is None else ["--no-build-isolation"]
    sh(
        sys.executable,
        *("-m", "pip", "wheel", "--quiet", "--no-deps", *isolation),
        *("-w", str(folder / "dist"), str(source)),
    )
    shutil.rmtree(source)
    (wheel,) = (folder / "dist").glob("kokeilu-*.whl")
    return wheel


def install_wheel(folder: Path, wheel: Path) -> Path:
    """Install `wheel`, not editable, into a venv of the system's Python that every account can run.

    The venv is made without pip of its own (ensurepip takes seconds); this environment's pip
    installs into it (`pip --python`), the wheel and its dependencies, as the venv's pip would.
    """
    venv = folder / "venv"
    sh(SYSTEM_PYTHON, "-m", "venv", "--without-pip", str(venv))
    sh(
        sys.executable,
        "-m",
        "pip",
        "--python",
        str(venv / "bin/python"),
        "install",
        "-q",
        str(wheel),
    )
    return venv / "bin" / "kokeilu"


@dataclass
class Account:
    """A Unix account that logs in over SSH with a key of its own."""

    login: str
    key: Path

    @property
    def home(self) -> Path:
        return Path(pwd.getpwnam(self.login).pw_dir)


@dataclass
class Server:
    """One sshd on 127.0.0.1, and the deployment behind it."""

    folder: Path
    port: int
    group: str
    kokeilu: Path
    registry: Path
    known_hosts: Path
    accounts: dict[str, Account] = field(default_factory=dict)
    pid: int | None = None

    def ssh_args(self, who: str, *, tty: bool = False) -> list[str]:
        """The client's command line, up to (not including) the remote command."""
        account = self.accounts[who]
        return [
            "ssh",
            "-F",
            "/dev/null",
            "-i",
            str(account.key),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            f"UserKnownHostsFile={self.known_hosts}",
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "-p",
            str(self.port),
            "-tt" if tty else "-T",
            f"{account.login}@127.0.0.1",
        ]

    def ssh(
        self, who: str, command: str, *, stdin: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """`ssh -T who@127.0.0.1 COMMAND` (no terminal): what a script of a municipality does."""
        return subprocess.run(
            [*self.ssh_args(who), command],
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            timeout=120,
            env={**CLEAN_ENV, **(env or {})},
            check=False,
        )


def _run_as(login: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return sh("runuser", "-u", login, "--", *args, cwd=cwd)


def make_account(server: Server, role: str) -> Account:
    """An account in the server's group, at umask 022, with an ed25519 key to log in with."""
    login = f"k{uuid.uuid4().hex[:6]}{role[:3]}"
    sh("useradd", "-m", "-G", server.group, "-s", "/bin/sh", login)
    sh("usermod", "-p", "*", login)  # no password, but not locked: sshd lets keys in
    key = server.folder / "keys" / login
    key.parent.mkdir(exist_ok=True)
    sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", login, "-f", str(key))
    home = Path(pwd.getpwnam(login).pw_dir)
    ssh_dir = home / ".ssh"
    ssh_dir.mkdir(mode=0o700, exist_ok=True)
    (ssh_dir / "authorized_keys").write_text(key.with_suffix(".pub").read_text())
    sh("chown", "-R", f"{login}:{login}", str(ssh_dir))
    os.chmod(ssh_dir / "authorized_keys", 0o600)
    account = Account(login, key)
    server.accounts[role] = account
    return account


def sshd_config(server: Server) -> str:
    """The server's configuration: the one docs/deploy.md gives, on a port of its own."""
    return (
        f"Port {server.port}\n"
        "ListenAddress 127.0.0.1\n"
        f"HostKey {server.folder / 'host_key'}\n"
        f"PidFile {server.folder / 'sshd.pid'}\n"
        "PubkeyAuthentication yes\n"
        "PasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\n"
        "PermitRootLogin no\n"
        "UsePAM no\n"
        f"AllowGroups {server.group}\n"
        "DisableForwarding yes\n"
        "PermitUserRC no\n"
        "PermitTTY yes\n"
        "AcceptEnv LANG LC_* KOKEILU_*\n"
        f"ForceCommand {server.kokeilu} session -f {server.registry}\n"
    )


def start_sshd(server: Server) -> None:
    """sshd in the background at umask 022; returns once it listens."""
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # its privilege-separation folder
    config = server.folder / "sshd_config"
    config.write_text(sshd_config(server))
    sh(SSHD, "-t", "-f", str(config))
    old = os.umask(0o022)
    try:
        sh(SSHD, "-f", str(config), "-E", str(server.folder / "sshd.log"))
    finally:
        os.umask(old)
    pid_file = server.folder / "sshd.pid"
    deadline = time.monotonic() + 10
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    server.pid = int(pid_file.read_text())
    host_pub = (server.folder / "host_key.pub").read_text().split()
    server.known_hosts.write_text(f"[127.0.0.1]:{server.port} {host_pub[0]} {host_pub[1]}\n")


def processes_of(login: str) -> list[str]:
    """The processes an account still runs (`pgrep -a -u`)."""
    result = subprocess.run(
        ["pgrep", "-a", "-u", login], capture_output=True, text=True, check=False
    )
    return result.stdout.splitlines()


@contextlib.contextmanager
def deployment(people: dict[str, str], wheel: Path | None = None) -> Iterator[Server]:
    """A server with the accounts named by role in `people` (role -> TOML lines for [people.LOGIN],
    "" for an account that is not in the registry).

    The registry is the bundled one in a repository of its own, owned by root, prepared with
    `kokeilu setup-shared --group GROUP`. The wheel is `wheel`, or one built here from the checkout.
    """
    folder = Path(tempfile.mkdtemp(prefix="kokeilu-e2e-", dir="/srv"))
    os.chmod(folder, 0o755)
    group = f"kke{uuid.uuid4().hex[:6]}"
    server = Server(
        folder=folder,
        port=free_port(),
        group=group,
        kokeilu=Path(),
        registry=folder / "pilot" / "pohjois-savo.toml",
        known_hosts=folder / "known_hosts",
    )
    try:
        sh("groupadd", group)
        server.kokeilu = install_wheel(folder, wheel or build_wheel(folder / "build"))
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / "host_key"))
        for role in people:
            make_account(server, role)
        repo = server.registry.parent
        repo.mkdir()
        text = (ROOT / "data" / "pohjois-savo.toml").read_text(encoding="utf-8")
        for role, lines in people.items():
            if lines:
                text += f"\n[people.{server.accounts[role].login}]\n{lines}\n"
        server.registry.write_text(text, encoding="utf-8")
        sh("git", "init", "-q", "-b", "main", cwd=repo)
        sh("git", "add", ".", cwd=repo)
        sh(
            "git",
            "-c",
            "user.name=Setup",
            "-c",
            "user.email=setup@example.org",
            "commit",
            "-q",
            "-m",
            "registry",
            cwd=repo,
        )
        sh(str(server.kokeilu), "-f", str(server.registry), "setup-shared", "--group", group)
        start_sshd(server)
        yield server
    finally:
        if server.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(server.pid, signal.SIGTERM)
        for account in server.accounts.values():
            # userdel refuses an account that still runs a process: end them, and wait.
            deadline = time.monotonic() + 10
            while processes_of(account.login) and time.monotonic() < deadline:
                subprocess.run(["pkill", "-KILL", "-u", account.login], check=False)
                time.sleep(0.1)
            subprocess.run(["userdel", "-r", account.login], capture_output=True, check=False)
        subprocess.run(["groupdel", group], capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)
