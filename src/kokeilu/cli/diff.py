"""`kokeilu diff [REV [REV]]`: what changed in the registry, in words, and what it did to the shares.

Old versions are read from git (`git show REV:path`), so a reviewer can compare any two commits,
or a commit with the file being edited. Given git's seven external-diff arguments instead, it
compares the two files git names, so that `git diff` itself can speak in the registry's words.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kokeilu.cli.exits import EXIT_OK, EXIT_UNREADABLE
from kokeilu.cli.reading import report_failure
from kokeilu.history.git import GitError, Repository, refuse_option
from kokeilu.history.versions import render, show
from kokeilu.registry.findings_report import render_unreadable
from kokeilu.registry.load import Document, Unreadable, load
from kokeilu.text.display import literal
from kokeilu.text.strings import t

# path old-file old-hex old-mode new-file new-hex new-mode; a rename adds new-path and a message.
EXTERNAL_ARGS = 7
EXTERNAL_RENAME_ARGS = 9
NULL_FILE = "/dev/null"


def run_diff(file: str, revs: list[str]) -> int:
    """Print the semantic diff of the registry at `file` between revisions or the working tree."""
    if len(revs) in (EXTERNAL_ARGS, EXTERNAL_RENAME_ARGS):
        # path old-file old-hex old-mode new-file new-hex new-mode [new-path message]
        name, old_file, _, _, new_file, _, _ = revs[:EXTERNAL_ARGS]
        renamed_to = revs[EXTERNAL_ARGS] if len(revs) > EXTERNAL_ARGS else None
        return run_external(name, old_file, new_file, renamed_to)
    try:  # a revision git would read as an option: refused before anything else
        for rev in revs:
            refuse_option(rev)
    except GitError as exc:
        return report_failure(file, exc)
    if len(revs) > 2:
        print(t("diff.usage"), file=sys.stderr)
        return EXIT_UNREADABLE
    path = Path(file)
    try:
        repo, relative = Repository.holding(path)
        # Each revision is checked to name a commit before it is used (never read as an option).
        revs = revs or ["HEAD"]
        shas = [repo.commit_of(rev) for rev in revs]
        old = show(repo, shas[0], relative, revs[0])
        new = show(repo, shas[1], relative, revs[1]) if len(shas) == 2 else load(path)
    except (GitError, Unreadable) as exc:
        return report_failure(file, exc)
    print("\n".join(literal(line) for line in render(old, new)))
    return EXIT_OK


def run_external(path: str, old_file: str, new_file: str, renamed_to: str | None = None) -> int:
    """git's external diff: compare the two files git gives (either may be /dev/null)."""
    try:
        old = None if old_file == NULL_FILE else _read(old_file, path)
        new = None if new_file == NULL_FILE else _read(new_file, path)
    except Unreadable as exc:
        print(render_unreadable(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    if renamed_to is not None:
        lines = [t("diff.header_renamed", path=literal(path), new_path=literal(renamed_to))]
    else:
        lines = [t("diff.header", path=literal(path))]
    if old is None and new is None:
        lines.append(t("semdiff.no_changes"))
    elif old is None:
        lines.append(t("semdiff.created"))
    elif new is None:
        lines.append(t("semdiff.deleted"))
    else:
        lines += render(old, new)
    print("\n".join(literal(line) for line in lines))
    return EXIT_OK


def _read(file: str, name: str) -> Document:
    """A file git handed over, reported under the registry's own path."""
    try:
        return load(file)
    except Unreadable as exc:
        exc.file = name
        raise
