"""The rules of the numbers: resource totals in whole steps, caseload periods and missing counts."""

from __future__ import annotations

import datetime as dt

from kokeilu.registry import limits
from kokeilu.registry.diagnostics import Diagnostic, error, warning
from kokeilu.registry.model import Registry
from kokeilu.rules.references import known
from kokeilu.text.display import number


def check_resources(registry: Registry) -> list[Diagnostic]:
    """Each total a whole number of steps, within the limits (`limits.steps` is the rule)."""
    found = []
    for resource in registry.resources.values():
        try:
            limits.steps(resource.total, resource.step)
        except limits.OutOfRange as exc:
            found.append(
                error(
                    exc.code,
                    ("resources", resource.id, limits.blamed(exc.code)),
                    at_value=True,
                    name=resource.name,
                    total=resource.total,
                    step=resource.step,
                    maximum=number(limits.MAX_TOTAL),
                    steps=number(limits.MAX_STEPS),
                )
            )
    return found


def check_caseloads(registry: Registry, today: dt.date) -> list[Diagnostic]:
    """Periods after this month, unknown parties and missing caseloads, by set operations."""
    found = []
    for period in registry.caseloads:
        problem = limits.period_problem(period, today)
        if problem is not None:
            # Each message names its own bound: the first period, or the current month.
            at = ("caseloads", period)
            if problem == "period_too_early":
                first = limits.FIRST_PERIOD
                found.append(error(problem, at, hint=problem, period=period, first=first))
            else:
                month = f"{today.year:04d}-{today.month:02d}"
                found.append(error(problem, at, hint=problem, period=period, month=month))
    expected = [p.id for p in registry.parties.values() if p.status == "party"]
    order = {pid: i for i, pid in enumerate(expected)}
    parties = registry.parties.keys()
    for period, counts in registry.caseloads.items():
        all_known = counts.keys() <= parties
        if not all_known:
            for party_id in counts:
                if party_id not in registry.parties:
                    found.append(
                        error(
                            "unknown_caseload_party",
                            ("caseloads", period, party_id),
                            period=period,
                            id=party_id,
                            known=known(registry.parties),
                        )
                    )
        if all_known and len(counts) == len(parties):  # every party has a count: none is absent
            absent = []
        else:
            absent = sorted(order.keys() - counts.keys(), key=order.__getitem__)
        if absent:
            found.append(
                warning(
                    "caseload_missing",
                    ("caseloads", period),
                    period=period,
                    count=len(absent),
                    names=", ".join(registry.display_name(p) for p in absent[:5])
                    + (", …" if len(absent) > 5 else ""),
                )
            )
    return found
