"""End to end: coordinators over a real sshd, each with an account of their own (docs/deploy.md).

Three accounts at umask 022 log in with keys to an OpenSSH server on 127.0.0.1 whose
ForceCommand is `kokeilu session`: Varkaus region's coordinator, Suonenjoki's person, and an
account that is not in the registry's [people]. They edit with `ssh -T … set-caseload` and
`import-caseloads -`, are refused outside their responsibility, cannot reach a shell, open the
dashboard over `ssh -tt` in tmux, leave no process behind, and every session is in the syslog.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.deploy import Server, deployment, processes_of

pytestmark = [
    pytest.mark.skipif(
        os.geteuid() != 0 and not os.environ.get("CI"),
        reason="needs root for accounts and sshd (CI runs as root, and there it never skips)",
    ),
    pytest.mark.xdist_group("sshd"),  # one worker runs them all, on the module's one server
]

PEOPLE = {
    "region": 'name = "Veera Varkaus"\nemail = "veera@varkaus.example"\nparty = "varkaus"\naccess = "region"',
    "party": 'name = "Sanna Suonenjoki"\nemail = "sanna@suonenjoki.example"\nparty = "suonenjoki"\naccess = "party"',
    "admin": 'name = "Aino Kuopio"\nemail = "aino@kuopio.example"\nparty = "kuopio"\naccess = "all"',
    "outsider": "",
}
SYSLOG_FILES = (Path("/var/log/auth.log"), Path("/var/log/syslog"), Path("/var/log/messages"))


@pytest.fixture(scope="module")
def server(wheel: Path) -> Iterator[Server]:
    with deployment(PEOPLE, wheel) as server:
        yield server


def git_log(server: Server, fmt: str) -> list[str]:
    result = subprocess.run(
        ["git", "-c", f"safe.directory={server.registry.parent}", "log", f"--format={fmt}"],
        cwd=server.registry.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def caseload_line(server: Server, party: str) -> str:
    """The line of `party` in the last period's table (the bundled registry's 2020-12)."""
    text = server.registry.read_text(encoding="utf-8")
    block = text.split('[caseloads."2020-12"]', 1)[1]
    return next(line for line in block.splitlines() if line.startswith(f"{party} = "))


def test_each_account_edits_its_own_and_commits_under_its_own_name(server: Server) -> None:
    done = server.ssh("region", "set-caseload joroinen 2020-12 301", env={"LOGNAME": "aino"})
    assert done.returncode == 0, done.stderr
    assert caseload_line(server, "joroinen") == "joroinen = 301"
    done = server.ssh("party", "set-caseload suonenjoki 2020-12 446")
    assert done.returncode == 0, done.stderr
    assert caseload_line(server, "suonenjoki") == "suonenjoki = 446"
    authors = git_log(server, "%an <%ae>|%cn <%ce>|%s")
    assert authors[0].startswith(
        "Sanna Suonenjoki <sanna@suonenjoki.example>|Sanna Suonenjoki <sanna@suonenjoki.example>|"
    )
    assert authors[1].startswith(
        "Veera Varkaus <veera@varkaus.example>|Veera Varkaus <veera@varkaus.example>|"
    )
    assert "Suonenjoki" in authors[0] and "445 → 446" in authors[0]


def test_edits_outside_responsibility_are_refused_and_write_nothing(server: Server) -> None:
    before = server.registry.read_bytes()
    commits = len(git_log(server, "%H"))
    refused = server.ssh("region", "set-caseload kuopio 2020-12 5")
    assert refused.returncode == 1
    assert "may not edit Kuopio" in refused.stderr
    refused = server.ssh("party", "set-caseload iisalmi 2020-12 5")
    assert refused.returncode == 1
    assert "may not edit Iisalmi" in refused.stderr
    refused = server.ssh("outsider", "set-caseload suonenjoki 2020-12 5")
    assert refused.returncode == 1
    assert "may not edit" in refused.stderr
    assert server.registry.read_bytes() == before
    assert len(git_log(server, "%H")) == commits


def test_a_municipality_sends_its_numbers_from_a_script(server: Server) -> None:
    sheet = "party,period,count\nvarkaus,2020-12,1423\nleppavirta,2020-12,568\n"
    done = server.ssh("region", "import-caseloads -", stdin=sheet)
    assert done.returncode == 0, done.stderr
    assert caseload_line(server, "varkaus") == "varkaus = 1423"
    assert caseload_line(server, "leppavirta") == "leppavirta = 568"
    refused = server.ssh("region", "import-caseloads -", stdin=sheet + "kuopio,2020-12,1\n")
    assert refused.returncode == 1
    assert "may not edit Kuopio" in refused.stderr
    assert caseload_line(server, "varkaus") == "varkaus = 1423"


def test_readers_read_and_nobody_reaches_a_shell_or_another_file(server: Server) -> None:
    status = server.ssh("outsider", "status")
    assert status.returncode == 0, status.stderr
    assert "Kuopio" in status.stdout
    for command in (
        "status; id",
        "bash",
        "$(id)",
        "check -f /etc/passwd",
        "status --file=/etc/shadow",
    ):
        refused = server.ssh("outsider", command)
        assert refused.returncode == 1, command
        assert "uid=" not in refused.stdout + refused.stderr
        assert "root:" not in refused.stdout + refused.stderr
    shell = server.ssh("admin", "sh -c id")
    assert shell.returncode == 1
    assert "uid=" not in shell.stdout


def wait_for(socket: str, *texts: str, timeout: float = 60) -> str:
    """The pane's screen once it shows every one of `texts` (the test fails after `timeout`)."""
    screen = ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = subprocess.run(
            ["tmux", "-L", socket, "capture-pane", "-p"], capture_output=True, text=True
        ).stdout
        if all(text in screen for text in texts):
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{texts} not on the screen:\n{screen}")


def test_the_dashboard_opens_over_ssh_with_a_terminal(server: Server) -> None:
    socket = f"kke-{uuid.uuid4().hex[:8]}"
    command = shlex.join(server.ssh_args("region", tty=True))
    subprocess.run(
        # The pane outlives ssh, so that its last screen (and ssh's exit code) can be read.
        [
            "tmux",
            "-L",
            socket,
            "new-session",
            "-d",
            "-x",
            "80",
            "-y",
            "24",
            f"{command}; echo __EXIT__$?; sleep 60",
        ],
        check=True,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    try:
        who = f"{server.accounts['region'].login} (Varkaus region; ⊘ read-only)"
        screen = wait_for(socket, "Kuopion keskinen kokeilualue", who)
        # Approvals: the first row is Kuopio, outside this coordinator's region.
        subprocess.run(["tmux", "-L", socket, "send-keys", "2"], check=True)
        # Outside the region each row is marked read-only; Leppävirta, in it, is not.
        wait_for(socket, "Kuopio ⊘", "Leppävirta  ", "kaupunginhallitus")
        subprocess.run(["tmux", "-L", socket, "send-keys", "Enter"], check=True)
        screen = wait_for(socket, "Not allowed", "Varkaus region's coordinator may not", "Kuopio")
        subprocess.run(["tmux", "-L", socket, "send-keys", "C-q"], check=True)
        screen = wait_for(socket, "__EXIT__")
        assert "__EXIT__0" in screen, screen
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def test_no_process_is_left_behind(server: Server) -> None:
    server.ssh("outsider", "status")
    deadline = time.monotonic() + 20
    left: list[str] = []
    while time.monotonic() < deadline:
        left = [p for a in server.accounts.values() for p in processes_of(a.login)]
        if not left:
            break
        time.sleep(0.2)
    assert left == []


def test_each_session_is_in_the_syslog(server: Server) -> None:
    login = server.accounts["outsider"].login
    server.ssh("outsider", "shares --format csv")
    deadline = time.monotonic() + 10
    lines: list[str] = []
    while time.monotonic() < deadline:
        lines = [
            line
            for f in SYSLOG_FILES
            if f.exists()
            for line in f.read_text(errors="replace").splitlines()
            if "kokeilu" in line and login in line
        ]
        if any("shares" in line for line in lines) and any("end" in line for line in lines):
            break
        time.sleep(0.2)
    assert any("shares" in line for line in lines), lines
    assert any("127.0.0.1" in line for line in lines), lines
    assert any("event=end" in line for line in lines), lines
