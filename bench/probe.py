"""The dashboard with a watch on its event loop: how long was the screen frozen, and when.

    BENCH_PROBE_OUT=out.json python bench/probe.py [kokeilu arguments]

Runs `kokeilu` exactly as the command does, with two additions made from outside (nothing in
src/ changes): once the app is mounted, a thread asks the event loop every 20 ms to run a
callback and records how long that took (a loop busy with a 2 s piece of work answers after
2 s: one 2 s freeze); and the moment the division of the resources reaches the screen is
recorded. The samples are written to BENCH_PROBE_OUT when the app exits, or at once when a file
BENCH_PROBE_OUT with the suffix `.dump` appears, as JSON lists of [sent, answered] on the
system's monotonic clock, which `bench/bench.py` compares with the moment it saw the first paint
in tmux.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from pathlib import Path


class LoopProbe:
    """Measures the event loop's answer time from a thread, one request at a time."""

    def __init__(self, loop: asyncio.AbstractEventLoop, out: str, interval: float = 0.02):
        self.loop, self.out, self.interval = loop, Path(out), interval
        self.samples: list[tuple[float, float]] = []
        self.marks: dict[str, float] = {}
        self._stop = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, name="bench-loop-probe", daemon=True).start()
        import atexit

        atexit.register(self.write)

    def mark(self, name: str) -> None:
        """Record the first time something happened (and tell the driver at once)."""
        if name not in self.marks:
            self.marks[name] = time.monotonic()
            flag = self.out.with_suffix(f".{name}")
            flag.with_suffix(".tmp").write_text(str(self.marks[name]))
            flag.with_suffix(".tmp").replace(flag)  # the driver never reads half a number

    def _run(self) -> None:
        asked = self.out.with_suffix(".dump")
        while not self._stop.is_set():
            if asked.exists():  # the driver wants the samples now, whether or not the app exits
                asked.unlink()
                self.write(stop=False)
            answered = threading.Event()
            sent = time.monotonic()

            def answer(sent: float = sent, answered: threading.Event = answered) -> None:
                self.samples.append((sent, time.monotonic()))
                answered.set()

            try:
                self.loop.call_soon_threadsafe(answer)
            except RuntimeError:  # the loop is closed: the app has exited
                return
            while not answered.wait(0.5):
                if self.loop.is_closed():
                    return
            time.sleep(self.interval)

    def write(self, stop: bool = True) -> None:
        if stop:
            self._stop.set()
        tmp = self.out.with_suffix(".tmp")
        tmp.write_text(json.dumps({"samples": self.samples, "marks": self.marks}))
        tmp.replace(self.out)


def main() -> int:
    import os

    from kokeilu.cli import main as kokeilu_main
    from kokeilu.tui.app import KokeiluApp

    out = os.environ["BENCH_PROBE_OUT"]
    on_mount, show_shares = KokeiluApp.on_mount, KokeiluApp._show_shares
    probes: list[LoopProbe] = []

    def probed_on_mount(self: KokeiluApp) -> None:
        probe = LoopProbe(asyncio.get_running_loop(), out)
        probes.append(probe)
        probe.start()
        on_mount(self)

    def probed_show_shares(self: KokeiluApp, shares: object) -> None:
        show_shares(self, shares)  # type: ignore[arg-type]
        if probes:
            # After the views have taken the shares: the next loop answer follows their drawing.
            self.call_after_refresh(probes[0].mark, "shares")

    KokeiluApp.on_mount = probed_on_mount  # type: ignore[method-assign]
    KokeiluApp._show_shares = probed_show_shares  # type: ignore[method-assign]
    return kokeilu_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
