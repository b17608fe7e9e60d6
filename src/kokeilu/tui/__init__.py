"""The dashboard: a Textual face over the core. Nothing outside this package imports Textual."""

from __future__ import annotations

import sys
from pathlib import Path

from kokeilu.strings import t


def run_dashboard(file: str, *, commit: bool = True) -> int:
    """Open the dashboard on `file`; a missing file is one line and exit 2, before Textual starts."""
    path = Path(file)
    if not path.is_file():
        print(t("cli.not_found", file=file), file=sys.stderr)
        return 2
    from kokeilu.session import Session
    from kokeilu.tui.app import KokeiluApp

    app = KokeiluApp(path, session=Session(path, commit=commit))
    app.run()
    return app.return_code or 0
