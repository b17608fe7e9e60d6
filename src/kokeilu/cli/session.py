"""`kokeilu session -f FILE`: what an OpenSSH `ForceCommand` runs for each coordinator.

A coordinator has no shell: sshd runs this for every login, whatever the client asked for. It
forgets the environment the client could send (keeping only a fixed list, with a fixed PATH),
then:

- with a terminal and no command, opens the dashboard on FILE;
- with a command (`ssh pilot status`, in `SSH_ORIGINAL_COMMAND`), splits it as a POSIX shell
  would split words (shlex; never a shell) and runs it when it is one of a fixed set of
  commands with only their known options — never another file, never `--no-commit`;
- else says why and exits (1 for a refused command, 2 without a terminal).

Each session is logged to syslog (`kokeilu.audit`): its start and end, and each command.
"""

from __future__ import annotations

import os
import pwd
import shlex
import signal
import sys
from dataclasses import dataclass, field

from kokeilu.cli.audit import DEFAULT_SOCKET, AuditError, AuditLog
from kokeilu.text.display import literal
from kokeilu.text.strings import t

EXIT_OK, EXIT_REFUSED, EXIT_NO_TERMINAL, EXIT_NO_LOG = 0, 1, 2, 2
# How much of a client's command the log keeps: enough to see what was tried.
LOGGED_COMMAND = 300

# The environment a session keeps from what sshd gives it; LC_* too. Everything else (GIT_*,
# PYTHON*, LD_*, KOKEILU_FILE, a client's PATH …) is dropped before anything runs.
KEPT = frozenset(
    {"TERM", "COLORTERM", "LANG", "KOKEILU_LANG", "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"}
)
SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"


@dataclass(frozen=True)
class Allowed:
    """A command a session may run: its options (with their values' choices) and positionals."""

    flags: frozenset[str] = frozenset()
    # option -> the values it takes (None: any value not starting with "-")
    valued: dict[str, frozenset[str] | None] = field(default_factory=dict)
    positionals: tuple[int, int] = (0, 0)
    # the only positionals accepted, when fixed (import-caseloads takes "-" alone)
    fixed: tuple[str, ...] | None = None


COMMANDS: dict[str, Allowed] = {
    "check": Allowed(),
    "status": Allowed(flags=frozenset({"--json"})),
    "shares": Allowed(
        flags=frozenset({"--provisional"}),
        valued={
            "--period": None,
            "--by": frozenset({"party", "region"}),
            "--format": frozenset({"table", "csv", "json"}),
        },
    ),
    "diff": Allowed(positionals=(0, 2)),
    "log": Allowed(valued={"-n": None}, positionals=(0, 1)),
    "set-caseload": Allowed(positionals=(3, 3)),
    "import-caseloads": Allowed(positionals=(1, 1), fixed=("-",)),
    # The dossier on standard output (`ssh pilot report application --format html > h.html`);
    # never -o: a coordinator writes no file on the server.
    "report": Allowed(
        valued={"--format": frozenset({"md", "html"})}, positionals=(1, 1), fixed=("application",)
    ),
}


class Refused(Exception):
    """The client's command is not one a session runs; the message says why."""


def parse_command(text: str) -> list[str]:
    """The argument list of an allowed command, split as shlex splits it; raises Refused.

    The result never holds `-f`/`--file` or any option not listed in `COMMANDS`: kokeilu adds
    the registry's path itself.
    """
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise Refused(t("session.unsplittable", reason=str(exc))) from None
    if not words:
        raise Refused(t("session.empty"))
    name, rest = words[0], words[1:]
    allowed = COMMANDS.get(name)
    if allowed is None:
        raise Refused(t("session.unknown", command=literal(name)))
    positionals: list[str] = []
    i = 0
    while i < len(rest):
        word = rest[i]
        option, has_value, inline = word.partition("=")
        if word in allowed.flags:
            i += 1
            continue
        if option in allowed.valued and word.startswith("-"):
            if has_value:
                given = inline
                i += 1
            elif i + 1 < len(rest):
                given = rest[i + 1]
                i += 2
            else:
                raise Refused(t("session.missing_value", option=option))
            choices = allowed.valued[option]
            if given.startswith("-") or (choices is not None and given not in choices):
                raise Refused(t("session.bad_value", option=option, value=literal(given)))
            continue
        if word.startswith("-") and (allowed.fixed is None or word not in allowed.fixed):
            raise Refused(t("session.option", option=literal(word), command=name))
        positionals.append(word)
        i += 1
    low, high = allowed.positionals
    if not low <= len(positionals) <= high or (
        allowed.fixed is not None and tuple(positionals) != allowed.fixed
    ):
        raise Refused(t("session.arguments", command=name))
    return words


def usage() -> str:
    """What a session runs, for a refused command."""
    return t("session.usage") + "\n" + t("session.usage_report")


def clean_environment(environ: dict[str, str] | os._Environ[str] = os.environ) -> dict[str, str]:
    """Keep only `KEPT` and LC_*; set PATH, HOME, USER and LOGNAME from the account; returns the rest."""
    kept = {k: v for k, v in environ.items() if k in KEPT or k.startswith("LC_")}
    account = pwd.getpwuid(os.getuid())
    kept |= {
        "PATH": SAFE_PATH,
        "HOME": account.pw_dir,
        "USER": account.pw_name,
        "LOGNAME": account.pw_name,
    }
    environ.clear()
    environ.update(kept)
    return kept


def _person(file: str, account: str) -> str | None:
    """The account's name in the registry's people table, if it reads."""
    from kokeilu.registry.load import Unreadable, load

    try:
        person = load(file).registry.people.get(account)
    except (Unreadable, OSError):
        return None
    return person.name if person is not None else None


def _run(words: list[str], file: str) -> int:
    """Run one allowed command on FILE in this process; its exit code."""
    from kokeilu.cli import main

    try:
        return main([words[0], "-f", file, *words[1:]])
    except SystemExit as exc:  # argparse refused the arguments (it has said why)
        return exc.code if isinstance(exc.code, int) else EXIT_REFUSED


def _note(log: AuditLog, account: str, event: str, **fields: object) -> None:
    """Log an event of a session under way; if the log fails now, say so and carry on."""
    try:
        log.event(account, event, **fields)
    except AuditError as exc:
        print(t("session.no_log", reason=str(exc)), file=sys.stderr)


def _logged(command: str) -> str:
    """The client's command as the log keeps it: at most `LOGGED_COMMAND` characters."""
    if len(command) <= LOGGED_COMMAND:
        return command
    return command[:LOGGED_COMMAND] + "…"


class HungUp(SystemExit):
    """The client went away (SIGHUP) or the session was told to stop (SIGTERM)."""


def _hang_up(signum: int, _frame: object) -> None:
    raise HungUp(128 + signum)


def run_session(file: str, socket_path: str = DEFAULT_SOCKET) -> int:
    """One SSH session of one coordinator on FILE; the exit code the client sees."""
    command = os.environ.get("SSH_ORIGINAL_COMMAND", "")
    address, port = [*(os.environ.get("SSH_CONNECTION") or "").split(), "", ""][:2]
    clean_environment()
    from kokeilu.history.git import login

    account = login()
    terminal = sys.stdin.isatty() and sys.stdout.isatty()
    log = AuditLog(socket_path)
    try:
        log.event(
            account,
            "start",
            person=_person(file, account),
            client=address or None,
            port=port or None,
            terminal="yes" if terminal else "no",
        )
    except AuditError as exc:
        print(t("session.no_log", reason=str(exc)), file=sys.stderr)
        return EXIT_NO_LOG
    code = EXIT_REFUSED
    # A client that leaves hangs up: end the session (and log its end) rather than die unlogged.
    signal.signal(signal.SIGHUP, _hang_up)
    signal.signal(signal.SIGTERM, _hang_up)
    try:
        if command.strip():
            try:
                words = parse_command(command)
            except Refused as exc:
                print(t("session.refused", reason=str(exc)), file=sys.stderr)
                print(usage(), file=sys.stderr)
                _note(log, account, "refused", command=_logged(command), exit=EXIT_REFUSED)
                code = EXIT_REFUSED
            else:
                try:
                    code = _run(words, file)
                finally:  # logged even when the command ends in a hang-up or an error
                    _note(log, account, "command", command=_logged(command), exit=code)
        elif terminal:
            from kokeilu.tui import run_dashboard

            code = run_dashboard(file)
        else:
            print(t("session.no_terminal"), file=sys.stderr)
            print(usage(), file=sys.stderr)
            code = EXIT_NO_TERMINAL
    except HungUp as exc:
        code = exc.code if isinstance(exc.code, int) else EXIT_REFUSED
    finally:
        _note(log, account, "end", exit=code)
    return code
