"""`kokeilu diff [REV [REV]]`: what changed in the registry, in words, and what it did to the shares.

Old versions are read from git (`git show REV:path`), so a reviewer can compare any two commits,
or a commit with the file being edited. Given git's seven external-diff arguments instead, it
compares the two files git names, so that `git diff` itself can speak in the registry's words.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kokeilu import git
from kokeilu.cli.common import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE
from kokeilu.display import number, places
from kokeilu.git import GitError
from kokeilu.load import Document, Unreadable, load, parse
from kokeilu.report import render_unreadable
from kokeilu.semdiff import (
    affects_allocations,
    allocation_effect,
    common_period,
    describe,
    diff_data,
)
from kokeilu.strings import t

# path old-file old-hex old-mode new-file new-hex new-mode; a rename adds new-path and a message.
EXTERNAL_ARGS = 7
EXTERNAL_RENAME_ARGS = 9
NULL_FILE = "/dev/null"


def locate(file: Path) -> tuple[Path, str]:
    """The repository holding `file` and the file's path in it.

    Raises GitError with git's own words when there is none, and load.Unreadable when the
    file's folder does not exist.
    """
    if not git.git_available():
        raise GitError(t("diff.no_git"))
    folder = file.resolve().parent
    if not folder.is_dir():
        raise Unreadable(str(file), t("cli.not_found", file=file))
    repo = git.repository(file)
    if repo is None:
        # Not a work tree: this fails, and git says why in its own words.
        repo = Path(git.run(folder, "rev-parse", "--show-toplevel").stdout.strip())
    return repo, file.resolve().relative_to(repo.resolve()).as_posix()


def show(repo: Path, rev: str, relative: str) -> Document:
    """The registry as it was at `rev`; raises GitError or load.Unreadable."""
    text = git.run(repo, "show", f"{rev}:{relative}").stdout
    return parse(text, f"{rev}:{relative}")


def render(old: Document, new: Document) -> list[str]:
    """The lines of a diff: one per change, then the effects on the allocations."""
    changes = diff_data(old.data, new.data)
    if not changes:
        return [t("semdiff.no_changes")]
    lines = [describe(c, old.registry, new.registry) for c in changes]
    if affects_allocations(changes):
        lines += effect_lines(old, new)
    return lines


def effect_lines(old: Document, new: Document) -> list[str]:
    """A blank line, a heading and one aligned line per moved allocation; nothing when none moved."""
    period = common_period(old.registry, new.registry)
    effects = allocation_effect(old.registry, new.registry, period) if period else []
    if not effects:
        return []
    resources = {**old.registry.resources, **new.registry.resources}
    resource_width = max(len(e.resource_name) for e in effects)
    party_width = max(len(e.party_name) for e in effects)
    lines = ["", t("semdiff.effects", period=period)]
    for e in effects:
        decimals = places(resources[e.resource].step)
        amounts = t(
            "semdiff.amounts",
            old=t("semdiff.absent") if e.old is None else number(e.old, decimals),
            new=t("semdiff.absent") if e.new is None else number(e.new, decimals),
            unit=e.unit,
        )
        lines.append(
            f"  {e.resource_name:<{resource_width}}  {e.party_name:<{party_width}}  {amounts}"
        )
    return lines


def run_diff(file: str, revs: list[str]) -> int:
    """Print the semantic diff of the registry at `file` between revisions or the working tree."""
    if len(revs) in (EXTERNAL_ARGS, EXTERNAL_RENAME_ARGS):
        return run_external(*revs[:EXTERNAL_ARGS], renamed_to=revs[EXTERNAL_ARGS:][:1])
    if len(revs) > 2:
        print(t("diff.usage"), file=sys.stderr)
        return EXIT_UNREADABLE
    path = Path(file)
    try:
        repo, relative = locate(path)
        old = show(repo, revs[0] if revs else "HEAD", relative)
        new = show(repo, revs[1], relative) if len(revs) == 2 else load(path)
    except GitError as exc:
        print(t("diff.git_error", file=file, message=str(exc)), file=sys.stderr)
        return EXIT_ERRORS
    except Unreadable as exc:
        print(render_unreadable(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    print("\n".join(render(old, new)))
    return EXIT_OK


def run_external(
    path: str,
    old_file: str,
    old_hex: str,
    old_mode: str,
    new_file: str,
    new_hex: str,
    new_mode: str,
    renamed_to: list[str] | None = None,
) -> int:
    """git's external diff: compare the two files git gives (either may be /dev/null)."""
    try:
        old = None if old_file == NULL_FILE else _read(old_file, path)
        new = None if new_file == NULL_FILE else _read(new_file, path)
    except Unreadable as exc:
        print(render_unreadable(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    if renamed_to:
        lines = [t("diff.header_renamed", path=path, new_path=renamed_to[0])]
    else:
        lines = [t("diff.header", path=path)]
    if old is None and new is None:
        lines.append(t("semdiff.no_changes"))
    elif old is None:
        lines.append(t("semdiff.created"))
    elif new is None:
        lines.append(t("semdiff.deleted"))
    else:
        lines += render(old, new)
    print("\n".join(lines))
    return EXIT_OK


def _read(file: str, name: str) -> Document:
    """A file git handed over, reported under the registry's own path."""
    try:
        return load(file)
    except Unreadable as exc:
        exc.file = name
        raise
