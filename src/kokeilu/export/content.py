"""What an export holds: the division `kokeilu shares` shows, grouped by region, and where it
came from (the registry file, its commit, the period, approved-only or provisional).

The figures are the `shares` command's own: the same participants (`rules.participants`), the
same default period (`division.latest_period`), the same allocation (`division.allocate`); the
region subtotals are the sums of the parties' allocations (`division.by_region`). Numbers stay
exact here (int, Fraction, Decimal); each format decides how to write them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from kokeilu.registry.model import PERIOD_RE, Registry, Resource
from kokeilu.rules import participants
from kokeilu.shares.division import (
    SharesError,
    allocate,
    amount,
    by_region,
    share,
)
from kokeilu.shares.period import Chosen, choose, in_force_notes, notes
from kokeilu.text.display import places
from kokeilu.text.strings import t


@dataclass(frozen=True, slots=True)
class PartyRow:
    """One participant's part of one resource."""

    party: str
    name: str
    region: str | None
    region_name: str
    caseload: int
    share: Fraction
    amount: Decimal


@dataclass(frozen=True, slots=True)
class RegionRow:
    """A region's subtotal: the sums of its participants' rows."""

    region: str | None
    name: str
    parties: int
    caseload: int
    share: Fraction
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Division:
    """One resource divided: the participants grouped by region, the subtotals and the total."""

    resource: Resource
    parties: tuple[PartyRow, ...]
    regions: tuple[RegionRow, ...]
    caseload: int
    share: Fraction

    @property
    def places(self) -> int:
        """The decimals an amount of this resource has (its step's)."""
        return places(self.resource.step)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where the figures come from: the file, and the commit that holds it (None: not in git)."""

    file: str
    commit: str | None = None
    # The file differs from that commit (a hand edit, or an edit saved without committing).
    dirty: bool = False

    def describe(self) -> str:
        """The commit as the cover sheet says it."""
        if self.commit is None:
            return t("export.no_commit")
        if self.dirty:
            return t("export.commit_dirty", sha=self.commit)
        return self.commit


@dataclass(frozen=True, slots=True)
class Content:
    """Everything an export writes."""

    registry: Registry
    origin: Origin
    period: str
    provisional: bool
    # How many participate, and those of them without a count in the period (they count as 0).
    participants: int
    missing: tuple[str, ...]
    # The latest period, when a default passed over it as incomplete, and how many it lacks.
    later: str | None
    later_missing: int
    divisions: tuple[Division, ...]

    def basis(self) -> str:
        """Approved-only or provisional, in words (the `shares` command's)."""
        key = "shares.provisional" if self.provisional else "shares.participants"
        return t(key, count=self.participants)

    def notes(self) -> list[str]:
        """What `shares` says beside its figures (`shares.period`): until the letter is in force,
        that it is not and what the division is then; why this period; that it is incomplete."""
        chosen = Chosen(
            self.period, self.missing, self.later, self.later_missing, self.participants
        )
        return [*in_force_notes(self.registry, self.provisional), *notes(self.registry, chosen)]


def origin(file: Path) -> Origin:
    """The file and the commit of its repository's HEAD, asked through `history.git` only."""
    from kokeilu.history.git import GitError, Repository, repository
    from kokeilu.registry.load import Unreadable

    try:
        if repository(file) is None:
            return Origin(str(file))
        repo, relative = Repository.holding(file)
        sha = repo.commit_of("HEAD")
        dirty = bool(repo.status(relative).strip())
    except (GitError, Unreadable):  # no git, no commit yet, or a repository git refuses
        return Origin(str(file))
    return Origin(str(file), sha, dirty)


def region_name(registry: Registry, rid: str | None) -> str:
    """A region's name as written, its id when the registry does not know it, else ""."""
    region = registry.regions.get(rid or "")
    return region.name if region else (rid or "")


def ordered_participants(registry: Registry, who: list[str]) -> list[str]:
    """The participants grouped by region in the registry's order of regions, each group in file
    order; those of no known region last (as the Resources view lists them)."""
    rank = {rid: i for i, rid in enumerate(registry.regions)}
    return sorted(who, key=lambda p: rank.get(registry.parties[p].region or "", len(rank)))


def gather(registry: Registry, source: Origin, period: str | None, provisional: bool) -> Content:
    """The division for `period` (default: the one `kokeilu shares` divides); raises SharesError."""
    if period is not None and not PERIOD_RE.match(period):
        raise SharesError("shares.bad_period", period=period)
    chosen = choose(registry, period, provisional)
    period = chosen.period
    who = participants(registry, provisional=provisional)
    frame = allocate(registry, period, who, provisional=provisional)
    regional = by_region(frame, registry)
    order = {p: i for i, p in enumerate(ordered_participants(registry, who))}
    divisions = []
    for rid, resource in registry.resources.items():
        rows = sorted(
            frame.filter(resource=rid).iter_rows(named=True), key=lambda r: order[r["party"]]
        )
        parties = tuple(
            PartyRow(
                row["party"],
                registry.display_name(row["party"]),
                row["region"],
                region_name(registry, row["region"]),
                row["caseload"],
                share(row["caseload"], row["pool"]),
                amount(resource, row["units"]),
            )
            for row in rows
        )
        regions = tuple(
            RegionRow(
                row["region"],
                region_name(registry, row["region"]),
                sum(1 for p in parties if p.region == row["region"]),
                row["caseload"],
                share(row["caseload"], row["pool"]),
                amount(resource, row["units"]),
            )
            for row in regional.filter(resource=rid).iter_rows(named=True)
        )
        caseload = sum(p.caseload for p in parties)
        divisions.append(
            Division(
                resource, parties, regions, caseload, sum((p.share for p in parties), Fraction(0))
            )
        )
    return Content(
        registry,
        source,
        period,
        provisional,
        chosen.participants,
        chosen.missing,
        chosen.later,
        chosen.later_missing,
        tuple(divisions),
    )
