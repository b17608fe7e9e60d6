"""`kokeilu status`: is the letter in force, who is missing, who is in the application."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

from kokeilu.cli.exits import EXIT_OK
from kokeilu.cli.reading import read_valid
from kokeilu.registry.model import Decision, Registry
from kokeilu.rules import (
    AgreementStatus,
    agreement_status,
    days_to_deadline,
    deadline_words,
    waiting_words,
)
from kokeilu.text import jsontext
from kokeilu.text.display import date, literal
from kokeilu.text.strings import t


def decision_json(decision: Decision) -> dict[str, Any]:
    """A board's decision as the JSON contract gives it: every field, null when not recorded."""
    return {
        "outcome": decision.outcome,
        "body": decision.body,
        "date": decision.date.isoformat() if decision.date else None,
        "minutes": decision.minutes,
        "case": decision.case,
        "attachment": decision.attachment,
        "note": decision.note,
    }


def status_json(
    registry: Registry, status: AgreementStatus, today: dt.date | None = None
) -> dict[str, Any]:
    """The status as the JSON contract gives it (ids, ISO dates)."""
    today = today or dt.date.today()
    deadline = registry.agreement.application_deadline
    first = status.waiting_since
    return {
        "title": registry.agreement.title,
        "in_force": status.in_force,
        "in_force_since": status.in_force_since.isoformat() if status.in_force_since else None,
        "missing": [pid for pid, _ in status.missing],
        "missing_outcomes": dict(status.missing),
        "application": list(status.application),
        "approvals": [
            {"party": pid, "date": day.isoformat() if day else None}
            for pid, day in status.approvals
        ],
        "waiting_since": {"party": first[0], "date": first[1].isoformat()} if first else None,
        "application_deadline": deadline.isoformat() if deadline else None,
        "today": today.isoformat(),
        "days_to_deadline": days_to_deadline(registry, today),
        "decisions": {pid: decision_json(p.decision) for pid, p in registry.parties.items()},
        "notes": {pid: p.note for pid, p in registry.parties.items() if p.note},
        "regions": [
            {
                "id": r.id,
                "name": r.name,
                "coordinator": r.coordinator,
                "members": list(r.members),
                "parties": r.parties,
                "approved": r.approved,
                "role": r.role,
            }
            for r in status.regions
        ],
        "example_figures": registry.example_figures,
    }


# The width the regions' roles are wrapped to: an 80-column terminal.
WIDTH = 80


def detail_lines(registry: Registry, pid: str, indent: int) -> list[str]:
    """The lines under a municipality: its decision's case number and note, and its own note."""
    party = registry.parties[pid]
    details = []
    if party.decision.case:
        details.append(t("status.case", case=literal(party.decision.case)))
    for note in (party.decision.note, party.note):
        if note:
            details.append(t("status.note", note=literal(note)))
    return [" " * indent + line for line in details]


def status_text(registry: Registry, status: AgreementStatus, today: dt.date | None = None) -> str:
    """The status as a coordinator reads it, names as written."""
    today = today or dt.date.today()
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
        lines.append(literal(waiting_words(registry, status)))
    deadline = deadline_words(registry, today)
    if deadline:
        lines.append(literal(deadline))
    lines.append("")
    width = max((len(literal(p.name)) for p in registry.parties.values()), default=0) + 2
    lines.append(f"{t('status.missing')} ({len(status.missing)})")
    for pid, outcome in status.missing:
        lines.append(f"  {literal(name(pid)):<{width}}{t('outcome.' + outcome)}")
        lines += detail_lines(registry, pid, 2 + width)
    if not status.missing:
        lines.append(f"  {t('status.none')}")
    lines += ["", t("status.approved_list", count=len(status.application))]
    for pid, _day in status.approvals:
        d = registry.parties[pid].decision
        detail = " ".join(literal(x) for x in (date(d.date), d.body or "", d.minutes or "") if x)
        lines.append(f"  {literal(name(pid)):<{width}}{detail}")
        lines += detail_lines(registry, pid, 2 + width)
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
        if r.role:
            lines += textwrap.wrap(
                t("status.role", role=literal(r.role)),
                WIDTH,
                initial_indent="    ",
                subsequent_indent="      ",
                break_on_hyphens=False,
            )
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
    # As of a day, the days to the deadline are counted from that day, as they stood then.
    if as_json:
        data = status_json(registry, status, today=at)
        print(jsontext.dumps(data | {"version": shown.version_json()}))
    else:
        print("\n".join([*shown.heading(), status_text(registry, status, today=at)]))
    return EXIT_OK
