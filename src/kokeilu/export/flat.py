"""An export as CSV (one row per participant per resource) and as JSON (the whole content).

CSV columns, in the language of `locale`: period, resource (its name), unit, municipality (its
name), region (its name), caseload, share (of 1, rounded half to even to six decimals, as
`shares --format csv` writes it), amount (exact). No subtotal rows: a sheet that sums the column
would count them twice. `fi` separates with `;` and writes decimal commas, as a Finnish
spreadsheet reads them; `en` with `,` and decimal points. The text starts with a byte order mark,
without which Excel reads UTF-8 as Latin-1 (Siilinjärvi as SiilinjÃ¤rvi).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from kokeilu.export.content import Content
from kokeilu.text import jsontext
from kokeilu.text.display import decimal_separator, literal
from kokeilu.text.strings import speaking, t

# Shares in CSV and JSON: the exact fraction rounded half to even to this many decimals (as
# `kokeilu shares` writes them).
SHARE_PLACES = 6
BOM = "\ufeff"
# What a spreadsheet takes as the start of a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cell(text: str) -> str:
    """Registry text for a CSV cell: literal (one line, no control characters), and never run
    by a spreadsheet: a cell starting like a formula gets a leading `'` (OWASP's advice)."""
    text = literal(text)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(content: Content, locale: str) -> str:
    """The division as CSV text (see the module's docstring for the columns)."""
    with speaking(locale):  # the locale's decimal separator, as the dashboard writes numbers
        separator = decimal_separator()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if locale == "fi" else ",", lineterminator="\r\n")
    with speaking(locale):
        writer.writerow(
            [
                t(f"export.col.{c}")
                for c in (
                    "period",
                    "resource",
                    "unit",
                    "municipality",
                    "region",
                    "caseload",
                    "share",
                    "amount",
                )
            ]
        )
    for division in content.divisions:
        resource = division.resource
        for row in division.parties:
            writer.writerow(
                [
                    content.period,
                    text_cell(resource.name),
                    text_cell(resource.unit),
                    text_cell(row.name),
                    text_cell(row.region_name),
                    str(row.caseload),
                    jsontext.rounded_text(row.share, SHARE_PLACES).replace(".", separator),
                    jsontext.decimal_text(row.amount).replace(".", separator),
                ]
            )
    return BOM + buffer.getvalue()


def json_value(content: Content) -> dict[str, Any]:
    """The export as JSON data: ids beside names, exact numbers (`jsontext`)."""
    registry = content.registry

    def decision(pid: str) -> dict[str, Any]:
        party = registry.parties[pid]
        d = party.decision
        return {
            "party": pid,
            "name": party.name,
            "region": party.region,
            "status": party.status,
            "outcome": d.outcome,
            "body": d.body,
            "date": d.date.isoformat() if d.date else None,
            "minutes": d.minutes,
            "case": d.case,
            "attachment": d.attachment,
            "note": d.note,
        }

    return {
        "registry": content.origin.file,
        "commit": content.origin.commit,
        "uncommitted_changes": content.origin.dirty,
        "title": registry.agreement.title,
        "period": content.period,
        "complete": not content.missing,
        "missing": list(content.missing),
        "latest_incomplete": content.later,
        "provisional": content.provisional,
        "participants": content.participants,
        "example_figures": registry.example_figures,
        "share_places": SHARE_PLACES,
        "divisions": [
            {
                "resource": d.resource.id,
                "name": d.resource.name,
                "unit": d.resource.unit,
                "step": d.resource.step,
                "total": d.resource.total,
                "rows": [
                    {
                        "party": r.party,
                        "name": r.name,
                        "region": r.region,
                        "region_name": r.region_name,
                        "period": content.period,
                        "caseload": r.caseload,
                        "share": jsontext.Rounded(r.share, SHARE_PLACES),
                        "amount": r.amount,
                    }
                    for r in d.parties
                ],
                "regions": [
                    {
                        "region": r.region,
                        "name": r.name,
                        "parties": r.parties,
                        "caseload": r.caseload,
                        "share": jsontext.Rounded(r.share, SHARE_PLACES),
                        "amount": r.amount,
                    }
                    for r in d.regions
                ],
                "totals": {
                    "parties": len(d.parties),
                    "caseload": d.caseload,
                    "share": jsontext.Rounded(d.share, SHARE_PLACES),
                    "amount": d.resource.total,
                },
            }
            for d in content.divisions
        ],
        "approvals": [decision(pid) for pid in registry.parties],
        "regions": [
            {
                "region": r.id,
                "name": r.name,
                "coordinator": r.coordinator,
                "typ_area": r.typ_area,
                "role": r.role,
                "members": [p.id for p in registry.members(r.id)],
            }
            for r in registry.regions.values()
        ],
        "caseloads": {
            "periods": registry.periods,
            "rows": [
                {
                    "party": pid,
                    "name": party.name,
                    "region": party.region,
                    "counts": {
                        period: registry.caseloads[period][pid]
                        for period in registry.periods
                        if pid in registry.caseloads[period]
                    },
                }
                for pid, party in registry.parties.items()
            ],
        },
        "people": [
            {
                "login": p.id,
                "name": p.name,
                "organisation": p.organisation,
                "email": p.email,
                "roles": list(p.roles),
                "party": p.party,
                "access": p.access,
                "placeholder": p.placeholder,
            }
            for p in registry.people.values()
        ],
    }


def json_text(content: Content) -> str:
    """The export as JSON text, exact numbers and no hidden characters (`jsontext.dumps`)."""
    return jsontext.dumps(json_value(content)) + "\n"
