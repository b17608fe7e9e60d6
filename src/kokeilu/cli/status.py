"""`kokeilu status`: is the letter in force, who is missing, who is in the application."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kokeilu.cli.exits import EXIT_OK
from kokeilu.cli.reading import read_valid
from kokeilu.registry.model import Registry
from kokeilu.rules import AgreementStatus, agreement_status
from kokeilu.text import jsontext
from kokeilu.text.display import date, literal
from kokeilu.text.strings import t


def status_json(registry: Registry, status: AgreementStatus) -> dict[str, Any]:
    """The status as the JSON contract gives it (ids, ISO dates)."""
    return {
        "title": registry.agreement.title,
        "in_force": status.in_force,
        "in_force_since": status.in_force_since.isoformat() if status.in_force_since else None,
        "missing": [pid for pid, _ in status.missing],
        "missing_outcomes": dict(status.missing),
        "application": list(status.application),
        "regions": [
            {
                "id": r.id,
                "name": r.name,
                "coordinator": r.coordinator,
                "members": list(r.members),
                "parties": r.parties,
                "approved": r.approved,
            }
            for r in status.regions
        ],
        "example_figures": registry.example_figures,
    }


def status_text(registry: Registry, status: AgreementStatus) -> str:
    """The status as a coordinator reads it, names as written."""
    name = registry.display_name
    lines = [literal(registry.agreement.title), ""]
    if registry.example_figures:
        lines += [t("cli.example_figures"), ""]
    total = sum(1 for p in registry.parties.values() if p.status == "party")
    if status.in_force:
        since = status.in_force_since
        lines.append(
            t("status.in_force", date=date(since)) if since else t("status.in_force_undated")
        )
    elif total == 0:
        lines.append(t("status.no_parties"))
    else:
        lines.append(t("status.not_in_force", count=len(status.missing), total=total))
    lines.append("")
    width = max((len(literal(p.name)) for p in registry.parties.values()), default=0) + 2
    lines.append(f"{t('status.missing')} ({len(status.missing)})")
    for pid, outcome in status.missing:
        lines.append(f"  {literal(name(pid)):<{width}}{t('outcome.' + outcome)}")
    if not status.missing:
        lines.append(f"  {t('status.none')}")
    lines += ["", t("status.application", count=len(status.application))]
    for pid in status.application:
        d = registry.parties[pid].decision
        detail = " ".join(literal(x) for x in (date(d.date), d.body or "", d.minutes or "") if x)
        lines.append(f"  {literal(name(pid)):<{width}}{detail}")
    if not status.application:
        lines.append(f"  {t('status.none')}")
    lines += ["", t("status.regions")]
    for r in status.regions:
        coordinator = literal(name(r.coordinator)) if r.coordinator else "-"
        approved = t("status.approved_of", approved=r.approved, total=r.parties)
        lines.append(f"  {literal(r.name)} — {t('status.coordinator')} {coordinator} — {approved}")
        members = []
        for pid in r.members:
            party = registry.parties[pid]
            flag = (
                ""
                if party.status == "party"
                else f" ({t('status.not_party', status=t('status.' + party.status))})"
            )
            members.append(literal(party.name) + flag)
        lines.append("    " + ", ".join(members))
    return "\n".join(lines)


def run_status(
    file: str, *, as_json: bool = False, at: dt.date | None = None, rev: str | None = None
) -> int:
    """Print the status of the registry at `file`, or of its version on day `at` or at `rev`."""
    shown = read_valid(file, at, rev)
    if isinstance(shown, int):
        return shown
    registry = shown.document.registry
    status = agreement_status(registry)
    if as_json:
        print(jsontext.dumps(status_json(registry, status) | {"version": shown.version_json()}))
    else:
        print("\n".join([*shown.heading(), status_text(registry, status)]))
    return EXIT_OK
