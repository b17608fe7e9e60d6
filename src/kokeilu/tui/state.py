"""What the dashboard shows, computed from the core in one place and handed to every view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from kokeilu.registry.diagnostics import Diagnostic
from kokeilu.registry.load import Document
from kokeilu.registry.model import Registry
from kokeilu.rules import AgreementStatus
from kokeilu.text.strings import t

if TYPE_CHECKING:
    import polars as pl

    from kokeilu.editing.rights import Rights
    from kokeilu.history.asof import Version
    from kokeilu.history.git import Commit


@dataclass(frozen=True, slots=True)
class State:
    """One version of the registry as the views show it."""

    document: Document
    findings: list[Diagnostic]
    status: AgreementStatus
    # What the user may edit in this version (None: rights are not kept for this file).
    rights: Rights | None = None
    # The session's clock: forms check dates against today (which may pass midnight).
    clock: Callable[[], dt.date] = dt.date.today
    # The registry file (History asks git about it).
    file: Path | None = None
    # The old version shown, read-only (History's Enter); None: the file as it is now.
    version: Version | None = None

    @property
    def registry(self) -> Registry:
        """The registry being shown."""
        return self.document.registry

    @property
    def today(self) -> dt.date:
        """Today, by the session's clock."""
        return self.clock()

    @property
    def read_only_reason(self) -> str | None:
        """Why no edit can start here (an old version is shown), or None: the one check every
        edit meets, in the views before a form or a question opens and in the save path."""
        if self.version is None:
            return None
        from kokeilu.text.display import literal

        v = self.version
        return t("ui.read_only_version", sha=v.short, date=v.date, author=literal(v.author))

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return sum(1 for d in self.findings if d.severity == "error")

    @property
    def warnings(self) -> int:
        """How many findings are warnings."""
        return len(self.findings) - self.errors


@dataclass(frozen=True, slots=True)
class Shares:
    """A division of the resources for one period, or why there is none."""

    period: str | None
    provisional: bool
    by_party: pl.DataFrame | None = None
    by_region: pl.DataFrame | None = None
    error: str | None = None


def compute_shares(registry: Registry, period: str | None, provisional: bool) -> Shares:
    """The division for `period` (default: as `shares`); polars work, so called from a worker."""
    from kokeilu.rules import participants
    from kokeilu.shares.division import SharesError, allocate, by_region, latest_period

    try:
        who = participants(registry, provisional=provisional)
        period = period if period in registry.caseloads else latest_period(registry, who)
        frame = allocate(registry, period, who, provisional=provisional)
    except SharesError as exc:
        return Shares(period, provisional, error=str(exc))
    return Shares(period, provisional, frame, by_region(frame, registry))


def incomplete(registry: Registry, period: str | None, provisional: bool) -> tuple[int, int]:
    """How many participants have no count in `period`, of how many: (0, n) when complete."""
    from kokeilu.rules import participants
    from kokeilu.shares.division import missing

    who = participants(registry, provisional=provisional)
    return (len(missing(registry, period, who)) if period else 0), len(who)


class Saving(Enum):
    """What became of the last save, or what git says of the file: the status line's middle."""

    UNKNOWN = ""
    SAVING = "ui.saving"
    SAVE_FAILED = "ui.save_failed"
    COMMITTED = "ui.committed"
    COMMIT_FAILED = "ui.commit_failed"
    UNCOMMITTED = "ui.uncommitted"
    GIT_COMMITTED = "ui.git.committed"
    GIT_PENDING = "ui.git.pending"
    GIT_NONE = "ui.git.none"


@dataclass(frozen=True, slots=True)
class SaveState:
    """The save state: its kind, and the commit's sha or why there is no commit."""

    kind: Saving = Saving.UNKNOWN
    detail: str = ""

    @property
    def failed(self) -> bool:
        """Whether the status line shows it as a failure (in red)."""
        return self.kind in (Saving.SAVE_FAILED, Saving.COMMIT_FAILED)

    def text(self) -> str:
        """The words the status line shows, in the user's language."""
        if self.kind is Saving.UNKNOWN:
            return ""
        if self.kind is Saving.COMMITTED:
            return t("ui.committed", sha=self.detail[:7])
        if self.kind is Saving.UNCOMMITTED:
            return t(f"ui.uncommitted.{self.detail}")
        return t(self.kind.value)

    @classmethod
    def of_commit(cls, commit: Commit) -> SaveState:
        """What the status line says of a save's commit."""
        if commit.sha:
            return cls(Saving.COMMITTED, commit.sha)
        if commit.error:
            return cls(Saving.COMMIT_FAILED)
        return cls(Saving.UNCOMMITTED, str(commit.skipped))
