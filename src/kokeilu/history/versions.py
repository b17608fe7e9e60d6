"""The registry's history in git: its versions, what each commit changed in words, what it did
to the allocations, and the edits that take a change back or settle a hand edit.

Shared by `kokeilu diff`, `kokeilu log` and the dashboard's History view. Reads go through git
(argument lists, never a shell); writes go through the store's one save path.
"""

from __future__ import annotations

from pathlib import Path

from kokeilu.editing.edits import Change, Edit
from kokeilu.history import git
from kokeilu.history.git import GitError
from kokeilu.history.semdiff import (
    Side,
    affects_allocations,
    describe,
    diff_data,
    effects,
    summary,
)
from kokeilu.registry.load import Document, Unreadable, parse
from kokeilu.text.display import literal, number, places
from kokeilu.text.strings import t

DEFAULT_COUNT = 20
_RECORD, _FIELD = "\x1e", "\x1f"


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


def show(repo: Path, rev: str, relative: str, name: str | None = None) -> Document:
    """The registry as it was at commit `rev`; raises GitError or load.Unreadable.

    `rev` never reaches git as an option: one starting with `-` is refused, and git is told
    where its options end. A revision from the user is checked first with `git.commit_of`,
    which says plainly when it names no commit; `name` is how messages then call it.
    """
    if rev.startswith("-"):
        raise GitError(t("git.bad_revision", rev=literal(rev)))
    text = git.run(repo, "show", "--end-of-options", f"{rev}^{{commit}}:{relative}").stdout
    return parse(text, f"{literal(name or rev)}:{relative}")


def render(old: Document, new: Document) -> list[str]:
    """The lines of a diff: one per change, then the effects on the allocations."""
    changes = diff_data(old.data, new.data)
    if not changes:
        return [t("semdiff.no_changes")]
    lines = [describe(c, old.registry, new.registry) for c in changes]
    if affects_allocations(changes):
        lines += effect_lines(old, new)
    return lines


def effect_lines(old: Document, new: Document, provisional: bool = False) -> list[str]:
    """A blank line, a heading naming the division and period, then one aligned line per moved
    allocation; or why a version cannot be divided, or that nothing moved.

    The division is the one `kokeilu shares` shows by default (approved parties, its default
    period), so that the amounts here are the ones `shares` gives before and after.
    """
    found = effects(old.registry, new.registry, provisional=provisional)
    division = t("semdiff.division_provisional" if provisional else "semdiff.division_approved")
    before, after = _period(found.before), _period(found.after)
    if found.before.period is None and found.after.period is None:
        period = t("semdiff.absent")
    elif before == after:
        period = before
    else:
        period = t("semdiff.periods", old=before, new=after)
    problems = [
        t(key, reason=literal(side.problem))
        for key, side in (
            ("semdiff.before_undivided", found.before),
            ("semdiff.after_undivided", found.after),
        )
        if side.problem is not None
    ]
    if not found.moved and not problems:
        return ["", t("semdiff.effects_none", division=division, period=period)]
    lines = ["", t("semdiff.effects_heading", division=division, period=period), *problems]
    if not found.moved:
        return lines
    moved = found.moved
    resources = {**old.registry.resources, **new.registry.resources}
    resource_width = max(len(e.resource_name) for e in moved)
    party_width = max(len(e.party_name) for e in moved)
    for e in moved:
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


def _period(side: Side) -> str:
    """A version's period as the effect heading names it: INCOMPLETE, as `shares` says, when a
    participant has no count in it (and counts as zero)."""
    if side.period is None:
        return t("semdiff.absent")
    if side.incomplete is None:
        return side.period
    count, total = side.incomplete
    return t("semdiff.period_incomplete", period=side.period, count=count, total=total)


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


def history(
    file: Path, count: int = DEFAULT_COUNT, rev: str | None = None
) -> list[tuple[str, str, str, str]]:
    """The newest `count` commits that touch `file` up to `rev` (default HEAD): (sha, date,
    author, summary), newest first.

    Raises GitError with git's message (or when `rev` names no commit), or load.Unreadable
    when the file's folder is missing.
    """
    repo, relative = locate(file)
    start = [git.commit_of(repo, rev)] if rev is not None else []
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
        "--end-of-options",
        *start,
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


def versions_of(file: Path, sha: str) -> tuple[Document | None, Document]:
    """The registry before and after commit `sha` (None before a commit that created it)."""
    repo, relative = locate(file)
    new = show(repo, sha, relative)
    try:
        old: Document | None = show(repo, f"{sha}^", relative)
    except GitError:  # the root commit, or the commit that added the file
        old = None
    return old, new


def head_version(file: Path) -> Document | None:
    """The registry as last committed, or None when it has never been committed."""
    repo, relative = locate(file)
    try:
        return show(repo, "HEAD", relative)
    except GitError:
        return None


def pending(file: Path) -> bool:
    """Whether the file differs from its last commit (a hand edit, or saves with --no-commit)."""
    return _pending(*locate(file))


def _pending(repo: Path, relative: str) -> bool:
    return bool(git.run(repo, "status", "--porcelain", "--", relative).stdout.strip())


def revert(old: Document | None, new: Document, sha: str) -> Edit:
    """The edit that takes back what commit `sha` changed (old → new), as a new change.

    Each field goes back to its value before the commit; if a field has changed again since,
    the save path reports a conflict instead of overwriting it.
    """
    if old is None:
        raise GitError(t("history.cannot_revert_creation"))
    changes = diff_data(old.data, new.data)
    return Edit(
        "revert",
        (("summary", summary(changes, old.registry, new.registry)), ("sha", sha[:7])),
        tuple(Change(c.path, c.new, c.old) for c in changes),
    )


def last_author(file: Path) -> str | None:
    """Who made the file as it is now: the last commit's author, or None for an uncommitted edit."""
    repo, relative = locate(file)
    if _pending(repo, relative):
        return None
    author = git.run(repo, "log", "-1", "--format=%an", "--", relative).stdout.strip()
    return author or None
