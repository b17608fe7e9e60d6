"""`kokeilu log [-n N]`: the registry's history, one line per commit, each said in the registry's words.

Commit messages say what an editor meant; the line here is computed from the file itself (the
commit against its parent), so a hand edit or a merge is described as truly as a dashboard save.
One `git log --raw` names the file's versions; each version is read once.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kokeilu import git
from kokeilu.cli.common import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE
from kokeilu.cli.diff import locate
from kokeilu.display import literal
from kokeilu.git import GitError
from kokeilu.load import Document, Unreadable, parse
from kokeilu.report import render_unreadable
from kokeilu.semdiff import diff_data, summary
from kokeilu.strings import t

DEFAULT_COUNT = 20
_RECORD, _FIELD = "\x1e", "\x1f"


def _is_null(blob: str) -> bool:
    """git's name for "no file here" (all zeros, SHA-1 or SHA-256)."""
    return not blob.strip("0")


class _Versions:
    """The file's versions by blob id, each read and parsed once."""

    def __init__(self, repo: Path, relative: str):
        self.repo = repo
        self.relative = relative
        self.cache: dict[str, Document | Unreadable] = {}

    def get(self, blob: str) -> Document | Unreadable:
        if blob not in self.cache:
            text = git.run(self.repo, "cat-file", "blob", blob).stdout
            try:
                self.cache[blob] = parse(text, f"{blob[:10]}:{self.relative}")
            except Unreadable as exc:
                self.cache[blob] = exc
        return self.cache[blob]


def _summary(versions: _Versions, old_blob: str | None, new_blob: str | None) -> str:
    """One line for one commit's change to the file."""
    if old_blob is None or new_blob is None:
        return t("semdiff.no_changes")
    if _is_null(old_blob) and _is_null(new_blob):
        return t("semdiff.no_changes")
    if _is_null(old_blob):
        return t("semdiff.created")
    if _is_null(new_blob):
        return t("semdiff.deleted")
    old, new = versions.get(old_blob), versions.get(new_blob)
    for doc in (old, new):
        if isinstance(doc, Unreadable):
            return t("semdiff.unreadable", message=literal(doc.message))
    assert isinstance(old, Document) and isinstance(new, Document)
    return summary(diff_data(old.data, new.data), old.registry, new.registry)


def history(file: Path, count: int = DEFAULT_COUNT) -> list[tuple[str, str, str, str]]:
    """The newest `count` commits that touch `file`: (sha, date, author, summary), newest first.

    Raises GitError with git's message, or load.Unreadable when the file's folder is missing.
    """
    repo, relative = locate(file)
    out = git.run(
        repo,
        "log",
        f"--max-count={max(count, 0)}",
        "--no-abbrev",
        "--no-renames",
        "--raw",
        "--diff-merges=first-parent",
        "--date=format:%Y-%m-%d %H:%M",
        f"--format={_RECORD}%H{_FIELD}%ad{_FIELD}%an",
        "--",
        relative,
    ).stdout
    versions = _Versions(repo, relative)
    rows = []
    for record in out.split(_RECORD)[1:]:
        head, *rest = record.split("\n")
        sha, date, author = head.split(_FIELD)
        old_blob = new_blob = None
        for line in rest:
            if line.startswith(":"):
                fields = line.split("\t", 1)[0].split()
                old_blob, new_blob = fields[2], fields[3]
                break
        rows.append((sha, date, author, _summary(versions, old_blob, new_blob)))
    return rows


def run_log(file: str, count: int = DEFAULT_COUNT) -> int:
    """Print the registry's history, newest first, one line per commit."""
    try:
        rows = history(Path(file), count)
    except GitError as exc:
        print(t("diff.git_error", file=file, message=str(exc)), file=sys.stderr)
        return EXIT_ERRORS
    except Unreadable as exc:
        print(render_unreadable(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    width = max((len(literal(author)) for _, _, author, _ in rows), default=0)
    for _, date, author, line in rows:
        print(t("log.line", date=date, author=f"{literal(author):<{width}}", summary=line))
    return EXIT_OK
