"""`kokeilu log [-n N]`: the registry's history, one line per commit, each said in the registry's words.

Commit messages say what an editor meant; the line here is computed from the file itself (the
commit against its parent), so a hand edit or a merge is described as truly as a dashboard save.
One `git log --raw` names the file's versions; each version is read once.
"""

from __future__ import annotations

from pathlib import Path

from kokeilu.cli.common import EXIT_OK, report_failure
from kokeilu.display import literal
from kokeilu.git import GitError
from kokeilu.history import DEFAULT_COUNT, history
from kokeilu.load import Unreadable
from kokeilu.strings import t


def run_log(file: str, count: int = DEFAULT_COUNT) -> int:
    """Print the registry's history, newest first, one line per commit."""
    try:
        rows = history(Path(file), count)
    except (GitError, Unreadable) as exc:
        return report_failure(file, exc)
    width = max((len(literal(author)) for _, _, author, _ in rows), default=0)
    for _, date, author, line in rows:
        print(t("log.line", date=date, author=f"{literal(author):<{width}}", summary=literal(line)))
    return EXIT_OK
