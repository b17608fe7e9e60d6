"""`kokeilu log [-n N] [REV]`: the registry's history, one line per commit, each said in the registry's words.

Commit messages say what an editor meant; the line here is computed from the file itself (the
commit against its parent), so a hand edit or a merge is described as truly as a dashboard save.
One `git log --raw` names the file's versions; each version is read once.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kokeilu.cli.exits import EXIT_OK, EXIT_UNREADABLE
from kokeilu.cli.reading import report_failure
from kokeilu.history.git import GitError, refuse_option
from kokeilu.history.versions import DEFAULT_COUNT, history
from kokeilu.registry.load import Unreadable
from kokeilu.text.display import literal
from kokeilu.text.strings import t


def run_log(file: str, count: int = DEFAULT_COUNT, revs: list[str] | None = None) -> int:
    """Print the registry's history up to a revision (default HEAD), newest first, one line per commit."""
    revs = revs or []
    try:
        # A revision that git could read as an option is refused first, whatever else is wrong.
        for rev in revs:
            refuse_option(rev)
        if len(revs) > 1:
            print(t("log.usage"), file=sys.stderr)
            return EXIT_UNREADABLE
        rows = history(Path(file), count, revs[0] if revs else None)
    except (GitError, Unreadable) as exc:
        return report_failure(file, exc)
    width = max((len(literal(author)) for _, _, author, _ in rows), default=0)
    for _, date, author, line in rows:
        print(t("log.line", date=date, author=f"{literal(author):<{width}}", summary=literal(line)))
    return EXIT_OK
