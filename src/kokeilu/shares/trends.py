"""Caseloads over the periods: per municipality, and summed per region (the Trends view and the
workbook's Caseloads sheet draw the same series).

A region's count in a period is the sum of its members' counts there (a withdrawn municipality
left it, and is not counted); a period in which none of them has a count has none (None), so a
line is not drawn down to zero where nothing was recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from kokeilu.registry.model import Registry


@dataclass(frozen=True, slots=True)
class Series:
    """One line over the registry's periods (oldest first): its key, its name, a count or None
    per period."""

    key: str
    name: str
    counts: tuple[int | None, ...]

    def known(self) -> list[int]:
        """The counts recorded."""
        return [c for c in self.counts if c is not None]


def members(registry: Registry, region: str) -> list[str]:
    """The municipalities a region's line sums: its members that have not withdrawn."""
    return [p.id for p in registry.members(region) if p.status != "withdrawn"]


def by_party(registry: Registry, parties: list[str]) -> list[Series]:
    """One series per municipality, in the order given."""
    periods = registry.periods
    return [
        Series(
            pid,
            registry.display_name(pid),
            tuple(registry.caseloads[period].get(pid) for period in periods),
        )
        for pid in parties
    ]


def by_region(registry: Registry) -> list[Series]:
    """One series per region (the registry's order): its members' counts summed per period."""
    out = []
    for rid, region in registry.regions.items():
        who = members(registry, rid)
        counts = []
        for period in registry.periods:
            found = [registry.caseloads[period][p] for p in who if p in registry.caseloads[period]]
            counts.append(sum(found) if found else None)
        out.append(Series(rid, region.name, tuple(counts)))
    return out
