"""An export as an Excel workbook (xlsxwriter): a cover sheet, approvals, regions, one sheet per
resource's division with its charts, caseloads over the periods with their charts, and people.

Numbers are written as numbers with number formats (a sheet can sum them); registry text only
with `write_string` after `display.literal`: a name such as `=HYPERLINK(…)` stays text, never a
formula, and no control character reaches the file. The workbook is built in memory; the caller
writes its bytes in one piece.
"""

from __future__ import annotations

import io
from typing import Any

from kokeilu.export.content import Content, Division
from kokeilu.export.sheet import (
    COUNT_FORMAT,
    SHARE_FORMAT,
    Sheet,
    amount_format,
    column,
    quoted,
    sheet_name,
)
from kokeilu.shares import trends
from kokeilu.text.display import literal
from kokeilu.text.strings import speaking, t


def workbook_bytes(content: Content, locale: str) -> bytes:
    """The workbook of `content`, its words in `locale`."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            # write() is never used, but no string of ours may ever become a formula or a link.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    with speaking(locale):
        _write(book, content, locale)
    book.close()
    return buffer.getvalue()


def _formats(book: Any, content: Content, locale: str) -> dict[str, Any]:
    formats = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "header": book.add_format({"bold": True, "bottom": 1}),
        "label": book.add_format({"bold": True}),
        "bold": book.add_format({"bold": True}),
        "warning": book.add_format({"bold": True, "font_color": "#9C0006"}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "count": book.add_format({"num_format": COUNT_FORMAT}),
        "count_bold": book.add_format({"num_format": COUNT_FORMAT, "bold": True}),
        "share": book.add_format({"num_format": SHARE_FORMAT}),
        "share_bold": book.add_format({"num_format": SHARE_FORMAT, "bold": True}),
        "date": book.add_format({"num_format": "d.m.yyyy" if locale == "fi" else "yyyy-mm-dd"}),
    }
    for division in content.divisions:
        fmt = amount_format(division.places)
        formats.setdefault(f"amount:{fmt}", book.add_format({"num_format": fmt}))
        formats.setdefault(f"amount_bold:{fmt}", book.add_format({"num_format": fmt, "bold": True}))
    return formats


def _write(book: Any, content: Content, locale: str) -> None:
    formats = _formats(book, content, locale)
    taken: set[str] = set()

    def sheet(key: str) -> Sheet:
        return Sheet(book, sheet_name(t(key), taken), formats)

    cover = sheet("export.sheet.cover")
    approvals = sheet("export.sheet.approvals")
    regions = sheet("export.sheet.regions")
    divisions = [
        (Sheet(book, sheet_name(d.resource.name or d.resource.id, taken), formats), d)
        for d in content.divisions
    ]
    caseloads = sheet("export.sheet.caseloads")
    people = sheet("export.sheet.people")
    _cover(cover, content, [s.name for s, _ in divisions])
    _approvals(approvals, content)
    _regions(regions, content)
    for ws, division in divisions:
        _division(book, ws, content, division)
    _caseloads(book, caseloads, content)
    _people(people, content)


def _cover(ws: Sheet, content: Content, division_sheets: list[str]) -> None:
    registry = content.registry
    ws.text(0, 0, registry.agreement.title, "title")
    rows: list[tuple[str, str, str | None]] = [
        (t("export.cover.registry"), content.origin.file, None),
        (t("export.cover.commit"), content.origin.describe(), None),
        (t("export.cover.period"), content.period, None),
        (t("export.cover.division"), content.basis(), "warning" if content.provisional else None),
        (
            t("export.cover.figures"),
            t("cli.example_figures") if registry.example_figures else t("export.real_figures"),
            "warning" if registry.example_figures else None,
        ),
    ]
    row = 2
    for label, value, fmt in rows:
        ws.text(row, 0, label, "label")
        ws.text(row, 1, value, fmt)
        row += 1
    for note in content.notes():
        ws.text(row, 0, t("export.cover.note"), "label")
        ws.text(row, 1, note, "warning")
        row += 1
    ws.text(row, 0, t("export.cover.divisions"), "label")
    ws.text(row, 1, ", ".join(division_sheets))
    ws.widths([22, 100])


def _approvals(ws: Sheet, content: Content) -> None:
    registry = content.registry
    ws.header(
        0,
        [
            t("export.col.municipality"),
            t("export.col.region"),
            t("export.col.status"),
            t("export.col.outcome"),
            t("export.col.body"),
            t("export.col.date"),
            t("export.col.minutes"),
            t("export.col.case"),
            t("export.col.attachment"),
            t("export.col.note"),
        ],
    )
    for row, party in enumerate(registry.parties.values(), start=1):
        d = party.decision
        ws.text(row, 0, party.name)
        ws.text(
            row,
            1,
            registry.regions[party.region].name
            if party.region in registry.regions
            else party.region,
        )
        ws.text(row, 2, t(f"status.{party.status}"))
        ws.text(row, 3, t(f"outcome.{d.outcome}"))
        ws.text(row, 4, d.body)
        ws.date(row, 5, d.date)
        ws.text(row, 6, d.minutes)
        ws.text(row, 7, d.case)
        ws.text(row, 8, d.attachment)
        ws.text(row, 9, d.note or party.note)
    ws.widths([16, 28, 12, 12, 18, 11, 10, 14, 30, 40])
    ws.ws.freeze_panes(1, 1)


def _regions(ws: Sheet, content: Content) -> None:
    registry = content.registry
    ws.header(
        0,
        [
            t("export.col.region"),
            t("export.col.coordinator"),
            t("export.col.typ_area"),
            t("export.col.members"),
            t("export.col.parties"),
            t("export.col.approved"),
            t("export.col.role"),
        ],
    )
    for row, region in enumerate(registry.regions.values(), start=1):
        members = registry.members(region.id)
        parties = [p for p in members if p.status == "party"]
        typ = registry.typ_areas.get(region.typ_area or "")
        ws.text(row, 0, region.name)
        ws.text(row, 1, registry.display_name(region.coordinator) if region.coordinator else None)
        ws.text(row, 2, typ.name if typ else region.typ_area)
        ws.text(row, 3, ", ".join(p.name for p in members))
        ws.number(row, 4, len(parties), "count")
        ws.number(row, 5, sum(1 for p in parties if p.approved), "count")
        ws.text(row, 6, region.role, "wrap")
    ws.widths([28, 14, 20, 50, 10, 10, 60])


def _division(book: Any, ws: Sheet, content: Content, division: Division) -> None:
    resource = division.resource
    fmt = amount_format(division.places)
    ws.text(0, 0, resource.name, "title")
    ws.text(1, 0, t("export.cover.period"), "label")
    ws.text(1, 1, content.period)
    ws.text(2, 0, t("export.cover.division"), "label")
    ws.text(2, 1, content.basis(), "warning" if content.provisional else None)
    ws.text(3, 0, t("export.col.total"), "label")
    ws.number(3, 1, resource.total, f"amount:{fmt}")
    ws.text(3, 2, resource.unit)
    if content.registry.example_figures:
        ws.text(4, 0, t("cli.example_figures"), "warning")
    labels = [
        t("export.col.municipality"),
        t("export.col.region"),
        t("export.col.period"),
        t("export.col.caseload"),
        t("export.col.share"),
        t("export.col.amount_in", unit=literal(resource.unit)),
    ]
    head = 6
    ws.header(head, labels)
    first = head + 1
    row = first
    for p in division.parties:
        ws.text(row, 0, p.name)
        ws.text(row, 1, p.region_name)
        ws.text(row, 2, content.period)
        ws.number(row, 3, p.caseload, "count")
        ws.number(row, 4, p.share, "share")
        ws.number(row, 5, p.amount, f"amount:{fmt}")
        row += 1
    last = row - 1
    row += 1
    ws.header(row, [t("export.col.region"), "", labels[2], labels[3], labels[4], labels[5]])
    row += 1
    first_region = row
    for r in division.regions:
        ws.text(row, 0, r.name, "bold")
        ws.text(row, 1, t("export.subtotal", count=r.parties))
        ws.text(row, 2, content.period)
        ws.number(row, 3, r.caseload, "count_bold")
        ws.number(row, 4, r.share, "share_bold")
        ws.number(row, 5, r.amount, f"amount_bold:{fmt}")
        row += 1
    last_region = row - 1
    ws.text(row, 0, t("shares.total"), "bold")
    ws.text(row, 1, t("export.total_of", count=len(division.parties)))
    ws.text(row, 2, content.period)
    ws.number(row, 3, division.caseload, "count_bold")
    ws.number(row, 4, division.share, "share_bold")
    ws.number(row, 5, resource.total, f"amount_bold:{fmt}")
    ws.widths([22, 30, 9, 10, 8, 14])
    name = quoted(ws.name)
    if division.parties:
        bar = book.add_chart({"type": "bar"})
        bar.add_series(
            {
                "name": literal(resource.unit),
                "categories": f"={name}!$A${first + 1}:$A${last + 1}",
                "values": f"={name}!$F${first + 1}:$F${last + 1}",
                "data_labels": {"value": True, "num_format": fmt},
            }
        )
        bar.set_title({"name": t("export.chart.parties", unit=literal(resource.unit))})
        bar.set_legend({"none": True})
        bar.set_y_axis({"reverse": True})
        bar.set_size({"width": 560, "height": max(240, 28 * len(division.parties) + 90)})
        ws.ws.insert_chart(head, 7, bar)
    if division.regions:
        pie = book.add_chart({"type": "pie"})
        pie.add_series(
            {
                "name": t("export.chart.regions"),
                "categories": f"={name}!$A${first_region + 1}:$A${last_region + 1}",
                "values": f"={name}!$F${first_region + 1}:$F${last_region + 1}",
                "data_labels": {"percentage": True, "category": True},
            }
        )
        pie.set_title({"name": t("export.chart.regions")})
        ws.ws.insert_chart(head + max(14, len(division.parties) + 6), 7, pie)
    ws.ws.freeze_panes(head + 1, 1)


def _caseloads(book: Any, ws: Sheet, content: Content) -> None:
    registry = content.registry
    periods = registry.periods
    fixed = [t("export.col.municipality"), t("export.col.region"), t("export.col.status")]
    ws.header(0, [*fixed, *periods])
    start = len(fixed)
    row = 1
    for party in registry.parties.values():
        ws.text(row, 0, party.name)
        region = registry.regions.get(party.region or "")
        ws.text(row, 1, region.name if region else party.region)
        ws.text(row, 2, t(f"status.{party.status}"))
        for col, period in enumerate(periods, start=start):
            count = registry.caseloads[period].get(party.id)
            if count is not None:
                ws.number(row, col, count, "count")
        row += 1
    last_party = row - 1
    row += 1
    ws.header(row, [t("export.col.region"), t("export.col.members"), "", *periods])
    row += 1
    first_region = row
    for series in trends.by_region(registry):
        ws.text(row, 0, series.name, "bold")
        ws.text(row, 1, t("export.sum_of", count=len(trends.members(registry, series.key))))
        for col, count in enumerate(series.counts, start=start):
            if count is not None:
                ws.number(row, col, count, "count_bold")
        row += 1
    last_region = row - 1
    ws.widths([16, 28, 12, *([9] * len(periods))])
    ws.ws.freeze_panes(1, 1)
    if not periods:
        return
    name = quoted(ws.name)
    first_col = column(start)
    last_col = column(start + len(periods) - 1)
    categories = f"={name}!${first_col}$1:${last_col}$1"
    at = row + 1
    for title, rows in (
        (t("export.chart.caseloads_regions"), range(first_region, last_region + 1)),
        (t("export.chart.caseloads_parties"), range(1, last_party + 1)),
    ):
        if not rows:
            continue
        chart = book.add_chart({"type": "line"})
        for r in rows:
            chart.add_series(
                {
                    "name": f"={name}!$A${r + 1}",
                    "categories": categories,
                    "values": f"={name}!${first_col}${r + 1}:${last_col}${r + 1}",
                    "marker": {"type": "circle", "size": 4},
                }
            )
        chart.set_title({"name": title})
        chart.set_y_axis({"num_format": COUNT_FORMAT})
        chart.set_size({"width": 720, "height": 360})
        ws.ws.insert_chart(at, 0, chart)
        at += 19


def _people(ws: Sheet, content: Content) -> None:
    registry = content.registry
    ws.header(
        0,
        [
            t("export.col.name"),
            t("export.col.organisation"),
            t("export.col.email"),
            t("export.col.roles"),
            t("export.col.acts_for"),
            t("export.col.access"),
            t("export.col.placeholder"),
        ],
    )
    for row, person in enumerate(registry.people.values(), start=1):
        ws.text(row, 0, person.name)
        ws.text(row, 1, person.organisation)
        ws.text(row, 2, person.email)
        ws.text(row, 3, ", ".join(t(f"role.{r}") for r in person.roles))
        ws.text(row, 4, registry.display_name(person.party) if person.party else None)
        ws.text(row, 5, t(f"access.{person.access}") if person.access else None)
        ws.text(row, 6, t("export.yes") if person.placeholder else t("export.no"))
    ws.widths([24, 24, 30, 40, 16, 24, 10])
