"""The registry as it stood on a given day, or at a given commit: which commit, and its text.

Used by `kokeilu status/shares --at/--rev` and by the dashboard's read-only view of an old
version. The version is read from git's blob (never checked out into the work tree), so an
edit in progress in the work tree is neither touched nor read.

The rule for `--at DAY`: of the commits reachable from HEAD that changed the registry file,
the one with the latest committer date at or before DAY 23:59:59 in this machine's time zone
(TZ); the file as that commit left it. The committer date is when a change entered this
history (a rebased commit keeps its older author date); kokeilu's own saves set both alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kokeilu.history.git import GitError, Repository, refuse_option
from kokeilu.history.versions import show
from kokeilu.registry.load import Document
from kokeilu.text.display import literal
from kokeilu.text.strings import t

_FIELD = "\x1f"
# The fields of a commit as a version names it: id, committer time (seconds), the same as a
# local date, the author's name.
_FORMAT = f"--format=%H{_FIELD}%ct{_FIELD}%cd{_FIELD}%an"
_DATE = "--date=format-local:%Y-%m-%d %H:%M"


class NoVersion(GitError):
    """There is no version of the registry where the user asked (the message says why)."""


@dataclass(frozen=True, slots=True)
class Version:
    """One commit's version of the registry, and how the user asked for it."""

    sha: str
    # The commit's committer date in this machine's time zone, "YYYY-MM-DD HH:MM".
    date: str
    author: str
    # What was asked: the day (`--at`) or the revision as typed (`--rev`); neither from History.
    at: dt.date | None = None
    rev: str | None = None

    @property
    def short(self) -> str:
        """The commit's short id, as History and `log` show it."""
        return self.sha[:7]

    def line(self) -> str:
        """One line saying which version is shown (registry text shown literally)."""
        if self.at is not None:
            key, asked = "asof.shown_at", self.at.isoformat()
        elif self.rev is not None:
            key, asked = "asof.shown_rev", literal(self.rev)
        else:
            key, asked = "asof.shown", ""
        return t(key, asked=asked, sha=self.short, date=self.date, author=literal(self.author))

    def as_json(self) -> dict[str, str | None]:
        """The version as `--json` gives it."""
        return {
            "commit": self.sha,
            "date": self.date,
            "author": self.author,
            "at": self.at.isoformat() if self.at else None,
            "rev": self.rev,
        }


def end_of_day(day: dt.date) -> int:
    """DAY 23:59:59 in this machine's time zone, in seconds since the epoch."""
    return int(dt.datetime.combine(day, dt.time(23, 59, 59)).astimezone().timestamp())


def parse_day(text: str) -> dt.date | None:
    """A day written YYYY-MM-DD (exactly), or None."""
    if len(text) != 10 or not text.isascii():
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _repository(file: Path) -> tuple[Repository, str]:
    """The repository holding `file`, or NoVersion saying the file is not in one."""
    try:
        return Repository.holding(file)
    except GitError as exc:  # git's words (LC_ALL=C) when the folder is in no work tree
        if "not a git repository" in str(exc):
            raise NoVersion(t("asof.not_in_git")) from None
        raise


def _commits(repo: Repository, relative: str) -> list[tuple[str, int, str, str]]:
    """(id, committer time, local date, author) of the commits that changed the file, newest first."""
    try:
        out = repo.log(_FORMAT, _DATE, "--no-renames", relative=relative)
    except GitError as exc:
        if "does not have any commits" in str(exc):  # a repository before its first commit
            return []
        raise
    rows = []
    for line in out.splitlines():
        fields = line.split(_FIELD)
        if len(fields) == 4:
            rows.append((fields[0], int(fields[1]), fields[2], fields[3]))
    return rows


def resolve(
    file: Path, *, at: dt.date | None = None, rev: str | None = None, label: str | None = None
) -> tuple[Version, Document]:
    """The version of the registry `file` on day `at` or at revision `rev` (one of them), and
    the registry in it, parsed from git's blob; errors in it point to `REV:path:line:col`
    (REV: `rev` as typed, else `label`, else the commit's short id).

    Raises NoVersion (or GitError with git's words) when there is none, load.Unreadable when
    the version is not TOML.
    """
    if (at is None) == (rev is None):
        raise ValueError("give exactly one of at and rev")
    repo, relative = _repository(file)
    if at is not None:
        commits = _commits(repo, relative)
        if not commits:
            raise NoVersion(t("asof.never_committed", path=literal(relative)))
        cutoff = end_of_day(at)
        before = [c for c in commits if c[1] <= cutoff]
        if not before:
            first = min(commits, key=lambda c: c[1])
            raise NoVersion(
                t("asof.before_first", day=at.isoformat(), first=first[2][:10], sha=first[0][:7])
            )
        sha, _, date, author = max(before, key=lambda c: c[1])
        name = label or sha[:7]
    else:
        assert rev is not None
        refuse_option(rev)
        sha = repo.commit_of(rev)
        head = repo.run("log", "-1", _FORMAT, _DATE, "--end-of-options", sha).stdout.strip()
        _, _, date, author = head.split(_FIELD)
        name = label or rev
    try:
        document = show(repo, sha, relative, name)
    except GitError:  # the commit holds no such file (git's words name a path with ^{commit})
        raise NoVersion(
            t("asof.not_in_commit", path=literal(relative), rev=literal(name))
        ) from None
    return Version(sha, date, author, at=at, rev=rev), document


def of_commit(file: Path, sha: str) -> tuple[Version, Document]:
    """The version of commit `sha` (a full id from History): as `resolve(rev=sha)`, but the line
    it shows names no revision typed by the user."""
    version, document = resolve(file, rev=sha, label=sha[:7])
    return Version(version.sha, version.date, version.author), document
