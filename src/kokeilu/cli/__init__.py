"""The command line: `kokeilu [-f FILE] [COMMAND]`, a thin face over the core.

Each command lives in a module of its own and imports only what it needs: `check` never imports
polars, and nothing here imports Textual except the dashboard.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from kokeilu import __version__

DEFAULT_FILE = "data/pohjois-savo.toml"


def registry_file(args: argparse.Namespace) -> str:
    """-f FILE, else $KOKEILU_FILE, else the bundled registry's path."""
    return getattr(args, "file", None) or os.environ.get("KOKEILU_FILE") or DEFAULT_FILE


class _Parser(argparse.ArgumentParser):
    """argparse, but the arguments it quotes back in an error are shown literally.

    argparse echoes what was typed ("unrecognized arguments: …"); an argument holding an escape
    sequence would otherwise reach the terminal raw.
    """

    def error(self, message: str) -> NoReturn:
        from kokeilu.text.display import literal

        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {literal(message)}\n")


def _at_least_one(text: str) -> int:
    """A count of commits to show: a whole number, 1 or more (`-n 0` or `-n -1` shows nothing)."""
    from kokeilu.text.strings import t

    ascii_digits = text.isascii() and text.isdigit() and len(text.lstrip("0")) <= 9
    if not ascii_digits or int(text) < 1:
        raise argparse.ArgumentTypeError(t("cli.at_least_one", value=text))
    return int(text)


def _day(text: str) -> dt.date:
    """A day for `--at`: YYYY-MM-DD, a real date."""
    from kokeilu.history.asof import parse_day
    from kokeilu.text.strings import t

    day = parse_day(text)
    if day is None:
        raise argparse.ArgumentTypeError(t("asof.bad_day", value=text))
    return day


def version_options(parser: argparse.ArgumentParser) -> None:
    """`--at YYYY-MM-DD` or `--rev REV` (not both): the registry as of a day or at a commit,
    read from git; the command reads it with `cli.reading.read_valid(file, args.at, args.rev)`."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--at",
        type=_day,
        metavar="YYYY-MM-DD",
        help="the registry as it stood that day (the last commit on or before it, local time)",
    )
    group.add_argument(
        "--rev", metavar="REV", help="the registry at a commit (an id, a branch, a tag, HEAD~N)"
    )


def _file_option(parser: argparse.ArgumentParser, *, default: object) -> None:
    parser.add_argument(
        "-f",
        "--file",
        metavar="FILE",
        default=default,
        help="the registry (default: $KOKEILU_FILE, else data/pohjois-savo.toml)",
    )
    parser.add_argument(
        "--no-commit",
        action="store_true",
        default=default if default is argparse.SUPPRESS else False,
        help="save edits without committing them to git",
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; -f is accepted before and after the command."""
    parser = _Parser(
        prog="kokeilu",
        description="The registry of a municipal employment pilot: check it, see its status, divide its resources.",
    )
    parser.add_argument("--version", action="version", version=f"kokeilu {__version__}")
    _file_option(parser, default=None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "check", help="validate the registry (exit 0 clean or warnings, 1 errors, 2 unreadable)"
    )
    _file_option(check, default=argparse.SUPPRESS)

    status = commands.add_parser(
        "status", help="in force or not, who is missing, the application list, regions"
    )
    _file_option(status, default=argparse.SUPPRESS)
    status.add_argument("--json", action="store_true", help="print JSON")
    version_options(status)

    shares = commands.add_parser("shares", help="each resource divided by caseload")
    _file_option(shares, default=argparse.SUPPRESS)
    shares.add_argument(
        "--period", metavar="YYYY-MM", help="the caseload period (default: the latest)"
    )
    shares.add_argument(
        "--by", choices=("party", "region"), default="party", help="rows per party or per region"
    )
    shares.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output format"
    )
    shares.add_argument(
        "--provisional",
        action="store_true",
        help="divide among every party that has not rejected, before all have decided",
    )
    version_options(shares)
    export = commands.add_parser(
        "export",
        help="write the division, approvals, regions, caseloads and people to FILE.xlsx (with charts), .csv or .json",
    )
    _file_option(export, default=argparse.SUPPRESS)
    export.add_argument("target", metavar="FILE.xlsx|.csv|.json", help="the file to write")
    export.add_argument(
        "--period", metavar="YYYY-MM", help="the caseload period (default: as `shares`)"
    )
    export.add_argument(
        "--provisional",
        action="store_true",
        help="divide among every party that has not rejected, before all have decided",
    )
    export.add_argument(
        "--locale",
        choices=("fi", "en"),
        help="the language of the file's words; fi: CSV with ; and decimal commas (default: $KOKEILU_LANG)",
    )
    set_caseload = commands.add_parser(
        "set-caseload", help="set one party's caseload for one period (the party by id or name)"
    )
    _file_option(set_caseload, default=argparse.SUPPRESS)
    set_caseload.add_argument(
        "party", metavar="PARTY", help="the party's id (siilinjarvi) or name (Siilinjärvi)"
    )
    set_caseload.add_argument("period", metavar="PERIOD", help="YYYY-MM")
    set_caseload.add_argument("count", metavar="COUNT", help="the number of clients")

    import_caseloads = commands.add_parser(
        "import-caseloads",
        help="import caseloads from a CSV or Excel file (columns party, period, count)",
    )
    _file_option(import_caseloads, default=argparse.SUPPRESS)
    import_caseloads.add_argument("source", metavar="FILE.csv|.xlsx", help="the sheet to import")

    diff = commands.add_parser(
        "diff", help="what changed, in words (default: the working tree against HEAD)"
    )
    _file_option(diff, default=argparse.SUPPRESS)
    diff.add_argument(
        "revs", nargs="*", metavar="REV", help="one: REV against the working tree; two: REV to REV"
    )

    log = commands.add_parser("log", help="the registry's history, one line per change")
    _file_option(log, default=argparse.SUPPRESS)
    log.add_argument(
        "-n", type=_at_least_one, default=20, metavar="N", help="how many commits (20)"
    )
    log.add_argument("rev", nargs="?", metavar="REV", help="the history up to REV (default: HEAD)")

    session = commands.add_parser(
        "session",
        help="what an OpenSSH ForceCommand runs: the dashboard, or the client's allowed command",
    )
    _file_option(session, default=argparse.SUPPRESS)
    session.add_argument(
        "--syslog",
        metavar="SOCKET",
        default="/dev/log",
        help="the syslog socket for the log of use (/dev/log)",
    )

    report = commands.add_parser(
        "report", help="a document made from the registry: the application dossier"
    )
    _file_option(report, default=argparse.SUPPRESS)
    report.add_argument(
        "kind", choices=("application",), help="application: the dossier for the ministry"
    )
    report.add_argument(
        "--format", choices=("md", "html"), default="md", help="Markdown or printable HTML (md)"
    )
    report.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE (replaced) instead of standard output"
    )
    version_options(report)

    setup_shared = commands.add_parser(
        "setup-shared",
        help="prepare the registry's git repository for the accounts of one group",
    )
    _file_option(setup_shared, default=argparse.SUPPRESS)
    setup_shared.add_argument(
        "--group", required=True, metavar="GROUP", help="the coordinators' Unix group"
    )
    return parser


def refused_path(file: str) -> bool:
    """Refuse (in one line, the path shown escaped) a registry path holding control or format
    characters: every message names the file first, and the path would reach the terminal raw.

    Every command, the dashboard and `kokeilu session` take the registry's path from here.
    """
    from kokeilu.text.display import hidden, literal

    if not any(hidden(ch) for ch in file):
        return False
    from kokeilu.text.strings import t

    print(t("cli.hidden_in_path", file=literal(file)), file=sys.stderr)
    return True


# Commands whose extra arguments are revisions: one that looks like an option is refused by the
# command itself (one line, exit 1), never handed to git.
TAKES_REVISIONS = ("diff", "log")


def _utf8_or_reexec() -> None:
    """Go on only in Python's UTF-8 mode: re-run this process in it when the locale is not UTF-8.

    Over SSH the client chooses the locale (`LC_ALL` is sent and accepted), and Python takes its
    encodings from it at start-up, before anything of ours runs: with a Latin-1 locale the
    commit message ("→") could not be given to git after the file was written, and the next
    coordinator's commit carried the change under their name. The registry, git and the screen
    are UTF-8 whatever the locale says.
    """
    if sys.flags.utf8_mode:
        return
    import locale

    if locale.getpreferredencoding(False).replace("-", "").lower() == "utf8":
        return
    os.execv(sys.executable, [sys.executable, "-X", "utf8", "-m", "kokeilu", *sys.argv[1:]])


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    if argv is None:  # a process of its own (not a call from a test or a session)
        _utf8_or_reexec()
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command not in TAKES_REVISIONS:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    file = registry_file(args)
    if refused_path(file):
        return 2
    try:
        if args.command == "check":
            from kokeilu.cli.check import run_check

            return run_check(file)
        if args.command == "shares":
            from kokeilu.cli.shares import run_shares

            return run_shares(
                file, args.period, args.by, args.format, args.provisional, args.at, args.rev
            )
        if args.command == "export":
            from kokeilu.cli.export import run_export

            return run_export(file, args.target, args.period, args.provisional, args.locale)
        if args.command == "set-caseload":
            from kokeilu.cli.caseloads import run_set_caseload

            return run_set_caseload(
                file, args.party, args.period, args.count, commit=not args.no_commit
            )
        if args.command == "import-caseloads":
            from kokeilu.cli.caseloads import run_import_caseloads

            return run_import_caseloads(file, args.source, commit=not args.no_commit)
        if args.command == "diff":
            from kokeilu.cli.diff import run_diff

            return run_diff(file, [*args.revs, *extra])
        if args.command == "log":
            from kokeilu.cli.log import run_log

            return run_log(file, args.n, [*([args.rev] if args.rev else []), *extra])
        if args.command == "session":
            from kokeilu.cli.session import run_session
            from kokeilu.text.strings import t

            if not getattr(args, "file", None):  # never $KOKEILU_FILE: the client may send it
                print(t("cli.session_needs_file"), file=sys.stderr)
                return 2
            return run_session(args.file, args.syslog)
        if args.command == "report":
            from kokeilu.cli.report import run_report

            return run_report(file, args.kind, args.format, args.output, args.at, args.rev)
        if args.command == "setup-shared":
            from kokeilu.cli.setup_shared import run_setup_shared

            return run_setup_shared(file, args.group)
        if args.command is None:
            if not (sys.stdin.isatty() and sys.stdout.isatty()):
                # Drawn into a pipe, the dashboard would run on after the reader left.
                from kokeilu.text.strings import t

                print(t("cli.no_terminal"), file=sys.stderr)
                return 2
            from kokeilu.tui import run_dashboard

            return run_dashboard(file, commit=not args.no_commit)
        from kokeilu.cli.status import run_status

        return run_status(
            file,
            as_json=getattr(args, "json", False),
            at=getattr(args, "at", None),
            rev=getattr(args, "rev", None),
        )
    except BrokenPipeError:
        # `kokeilu shares | head`: the reader left; that is not an error of ours.
        sys.stderr.close()
        return 0
