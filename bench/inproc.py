"""In-process measurements, each printed as one JSON object on stdout (bench/bench.py runs them).

    python bench/inproc.py save FILE RUNS    Store.save of a set_caseload edit, with and without
                                             the commit, against reading + parsing FILE with tomllib
    python bench/inproc.py keys FILE RUNS    CPU per key (down) in the Approvals view, against a
                                             bare DataTable of as many rows; CPU per cell update
                                             (RegistryTable.set_rows) against DataTable.update_cell

Each runs in a process of its own, so that one measurement's imports and garbage do not count in
the next one.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any


def _ms(seconds: list[float]) -> dict[str, float]:
    """Median, minimum and maximum of timings, in milliseconds."""
    return {
        "median": statistics.median(seconds) * 1000,
        "min": min(seconds) * 1000,
        "max": max(seconds) * 1000,
        "n": len(seconds),
    }


# --- Save round trip -------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _save_series(source: Path, runs: int, commit: bool) -> dict[str, Any]:
    from kokeilu.editing.edits import set_caseload
    from kokeilu.store.store import Store

    folder = Path(tempfile.mkdtemp(prefix="bench-save-"))
    try:
        file = folder / "registry.toml"
        shutil.copyfile(source, file)
        if commit:
            _git(folder, "init", "-q")
            _git(folder, "config", "user.name", "Bench")
            _git(folder, "config", "user.email", "bench@example.invalid")
            _git(folder, "config", "commit.gpgsign", "false")
            _git(folder, "add", file.name)
            _git(folder, "commit", "-q", "-m", "initial")
        store = Store(file, commit=commit)
        store.read()  # as the dashboard does when it opens
        doc = store.document
        assert doc is not None
        period = doc.registry.periods[-1]
        party = next(iter(doc.data["caseloads"][period]))
        times: list[float] = []
        floor: list[float] = []
        for n in range(runs + 1):
            # The floor, in turns with the saves: read and parse the file as it is now.
            t0 = time.perf_counter()
            with open(file, "rb") as f:
                tomllib.load(f)
            floor.append(time.perf_counter() - t0)
            data = store.document.data
            old = data["caseloads"][period][party]
            edit = set_caseload(data, party, period, old + (1 if n % 2 == 0 else -1))
            t0 = time.perf_counter()
            saved = store.save(edit)
            times.append(time.perf_counter() - t0)
            if commit and not saved.commit.sha:
                raise RuntimeError(f"the save was not committed: {saved.commit}")
        return {"first_ms": times[0] * 1000, "steady": _ms(times[1:]), "floor": floor}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def bench_save(file: Path, runs: int) -> dict[str, Any]:
    """The first save of a session, then the median of `runs` more, with and without commit."""
    no_commit = _save_series(file, runs, commit=False)
    commit = _save_series(file, runs, commit=True)
    return {
        "baseline_tomllib": _ms(no_commit.pop("floor") + commit.pop("floor")),
        "no_commit": no_commit,
        "commit": commit,
    }


# --- Keypresses and cell updates -------------------------------------------------------------
#
# The apps run under App.run_test (headless: everything but writing the escape codes to a
# terminal). A key goes in the way Pilot.press sends it (App._press_keys); the window then waits
# until the process is idle and draws the screen, as Pilot.pause does, but without
# Pilot._wait_for_screen, whose walk over every widget costs the dashboard ~5 ms CPU per call
# (a bare table ~1 ms) and would be charged to the app though no terminal does it.


async def _settle(app: Any) -> None:
    """Wait until the app has done what it was asked (20 ms without CPU), then draw the screen."""
    while True:
        cpu = time.process_time()
        await asyncio.sleep(0.02)
        if time.process_time() - cpu < 0.001:
            break
    app.screen._on_timer_update()


async def _presses(app: Any, table: Any, count: int, scrolling: bool) -> list[float]:
    """CPU per `down` key: moving within the rows on screen, or scrolling the table each time."""
    if scrolling:
        table.move_cursor(row=table.row_count // 2, animate=False)
    else:
        table.move_cursor(row=0, animate=False)
        table.scroll_home(animate=False)
    await _settle(app)
    times = []
    for _ in range(count):
        row, scroll = table.cursor_row, table.scroll_y
        t0 = time.process_time()
        await app._press_keys(["down"])
        await _settle(app)
        times.append(time.process_time() - t0)
        if table.cursor_row != row + 1 or (table.scroll_y != scroll) != scrolling:
            raise RuntimeError(
                f"down: row {row} -> {table.cursor_row}, scroll {scroll} -> {table.scroll_y}"
            )
    return times


async def _table_keys(app: Any, table: Any, presses: int) -> dict[str, Any]:
    # Rows on screen, less a margin: that many presses move the cursor without scrolling.
    on_screen = table.scrollable_content_region.height - table.header_height
    within = await _presses(app, table, max(3, min(presses, on_screen - 2)), scrolling=False)
    scrolling = await _presses(app, table, presses, scrolling=True)
    return {"rows": table.row_count, "within": _ms(within), "scrolling": _ms(scrolling)}


async def _dashboard(file: Path, presses: int, updates: int) -> dict[str, Any]:
    from kokeilu.store.session import Session
    from kokeilu.tui.app import KokeiluApp
    from kokeilu.tui.widgets.table import RegistryTable

    app = KokeiluApp(file, session=Session(file, commit=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("2")  # Approvals
        await pilot.pause()
        await app.workers.wait_for_complete()
        await _settle(app)
        table = app.query_one("#approvals-table", RegistryTable)
        result = await _table_keys(app, table, presses)
        # One cell changes: the minutes of the row under the cursor, within the column's width.
        base = list(table._rows)
        at = next(i for i, r in enumerate(base) if r.key == table.current_key)
        column = 3  # minutes
        cell: list[float] = []
        for n in range(updates):
            new = list(base)
            old = new[at]
            text = f"§ {n % 2 + 1}"
            new[at] = replace(old, cells=(*old.cells[:column], text, *old.cells[column + 1 :]))
            t0 = time.process_time()
            table.set_rows(new)
            await _settle(app)
            cell.append(time.process_time() - t0)
            if str(table.get_row_at(table.cursor_row)[column]) != text:
                raise RuntimeError("set_rows did not change the cell")
        await pilot.press("ctrl+q")
    return result | {"cell": _ms(cell)}


async def _bare(rows: int, presses: int, updates: int) -> dict[str, Any]:
    from bare_app import BareTableApp
    from textual.widgets import DataTable

    app = BareTableApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app)
        table = app.query_one(DataTable)
        result = await _table_keys(app, table, presses)
        row_key = f"kunta{table.cursor_row:05d}"
        cell: list[float] = []
        for n in range(updates):
            t0 = time.process_time()
            table.update_cell(row_key, "minutes", f"§ {n % 2 + 1}")
            await _settle(app)
            cell.append(time.process_time() - t0)
        await pilot.press("ctrl+q")
    return result | {"cell": _ms(cell)}


def bench_keys(file: Path, runs: int) -> dict[str, Any]:
    """Keypress and cell-update CPU in the dashboard's Approvals table and in a bare DataTable."""
    updates = max(5, runs // 2)
    dashboard = asyncio.run(_dashboard(file, runs, updates))
    bare = asyncio.run(_bare(dashboard["rows"], runs, updates))
    return {"dashboard": dashboard, "bare": bare}


def main() -> int:
    what, file, runs = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    result = bench_save(file, runs) if what == "save" else bench_keys(file, runs)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
