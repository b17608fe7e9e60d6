"""`kokeilu shares`: each resource divided among the participants, as a table, CSV or JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from typing import Any

from kokeilu.cli.exits import EXIT_ERRORS, EXIT_OK
from kokeilu.cli.reading import read_valid
from kokeilu.registry.model import PERIOD_RE, Registry
from kokeilu.rules import agreement_status, participants
from kokeilu.shares.division import (
    SharesError,
    allocate,
    amount,
    by_region,
    share,
)
from kokeilu.shares.period import Chosen, choose, in_force_notes, notes
from kokeilu.text import jsontext
from kokeilu.text.display import exact, literal, number, percent, places
from kokeilu.text.strings import t

# Shares in CSV and JSON: the exact fraction rounded half to even to this many decimals.
SHARE_PLACES = 6


def shares_rows(
    registry: Registry, period: str, provisional: bool, by: str
) -> list[dict[str, Any]]:
    """One dict per resource with its rows, in registry order; raises SharesError."""
    who = participants(registry, provisional=provisional)
    frame = allocate(registry, period, who, provisional=provisional)
    if by == "region":
        frame = by_region(frame, registry)
    out = []
    for rid, resource in registry.resources.items():
        rows = []
        for row in frame.filter(resource=rid).iter_rows(named=True):
            entry = {"party": row["party"]} if by == "party" else {}
            entry |= {
                "region": row["region"],
                "caseload": row["caseload"],
                "share": share(row["caseload"], row["pool"]),
                "units": row["units"],
                "amount": amount(resource, row["units"]),
            }
            rows.append(entry)
        out.append({"resource": resource, "rows": rows})
    return out


def _as_json(
    registry: Registry,
    chosen: Chosen,
    provisional: bool,
    result: list[dict[str, Any]],
    version: dict[str, Any] | None = None,
) -> str:
    """Every number written as exact decimal text (`jsontext`), never through a binary float."""
    return jsontext.dumps(
        {
            "period": chosen.period,
            "complete": not chosen.missing,
            "missing": list(chosen.missing),
            "latest_incomplete": chosen.later,
            "provisional": provisional,
            "in_force": agreement_status(registry).in_force,
            "example_figures": registry.example_figures,
            "share_places": SHARE_PLACES,
            "resources": [
                {
                    "id": r["resource"].id,
                    "name": r["resource"].name,
                    "unit": r["resource"].unit,
                    "step": r["resource"].step,
                    "total": r["resource"].total,
                    "rows": [
                        row | {"share": jsontext.Rounded(row["share"], SHARE_PLACES)}
                        for row in r["rows"]
                    ],
                }
                for r in result
            ],
            "version": version,
        }
    )


def _as_csv(by: str, result: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    columns = [
        "resource",
        "unit",
        *(["party"] if by == "party" else []),
        "region",
        "caseload",
        "share",
        "amount",
    ]
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for r in result:
        for row in r["rows"]:
            values = {"resource": r["resource"].id, "unit": r["resource"].unit} | row
            values["amount"] = jsontext.decimal_text(row["amount"])
            values["share"] = jsontext.rounded_text(row["share"], SHARE_PLACES)
            # Every cell is text from the registry or a number: literal, so one row is one line.
            writer.writerow(
                [
                    "" if values[c] is None else _cell(literal(str(values[c])), c in _TEXT)
                    for c in columns
                ]
            )
    return buffer.getvalue().rstrip("\n")


# The columns of `_as_csv` that hold text (ids, names, units); the others hold numbers.
_TEXT = frozenset({"resource", "unit", "party", "region"})
# What a spreadsheet takes as the start of a formula (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str, is_text: bool) -> str:
    """A CSV cell that a spreadsheet opening the file shows as text and never runs: a text cell
    starting like a formula (`=HYPERLINK(…)`, `+`, `-`, `@`, tab, CR) gets a leading `'`, as
    OWASP recommends. Numbers are left as they are (none is negative)."""
    return "'" + text if is_text and text.startswith(_FORMULA_START) else text


def _as_table(
    registry: Registry, chosen: Chosen, provisional: bool, by: str, result: list[dict[str, Any]]
) -> str:
    count = chosen.participants
    title = "shares.title_incomplete" if chosen.missing else "shares.title"
    lines = [t(title, period=chosen.period), *notes(registry, chosen)]
    lines.append(
        t("shares.provisional", count=count)
        if provisional
        else t("shares.participants", count=count)
    )
    lines += in_force_notes(registry, provisional)
    if registry.example_figures:
        lines.append(t("cli.example_figures"))

    def region_name(rid: str | None) -> str:
        region = registry.regions.get(rid or "")
        return literal(region.name if region else (rid or "-"))

    for r in result:
        resource = r["resource"]
        decimals = places(resource.step)
        head = [t("shares.col.party")] if by == "party" else []
        head += [
            t("shares.col.region"),
            t("shares.col.caseload"),
            t("shares.col.share"),
            t("shares.col.amount"),
        ]
        body = []
        for row in r["rows"]:
            cells = [literal(registry.display_name(row["party"]))] if by == "party" else []
            cells += [
                region_name(row["region"]),
                number(row["caseload"]),
                percent(row["share"]),
                number(row["amount"], decimals),
            ]
            body.append(cells)
        total_caseload = sum(row["caseload"] for row in r["rows"])
        total_share = sum((row["share"] for row in r["rows"]), start=share(0, 0))
        totals = [t("shares.total")] + ([""] if by == "party" else [])
        totals += [number(total_caseload), percent(total_share), number(resource.total, decimals)]
        widths = [max(len(row[i]) for row in [head, *body, totals]) for i in range(len(head))]
        text_columns = len(head) - 3

        def fmt(
            cells: list[str], widths: list[int] = widths, text_columns: int = text_columns
        ) -> str:
            parts = [
                c.ljust(w) if i < text_columns else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            ]
            return "  " + "  ".join(parts).rstrip()

        lines += [
            "",
            t(
                "shares.resource",
                name=literal(resource.name),
                total=number(resource.total, decimals),
                unit=literal(resource.unit),
                step=exact(resource.step),
            ),
            fmt(head),
            *(fmt(cells) for cells in body),
            fmt(totals),
        ]
    return "\n".join(lines)


def run_shares(
    file: str,
    period: str | None,
    by: str,
    fmt: str,
    provisional: bool,
    at: dt.date | None = None,
    rev: str | None = None,
) -> int:
    """Print the division of every resource for `period` (default: the latest complete one),
    of the registry at `file` or of its version on day `at` or at `rev` (which a table's first
    line, JSON's `version` and, for CSV, a line on standard error name)."""
    shown = read_valid(file, at, rev)
    if isinstance(shown, int):
        return shown
    registry = shown.document.registry
    try:
        if period is not None and not PERIOD_RE.match(period):
            raise SharesError("shares.bad_period", period=period)
        chosen = choose(registry, period, provisional)
        result = shares_rows(registry, chosen.period, provisional, by)
    except SharesError as exc:
        print(f"{file}: error: {literal(str(exc))}", file=sys.stderr)
        return EXIT_ERRORS
    if fmt == "json":
        print(_as_json(registry, chosen, provisional, result, shown.version_json()))
    elif fmt == "csv":
        for line in shown.heading()[:1]:
            print(line, file=sys.stderr)
        if registry.example_figures:
            print(t("cli.example_figures_short"), file=sys.stderr)
        for line in [*in_force_notes(registry, provisional), *notes(registry, chosen)]:
            print(line, file=sys.stderr)
        print(_as_csv(by, result))
    else:
        print("\n".join([*shown.heading(), _as_table(registry, chosen, provisional, by, result)]))
    return EXIT_OK
