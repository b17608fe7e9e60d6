"""Approvals (2): recording a board's decision through the form, filtering and sorting the rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import (
    choose,
    comments,
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
    status_text,
    table,
    type_text,
)

from kokeilu.text.strings import t

IISALMI_APPROVED = [
    '-outcome = "pending"',
    '+outcome = "approved"',
    '+body = "kaupunginhallitus"',
    "+date = 2019-11-18",
    '+minutes = "§ 301"',
]
OTHERS = ("siilinjarvi", "suonenjoki", "lapinlahti", "varkaus", "leppavirta", "joroinen")
OTHERS += ("sonkajarvi", "vierema")


def approve_all_but_iisalmi(path: Path) -> None:
    """Every party but Iisalmi approved, the last of them on 17.11.2019."""
    rewrite(
        path,
        *(
            (
                f'[parties.{p}.decision]\noutcome = "pending"',
                f'[parties.{p}.decision]\noutcome = "approved"\ndate = 2019-11-{10 + i:02}\n'
                f'minutes = "§ {i}"',
            )
            for i, p in enumerate(OTHERS)
        ),
    )


async def open_decision_form(pilot, party: str) -> None:
    """2, the arrows to the party's row, Enter."""
    await press(pilot, "2")
    await go_to_row(pilot, "approvals-table", party)
    await press(pilot, "enter")
    assert form(pilot).title_text == t(
        "ui.decision_title", name=row(pilot, "approvals-table", party)[0]
    )


def missing_line(overview: str) -> str:
    """The Overview's line of who is missing ("" when nobody is)."""
    prefix = t("ui.missing_list", count=0).split("(")[0]
    return next((line for line in overview.splitlines() if line.startswith(prefix)), "")


async def fill_approval(pilot, date: str, minutes: str) -> None:
    """Outcome approved (Enter, Down, Enter), Tab to Body, Tab to Date, type, Tab to Minutes, type."""
    assert pilot.app.focused.id == "field-outcome"
    await press(pilot, "enter", "down", "enter")
    assert form(pilot).values()["outcome"] == "approved"
    await press(pilot, "tab")
    assert pilot.app.focused.id == "field-body"
    await press(pilot, "tab")
    assert pilot.app.focused.id == "field-date"
    await type_text(pilot, date)
    await press(pilot, "tab")
    assert pilot.app.focused.id == "field-minutes"
    await type_text(pilot, minutes)


@pytest.mark.parametrize(
    ("prepare", "status", "overview", "applied"),
    [
        (
            None,
            t("ui.not_in_force", count=8),
            t("status.not_in_force", count=8, total=10),
            2,
        ),
        (
            approve_all_but_iisalmi,
            t("ui.in_force", since="18.11.2019"),
            t("ui.in_force", since="18.11.2019"),
            10,
        ),
    ],
    ids=["one-less-missing", "now-in-force"],
)
async def test_recording_iisalmis_approval_through_the_form(
    bundled_copy: Path, prepare, status: str, overview: str, applied: int
) -> None:
    if prepare:
        prepare(bundled_copy)
    before = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        if prepare is None:
            assert t("ui.not_in_force", count=9) in status_text(pilot)
            assert "Iisalmi" in missing_line(static_text(pilot, "#overview-status"))
        await open_decision_form(pilot, "iisalmi")
        await fill_approval(pilot, "18.11.2019", "§ 301")
        assert save_enabled(pilot)
        await press(pilot, "enter")

        assert not pilot.app.screen.is_modal
        assert row(pilot, "approvals-table", "iisalmi") == [
            "Iisalmi",
            t("outcome.approved"),
            "18.11.2019",
            "§ 301",
            "",
        ]
        assert static_text(pilot, "#approvals-detail") == "Iisalmi · Ylä-Savo · kaupunginhallitus"
        assert status in status_text(pilot)
        await press(pilot, "1")
        shown = static_text(pilot, "#overview-status")
        assert overview in shown
        assert "Iisalmi" not in missing_line(shown)
        approved = t("ui.approved_list", count=applied) + ": "
        assert "Iisalmi (kaupunginhallitus 18.11.2019)" in shown.split(approved)[1].splitlines()[0]
        assert (
            "information",
            t("ui.saved_title"),
            "Iisalmi: decision approved (kaupunginhallitus 18.11.2019 § 301)",
        ) in notifications(pilot)
    after = bundled_copy.read_text(encoding="utf-8")
    assert diff(before, after) == IISALMI_APPROVED
    assert comments(after) == comments(before)


INVALID_DECISIONS = [
    ("", "§ 301", "date", t("valid.decision_needs_date")),
    ("31.2.2019", "§ 301", "date", t("valid.date", value="31.2.2019")),
    ("1.10.2019", "§ 301", "date", t("valid.decision_before_letter", letter="8.10.2019")),
    ("1.1.2027", "§ 301", "date", t("valid.decision_in_future")),
    ("18.11.2019", "", "minutes", t("valid.decision_needs_minutes")),
]


async def test_the_form_refuses_an_invalid_decision_and_escape_cancels(bundled_copy: Path) -> None:
    """No date, not a date, before the letter, in the future, no minutes: each in turn, in one
    dashboard (a start costs more than a form)."""
    before = bundled_copy.read_bytes()
    async with dashboard(bundled_copy) as pilot:
        for date, minutes, field, message in INVALID_DECISIONS:
            pilot.app.clear_notifications()
            await open_decision_form(pilot, "iisalmi")
            await fill_approval(pilot, date, minutes)
            assert field_error(pilot, field) == message, (date, minutes)
            assert not save_enabled(pilot)
            await press(pilot, "enter")  # Enter in a field tries to save
            assert form(pilot).values()["outcome"] == "approved"
            assert pilot.app.focused.id == f"field-{field}"
            assert ("warning", t("ui.form_invalid"), message) in notifications(pilot)
            assert bundled_copy.read_bytes() == before

            await press(pilot, "escape")
            assert not pilot.app.screen.is_modal
            assert row(pilot, "approvals-table", "iisalmi")[1:4] == [t("outcome.pending"), "", ""]
            assert t("ui.not_in_force", count=9) in status_text(pilot)
    assert bundled_copy.read_bytes() == before


async def test_a_decision_can_be_taken_back_to_pending_in_the_form(bundled_copy: Path) -> None:
    before = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await open_decision_form(pilot, "kuopio")
        await choose(pilot, "pending")
        assert save_enabled(pilot)
        await press(pilot, "ctrl+s")
        assert row(pilot, "approvals-table", "kuopio")[1] == t("outcome.pending")
        assert t("ui.not_in_force", count=10) in status_text(pilot)
    assert diff(before, bundled_copy.read_text(encoding="utf-8")) == [
        '-outcome = "approved"',
        '+outcome = "pending"',
    ]


FILTERS = [
    ("varkau", ["varkaus", "leppavirta", "joroinen", "heinavesi"]),
    ("YLÄ-savo", ["iisalmi", "sonkajarvi", "vierema"]),
    ("§ 139", ["kuopio"]),
    ("tuusniemi", []),
    # Diacritics aside, as people type on any keyboard.
    ("jarvi", ["siilinjarvi", "sonkajarvi"]),
    ("VIEREMA", ["vierema"]),
]


async def test_slash_filters_the_rows_and_escape_clears(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "2")
        everyone = shown_keys(pilot, "approvals-table")
        assert len(everyone) == 11
        for typed, rows in FILTERS:
            await press(pilot, "slash")
            await type_text(pilot, typed)
            assert shown_keys(pilot, "approvals-table") == rows, typed
            await press(pilot, "escape")
            assert shown_keys(pilot, "approvals-table") == everyone
            assert not pilot.app.query_one("#approvals-filter").display
            assert table(pilot, "approvals-table").has_focus


async def test_enter_in_the_filter_goes_to_the_rows_and_enter_again_opens_the_form(
    bundled_copy: Path,
) -> None:
    before = bundled_copy.read_bytes()
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "2", "slash")
        await type_text(pilot, "salmi")
        await press(pilot, "enter")
        assert table(pilot, "approvals-table").has_focus
        assert shown_keys(pilot, "approvals-table") == ["iisalmi"]
        await press(pilot, "enter")
        assert form(pilot).title_text == t("ui.decision_title", name="Iisalmi")
        await press(pilot, "escape")
    assert bundled_copy.read_bytes() == before


async def test_s_sorts_by_name_and_again_reverses(bundled_copy: Path) -> None:
    by_name = ["heinavesi", "iisalmi", "joroinen", "kuopio", "lapinlahti", "leppavirta"]
    by_name += ["siilinjarvi", "sonkajarvi", "suonenjoki", "varkaus", "vierema"]
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "2")
        assert shown_keys(pilot, "approvals-table")[:2] == ["kuopio", "siilinjarvi"]
        await press(pilot, "s")
        assert shown_keys(pilot, "approvals-table") == by_name
        await press(pilot, "s")
        assert shown_keys(pilot, "approvals-table") == by_name[::-1]
