"""Overview: the state of the pilot at a glance, and the letter itself.

Its size does not grow with the number of parties: each list of names stops after
`NAMES_SHOWN` with a count and the key of the view that lists them all, and the resources are
drawn per region (per party too, while they fit under the same cap). Textual wraps the whole
text at every layout pass, so a 10,000-name list would freeze the screen for a second each time.
"""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from kokeilu.registry.schema import AGREEMENT_TEXTS
from kokeilu.rules import deadline_words, participants, waiting_words
from kokeilu.shares.division import amount
from kokeilu.text.display import date, literal, number, places
from kokeilu.text.strings import t
from kokeilu.tui.commands import VIEWS
from kokeilu.tui.state import Shares, incomplete
from kokeilu.tui.views.base import View
from kokeilu.tui.widgets.bars import bars

# How many names a list shows before "… and 990 more": every list of the bundled registry
# (11 municipalities) fits.
NAMES_SHOWN = 12
# How many regions are listed, and drawn as bars.
REGIONS_SHOWN = 30


def key_of(view: str) -> str:
    """The number key that shows `view`."""
    return str(VIEWS.index(view) + 1)


def capped(names: list[str], total: int, view: str) -> str:
    """`names` joined, and when `total` is more, how many more and which key lists them all."""
    shown = ", ".join(names)
    if total > len(names):
        more = t("ui.more_names", count=number(total - len(names)), key=key_of(view))
        shown = f"{shown}, {more}" if shown else more
    return shown


def bars_width(view_width: int) -> int:
    """How wide the resources' lines are drawn in a view `view_width` cells wide (0: not laid out)."""
    return max(40, (view_width or 80) - 4)


class OverviewView(View):
    """In force or not, who is missing, findings, regions, and the resources as bars."""

    view_id = "overview"
    draws_shares = True
    provisional_until_in_force = True
    # Whether the letter has been drawn once (the first time, it waits for the first paint).
    letter_drawn = False
    # The width the bars were last drawn for.
    drawn_bars_width = 0
    can_focus = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="overview-scroll"):
            yield Static(id="overview-status")
            yield Static(id="overview-regions")
            yield Static(id="overview-resources")
            yield Static(id="overview-letter")
            yield Static(id="overview-quote")
            yield Static(id="overview-people")

    def focus_main(self) -> None:
        self.query_one("#overview-scroll").focus()

    def refresh_view(self) -> None:
        assert self.state is not None
        registry, status = self.state.registry, self.state.status
        name = registry.display_name
        text = Text()
        text.append(literal(registry.agreement.title) + "\n", style="bold")
        if registry.example_figures:
            text.append(t("cli.example_figures") + "\n", style="bold magenta")
        text.append("\n")
        if status.in_force:
            since = date(status.in_force_since) if status.in_force_since else ""
            text.append(t("ui.in_force", since=since) + "\n", style="bold green")
        else:
            total = sum(1 for p in registry.parties.values() if p.status == "party")
            text.append(
                t("status.not_in_force", count=len(status.missing), total=total) + "\n",
                style="bold yellow",
            )
            text.append(literal(waiting_words(registry, status)) + "\n")
        deadline = deadline_words(registry, self.state.today)
        if deadline:
            text.append(deadline + "\n", style="" if status.in_force else "yellow")
        if not status.in_force:
            # Pending is the rule among the missing: only a rejection is named as such.
            missing = capped(
                [
                    literal(name(pid))
                    + (f" ({t('outcome.' + outcome)})" if outcome != "pending" else "")
                    for pid, outcome in status.missing[:NAMES_SHOWN]
                ],
                len(status.missing),
                "approvals",
            )
            text.append(f"{t('ui.missing_list', count=len(status.missing))}: ", style="bold")
            text.append(missing + "\n")
        approvals = []
        for pid, day in status.approvals[:NAMES_SHOWN]:
            body = registry.parties[pid].decision.body
            detail = " ".join(x for x in (literal(body or ""), date(day)) if x)
            approvals.append(f"{literal(name(pid))} ({detail})" if detail else literal(name(pid)))
        approved = capped(approvals, len(status.approvals), "approvals") or t("status.none")
        text.append(f"{t('ui.approved_list', count=len(status.approvals))}: ", style="bold")
        text.append(approved + "\n")
        findings = t("ui.findings_count", errors=self.state.errors, warnings=self.state.warnings)
        text.append(f"{t('ui.findings')}: ", style="bold")
        text.append(findings, style="bold red" if self.state.errors else "yellow")
        text.append(f"  {t('ui.findings_hint')}")
        self.query_one("#overview-status", Static).update(text)
        self.draw_regions()
        self.draw_resources()
        if not self.letter_drawn:
            self.letter_drawn = True
            # The letter lies below the first screen: wrapping it before the first paint cost
            # two layout passes of ~20 ms each, so the first time it comes right after.
            self.call_after_refresh(self.draw_letter)
        else:
            self.draw_letter()

    def draw_regions(self) -> None:
        """The regions, their members and each coordinator's role in the letter's words (wrapped
        here, indented under its region, to the view's width)."""
        assert self.state is not None
        registry, status = self.state.registry, self.state.status
        name = registry.display_name
        width = bars_width(self.size.width)
        regions = Text()
        regions.append(f"\n{t('status.regions')}\n", style="bold")
        for r in status.regions[:REGIONS_SHOWN]:
            coordinator = literal(name(r.coordinator)) if r.coordinator else "-"
            regions.append(f"{literal(r.name)}", style="bold")
            regions.append(
                f" — {t('status.coordinator')} {coordinator} — {t('status.approved_of', approved=r.approved, total=r.parties)}\n"
            )
            members = []
            for pid in r.members[:NAMES_SHOWN]:
                party = registry.parties[pid]
                flag = ""
                if party.status != "party":
                    flag = f" ⚑ {t('status.not_party', status=t('status.' + party.status))}"
                elif party.typ_area and registry.regions[r.id].typ_area not in (
                    None,
                    party.typ_area,
                ):
                    flag = f" ⚑ {t('ui.typ_exception_short')}"
                members.append(literal(party.name) + flag)
            regions.append("  " + capped(members, len(r.members), "responsibilities") + "\n")
            if r.role:
                role = textwrap.wrap(
                    f"“{literal(r.role)}”",
                    width,
                    initial_indent="  ",
                    subsequent_indent="   ",
                    break_on_hyphens=False,
                )
                regions.append("\n".join(role) + "\n", style="italic")
        if len(status.regions) > REGIONS_SHOWN:
            more = len(status.regions) - REGIONS_SHOWN
            regions.append(
                t("ui.more_regions", count=number(more), key=key_of("responsibilities")) + "\n"
            )
        self.query_one("#overview-regions", Static).update(regions)

    def show_shares(self, shares: Shares) -> None:
        """Take a new division: drawn in front, only the resources are drawn again."""
        if self.stale or not self.display:
            super().show_shares(shares)
        else:
            self.shares = shares
            self.draw_resources()

    def on_resize(self, event: events.Resize) -> None:
        """Bars are as wide as the view: a new width draws them anew (or when next shown)."""
        if bars_width(event.size.width) != self.drawn_bars_width and self.state is not None:
            if self.display and not self.stale:
                self.draw_regions()
                self.draw_resources()
            else:
                self.invalidate()

    def draw_resources(self) -> None:
        if self.state is None:
            return
        self.drawn_bars_width = width = bars_width(self.size.width)
        registry = self.state.registry
        shares = self.shares
        text = Text()
        absent, among = (
            incomplete(registry, shares.period, shares.provisional) if shares else (0, 0)
        )
        heading = (
            t(
                "ui.resources_heading_incomplete",
                period=literal(str(shares.period)),
                count=absent,
                total=among,
            )
            if shares and absent
            else t("ui.resources_heading", period=literal(str(shares.period)) if shares else "…")
        )
        text.append(f"\n{heading}", style="bold yellow" if absent else "bold")
        # Until the letter is in force the division shown is the provisional one (the main
        # screen hands this view no other): said so, in words, above the figures.
        not_in_force = not self.state.status.in_force
        if shares and shares.provisional and not_in_force:
            text.append(f"  {t('ui.provisional_on')}", style="bold yellow")
        text.append("\n")
        if shares and shares.provisional and not_in_force:
            count = len(participants(registry, provisional=True))
            text.append(t("ui.division_provisional", count=count) + "\n", style="yellow")
        if shares is None:
            text.append(t("ui.computing"), style="italic")
        elif shares.error or shares.by_party is None or shares.by_region is None:
            text.append(literal(shares.error or ""), style="yellow")
        else:
            for rid, resource in registry.resources.items():
                decimals = places(resource.step)
                text.append(
                    f"{literal(resource.name)}: {number(resource.total, decimals)} {literal(resource.unit)}\n",
                    style="bold",
                )
                by_region = shares.by_region.filter(resource=rid)
                regions = [
                    (
                        registry.regions[row["region"]].name
                        if row["region"] in registry.regions
                        else str(row["region"]),
                        amount(resource, row["units"]),
                    )
                    for row in by_region.head(REGIONS_SHOWN).iter_rows(named=True)
                ]
                text.append_text(bars(regions, decimals, resource.unit, width))
                text.append("\n")
                if by_region.height > REGIONS_SHOWN:
                    more = by_region.height - REGIONS_SHOWN
                    text.append(
                        t("ui.more_regions", count=number(more), key=key_of("resources")) + "\n"
                    )
                by_party = shares.by_party.filter(resource=rid)
                if by_party.height <= NAMES_SHOWN:
                    parties = [
                        (registry.display_name(row["party"]), amount(resource, row["units"]))
                        for row in by_party.iter_rows(named=True)
                    ]
                    text.append_text(bars(parties, decimals, resource.unit, width))
                else:
                    text.append(
                        t(
                            "ui.party_shares_hint",
                            count=number(by_party.height),
                            key=key_of("resources"),
                        ),
                        style="italic",
                    )
                text.append("\n\n")
        text.rstrip()
        self.query_one("#overview-resources", Static).update(text)

    def draw_letter(self) -> None:
        assert self.state is not None
        registry = self.state.registry
        a = registry.agreement
        name = registry.display_name
        text = Text()
        text.append(f"\n{t('ui.letter')}\n", style="bold")
        facts = [
            (t("ui.applicant"), name(a.applicant) if a.applicant else "-"),
            (t("ui.administrator"), name(a.administrator) if a.administrator else "-"),
            (t("ui.national_contact"), name(a.national_contact) if a.national_contact else "-"),
            (t("ui.ministry_letter"), f"{a.ministry or ''} {date(a.ministry_letter)}".strip()),
            (t("ui.entry_into_force"), t(f"rule.{a.entry_into_force}")),
        ]
        for label, value in facts:
            text.append(f"{label}: ", style="bold")
            text.append(literal(value) + "\n")
        deadline = a.application_deadline
        if deadline is not None:
            text.append(f"{t('ui.application_deadline')}: ", style="bold")
            text.append(date(deadline) + "\n")
        text.rstrip()
        self.query_one("#overview-letter", Static).update(text)

        # The letter's passages, as written: a quoted block (its border is the quotation mark),
        # each passage in quotes under its heading, and the letter named as the source.
        quote = Text()
        quoted = [key for key in AGREEMENT_TEXTS if key in a.texts]
        if quoted:
            quote.append(t("ui.letter_words") + "\n", style="bold")
        for key in quoted:
            quote.append(f"{t('letter.' + key)}\n", style="bold")
            quote.append(f"“{literal(a.texts[key])}”\n", style="italic")
        if quoted:
            quote.append(t("ui.letter_source", title=literal(a.title)))
        quote.rstrip()
        widget = self.query_one("#overview-quote", Static)
        widget.display = bool(quoted)
        widget.update(quote)

        text = Text()
        services = ", ".join(literal(s.name) for s in registry.services.values()) or "-"
        text.append(f"{t('ui.services')}: ", style="bold")
        text.append(services + "\n")
        for sa in registry.service_agreements:
            recipients = ", ".join(literal(name(r)) for r in sa.recipients or ())
            service = registry.services.get(sa.service or "")
            text.append(
                f"  {literal(name(sa.provider or '-'))} → {recipients}: {literal(service.name if service else sa.service or '-')}\n"
            )
        people = {
            role: [p for p in registry.people.values() if role in p.roles]
            for role in ("distribution", "info", "project_group")
        }
        for role, members in people.items():
            text.append(f"{t('role.' + role)}: ", style="bold")
            shown = ", ".join(
                literal(f"{p.name}, {p.organisation}" if p.organisation else p.name)
                for p in members
            )
            text.append((shown or t("status.none")) + "\n")
        text.rstrip()
        self.query_one("#overview-people", Static).update(text)
