"""`kokeilu shares`: each resource divided among the participants, as a table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import sys
from decimal import Decimal
from typing import Any

from kokeilu.cli.common import EXIT_ERRORS, EXIT_OK, load_valid
from kokeilu.display import json_text, literal, number, percent, places
from kokeilu.model import PERIOD_RE, Registry
from kokeilu.rules import participants
from kokeilu.shares import SharesError, allocate, amount, by_region, latest_period
from kokeilu.strings import t


def _json_number(value: Decimal) -> int | float:
    """An exact decimal as JSON writes it: a whole number as an integer."""
    return int(value) if value == value.to_integral_value() else float(value)


def shares_rows(
    registry: Registry, period: str, provisional: bool, by: str
) -> list[dict[str, Any]]:
    """One dict per resource with its rows, in registry order; raises SharesError."""
    frame = allocate(registry, period, participants(registry, provisional=provisional))
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
                "share": row["share"],
                "units": row["units"],
                "amount": amount(resource, row["units"]),
            }
            rows.append(entry)
        out.append({"resource": resource, "rows": rows})
    return out


def _as_json(
    registry: Registry, period: str, provisional: bool, result: list[dict[str, Any]]
) -> str:
    return json_text(
        {
            "period": period,
            "provisional": provisional,
            "example_figures": registry.example_figures,
            "resources": [
                {
                    "id": r["resource"].id,
                    "name": r["resource"].name,
                    "unit": r["resource"].unit,
                    "step": _json_number(r["resource"].step),
                    "total": _json_number(r["resource"].total),
                    "rows": [row | {"amount": _json_number(row["amount"])} for row in r["rows"]],
                }
                for r in result
            ],
        },
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
            values["amount"] = str(row["amount"])
            values["share"] = repr(row["share"])
            # Every cell is text from the registry or a number: literal, so one row is one line.
            writer.writerow(["" if values[c] is None else literal(str(values[c])) for c in columns])
    return buffer.getvalue().rstrip("\n")


def _as_table(
    registry: Registry, period: str, provisional: bool, by: str, result: list[dict[str, Any]]
) -> str:
    count = len(participants(registry, provisional=provisional))
    lines = [t("shares.title", period=period)]
    lines.append(
        t("shares.provisional", count=count)
        if provisional
        else t("shares.participants", count=count)
    )
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
        total_share = 1.0 if total_caseload else 0.0
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
                step=resource.step,
            ),
            fmt(head),
            *(fmt(cells) for cells in body),
            fmt(totals),
        ]
    return "\n".join(lines)


def run_shares(file: str, period: str | None, by: str, fmt: str, provisional: bool) -> int:
    """Print the division of every resource for `period` (default: the latest)."""
    doc = load_valid(file)
    if isinstance(doc, int):
        return doc
    registry = doc.registry
    try:
        if period is not None and not PERIOD_RE.match(period):
            raise SharesError("shares.bad_period", period=period)
        period = period or latest_period(registry)
        result = shares_rows(registry, period, provisional, by)
    except SharesError as exc:
        print(f"{file}: error: {literal(str(exc))}", file=sys.stderr)
        return EXIT_ERRORS
    if fmt == "json":
        print(_as_json(registry, period, provisional, result))
    elif fmt == "csv":
        if registry.example_figures:
            print(t("cli.example_figures_short"), file=sys.stderr)
        print(_as_csv(by, result))
    else:
        print(_as_table(registry, period, provisional, by, result))
    return EXIT_OK
