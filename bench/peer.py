"""First paint against the peer: kokeilu, VisiData and a bare Textual app, in turns, in tmux.

    bench/run --peer [--runs N] [--sizes 80x24,120x40] [--json FILE] [--markdown FILE]
    .venv/bin/python bench/peer.py [the same options]

What is compared (issue 11, item 7): the time from starting the command until its first screen
with data is on the terminal, in the same harness (bench/term.py: a detached tmux pane of the
given size, polled with capture-pane) for all three programs:

- kokeilu: `kokeilu -f data/pohjois-savo.toml`, until the Overview's tab and the status line's
  findings ("0 errors, 2 warnings") are on screen, as in bench/bench.py. Its first screen is the
  remembered first frame (kokeilu/tui/frames.py) that the warm-up run left, as a user's second
  start of the day on an unchanged registry would show it;
- kokeilu live (`live`): the same with `KOKEILU_FRAMES=0`, so the first screen is the first frame
  Textual draws, as on a user's first start after the registry changed;
- VisiData (the peer): `vd approvals.csv`, the bundled registry's Approvals table exported to CSV
  (the columns the Approvals view shows), until the first party's row is on screen;
- the floor: bench/bare_app.py, a Textual app with one Static, until its text is on screen.

Each run measures the four once, in an order that rotates from run to run, so that all meet the
same machine. One warm-up round per size comes first and is not counted: it fills Python's
bytecode cache (kept in a folder of the run's own, with PYTHONDONTWRITEBYTECODE unset for the
measured processes, as for an installed program) and the page cache. A run PASSes when kokeilu's
first screen with data came no later than VisiData's in that same run; the live column is
reported beside it, not judged.

VisiData is installed with pip into an environment of the bench's own (bench/.peer-venv, made on
first use), not into the project's .venv.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from term import Term  # noqa: E402

BUNDLED = ROOT / "data" / "pohjois-savo.toml"
PEER_VENV = BENCH / ".peer-venv"
PEER_PACKAGE = "visidata"
DASHBOARD_MARKER = r"(?s)Overview.*\d+ errors, \d+ warnings"
BARE_MARKER = "bare app: first paint"
SIZES = [(80, 24), (120, 40)]
PROGRAMS = ("bare", "visidata", "kokeilu", "live")


def log(message: str) -> None:
    print(f"[peer] {message}", file=sys.stderr, flush=True)


# --- The peer's environment and data -----------------------------------------------------------


def peer_vd() -> Path:
    """The `vd` command of the bench's own environment, installed with pip when missing."""
    vd = PEER_VENV / "bin" / "vd"
    if not vd.exists():
        log(f"installing {PEER_PACKAGE} into {PEER_VENV} (once)")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(PEER_VENV)], check=True)
        # Never committed: the environment is made on each machine.
        (PEER_VENV / ".gitignore").write_text("*\n")
        pip = [str(PEER_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, PEER_PACKAGE], check=True)
    return vd


def peer_version(vd: Path) -> str:
    r = subprocess.run([str(vd), "--version"], capture_output=True, text=True)
    return (r.stdout.strip().splitlines() or ["?"])[0]


def export_approvals(out: Path) -> str:
    """The bundled registry's approvals as CSV, the columns of kokeilu's Approvals view, in
    English; returns the first row's name (the peer's marker)."""
    from kokeilu.registry.load import load
    from kokeilu.text.display import date
    from kokeilu.text.strings import t

    registry = load(BUNDLED).registry
    assert registry is not None
    head = ["Name", "Outcome", "Date", "Minutes §", "Body", "Region", "Attachment"]
    rows = []
    for party in registry.parties.values():
        d = party.decision
        region = registry.regions.get(party.region or "")
        rows.append(
            [
                party.name,
                t(f"outcome.{d.outcome}"),
                date(d.date),
                d.minutes or "",
                d.body or "",
                region.name if region else (party.region or ""),
                d.attachment or "",
            ]
        )
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(head)
        writer.writerows(rows)
    return rows[0][0]


# --- Measurements ------------------------------------------------------------------------------


def kokeilu_argv() -> list[str]:
    script = Path(sys.executable).parent / "kokeilu"
    head = [str(script)] if script.exists() else [sys.executable, "-m", "kokeilu"]
    return [*head, "-f", str(BUNDLED)]


def first_paint(
    argv: list[str], marker: str, size: tuple[int, int], env: dict[str, str | None]
) -> tuple[float, float]:
    """Seconds until `marker` is on screen, and the CPU seconds the process had used by then."""
    with Term(argv, size[0], size[1], cwd=str(ROOT), env=env, kill=True) as t:
        wall = t.wait_for(marker, timeout=60)
        return wall, t.cpu_seconds() or float("nan")


def measure(runs: int, sizes: list[tuple[int, int]], tmp: Path) -> dict:
    vd = peer_vd()
    csv_file = tmp / "approvals.csv"
    first_name = export_approvals(csv_file)
    env: dict[str, str | None] = {
        "KOKEILU_LANG": "en",
        "PYTHONDONTWRITEBYTECODE": None,
        "PYTHONPYCACHEPREFIX": str(tmp / "pycache"),
    }
    # VisiData reads its settings (~/.visidatarc) and keeps its history under HOME: an empty one.
    (tmp / "home").mkdir()
    vd_env = env | {"HOME": str(tmp / "home")}
    # A data row: the first party's name at the start of a line (VisiData draws the header
    # above it, and its status line names the sheet, not the party).
    programs = {
        "bare": ([sys.executable, str(BENCH / "bare_app.py")], BARE_MARKER, env),
        "visidata": ([str(vd), str(csv_file)], rf"(?m)^\s?{re.escape(first_name)}\b", vd_env),
        "kokeilu": (kokeilu_argv(), DASHBOARD_MARKER, env | {"XDG_CACHE_HOME": str(tmp / "cache")}),
        "live": (kokeilu_argv(), DASHBOARD_MARKER, env | {"KOKEILU_FRAMES": "0"}),
    }
    results: dict = {"peer": peer_version(vd), "sizes": {}}
    for size in sizes:
        name = f"{size[0]}x{size[1]}"
        for argv, marker, program_env in programs.values():  # warm-up, not counted
            first_paint(argv, marker, size, program_env)
        runs_out = []
        for n in range(runs):
            k = n % len(PROGRAMS)
            order = PROGRAMS[k:] + PROGRAMS[:k]
            one: dict[str, dict[str, float]] = {}
            for program in order:
                argv, marker, program_env = programs[program]
                wall, cpu = first_paint(argv, marker, size, program_env)
                one[program] = {"wall": wall, "cpu": cpu}
            runs_out.append(one)
            log(
                f"{name} run {n + 1}: "
                + ", ".join(f"{p} {one[p]['wall'] * 1000:.0f} ms" for p in PROGRAMS)
            )
        results["sizes"][name] = runs_out
    return results


# --- Report ------------------------------------------------------------------------------------


def report(results: dict, markdown: bool = False) -> tuple[str, int]:
    """The table of every run, with a PASS/FAIL per run, and the number of FAILs."""
    head = ["size", "run", "bare", "VisiData", "kokeilu", "live"]
    head += ["kokeilu/bare", "live/bare", "VisiData/bare", "result"]
    rows: list[list[str]] = []
    fails = 0

    def cells(size: str, label: str, t: dict[str, float], result: str) -> list[str]:
        ms = [f"{t[p] * 1000:.0f} ms" for p in PROGRAMS]
        ratios = [f"{t[p] / t['bare']:.2f}x" for p in ("kokeilu", "live", "visidata")]
        return [size, label, *ms, *ratios, result]

    for size, runs in results["sizes"].items():
        for n, r in enumerate(runs, 1):
            wall = {p: r[p]["wall"] for p in PROGRAMS}
            ok = wall["kokeilu"] <= wall["visidata"]
            fails += not ok
            rows.append(cells(size, str(n), wall, "PASS" if ok else "FAIL"))
        med = {p: statistics.median(r[p]["wall"] for r in runs) for p in PROGRAMS}
        cpu = {p: statistics.median(r[p]["cpu"] for r in runs) for p in PROGRAMS}
        rows.append(cells(size, "median", med, ""))
        rows.append(cells(size, "CPU, median", cpu, ""))
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines), fails
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if 2 <= i < len(head) - 1 else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(head), line(["-" * w for w in widths]), *map(line, rows)]), fails


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/run --peer", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per size (default 7)")
    parser.add_argument(
        "--sizes", default="80x24,120x40", help="terminal sizes, COLSxROWS,… (default 80x24,120x40)"
    )
    parser.add_argument("--json", metavar="FILE", help="also write every run as JSON")
    parser.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("bench/run --peer: tmux is needed (apt-get install tmux)", file=sys.stderr)
        return 2
    sizes = [tuple(int(x) for x in s.split("x")) for s in args.sizes.split(",")]
    started = time.monotonic()
    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="kokeilu-peer-"))
    try:
        results = measure(args.runs, sizes, tmp)  # type: ignore[arg-type]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    load_after = os.getloadavg()
    text, fails = report(results)
    print(f"first screen with data, bundled registry; peer: {results['peer']}")
    print(text)
    total = sum(len(r) for r in results["sizes"].values())
    print(
        f"\n{'PASS' if not fails else 'FAIL'}: kokeilu no later than VisiData in"
        f" {total - fails} of {total} runs; took {time.monotonic() - started:.0f} s on"
        f" {os.cpu_count()} cores; load average (1, 5 min) {load_before[0]:.2f}/"
        f"{load_before[1]:.2f} before, {load_after[0]:.2f}/{load_after[1]:.2f} after"
    )
    if max(load_before[0], load_after[0]) > 0.5:
        print("warning: the machine was busy with other work; compare the ratios, not the times")
    results["load_average"] = [load_before, load_after]
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    if args.markdown:
        Path(args.markdown).write_text(report(results, markdown=True)[0] + "\n")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
