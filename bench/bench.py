"""kokeilu's benchmarks: each measurement against a floor measured in the same run, one table.

    bench/run [--quick] [--json FILE] [--markdown FILE] [--keep]

What is measured, and against what (docs/performance.md says why these, and what they showed):

- first paint of the dashboard, as a whole process in tmux at 80x24: from starting the command
  until the tab bar and the status line's findings ("0 errors, 2 warnings") are on screen;
  against bench/bare_app.py (a Textual app with one Static) until its text is on screen;
- after the first paint, with bench/probe.py watching the event loop: the longest freeze until the
  process has gone idle (+1.5 s), the time until the resources' division is on screen, until the
  background work is done, the process's peak memory (VmHWM) then, and how long ctrl+q takes;
- `kokeilu check` and `kokeilu shares` as whole processes, against
  `python -c "import tomllib; tomllib.load(open(F, 'rb'))"` on the same file;
- one set_caseload edit's Store.save, without and with the git commit, against reading and
  parsing the file with tomllib (bench/inproc.py save);
- CPU per `down` key in the Approvals table of 1,000 rows, against a bare DataTable of as many
  rows, and per cell update, RegistryTable.set_rows against DataTable.update_cell
  (bench/inproc.py keys).

Registries are made by bench/generate.py in a temporary folder: 10, 118, 1,000 and 10,000 parties
x 1 and 48 monthly periods, plus the bundled data/pohjois-savo.toml.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from generate import generate  # noqa: E402
from term import Term  # noqa: E402

BUNDLED = ROOT / "data" / "pohjois-savo.toml"
SIZES = [(10, 1), (10, 48), (118, 1), (118, 48), (1000, 1), (1000, 48), (10000, 1), (10000, 48)]
# On screen once the dashboard has its data: the tab bar, and the status line's findings.
DASHBOARD_MARKER = r"(?s)Overview.*\d+ errors, \d+ warnings"
BARE_MARKER = "bare app: first paint"
# Once the process is idle after the first paint, keep watching this long (a file-watch tick).
SETTLE = 1.5
# How long to wait for background work after the first paint, and for the exit after ctrl+q.
IDLE_LIMIT = 60.0
QUIT_LIMIT = 15.0


@dataclass
class Result:
    """One line of the table."""

    name: str
    value: float
    unit: str  # "s", "ms" or "MiB"
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""
    ok: bool | None = None  # None: no target, for information
    with_ratio: bool = True  # False where the baseline is near zero and a ratio means nothing
    cpu: float | None = None  # CPU seconds of the measured process, where wall time is the value
    cpu_baseline: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline and self.with_ratio else None

    @property
    def cpu_ratio(self) -> float | None:
        return self.cpu / self.cpu_baseline if self.cpu and self.cpu_baseline else None

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("PASS" if self.ok else "MISS")


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "s":
        return f"{value:.2f} s" if value >= 0.995 else f"{value * 1000:.0f} ms"
    if unit == "ms":
        if value >= 995:
            return f"{value / 1000:.2f} s"
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    return f"{value:.0f} {unit}"


def median(values: list[float]) -> float:
    return statistics.median(values)


def size_name(parties: int, periods: int) -> str:
    return f"{parties}x{periods}"


STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:5.0f} s] {message}", file=sys.stderr, flush=True)


# --- Processes in tmux ------------------------------------------------------------------------


def kokeilu_argv(file: Path) -> list[str]:
    script = Path(sys.executable).parent / "kokeilu"
    head = [str(script)] if script.exists() else [sys.executable, "-m", "kokeilu"]
    return [*head, "-f", str(file)]


def bare_argv() -> list[str]:
    return [sys.executable, str(BENCH / "bare_app.py")]


# For every process measured: English, and Python's bytecode cache on, in a folder of the run's
# own (this workplace sets PYTHONDONTWRITEBYTECODE, which would make every start compile kokeilu
# anew; an installed kokeilu has its bytecode). The warm-up runs fill the cache.
ENV: dict[str, str | None] = {"KOKEILU_LANG": "en", "PYTHONDONTWRITEBYTECODE": None}


def first_paint(argv: list[str], marker: str) -> tuple[float, float]:
    """Seconds until `marker` is on screen, and the CPU seconds the process had used by then."""
    with Term(argv, 80, 24, cwd=str(ROOT), env=ENV, kill=True) as t:
        wall = t.wait_for(marker, timeout=120)
        return wall, t.cpu_seconds() or float("nan")


@dataclass
class Paints:
    """First paints of the dashboard and of the bare app, run in turns (each a list of runs)."""

    wall: list[float]
    cpu: list[float]
    bare_wall: list[float]
    bare_cpu: list[float]


def paired_paints(file: Path, runs: int, warm_up: bool) -> Paints:
    """The dashboard on `file` and the bare app in turns, so that both meet the same machine."""
    if warm_up:  # Python's bytecode cache (the registries are in the page cache, just written)
        first_paint(bare_argv(), BARE_MARKER)
        first_paint(kokeilu_argv(file), DASHBOARD_MARKER)
    out = Paints([], [], [], [])
    for _ in range(runs):
        wall, cpu = first_paint(bare_argv(), BARE_MARKER)
        out.bare_wall.append(wall)
        out.bare_cpu.append(cpu)
        wall, cpu = first_paint(kokeilu_argv(file), DASHBOARD_MARKER)
        out.wall.append(wall)
        out.cpu.append(cpu)
    return out


@dataclass
class Settled:
    paint: float  # seconds from start to first paint
    shares: float | None  # seconds from start until the division was on screen
    idle: float | None  # seconds from start until the process stopped working (None: it did not)
    freeze_ms: float  # longest time the event loop did not answer, after the first paint
    rss_mib: float  # peak resident memory once settled
    quit: float | None  # seconds from ctrl+q until the process had exited (None: it had not)


def settled_run(argv: list[str], marker: str, wait_for_shares: bool, tmp: Path) -> Settled:
    """Start with the event-loop probe; wait for the paint, the division and for the process to
    go idle; read its peak memory and the event loop's answers; then ctrl+q, and time the exit."""
    out = tmp / f"probe-{time.monotonic_ns()}.json"
    flag = out.with_suffix(".shares")
    env = ENV | {"BENCH_PROBE_OUT": str(out)}
    with Term(argv, 80, 24, cwd=str(ROOT), env=env, kill=True) as t:
        paint = t.wait_for(marker, timeout=120)
        painted_at = t.started + paint
        shares_at = None
        if wait_for_shares:
            deadline = time.monotonic() + IDLE_LIMIT
            while not flag.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            if flag.exists():
                shares_at = float(flag.read_text())
        # Background work after the paint counts too: wait until the process stops working.
        idle_at = t.wait_idle(IDLE_LIMIT)
        time.sleep(SETTLE)
        rss = t.peak_rss_mib() or float("nan")
        dumped_at = time.monotonic()
        out.with_suffix(".dump").touch()
        deadline = time.monotonic() + 10
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        t.keys("C-q")
        quit_took = t.wait_exit(QUIT_LIMIT)
    probe = json.loads(out.read_text())
    freeze = 0.0
    for sent, answered in probe["samples"]:
        # The part of each wait between the first paint and the moment the samples were taken.
        if answered > painted_at and sent < dumped_at:
            freeze = max(freeze, min(answered, dumped_at) - max(sent, painted_at))
    return Settled(
        paint,
        None if shares_at is None else shares_at - t.started,
        None if idle_at is None else idle_at - t.started,
        freeze * 1000,
        rss,
        quit_took,
    )


# --- Whole processes --------------------------------------------------------------------------


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run of a command."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # check exits 1 on errors; a crash is not a measurement
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: {err.decode()[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime


def cli_times(file: Path, runs: int, warm_up: bool) -> dict[str, tuple[float, float]]:
    """Median wall and CPU time of check, shares and the tomllib floor, run in turns."""
    base = kokeilu_argv(file)
    commands = {
        "tomllib": [
            sys.executable,
            "-c",
            f"import tomllib; tomllib.load(open({str(file)!r}, 'rb'))",
        ],
        "check": [*base, "check"],
        "shares": [*base, "shares"],
    }
    if warm_up:  # Python's bytecode cache
        for argv in commands.values():
            timed(argv)
    walls: dict[str, list[float]] = {k: [] for k in commands}
    cpus: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):
        for k, argv in commands.items():
            wall, cpu = timed(argv)
            walls[k].append(wall)
            cpus[k].append(cpu)
    return {k: (median(walls[k]), median(cpus[k])) for k in commands}


def inproc(what: str, file: Path, runs: int) -> dict[str, Any]:
    r = subprocess.run(
        [sys.executable, str(BENCH / "inproc.py"), what, str(file), str(runs)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if r.returncode != 0:
        raise RuntimeError(f"bench/inproc.py {what} failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout)


# --- The run ----------------------------------------------------------------------------------


def run(quick: bool, tmp: Path) -> list[Result]:
    results: list[Result] = []
    files: dict[str, Path] = {"bundled": BUNDLED}
    for parties, periods in SIZES:
        name = size_name(parties, periods)
        files[name] = tmp / f"synthetic-{name}.toml"
        files[name].write_text(generate(parties, periods), encoding="utf-8")
    log(f"registries in {tmp}")

    # Runs per size: most where a target is set; the largest files cost seconds a run.
    def runs(name: str, cli: bool = False) -> int:
        if quick:
            return 1 if name.startswith("10000") else 3
        if name == "10000x48":
            return 1 if cli else 3
        if name == "10000x1":
            return 2
        # The two targets set as ratios to the bare app, whose own paint varies by ±30 % here.
        return 9 if name in ("bundled", "1000x48") else 3

    # First paint, against the bare app, in turns.
    targets: dict[str, tuple[str, Callable[[float, float], bool]]] = {
        "bundled": ("≤ 1.3x bare", lambda v, bare: v <= 1.3 * bare),
        "1000x48": ("≤ 2x bare", lambda v, bare: v <= 2 * bare),
        "10000x48": ("≤ 4 s", lambda v, bare: v <= 4.0),
    }
    paint_sizes = list(files) if not quick else ["bundled", "1000x48", "10000x48"]
    paints: dict[str, Paints] = {}
    for n, name in enumerate(paint_sizes):
        paints[name] = p = paired_paints(files[name], runs(name), warm_up=n == 0)
        log(f"first paint, {name}: {median(p.wall):.3f} s (bare app {median(p.bare_wall):.3f} s)")
    all_bare = [w for p in paints.values() for w in p.bare_wall]
    all_bare_cpu = [c for p in paints.values() for c in p.bare_cpu]
    results.append(
        Result(
            f"first paint: bare Textual app (floor; {len(all_bare)} runs)",
            median(all_bare),
            "s",
            cpu=median(all_bare_cpu),
        )
    )
    for name, p in paints.items():
        value, bare = median(p.wall), median(p.bare_wall)
        target, check = targets.get(name, ("", lambda v, bare: True))
        results.append(
            Result(
                f"first paint: dashboard, {name}",
                value,
                "s",
                bare,
                "bare app",
                target,
                check(value, bare) if target else None,
                cpu=median(p.cpu),
                cpu_baseline=median(p.bare_cpu),
            )
        )

    # After the first paint: freezes, the division on screen, peak memory.
    bare_settled = settled_run(bare_argv(), BARE_MARKER, False, tmp)
    log(f"settled, bare: {bare_settled}")
    settled = {}
    # One run whose numbers are dropped: the first process to import polars reads its 100+ MB
    # library from disk, which made the bundled division look twice as slow as 1,000 x 48's.
    warm = [sys.executable, str(BENCH / "probe.py"), "-f", str(files["bundled"])]
    log(f"settled, warm-up (not counted): {settled_run(warm, DASHBOARD_MARKER, True, tmp)}")
    for name in ("bundled", "1000x48", "10000x48"):
        argv = [sys.executable, str(BENCH / "probe.py"), "-f", str(files[name])]
        settled[name] = settled_run(argv, DASHBOARD_MARKER, True, tmp)
        log(f"settled, {name}: {settled[name]}")
    for name, s in settled.items():
        big = name == "10000x48"
        results.append(
            Result(
                f"longest freeze after first paint, {name}",
                s.freeze_ms,
                "ms",
                bare_settled.freeze_ms,
                "bare app",
                "≤ 100 ms" if big else "",
                s.freeze_ms <= 100 if big else None,
                with_ratio=False,
            )
        )
    for name, s in settled.items():
        if s.shares is not None:
            results.append(Result(f"division (shares) on screen, {name}", s.shares, "s"))
    for name, s in settled.items():
        if s.idle is not None:
            results.append(Result(f"background work done (CPU idle), {name}", s.idle, "s"))
        else:
            what = f"background work still running at {IDLE_LIMIT:.0f} s, {name}"
            results.append(Result(what, IDLE_LIMIT, "s"))
    for name, s in [("bare", bare_settled), *settled.items()]:
        if s.quit is not None:
            results.append(Result(f"ctrl+q until the process exits, {name}", s.quit, "s"))
        else:
            what = f"ctrl+q: process still running (killed) after, {name}"
            results.append(Result(what, QUIT_LIMIT, "s"))
    rss_targets = {"bundled": 120.0, "10000x48": 600.0}
    for name, s in settled.items():
        limit = rss_targets.get(name)
        results.append(
            Result(
                f"peak RSS: dashboard, {name}",
                s.rss_mib,
                "MiB",
                bare_settled.rss_mib,
                "bare app",
                f"≤ {limit:.0f} MiB" if limit else "",
                s.rss_mib <= limit if limit else None,
            )
        )

    # check and shares as whole processes, against tomllib on the same file, in turns.
    cli_sizes = list(files) if not quick else ["bundled", "1000x48", "10000x48"]
    for n, name in enumerate(cli_sizes):
        times = cli_times(files[name], runs(name, cli=True), warm_up=n == 0)
        log(f"cli, {name}: {times}")
        floor, floor_cpu = times["tomllib"]
        for command in ("check", "shares"):
            wall, cpu = times[command]
            target = name == "1000x48"
            results.append(
                Result(
                    f"kokeilu {command}, {name}",
                    wall,
                    "s",
                    floor,
                    "tomllib.load",
                    "≤ 1.5x tomllib" if target else "",
                    wall <= 1.5 * floor if target else None,
                    cpu=cpu,
                    cpu_baseline=floor_cpu,
                )
            )

    # One edit's save, in-process.
    for name in ("bundled", "1000x48"):
        save = inproc("save", files[name], 4 if quick else 6)
        log(f"save, {name}: {save}")
        floor = save["baseline_tomllib"]["median"]
        target = name == "1000x48"
        for key, label, limit in (
            ("no_commit", "without commit", 30.0),
            ("commit", "with commit", 60.0),
        ):
            first, steady = save[key]["first_ms"], save[key]["steady"]["median"]
            for value, what in ((steady, "median of later saves"), (first, "first of a session")):
                results.append(
                    Result(
                        f"save {label}, {what}, {name}",
                        value,
                        "ms",
                        floor,
                        "read + tomllib.load",
                        f"≤ {limit:.0f} ms" if target else "",
                        value <= limit if target else None,
                    )
                )

    # Keypresses and cell updates in a 1,000-row table.
    keys = inproc("keys", files["1000x48"], 10 if quick else 20)
    log(f"keys: {keys}")
    dash, bare_table = keys["dashboard"], keys["bare"]
    rows = dash["rows"]
    for key, what in (("within", "cursor moves on screen"), ("scrolling", "table scrolls")):
        value = dash[key]["median"]
        results.append(
            Result(
                f"CPU per key (down), {what}, {rows} rows",
                value,
                "ms",
                bare_table[key]["median"],
                "bare DataTable",
                "≤ 16 ms",
                value <= 16.0,
            )
        )
    results.append(
        Result(
            f"CPU per cell update (set_rows), {rows} rows",
            dash["cell"]["median"],
            "ms",
            bare_table["cell"]["median"],
            "DataTable.update_cell",
        )
    )
    return results


def table(results: list[Result], markdown: bool = False) -> str:
    head = ["measurement", "value", "baseline", "ratio", "CPU ratio", "target", "result"]
    rows = [
        [
            r.name,
            fmt(r.value, r.unit),
            f"{fmt(r.baseline, r.unit)} {r.baseline_name}".strip() if r.baseline else "",
            f"{r.ratio:.2f}x" if r.ratio is not None else "",
            f"{r.cpu_ratio:.2f}x" if r.cpu_ratio is not None else "",
            r.target,
            r.verdict,
        ]
        for r in results
    ]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    right = {1, 2, 3, 4}

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(head), line(["-" * w for w in widths]), *map(line, rows)])


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and sizes (about 2 min)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    parser.add_argument("--keep", action="store_true", help="keep the generated registries")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("bench/run: tmux is needed (apt-get install tmux)", file=sys.stderr)
        return 2
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="kokeilu-bench-"))
    ENV["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    os.environ["KOKEILU_LANG"] = "en"
    load_before = os.getloadavg()[0]
    try:
        results = run(args.quick, tmp)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    took = time.monotonic() - started
    print(table(results))
    misses = sum(1 for r in results if r.ok is False)
    passes = sum(1 for r in results if r.ok)
    load_after = os.getloadavg()[0]
    print(
        f"\n{passes} PASS, {misses} MISS; bench/run took {took:.0f} s on {os.cpu_count()} cores;"
        f" load average {load_before:.2f} before, {load_after:.2f} after"
    )
    if max(load_before, load_after) > 0.5:
        print("warning: the machine was busy with other work; timings are less reliable")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "took_s": took,
                    "load_average": [load_before, load_after],
                    "results": [asdict(r) | {"ratio": r.ratio} for r in results],
                },
                indent=2,
            )
        )
    if args.markdown:
        Path(args.markdown).write_text(table(results, markdown=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
