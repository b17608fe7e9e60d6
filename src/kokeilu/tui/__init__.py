"""The dashboard: a Textual face over the core. Nothing outside this package imports Textual."""

from __future__ import annotations

import gc
import stat
import sys
from pathlib import Path

from kokeilu.text.strings import t

# Whether `hold_collector` has paused Python's cyclic garbage collector for the start.
_held = False


def hold_collector() -> None:
    """Pause the cyclic garbage collector until the first frame is on the terminal.

    Importing Textual and building the first screen make hundreds of thousands of objects that
    live as long as the process; the collector walked them all in a full collection just before
    the first frame (~60 ms of CPU, a quarter of a bare Textual app's whole start). Nothing made
    before the first frame is garbage worth that wait.
    """
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release_collector() -> None:
    """Start the collector again after the first frame (`KokeiluApp.on_ready`), with what the
    start made moved out of its sight (`gc.freeze`), so that no later collection walks it again."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()


def run_dashboard(file: str, *, commit: bool = True) -> int:
    """Open the dashboard on `file`; a missing file, or one that is no regular file (a folder, a
    named pipe, a device), is one line and exit 2, before Textual starts."""
    path = Path(file)
    try:
        st = path.stat()
    except FileNotFoundError:
        print(t("cli.not_found", file=file), file=sys.stderr)
        return 2
    except OSError as exc:
        from kokeilu.registry.findings_report import render_unreadable
        from kokeilu.registry.load import Unreadable

        reason = t("diag.unreadable", reason=exc.strerror or str(exc))
        print(render_unreadable(Unreadable(file, reason)), file=sys.stderr)
        return 2
    if not stat.S_ISREG(st.st_mode):
        from kokeilu.registry.findings_report import render_unreadable
        from kokeilu.registry.load import Unreadable, not_regular

        print(render_unreadable(Unreadable(file, not_regular(st))), file=sys.stderr)
        return 2
    from kokeilu.tui.frames import Frames

    frames = Frames.start(path, [f"commit={commit}"])
    try:
        hold_collector()
        from kokeilu.store.session import Session
        from kokeilu.tui.app import KokeiluApp

        app = KokeiluApp(path, session=Session(path, commit=commit), frames=frames)
        app.run()
        return app.return_code or 0
    finally:
        if frames is not None:
            frames.leave()
