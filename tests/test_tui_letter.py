"""Issue 12 in the dashboard: the letter as written, who approved and when, who is missing, the
deadline, the provisional division, roles, case numbers and notes, as a coordinator reads them."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import TODAY, dashboard, go_to_row, press, rewrite, row, static_text

from kokeilu.text.strings import t

DAYS = (TODAY - __import__("datetime").date(2019, 11, 19)).days


async def test_the_overview_says_who_approved_when_who_is_missing_and_the_deadline(
    bundled_copy: Path,
) -> None:
    async with dashboard(bundled_copy) as pilot:
        lines = static_text(pilot, "#overview-status").splitlines()
        # The first screen says that the division further down is provisional.
        at = lines.index(
            "The agreement is not in force: 9 of 10 parties have not approved."
            " The division below is provisional."
        )
        assert lines[at + 1 : at + 5] == [
            "Waiting since 11.11.2019, when Kuopio approved first.",
            f"Application deadline 19.11.2019: passed {DAYS} days ago.",
            "Missing (9): Iisalmi, Joroinen, Lapinlahti, Leppävirta, Siilinjärvi, Sonkajärvi, "
            "Suonenjoki, Varkaus, Vieremä",
            "Approved (1): Kuopio (kaupunginhallitus 11.11.2019)",
        ]


async def test_a_rejection_is_named_among_the_missing(bundled_copy: Path) -> None:
    rewrite(
        bundled_copy,
        (
            '[parties.joroinen.decision]\noutcome = "pending"',
            '[parties.joroinen.decision]\noutcome = "rejected"\ndate = 2019-11-12\nminutes = "§ 5"',
        ),
    )
    async with dashboard(bundled_copy) as pilot:
        shown = static_text(pilot, "#overview-status")
        assert "Missing (9): Iisalmi, Joroinen (rejected), Lapinlahti," in shown


async def test_before_entry_into_force_the_overview_divides_provisionally_and_says_so(
    bundled_copy: Path,
) -> None:
    async with dashboard(bundled_copy) as pilot:
        lines = static_text(pilot, "#overview-resources").splitlines()
        assert lines[1:4] == [
            "Resources, 2020-12  " + t("ui.provisional_on"),
            "The letter is not in force: this division is provisional, among the 10 parties "
            "that have not rejected, approved or not.",
            "TE-toimiston työntekijöiden työpanos: 61.5 htv",
        ]
        # Not 61.5 htv to Kuopio, the first to approve: its share of all ten.
        assert next(line for line in lines if line.startswith("Kuopio ")).endswith("32.6 htv")
        # The switch (Resources, p) still says approved-only: that view divides so.
        await press(pilot, "4")
        assert t("ui.provisional_off") in static_text(pilot, "#resources-head")
        assert row(pilot, "resources-table", "region:varkaus")[:2] == [
            "Σ Varkauden alue (0/3)",
            "0",
        ]


async def test_in_force_the_overview_has_no_provisional_label(bundled_copy: Path) -> None:
    text = bundled_copy.read_text(encoding="utf-8")
    for party in ("siilinjarvi", "suonenjoki", "lapinlahti", "varkaus", "leppavirta"):
        text = text.replace(
            f'[parties.{party}.decision]\noutcome = "pending"',
            f'[parties.{party}.decision]\noutcome = "approved"\ndate = 2019-11-15\nminutes = "§ 1"',
        )
    for party in ("joroinen", "iisalmi", "sonkajarvi", "vierema"):
        text = text.replace(
            f'[parties.{party}.decision]\noutcome = "pending"',
            f'[parties.{party}.decision]\noutcome = "approved"\ndate = 2019-11-18\nminutes = "§ 2"',
        )
    bundled_copy.write_text(text, encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        status = static_text(pilot, "#overview-status").splitlines()
        assert status[3:5] == [
            "In force since 18.11.2019",
            f"Application deadline 19.11.2019: passed {DAYS} days ago.",
        ]
        assert not any(line.startswith("Missing") for line in status)
        resources = static_text(pilot, "#overview-resources").splitlines()
        assert resources[1] == "Resources, 2020-12"


async def test_the_overview_quotes_the_letter_and_the_regions_roles(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy) as pilot:
        quote = static_text(pilot, "#overview-quote").splitlines()
        assert quote[0] == t("ui.letter_words")
        at = quote.index(t("letter.cooperation"))
        assert quote[at + 1].startswith("“Kunnat sitoutuvat toimimaan kokeilussa hyvässä")
        assert "myötävaikuttavat osaltaan kokeilun päämäärien saavuttamiseen" in quote[at + 1]
        assert quote[-1] == (
            "— Kuntien välinen aiesopimus työllisyyden kuntakokeilun toteuttamisesta Pohjois-Savossa"
        )
        regions = static_text(pilot, "#overview-regions").splitlines()
        at = regions.index("Ylä-Savo — coordinator Iisalmi — 0/3 approved")
        assert regions[at + 2 : at + 4] == [
            "  “Iisalmi koordinoi ja tukee toimintaa vastaavasti Ylä-Savossa (Iisalmi,",
            "   Sonkajärvi, Vieremä) pl. Lapinlahti.”",
        ]


async def test_approvals_show_the_case_number_and_the_notes_of_the_row(bundled_copy: Path) -> None:
    rewrite(
        bundled_copy,
        (
            '[parties.varkaus.decision]\noutcome = "pending"',
            '[parties.varkaus.decision]\noutcome = "pending"\ncase = "112/00.01/2019"\n'
            'note = "käsittelyssä 25.11."',
        ),
    )
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "2")
        assert row(pilot, "approvals-table", "varkaus") == [
            "Varkaus",
            t("outcome.pending"),
            "",
            "",
            "112/00.01/2019",
        ]
        await go_to_row(pilot, "approvals-table", "varkaus")
        assert static_text(pilot, "#approvals-detail").splitlines() == [
            "Varkaus · Varkauden alue",
            "Note: käsittelyssä 25.11.",
        ]
        await go_to_row(pilot, "approvals-table", "kuopio")
        assert static_text(pilot, "#approvals-detail").splitlines() == [
            "Kuopio · Kuopion keskinen kokeilualue · kaupunginhallitus",
            "Attachment: Kuopion kaupunginhallituksen pöytäkirja 11.11.2019 § 139",
        ]


async def test_regions_show_the_role_of_the_region_under_the_cursor(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "3")
        assert static_text(pilot, "#regions-role").startswith(
            "Kuopion keskinen kokeilualue: “Lisäksi Kuopion kaupunki koordinoi"
        )
        role = pilot.app.query_one("#regions-role")
        assert not role.display  # the municipalities have the focus: their rows get the room
        await press(pilot, "shift+tab")  # from the municipalities to the regions
        assert role.display
        await go_to_row(pilot, "regions-table", "varkaus")
        assert static_text(pilot, "#regions-role") == (
            "Varkauden alue: “Varkaus koordinoi käytännön toimintaa Varkauden alueella (Varkaus, "
            "Leppävirta, Joroinen, Heinävesi) ja tekee kiinteää yhteistyötä ao. kuntien kanssa.”"
        )
        await press(pilot, "tab")  # back to the municipalities
        assert not role.display
