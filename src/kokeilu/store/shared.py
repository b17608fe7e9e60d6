"""One repository, several accounts: `kokeilu setup-shared --group GROUP` prepares it.

Coordinators are Unix accounts of one group. For each of them to save and commit, the work tree
and `.git` belong to the group, folders are setgid (new files inherit the group) and
group-writable, files are group-readable and writable as their owner's are, and git is told to
keep new files so (`core.sharedRepository=group`). What git obeys — `.git/config` and the hooks
— must NOT be writable by the group: else one coordinator could run code as another. The lock
files are ignored by git. Run it again and it changes nothing, and says so.
"""

from __future__ import annotations

import grp
import os
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from kokeilu.history import git, trust
from kokeilu.text.display import literal
from kokeilu.text.strings import t

LOCK_PATTERN = ".*.lock"


class SetupError(Exception):
    """The repository cannot be prepared at all (unknown group, not in a repository)."""


@dataclass
class Report:
    """What `prepare` changed, one line per change, and what it could not change."""

    top: Path
    changed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def top_of(file: Path) -> Path:
    """The work tree holding `file`, whose `.git` is a folder; raises SetupError."""
    found = trust.work_tree_top(file.resolve().parent)
    if found is None:
        raise SetupError(t("shared.no_repository"))
    return found


def _config(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`git config --file CONFIG ARGS`, run outside any repository (no ownership check, no hooks);
    git that cannot be run fails as git would, with the reason."""
    try:
        return git.run_outside("config", "--file", str(config), *args)
    except git.GitError as exc:
        return subprocess.CompletedProcess([], 1, "", str(exc))


def _rel(path: Path, top: Path) -> str:
    """A path as the report shows it: inside the repository ("." for its top)."""
    return literal(str(path.relative_to(top)))


def _protected(git_dir: Path) -> set[Path]:
    """What git obeys and the group must not change (`trust.obeyed`)."""
    return set(trust.obeyed(git_dir))


def _wanted(mode: int, is_dir: bool, protected: bool) -> int:
    """The permission bits a path should have in a shared repository."""
    if protected:
        return mode & ~(stat.S_IWGRP | stat.S_IWOTH)
    if is_dir:
        return mode | stat.S_ISGID | stat.S_IRWXG
    return mode | ((mode & (stat.S_IRUSR | stat.S_IWUSR)) >> 3)  # the group as the owner


def _ignored(top: Path, file: Path) -> bool:
    """Whether a `.gitignore` on the way to the registry, or `.git/info/exclude`, ignores locks."""
    lock = f".{file.name}.lock"
    patterns = {LOCK_PATTERN, "*.lock", lock, f"/{lock}"}
    folder = file.resolve().parent
    sources = [top / ".git" / "info" / "exclude"]
    sources += [d / ".gitignore" for d in (folder, *folder.parents) if d == top or top in d.parents]
    for source in sources:
        try:
            lines = source.read_text(encoding="utf-8").splitlines()
        except (FileNotFoundError, UnicodeDecodeError):
            continue
        if patterns & {line.strip() for line in lines}:
            return True
    return False


def prepare(file: Path, group: str) -> Report:
    """Make the repository holding `file` shared by `group`; report each change made.

    Raises SetupError when the group is unknown or the file is in no repository.
    """
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise SetupError(t("shared.unknown_group", group=literal(group))) from None
    file = Path(file)
    top = top_of(file)
    git_dir = top / ".git"
    report = Report(top)
    config = git_dir / "config"
    current = _config(config, "--get", "core.sharedRepository").stdout.strip()
    if current != "group":
        result = _config(config, "core.sharedRepository", "group")
        if result.returncode == 0:
            report.changed.append(t("shared.config", was=current or t("shared.unset")))
        else:
            report.failed.append(
                t("shared.failed", path=_rel(config, top), reason=result.stderr.strip())
            )
    if not _ignored(top, file):
        exclude = git_dir / "info" / "exclude"
        try:
            exclude.parent.mkdir(exist_ok=True)
            text = exclude.read_text(encoding="utf-8") if exclude.exists() else ""
            if text and not text.endswith("\n"):
                text += "\n"
            exclude.write_text(text + LOCK_PATTERN + "\n", encoding="utf-8")
            report.changed.append(
                t("shared.excluded", path=_rel(exclude, top), pattern=LOCK_PATTERN)
            )
        except OSError as exc:
            report.failed.append(t("shared.failed", path=_rel(exclude, top), reason=exc.strerror))
    protected = _protected(git_dir)
    owner = top.stat().st_uid
    regrouped = folders = files = 0
    for folder, dirs, names in os.walk(top):
        base = Path(folder)
        paths = [base / n for n in (*dirs, *names)]
        if base == top:
            paths.insert(0, top)
        for path in paths:
            try:
                st = path.lstat()
                if stat.S_ISLNK(st.st_mode):
                    continue  # chmod would follow it out of the repository
                if st.st_gid != gid:
                    os.chown(path, -1, gid, follow_symlinks=False)
                    regrouped += 1
                    st = path.lstat()  # chown may clear the setgid bit
                if path in protected and st.st_uid not in (0, owner):
                    # What git obeys must be the owner's: else kokeilu will not trust it.
                    os.chown(path, owner, -1, follow_symlinks=False)
                    report.changed.append(t("shared.owned", path=_rel(path, top)))
                    st = path.lstat()
                mode = stat.S_IMODE(st.st_mode)
                is_dir = stat.S_ISDIR(st.st_mode)
                want = _wanted(mode, is_dir, path in protected)
                if want != mode:
                    os.chmod(path, want)
                    if path in protected:
                        report.changed.append(t("shared.protected", path=_rel(path, top)))
                    elif is_dir:
                        folders += 1
                    else:
                        files += 1
            except OSError as exc:
                report.failed.append(t("shared.failed", path=_rel(path, top), reason=exc.strerror))
    if regrouped:
        report.changed.append(t("shared.regrouped", count=regrouped, group=group))
    if folders:
        report.changed.append(t("shared.folders", count=folders))
    if files:
        report.changed.append(t("shared.files", count=files))
    return report
