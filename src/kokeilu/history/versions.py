"""The registry's history in git: its versions, what each commit changed in words, what it did
to the allocations, and the edits that take a change back or settle a hand edit.

Shared by `kokeilu diff`, `kokeilu log` and the dashboard's History view. Reads go through git
(argument lists, never a shell); writes go through the store's one save path.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from kokeilu.editing.edits import Change, Edit
from kokeilu.history.effects import Side, effects
from kokeilu.history.git import GitError, Repository
from kokeilu.history.semdiff import FieldChange, affects_allocations, diff_data
from kokeilu.history.wording import describe, summary
from kokeilu.registry.load import Document, Unreadable, parse_bytes
from kokeilu.registry.model import Registry
from kokeilu.text.display import literal, number, places
from kokeilu.text.strings import language, t

DEFAULT_COUNT = 20
_RECORD, _FIELD = "\x1e", "\x1f"


def show(repo: Repository, rev: str, relative: str, name: str | None = None) -> Document:
    """The registry as it was at commit `rev`; raises GitError or load.Unreadable.

    `rev` never reaches git as an option (`git.refuse_option`). A revision from the user is
    checked first with `Repository.commit_of`, which says plainly when it names no commit;
    `name` is how messages then call it.
    """
    return parse_bytes(repo.show(rev, relative), f"{literal(name or rev)}:{relative}")


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
    """The file's versions by blob id: read together by one `git cat-file --batch`, parsed once."""

    def __init__(self, repo: Repository, relative: str, blobs: list[str]):
        self.relative = relative
        self.cache: dict[str, Document | Unreadable] = {}
        self.raw = repo.blobs(b for b in blobs if not _is_null(b))

    def get(self, blob: str) -> Document | Unreadable:
        if blob not in self.cache:
            raw = self.raw.pop(blob, None)
            if raw is None:
                raise GitError(t("git.bad_revision", rev=literal(blob)))
            try:
                self.cache[blob] = parse_bytes(raw, f"{blob[:10]}:{self.relative}")
            except Unreadable as exc:
                self.cache[blob] = exc
        return self.cache[blob]


# The lines said lately, by (old blob, new blob, path, language): a blob never changes, so a
# refresh of the History view reads and parses only the versions of commits it has not seen.
_SAID: OrderedDict[tuple[str, str, str, str], str] = OrderedDict()
_SAID_KEPT = 1000
_SAID_LOCK = threading.Lock()


def _summaries(
    repo: Repository, relative: str, pairs: list[tuple[str | None, str | None]]
) -> list[str]:
    """One line per (old blob, new blob): kept ones as they were, the others read together."""
    lang = language()
    keys = [(old or "", new or "", relative, lang) for old, new in pairs]
    with _SAID_LOCK:
        said = {k: _SAID[k] for k in keys if k in _SAID}
    todo = [(old, new) for (old, new), k in zip(pairs, keys, strict=True) if k not in said]
    versions = _Versions(repo, relative, [b for pair in todo for b in pair if b is not None])
    for (old, new), k in zip(pairs, keys, strict=True):
        if k not in said:
            said[k] = _summary(versions, old, new)
    with _SAID_LOCK:
        for k in keys:
            _SAID[k] = said[k]
            _SAID.move_to_end(k)
        while len(_SAID) > _SAID_KEPT:
            _SAID.popitem(last=False)
    return [said[k] for k in keys]


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


Row = tuple[str, str, str, str]


class FileHistory:
    """One registry file in its repository: its commits, its versions and whether it is as
    committed. Found once (`Repository.holding`), so that a History refresh starts four git
    processes however many versions it lists: `rev-parse`, `log`, `cat-file --batch`, `status`.
    """

    def __init__(self, file: Path):
        self.repo, self.relative = Repository.holding(file)

    def log(self, count: int = DEFAULT_COUNT, rev: str | None = None) -> list[Row]:
        """The newest `count` commits that touch the file up to `rev` (default HEAD): (sha,
        date, author, summary), newest first. Raises GitError with git's message (or when
        `rev` names no commit)."""
        start = self.repo.commit_of(rev) if rev is not None else None
        out = self.repo.log(
            f"--max-count={max(count, 0)}",
            "--no-abbrev",
            "--no-renames",
            "--raw",
            "--diff-merges=first-parent",
            "--date=format:%Y-%m-%d %H:%M",
            f"--format={_RECORD}%H{_FIELD}%ad{_FIELD}%an",
            start=start,
            relative=self.relative,
        )
        commits = []
        for record in out.split(_RECORD)[1:]:
            head, *rest = record.split("\n")
            sha, date, author = head.split(_FIELD)
            old_blob = new_blob = None
            for line in rest:
                if line.startswith(":"):
                    fields = line.split("\t", 1)[0].split()
                    old_blob, new_blob = fields[2], fields[3]
                    break
            commits.append((sha, date, author, old_blob, new_blob))
        lines = _summaries(self.repo, self.relative, [(c[3], c[4]) for c in commits])
        return [(c[0], c[1], c[2], line) for c, line in zip(commits, lines, strict=True)]

    def pending(self) -> bool:
        """Whether the file differs from its last commit (a hand edit, or saves with --no-commit)."""
        return bool(self.repo.status(self.relative).strip())

    def versions_of(self, sha: str) -> tuple[Document | None, Document]:
        """The registry before and after commit `sha` (None before a commit that created it)."""
        new = show(self.repo, sha, self.relative)
        try:
            old: Document | None = show(self.repo, f"{sha}^", self.relative)
        except GitError:  # the root commit, or the commit that added the file
            old = None
        return old, new

    def head_version(self) -> Document | None:
        """The registry as last committed, or None when it has never been committed."""
        try:
            return show(self.repo, "HEAD", self.relative)
        except GitError:
            return None

    def last_author(self) -> str | None:
        """Who made the file as it is now: the last commit's author, or None for an uncommitted edit."""
        if self.pending():
            return None
        author = self.repo.run("log", "-1", "--format=%an", "--", self.relative).stdout.strip()
        return author or None


def history(file: Path, count: int = DEFAULT_COUNT, rev: str | None = None) -> list[Row]:
    """`FileHistory(file).log(count, rev)`; raises GitError, or load.Unreadable when the file's
    folder is missing."""
    return FileHistory(file).log(count, rev)


def versions_of(file: Path, sha: str) -> tuple[Document | None, Document]:
    """The registry before and after commit `sha` (None before a commit that created it)."""
    return FileHistory(file).versions_of(sha)


def head_version(file: Path) -> Document | None:
    """The registry as last committed, or None when it has never been committed."""
    return FileHistory(file).head_version()


def pending(file: Path) -> bool:
    """Whether the file differs from its last commit (a hand edit, or saves with --no-commit)."""
    return FileHistory(file).pending()


def last_author(file: Path) -> str | None:
    """Who made the file as it is now: the last commit's author, or None for an uncommitted edit."""
    return FileHistory(file).last_author()


class _Summary:
    """A commit's change in one line, said when the revert's words are: in the registry's
    language for its commit subject, in the user's on screen."""

    def __init__(self, changes: list[FieldChange], old: Registry, new: Registry):
        self.args = (changes, old, new)

    def words(self) -> str:
        return summary(*self.args)

    def __str__(self) -> str:
        return self.words()


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
        (("summary", _Summary(changes, old.registry, new.registry)), ("sha", sha[:7])),
        tuple(Change(c.path, c.new, c.old) for c in changes),
    )
