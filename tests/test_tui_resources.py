"""Resources (4): caseloads, shares and allocations per period; editing caseloads and totals."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from tui_helpers import (
    amount,
    dashboard,
    diff,
    field_error,
    form,
    go_to_row,
    notifications,
    press,
    rewrite,
    row,
    save_enabled,
    shown_keys,
    static_text,
    type_text,
)

from kokeilu.text.strings import t
from kokeilu.tui.views.resources import REGION_PREFIX, TOTAL_KEY

TABLE = "resources-table"
PARTIES = ["kuopio", "siilinjarvi", "suonenjoki", "lapinlahti", "varkaus", "leppavirta"]
PARTIES += ["joroinen", "iisalmi", "sonkajarvi", "vierema"]
REGIONS = {
    "kuopio": ["kuopio", "siilinjarvi", "suonenjoki", "lapinlahti"],
    "varkaus": ["varkaus", "leppavirta", "joroinen", "heinavesi"],
    "yla_savo": ["iisalmi", "sonkajarvi", "vierema"],
}
TOTALS = ["61.5", "4 300 000"]


def with_allocations(pilot) -> list[str]:
    """The party rows that show an allocation."""
    keys = shown_keys(pilot, TABLE)
    parties = [k for k in keys if not k.startswith(REGION_PREFIX) and k != TOTAL_KEY]
    return [k for k in parties if row(pilot, TABLE, k)[3]]


def reject_vierema(path: Path) -> None:
    rewrite(
        path,
        (
            '[parties.vierema.decision]\noutcome = "pending"',
            '[parties.vierema.decision]\noutcome = "rejected"\ndate = 2019-11-20\nminutes = "§ 88"',
        ),
    )


async def test_enter_edits_a_caseload_and_the_shares_follow(bundled_copy: Path) -> None:
    before = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "4", "p")
        assert row(pilot, TABLE, "iisalmi") == ["Iisalmi", "1 304", "10.2 %", "6.3", "439 333"]
        await go_to_row(pilot, TABLE, "iisalmi")
        await press(pilot, "enter")
        assert form(pilot).title_text == t("ui.caseload_title", name="Iisalmi", period="2020-12")
        assert list(form(pilot).values()) == ["count"]
        assert form(pilot).values() == {"count": "1304"}
        await type_text(pilot, "1400")  # replaces the value shown
        await press(pilot, "enter")

        assert not pilot.app.screen.is_modal
        assert row(pilot, TABLE, "iisalmi") == ["Iisalmi", "1 400", "10.9 %", "6.7", "468 155"]
        assert row(pilot, TABLE, REGION_PREFIX + "yla_savo")[1] == "1 857"
        assert row(pilot, TABLE, TOTAL_KEY)[1:] == ["12 859", "100.0 %", *TOTALS]
        assert (
            "information",
            t("ui.saved_title"),
            "Iisalmi: caseload 2020-12 1304 → 1400",
        ) in notifications(pilot)
    assert diff(before, bundled_copy.read_text(encoding="utf-8")) == [
        "-iisalmi = 1304",
        "+iisalmi = 1400",
    ]


NOT_COUNTS = [
    *((typed, t("valid.count", value=typed)) for typed in ("-5", "14oo", "", "1.5")),
    # Issue 9: digits that are not ASCII digits, and a count past the limit.
    ("²", t("valid.count", value="²")),
    ("①", t("valid.count", value="①")),
    ("9223372036854775808", t("valid.count_too_large", maximum="1 000 000 000")),
]


async def test_the_caseload_form_refuses_what_is_not_a_count(bundled_copy: Path) -> None:
    """Each refused count in turn, in one dashboard (a start costs more than a form)."""
    before = bundled_copy.read_bytes()
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "4")
        for typed, message in NOT_COUNTS:
            await go_to_row(pilot, TABLE, "iisalmi")
            await press(
                pilot, "enter", "backspace"
            )  # the value shown is selected: typing replaces it
            await type_text(pilot, typed)
            assert field_error(pilot, "count") == message, typed
            assert not save_enabled(pilot)
            await press(pilot, "enter", "escape")
            assert not pilot.app.screen.is_modal
            assert row(pilot, TABLE, "iisalmi")[1] == "1 304"
    assert bundled_copy.read_bytes() == before


@pytest.mark.parametrize("key", [f"{REGION_PREFIX}kuopio", TOTAL_KEY])
async def test_enter_on_a_subtotal_row_says_to_choose_a_party(bundled_copy: Path, key) -> None:
    before = bundled_copy.read_bytes()
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "4")
        await go_to_row(pilot, TABLE, key)
        await press(pilot, "enter")
        assert not pilot.app.screen.is_modal
        assert ("warning", "", t("ui.choose_party_row")) in notifications(pilot)
    assert bundled_copy.read_bytes() == before


@pytest.mark.parametrize(
    ("prepare", "provisional"),
    [(None, False), (None, True), (reject_vierema, True)],
    ids=["approved-only", "provisional", "provisional-with-a-rejection"],
)
async def test_region_subtotals_and_the_total_row_add_up(
    bundled_copy: Path, prepare, provisional: bool
) -> None:
    if prepare:
        prepare(bundled_copy)
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "4", *(["p"] if provisional else []))
        sharing = with_allocations(pilot)
        sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
        for region, members in REGIONS.items():
            for party in members:
                cells = row(pilot, TABLE, party)
                assert bool(cells[2]) == (party in sharing)
                if party in sharing:
                    values = [amount(cells[1]), amount(cells[3]), amount(cells[4])]
                    sums[region] = [a + b for a, b in zip(sums[region], values, strict=True)]
            subtotal = row(pilot, TABLE, REGION_PREFIX + region)
            # A region where nobody shares shows no allocation.
            assert [amount(c or "0") for c in (subtotal[1], *subtotal[3:])] == sums[region]
        total = row(pilot, TABLE, TOTAL_KEY)
        assert total[2:] == ["100.0 %", *TOTALS]
        grand = [sum(column) for column in zip(*sums.values(), strict=True)]
        assert [amount(total[1]), amount(total[3]), amount(total[4])] == grand


@pytest.mark.parametrize(
    ("prepare", "sharing"),
    [
        (None, PARTIES),
        (reject_vierema, [p for p in PARTIES if p != "vierema"]),
    ],
    ids=["nobody-rejected", "vierema-rejected"],
)
async def test_p_toggles_provisional_allocations_for_every_party_not_rejecting(
    bundled_copy: Path, prepare, sharing: list[str]
) -> None:
    if prepare:
        prepare(bundled_copy)
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "4")
        assert with_allocations(pilot) == ["kuopio"]
        assert t("ui.provisional_off") in static_text(pilot, "#resources-head")
        await press(pilot, "p")
        assert with_allocations(pilot) == sharing
        assert t("ui.provisional_on") in static_text(pilot, "#resources-head")
        await press(pilot, "1")
        assert t("ui.provisional_on") in static_text(pilot, "#overview-resources")
        await press(pilot, "4", "p")
        assert with_allocations(pilot) == ["kuopio"]


@pytest.mark.parametrize(
    ("keys", "period", "iisalmi"),
    [
        (["left_square_bracket"], "2020-11", "1 206"),
        (["left_square_bracket"] * 12, "2020-01", "1 326"),
        (["right_square_bracket"], "2020-12", "1 304"),
        (["left_square_bracket", "right_square_bracket"], "2020-12", "1 304"),
    ],
    ids=["one-back", "past-the-first", "past-the-last", "back-and-forth"],
)
async def test_brackets_change_the_period(bundled_copy: Path, keys, period, iisalmi) -> None:
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "4", "p", *keys)
        assert t("ui.period", period=period) in static_text(pilot, "#resources-head")
        assert row(pilot, TABLE, "iisalmi")[1] == iisalmi
        assert row(pilot, TABLE, TOTAL_KEY)[2:] == ["100.0 %", *TOTALS]
        await press(pilot, "1")
        heading = t("ui.resources_heading", period=period)
        assert heading in static_text(pilot, "#overview-resources")


async def test_a_caseload_edited_in_an_earlier_period_changes_that_period(
    bundled_copy: Path,
) -> None:
    before = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "4", "left_square_bracket")
        await go_to_row(pilot, TABLE, "vierema")
        await press(pilot, "enter")
        await type_text(pilot, "200")
        await press(pilot, "enter")
        assert row(pilot, TABLE, "vierema")[1] == "200"
        assert t("ui.period", period="2020-11") in static_text(pilot, "#resources-head")
    after = bundled_copy.read_text(encoding="utf-8")
    assert diff(before, after) == ["-vierema = 178", "+vierema = 200"]
    november = after.index('[caseloads."2020-11"]')
    assert november < after.index("vierema = 200") < after.index('[caseloads."2020-12"]')


# What a user types in the resource form (e): the keys to a field, then the new value.
TE_TOTAL = ([], "62.3")
TE_STEP = (["tab", "ctrl+u"], "0.5")
EUR_TOTAL = (["tab", "tab", "ctrl+u"], "4 400 000")
EUR_STEP_AFTER_TE_TOTAL = (["tab", "tab", "tab", "ctrl+u"], "100")


async def edit_resources(pilot, *steps: tuple[list[str], str]) -> None:
    """4, e, then for each step: the keys to a field and the text typed there; Enter saves."""
    await press(pilot, "4", "p", "e")
    assert form(pilot).title_text == t("ui.resource_title")
    for keys, typed in steps:
        await press(pilot, *keys)
        await type_text(pilot, typed)
    await press(pilot, "enter")
    assert not pilot.app.screen.is_modal


async def test_the_resource_form_shows_every_total_and_step(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "4", "e")
        assert list(form(pilot).values().values()) == ["61.5", "0.1", "4300000", "1"]
        assert static_text(pilot, "#form-note").splitlines() == [
            "htv: TE-toimiston työntekijöiden työpanos",
            "EUR: Työllisyysmäärärahat",
        ]


@pytest.mark.parametrize(
    ("steps", "changed", "shown"),
    [
        ([TE_TOTAL], ["-total = 61.5", "+total = 62.3"], "62.3 htv (step 0.1)"),
        ([TE_STEP], ["-step = 0.1", "+step = 0.5"], "61.5 htv (step 0.5)"),
        ([EUR_TOTAL], ["-total = 4_300_000", "+total = 4_400_000"], "4 400 000 EUR"),
    ],
    ids=["te-staff-total", "te-staff-step", "appropriations-total"],
)
async def test_e_edits_the_resource_totals_and_steps(
    bundled_copy: Path, steps, changed, shown
) -> None:
    before = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await edit_resources(pilot, *steps)
        assert shown in static_text(pilot, "#resources-totals")
        total = row(pilot, TABLE, TOTAL_KEY)
        assert [amount(total[3]), amount(total[4])] == [
            sum(amount(row(pilot, TABLE, p)[i]) for p in PARTIES) for i in (3, 4)
        ]
    assert diff(before, bundled_copy.read_text(encoding="utf-8")) == changed


@pytest.mark.parametrize(
    "steps",
    [
        [TE_TOTAL],
        [EUR_TOTAL],
        [TE_TOTAL, EUR_STEP_AFTER_TE_TOTAL],
    ],
    ids=["te-staff-total", "appropriations-total", "two-resources"],
)
async def test_ctrl_z_takes_back_a_resource_form_byte_for_byte(bundled_copy: Path, steps) -> None:
    before = bundled_copy.read_bytes()
    async with dashboard(bundled_copy) as pilot:
        await edit_resources(pilot, *steps)
        assert bundled_copy.read_bytes() != before
        await press(pilot, "ctrl+z")
        assert "61.5 htv (step 0.1)" in static_text(pilot, "#resources-totals")
    assert bundled_copy.read_bytes() == before


INVALID_TOTALS = [
    (([], "61.55"), "te_staff-total", t("valid.total_not_multiple", step=Decimal("0.1"))),
    (([], "-1"), "te_staff-total", t("valid.not_negative", value="-1")),
    ((TE_STEP[0], "0"), "te_staff-step", t("valid.positive", value="0")),
    ((EUR_TOTAL[0], "paljon"), "appropriations-total", t("valid.number", value="paljon")),
    # Issue 9: beyond the limits (1e30 once ended the dashboard with decimal.InvalidOperation).
    (([], "1e30"), "te_staff-total", t("valid.total_too_large", maximum="1 000 000 000 000 000")),
    (
        (TE_STEP[0], "1e-30"),
        "te_staff-step",
        t("valid.too_many_steps", steps="1 000 000 000 000 000 000", step=Decimal("1e-30")),
    ),
]


async def test_the_resource_form_refuses_invalid_totals(bundled_copy: Path) -> None:
    """Each refused total or step in turn, in one dashboard."""
    before = bundled_copy.read_bytes()
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "4")
        for (keys, typed), field, message in INVALID_TOTALS:
            await press(pilot, "e", *keys)
            await type_text(pilot, typed)
            assert field_error(pilot, field) == message, typed
            assert not save_enabled(pilot)
            await press(pilot, "enter")
            assert pilot.app.screen.is_modal
            await press(pilot, "escape")
            assert pilot.app.is_running
            assert "4 300 000 EUR (step 1)" in static_text(pilot, "#resources-totals")
    assert bundled_copy.read_bytes() == before


# --- Issue 9: numbers ----------------------------------------------------------------------------


async def test_an_incomplete_period_is_named_so_and_not_the_default(bundled_copy: Path) -> None:
    """The first count of a new month: the default stays on the last complete month."""
    text = bundled_copy.read_text(encoding="utf-8")
    bundled_copy.write_text(text + '\n[caseloads."2021-01"]\nsiilinjarvi = 5\n', encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "4")
        assert static_text(pilot, "#resources-head").startswith(t("ui.period", period="2020-12"))
        await press(pilot, "]")
        head = static_text(pilot, "#resources-head")
        assert head.startswith("Period 2021-01, INCOMPLETE: 1 of 1 without a count")
        await press(pilot, "p")
        head = static_text(pilot, "#resources-head")
        assert head.startswith("Period 2021-01, INCOMPLETE: 9 of 10 without a count")
        await press(pilot, "1")
        assert static_text(pilot, "#overview-resources").splitlines()[1] == (
            "Resources, 2021-01, INCOMPLETE: 9 of 10 without a count  PROVISIONAL: all but rejected"
        )


async def test_a_caseload_beyond_the_limit_is_named_not_passed_over_as_missing(
    bundled_copy: Path,
) -> None:
    """Issue 9 review: a count of 2^63 (or 10^23) in the latest period once moved the default
    silently to the month before, and that period then read "INCOMPLETE: 1 of 1 without a
    count". The count is there, too large to divide by: the dashboard says so, in that period."""
    rewrite(bundled_copy, ("kuopio = 6757", "kuopio = 9223372036854775808"))
    message = "the caseload of Kuopio in 2020-12 is too large to divide by"
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "1")
        # The letter is not in force: the Overview shows the provisional division, and says so.
        assert static_text(pilot, "#overview-resources").splitlines()[1:4] == [
            "Resources, 2020-12  " + t("ui.provisional_on"),
            t("ui.division_provisional", count=10),
            message,
        ]
        await press(pilot, "4")
        head = static_text(pilot, "#resources-head")
        assert head.startswith(t("ui.period", period="2020-12") + "   ")
        assert "INCOMPLETE" not in head
        totals = static_text(pilot, "#resources-totals")
        assert t("ui.computing") not in totals
        assert totals.splitlines()[-1] == message
        await press(pilot, "p")  # provisionally too: Kuopio is named, not counted as zero
        assert static_text(pilot, "#resources-totals").splitlines()[-1] == message
        assert "INCOMPLETE" not in static_text(pilot, "#resources-head")
