"""The floors the dashboard is measured against: bare Textual apps, with nothing of kokeilu.

    python bench/bare_app.py        one Static (the first-paint and memory floor); ctrl+q quits

`BareTableApp` is the keypress and cell-update floor: a plain DataTable with as many rows and
columns as the dashboard's Approvals table, driven in-process by `bench/inproc.py`.
"""

from __future__ import annotations

import os

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Static

MARKER = "bare app: first paint"


class BareApp(App[None]):
    """One Static on an otherwise empty screen."""

    def compose(self) -> ComposeResult:
        yield Static(MARKER)

    def on_mount(self) -> None:
        # Only when bench/bench.py asks for it: watch the event loop for freezes.
        out = os.environ.get("BENCH_PROBE_OUT")
        if out:
            import asyncio

            from probe import LoopProbe

            LoopProbe(asyncio.get_running_loop(), out).start()


class BareTableApp(App[None]):
    """A DataTable with `rows` rows of seven short columns, as the Approvals view has."""

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key in ("name", "outcome", "date", "minutes", "body", "region", "attachment"):
            table.add_column(key, key=key)
        for n in range(self.rows):
            approved = n % 3 == 0
            table.add_row(
                f"Kunta {n}",
                "approved" if approved else "pending",
                "11.11.2019" if approved else "",
                f"§ {n % 400}" if approved else "",
                "kunnanhallitus" if approved else "",
                f"Alue {n % 10}",
                "",
                key=f"kunta{n:05d}",
            )
        table.focus()


if __name__ == "__main__":
    BareApp().run()
