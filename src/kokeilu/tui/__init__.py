"""The dashboard: a Textual face over the core. Nothing outside this package imports Textual."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

from kokeilu.text.strings import t


def run_dashboard(file: str, *, commit: bool = True) -> int:
    """Open the dashboard on `file`; a missing file, or one that is no regular file (a folder, a
    named pipe, a device), is one line and exit 2, before Textual starts."""
    from kokeilu.registry.findings_report import render_unreadable
    from kokeilu.registry.load import Unreadable, not_regular

    path = Path(file)
    try:
        st = path.stat()
    except FileNotFoundError:
        print(t("cli.not_found", file=file), file=sys.stderr)
        return 2
    except OSError as exc:
        reason = t("diag.unreadable", reason=exc.strerror or str(exc))
        print(render_unreadable(Unreadable(file, reason)), file=sys.stderr)
        return 2
    if not stat.S_ISREG(st.st_mode):
        print(render_unreadable(Unreadable(file, not_regular(st))), file=sys.stderr)
        return 2
    from kokeilu.store.session import Session
    from kokeilu.tui.app import KokeiluApp

    app = KokeiluApp(path, session=Session(path, commit=commit))
    app.run()
    return app.return_code or 0
