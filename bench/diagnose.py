"""Where the time goes: the diagnoses behind docs/performance.md, runnable again.

    .venv/bin/python bench/diagnose.py timeline FILE   the dashboard in tmux (80x24): when each
                                                       phase ran, and every block of the event
                                                       loop over 20 ms, in seconds from start
    .venv/bin/python bench/diagnose.py imports         what the dashboard imports beyond a bare
                                                       Textual app (python -X importtime)
    .venv/bin/python bench/diagnose.py parse FILE      tomllib time of the file's parts, and of
                                                       its caseloads written as one array a party
    .venv/bin/python bench/diagnose.py save FILE       cProfile of five set_caseload saves

Nothing here changes kokeilu: the timeline wraps the app's methods from outside, in its own
process. FILE: a registry, e.g. one written by `python bench/generate.py 10000 48 OUT.toml`.
"""

from __future__ import annotations

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
sys.path.insert(0, str(BENCH))

from term import Term  # noqa: E402

MARKER = r"(?s)Overview.*\d+ errors, \d+ warnings"
# Shown in the timeline however short.
ALWAYS = (
    "Session.open",
    "MainScreen.on_mount",
    "View.show_shares",
    "MainScreen.update_status",
)
ENV: dict[str, str | None] = {"KOKEILU_LANG": "en", "PYTHONDONTWRITEBYTECODE": None}


# --- timeline ---------------------------------------------------------------------------------


def _timed_dashboard(argv: list[str]) -> int:
    """Run kokeilu with its phases and Textual's layout and render passes timed (in the child)."""
    import atexit

    from textual.screen import Screen

    from kokeilu.cli import main
    from kokeilu.store.session import Session
    from kokeilu.tui.screens.main import MainScreen
    from kokeilu.tui.views.base import View
    from kokeilu.tui.watching import Watcher

    spans: list[tuple[str, float, float]] = []

    def timed(cls: type, name: str) -> None:
        original = getattr(cls, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            t0 = time.monotonic()
            try:
                return original(*args, **kwargs)
            finally:
                spans.append((f"{cls.__name__}.{name}", t0, time.monotonic() - t0))

        setattr(cls, name, wrapper)

    timed(Session, "open")
    for name in ("refresh_state", "update_status"):
        timed(MainScreen, name)
    timed(View, "show_shares")
    timed(Watcher, "check")
    timed(Screen, "_refresh_layout")
    timed(Screen, "_compositor_refresh")
    on_mount = MainScreen.on_mount

    def mounted(self: MainScreen) -> None:
        spans.append(("MainScreen.on_mount", time.monotonic(), 0.0))
        on_mount(self)
        self.set_timer(float(os.environ.get("DIAGNOSE_SECONDS", "8")), self.app.exit)

    MainScreen.on_mount = mounted  # type: ignore[method-assign]
    out = Path(os.environ["DIAGNOSE_OUT"])
    atexit.register(lambda: out.write_text(json.dumps(spans)))
    return main(argv)


def timeline(file: str) -> None:
    out = Path(tempfile.mkdtemp(prefix="diagnose-")) / "spans.json"
    argv = [sys.executable, __file__, "_timed", "-f", file]
    env = ENV | {"DIAGNOSE_OUT": str(out)}
    with Term(argv, 80, 24, env=env) as t:
        paint = t.wait_for(MARKER, timeout=120)
        deadline = time.monotonic() + 60
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.3)
    print(f"{file}: first paint seen at {paint:.3f} s (tmux)")
    spans = json.loads(out.read_text())
    shutil.rmtree(out.parent, ignore_errors=True)
    for name, t0, duration in sorted(spans, key=lambda s: s[1]):
        if duration > 0.02 or name in ALWAYS:
            print(f"  {t0 - t.started:7.3f} s  {name:32s} {duration * 1000:7.0f} ms")


# --- imports ----------------------------------------------------------------------------------


def _import_times(code: str, runs: int = 5) -> dict[str, float]:
    """Median self time (ms) of every module imported by `code`."""
    per: dict[str, list[float]] = {}
    for _ in range(runs):
        r = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True
        )
        for line in r.stderr.splitlines():
            m = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s+(\S+)", line)
            if m:
                per.setdefault(m.group(2), []).append(int(m.group(1)) / 1000)
    return {k: statistics.median(v) for k, v in per.items()}


def imports() -> None:
    bare = _import_times("from textual.app import App; from textual.widgets import Static")
    dash = _import_times("import kokeilu.cli; from kokeilu.tui.app import KokeiluApp")
    extra = {k: v for k, v in dash.items() if k not in bare}
    print(
        f"bare app imports {sum(bare.values()):.0f} ms; the dashboard's {sum(dash.values()):.0f} ms"
    )
    print(f"modules only the dashboard imports: {sum(extra.values()):.0f} ms, the largest:")
    for name, ms in sorted(extra.items(), key=lambda kv: -kv[1])[:20]:
        print(f"  {ms:6.1f} ms  {name}")


# --- parse ------------------------------------------------------------------------------------


def parse(file: str) -> None:
    import tomllib
    from decimal import Decimal

    text = Path(file).read_text(encoding="utf-8")
    at = text.find("\n[caseloads.")
    head, tail = (text[:at], text[at:]) if at >= 0 else (text, "")
    caseloads = tomllib.loads(tail).get("caseloads", {}) if tail else {}
    periods = list(caseloads)
    parties = list(caseloads[periods[0]]) if periods else []
    arrays = "[caseloads]\nperiods = [" + ", ".join(f'"{p}"' for p in periods) + "]\n"
    arrays += "\n".join(
        f"{pid} = [" + ", ".join(str(caseloads[p].get(pid, 0)) for p in periods) + "]"
        for pid in parties
    )

    def best(label: str, source: str) -> None:
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            tomllib.loads(source, parse_float=Decimal)
            times.append(time.perf_counter() - t0)
        print(f"  {label:46s} {len(source) / 1e6:6.2f} MB  {min(times) * 1000:7.0f} ms")

    print(f"{file}: tomllib (parse_float=Decimal, as kokeilu reads), best of 3")
    best("the whole file", text)
    best("everything before the first [caseloads.*]", head)
    best("the caseload tables, one per period", tail)
    best("the same caseloads as one array per party", arrays)


# --- save -------------------------------------------------------------------------------------


def save(file: str) -> None:
    import cProfile
    import pstats

    from kokeilu.editing.edits import set_caseload
    from kokeilu.store.store import Store

    folder = Path(tempfile.mkdtemp(prefix="diagnose-save-"))
    copy = folder / "registry.toml"
    shutil.copyfile(file, copy)
    store = Store(copy, commit=False)
    store.read()
    assert store.document is not None
    period = store.document.registry.periods[-1]
    party = next(iter(store.document.data["caseloads"][period]))

    def one(n: int) -> None:
        assert store.document is not None
        data = store.document.data
        old = data["caseloads"][period][party]
        store.save(set_caseload(data, party, period, old + (1 if n % 2 else -1)))

    t0 = time.perf_counter()
    one(0)
    print(f"first save of the session: {(time.perf_counter() - t0) * 1000:.0f} ms")
    profile = cProfile.Profile()
    profile.enable()
    for n in range(1, 6):
        one(n)
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    # As bench/run does: Python's bytecode cache on, kept in a folder of its own.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    cache = Path(tempfile.gettempdir()) / "kokeilu-bench-pycache"
    ENV["PYTHONPYCACHEPREFIX"] = os.environ.setdefault("PYTHONPYCACHEPREFIX", str(cache))
    if what == "_timed":
        return _timed_dashboard(sys.argv[2:])
    if what == "timeline" and len(sys.argv) == 3:
        timeline(sys.argv[2])
    elif what == "imports":
        imports()
    elif what == "parse" and len(sys.argv) == 3:
        parse(sys.argv[2])
    elif what == "save" and len(sys.argv) == 3:
        save(sys.argv[2])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
