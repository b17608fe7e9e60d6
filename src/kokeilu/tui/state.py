"""What the dashboard shows, computed from the core in one place and handed to every view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kokeilu.registry.diagnostics import Diagnostic
from kokeilu.registry.load import Document
from kokeilu.registry.model import Registry
from kokeilu.rules import AgreementStatus

if TYPE_CHECKING:
    import polars as pl


@dataclass(frozen=True, slots=True)
class State:
    """One version of the registry as the views show it."""

    document: Document
    findings: list[Diagnostic]
    status: AgreementStatus

    @property
    def registry(self) -> Registry:
        """The registry being shown."""
        return self.document.registry

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
