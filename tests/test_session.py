"""`kokeilu session`, what an OpenSSH ForceCommand runs: the client's command is split, checked
against a fixed list and run on the registry sshd's configuration names, in a cleaned
environment; each session and command is logged to syslog (here a listener of the test's own)."""

from __future__ import annotations

import os
import pwd
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, run_kokeilu
from gitrepo import git, make_repo, subjects

from kokeilu.cli.session import Refused, parse_command, usage
from kokeilu.text.strings import t

CONNECTION = "192.0.2.7 50022 127.0.0.1 22"
PREFIX = re.compile(r"<86>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d kokeilu\[(\d+)\]: (.*)")
ME = pwd.getpwuid(os.getuid()).pw_name  # the account, as kokeilu finds it (never $USER)


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("check", ["check"]),
        ("status --json", ["status", "--json"]),
        (
            "shares --period 2020-12 --by region --format=csv --provisional",
            ["shares", "--period", "2020-12", "--by", "region", "--format=csv", "--provisional"],
        ),
        ("diff HEAD~1 HEAD", ["diff", "HEAD~1", "HEAD"]),
        ("log -n 5", ["log", "-n", "5"]),
        ("log HEAD~2", ["log", "HEAD~2"]),
        ("set-caseload 'kuopio' \"2020-12\" 6800", ["set-caseload", "kuopio", "2020-12", "6800"]),
        ("import-caseloads -", ["import-caseloads", "-"]),
        (
            "report application --format html",
            ["report", "application", "--format", "html"],
        ),
    ],
)
def test_allowed_commands_are_split_as_a_shell_splits_words(command: str, words: list[str]) -> None:
    assert parse_command(command) == words


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("status; id", "not a command of this server: status;"),
        ("status ; id", "wrong arguments for status"),
        ("status && id", "wrong arguments for status"),
        ("bash", "not a command of this server: bash"),
        ("$(id)", "not a command of this server: $(id)"),
        ("status `id`", "wrong arguments for status"),
        ("\x1b[2Jstatus", "not a command of this server: \\x1b[2Jstatus"),
        ("status -f /etc/shadow", "-f is not an option of status here"),
        ("check --file=/etc/shadow", "--file=/etc/shadow is not an option of check here"),
        ("set-caseload --fi=x kuopio 2020-12 1", "--fi=x is not an option of set-caseload here"),
        (
            "set-caseload kuopio 2020-12 1 --no-commit",
            "--no-commit is not an option of set-caseload here",
        ),
        ("set-caseload kuopio 2020-12", "wrong arguments for set-caseload"),
        ("import-caseloads other.csv", "wrong arguments for import-caseloads"),
        ("import-caseloads /etc/passwd", "wrong arguments for import-caseloads"),
        ("import-caseloads - -", "wrong arguments for import-caseloads"),
        ("diff --output=/tmp/x", "--output=/tmp/x is not an option of diff here"),
        ("diff a b c d e f g", "wrong arguments for diff"),
        ("log -n", "-n needs a value"),
        ("log -n -1", "-n does not take -1"),
        ("shares --format xml", "--format does not take xml"),
        ("report application -o /tmp/x", "-o is not an option of report here"),
        ("report application --output=/tmp/x", "--output=/tmp/x is not an option of report here"),
        ("report people", "wrong arguments for report"),
        ("report application --format pdf", "--format does not take pdf"),
        ("status 'unbalanced", "cannot read the command: No closing quotation"),
        ("  ", "no command given"),
    ],
)
def test_anything_else_is_refused_with_the_reason(command: str, reason: str) -> None:
    with pytest.raises(Refused) as refused:
        parse_command(command)
    assert str(refused.value) == reason


@pytest.fixture
def syslog(tmp_path: Path) -> Iterator[tuple[str, socket.socket]]:
    """A syslog of the test's own: a Unix datagram socket that keeps what it is sent."""
    path = str(tmp_path / "log")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(path)
        sock.setblocking(False)
        yield path, sock


def received(sock: socket.socket, pid: int) -> list[str]:
    """The lines logged so far, each checked to come from `pid` as syslog's kokeilu."""
    lines = []
    while True:
        try:
            data = sock.recv(65536)
        except BlockingIOError:
            return lines
        match = PREFIX.fullmatch(data.decode("utf-8"))
        assert match, data
        assert int(match.group(1)) == pid
        lines.append(match.group(2))


@pytest.fixture
def pilot(tmp_path: Path) -> Path:
    """A registry in its own repository, naming this account and `pekka` in [people]."""
    registry = make_repo(tmp_path / "pilot", user=False)
    with registry.open("a", encoding="utf-8") as out:
        out.write(
            f'\n[people.{ME}]\nname = "Rita \\"R\\" Ääkkönen"\nemail = "rita@example.org"\n'
            '\n[people.pekka]\nname = "Pekka Mallory"\nemail = "pekka@example.org"\n'
        )
    git(registry.parent, "commit", "-qam", "people")
    return registry


def session(
    registry: Path, log: str, command: str | None, stdin: str = "", **env: str
) -> tuple[subprocess.CompletedProcess[str], int]:
    """`kokeilu session` as sshd starts it, without a terminal; the result and its process id."""
    full = {"PATH": os.environ["PATH"], "SSH_CONNECTION": CONNECTION, **env}
    if command is not None:
        full["SSH_ORIGINAL_COMMAND"] = command
    args = [sys.executable, "-m", "kokeilu", "session", "-f", str(registry), "--syslog", log]
    with subprocess.Popen(
        args,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=full,
        cwd=ROOT,
    ) as proc:
        out, err = proc.communicate(stdin, timeout=120)
    return subprocess.CompletedProcess(args, proc.returncode, out, err), proc.pid


START = f'account={ME} event=start person="Rita \\"R\\" Ääkkönen" client=192.0.2.7 port=50022 terminal=no'


def test_a_command_runs_in_a_clean_environment_and_is_logged(
    pilot: Path, syslog: tuple[str, socket.socket]
) -> None:
    path, sock = syslog
    result, pid = session(
        pilot,
        path,
        "set-caseload kuopio 2020-12 6800",
        LOGNAME="pekka",  # the client's word for who they are: ignored
        GIT_DIR="/nonexistent",  # would point git elsewhere: dropped
        KOKEILU_LANG="fi",  # kept: the language is the client's choice
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith(
        "Kuopio: asiakasmäärä 2020-12 6757 → 6800\nkirjattu versiohistoriaan "
    )
    top = pilot.parent
    assert git(top, "log", "-1", "--format=%an <%ae>") == 'Rita "R" Ääkkönen <rita@example.org>\n'
    assert received(sock, pid) == [
        START,
        f'account={ME} event=command command="set-caseload kuopio 2020-12 6800" exit=0',
        f"account={ME} event=end exit=0",
    ]


def test_a_refused_command_prints_the_usage_and_is_logged(
    pilot: Path, syslog: tuple[str, socket.socket]
) -> None:
    path, sock = syslog
    before = pilot.read_bytes()
    result, pid = session(pilot, path, "status; id")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "kokeilu: not a command of this server: status;\n" + usage() + "\n"
    assert pilot.read_bytes() == before
    assert received(sock, pid) == [
        START,
        f'account={ME} event=refused command="status; id" exit=1',
        f"account={ME} event=end exit=1",
    ]


def test_a_sheet_on_standard_input_is_imported(
    pilot: Path, syslog: tuple[str, socket.socket]
) -> None:
    path, sock = syslog
    sheet = "party;period;count\nkuopio;2021-01;6900\nvarkaus;2021-01;1200\n"
    result, pid = session(pilot, path, "import-caseloads -", stdin=sheet)
    assert (result.returncode, result.stderr) == (0, "")
    assert (
        subjects(pilot.parent)[0] == "Asiakasmäärät tuotu tiedostosta <stdin>: rivejä 2 (2021-01)"
    )
    text = pilot.read_text(encoding="utf-8")
    assert "kuopio = 6900" in text and "varkaus = 1200" in text
    assert (
        received(sock, pid)[1] == f'account={ME} event=command command="import-caseloads -" exit=0'
    )


def test_a_bad_sheet_on_standard_input_names_its_rows(bundled_copy: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kokeilu", "-f", str(bundled_copy), "import-caseloads", "-"],
        input="party,period,count\nkuopio,2021-01,6900\nnowhere,2021-13,x\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == '<stdin>:3:1: error: unknown party "nowhere"'
    assert [line.split(": error:")[0] for line in result.stderr.splitlines()] == [
        "<stdin>:3:1",
        "<stdin>:3:2",
        "<stdin>:3:3",
    ]


def test_no_terminal_and_no_command_never_starts_the_dashboard(
    pilot: Path, syslog: tuple[str, socket.socket]
) -> None:
    path, sock = syslog
    result, pid = session(pilot, path, None)
    assert result.returncode == 2
    assert result.stderr == t("session.no_terminal") + "\n" + usage() + "\n"
    assert received(sock, pid) == [START, f"account={ME} event=end exit=2"]


def test_without_its_log_a_session_does_not_start(pilot: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-syslog-here"
    before = pilot.read_bytes()
    result, _ = session(pilot, str(missing), "set-caseload kuopio 2020-12 6800")
    assert result.returncode == 2
    assert result.stderr == (
        f"kokeilu: the log of use cannot be written ({missing}: No such file or directory); "
        "tell the administrator\n"
    )
    assert pilot.read_bytes() == before


def test_a_session_names_its_registry_itself(
    pilot: Path, syslog: tuple[str, socket.socket]
) -> None:
    result = run_kokeilu(
        "session", env={"KOKEILU_FILE": str(pilot), "SSH_ORIGINAL_COMMAND": "check"}
    )
    assert result.returncode == 2
    assert result.stderr == t("cli.session_needs_file") + "\n"


def test_plain_kokeilu_without_a_terminal_says_why(bundled_copy: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kokeilu", "-f", str(bundled_copy)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == t("cli.no_terminal") + "\n"


def test_an_import_of_a_new_month_writes_every_row() -> None:
    """A month not in the registry yet becomes one new table holding every row imported
    (it kept only the last row of each new month)."""
    import tomlkit
    from conftest import BUNDLED

    from kokeilu.editing.edits import import_caseloads
    from kokeilu.editing.toml_writer import apply
    from kokeilu.registry.load import load

    doc = load(BUNDLED)
    rows = [("kuopio", "2021-01", 6900), ("varkaus", "2021-01", 1200), ("kuopio", "2021-02", 7000)]
    edit = import_caseloads(doc.data, rows, "maaliskuu.csv")
    text = tomlkit.parse(doc.text)
    apply(text, edit)
    assert text.as_string()[len(doc.text) :] == (
        '\n[caseloads."2021-01"]\nkuopio = 6900\nvarkaus = 1200\n'
        '\n[caseloads."2021-02"]\nkuopio = 7000\n'
    )


def dashboard_session(registry: Path, log: str) -> tuple[subprocess.Popen[bytes], int]:
    """`kokeilu session` on a terminal of its own, once the dashboard's first screen is drawn;
    the process and the terminal's master end."""
    import pty
    import select

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kokeilu", "session", "-f", str(registry), "--syslog", log],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={"PATH": os.environ["PATH"], "TERM": "xterm-256color", "SSH_CONNECTION": CONNECTION},
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(slave)
    screen = b""
    while b"Overview" not in screen:
        ready, _, _ = select.select([master], [], [], 60)
        assert ready, screen  # nothing drawn for a minute
        screen += os.read(master, 65536)
    return proc, master


def drain(proc: subprocess.Popen[bytes], master: int) -> int:
    """Read the terminal until the session ends (a full terminal would stop it); its exit code."""
    import select

    while proc.poll() is None:
        ready, _, _ = select.select([master], [], [], 1)
        if ready:
            try:
                os.read(master, 65536)
            except OSError:  # the terminal closed with the session
                break
    os.close(master)
    return proc.wait(timeout=60)


def test_with_a_terminal_the_dashboard_opens_and_its_end_is_logged(
    pilot: Path, syslog: tuple[str, socket.socket]
) -> None:
    path, sock = syslog
    proc, master = dashboard_session(pilot, path)
    os.write(master, b"\x11")  # ctrl+q
    assert drain(proc, master) == 0
    start = START.replace("terminal=no", "terminal=yes")
    assert received(sock, proc.pid) == [start, f"account={ME} event=end exit=0"]


def test_a_client_that_hangs_up_ends_the_session_logged(
    pilot: Path, syslog: tuple[str, socket.socket]
) -> None:
    import signal

    path, sock = syslog
    proc, master = dashboard_session(pilot, path)
    proc.send_signal(signal.SIGHUP)  # what the terminal's closing sends
    assert drain(proc, master) == 129
    assert received(sock, proc.pid)[-1] == f"account={ME} event=end exit=129"


def test_a_long_command_is_logged_cut_short(pilot: Path, syslog: tuple[str, socket.socket]) -> None:
    path, sock = syslog
    result, pid = session(pilot, path, "x" * 100_000)
    assert result.returncode == 1
    assert received(sock, pid)[1] == f'account={ME} event=refused command="{"x" * 300}…" exit=1'
