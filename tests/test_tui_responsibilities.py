"""Responsibilities (3): regions, their coordinators and members, and the service agreements."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import SelectionList
from tui_helpers import (
    choose,
    confirm,
    dashboard,
    diff,
    field_error,
    form,
    go_to_row,
    notifications,
    press,
    row,
    save_enabled,
    shown_keys,
    status_text,
    table,
    type_text,
)

from kokeilu.text.strings import t

AGREEMENT_ADDED = [
    "+",
    "+[[service_agreements]]",
    '+service = "kotouttaminen"',
    '+provider = "kuopio"',
    '+recipients = ["siilinjarvi", "lapinlahti"]',
    "+start = 2021-03-01",
]


@pytest.mark.parametrize(
    ("key", "party", "value", "changed", "shown", "status"),
    [
        (
            "m",
            "lapinlahti",
            "yla_savo",
            ['-region = "kuopio"', '+region = "yla_savo"'],
            (
                "parties-table",
                "lapinlahti",
                ["Lapinlahti", "party", "Ylä-Savo", "Ylä-Savon TYP", ""],
            ),
            t("ui.findings_count", errors=0, warnings=1),
        ),
        (
            "t",
            "heinavesi",
            "party",
            ['-status = "candidate"', '+status = "party"'],
            (
                "parties-table",
                "heinavesi",
                ["Heinävesi", "party", "Varkauden alue", "Varkauden seudun TYP", ""],
            ),
            t("ui.not_in_force", count=10),
        ),
        (
            "c",
            "suonenjoki",
            "siilinjarvi",
            ['-coordinator = "kuopio"', '+coordinator = "siilinjarvi"'],
            ("regions-table", "kuopio", ["Kuopion keskinen kokeilualue", "Siilinjärvi"]),
            t("ui.findings_count", errors=0, warnings=2),
        ),
    ],
    ids=["m-moves-to-a-region", "t-sets-the-status", "c-sets-the-coordinator"],
)
async def test_a_one_choice_form_changes_one_line(
    bundled_copy: Path, key, party, value, changed, shown, status
) -> None:
    before = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "3")
        await go_to_row(pilot, "parties-table", party)
        await press(pilot, key)
        assert list(form(pilot).values()) == ["choice"]
        await choose(pilot, value)  # Enter on the choice saves
        assert not pilot.app.screen.is_modal
        table_id, row_key, cells = shown
        assert row(pilot, table_id, row_key)[: len(cells)] == cells
        assert status in status_text(pilot)
        assert notifications(pilot)[-1][:2] == ("information", t("ui.saved_title"))
    assert diff(before, bundled_copy.read_text(encoding="utf-8")) == changed


async def test_enter_on_the_regions_table_changes_its_coordinator(bundled_copy: Path) -> None:
    before = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "3", "shift+tab")
        assert table(pilot, "regions-table").has_focus
        await go_to_row(pilot, "regions-table", "yla_savo")
        await press(pilot, "enter")
        assert form(pilot).title_text == t("ui.coordinator_title", region="Ylä-Savo")
        await choose(pilot, "sonkajarvi")
        await press(pilot, "ctrl+s")
        assert row(pilot, "regions-table", "yla_savo")[1] == "Sonkajärvi"
    assert diff(before, bundled_copy.read_text(encoding="utf-8")) == [
        '-coordinator = "iisalmi"',
        '+coordinator = "sonkajarvi"',
    ]


async def test_moving_a_coordinator_out_of_its_region_is_refused(bundled_copy: Path) -> None:
    """The rule (`coordinator_outside`, in `rules`) is said under the choice before saving, from
    the preview of the move: Save stays off, Enter says why, nothing is written."""
    before = bundled_copy.read_bytes()
    message = t("diag.coordinator_outside", name="Varkaus", region="Varkauden alue", other="kuopio")
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "3")
        await go_to_row(pilot, "parties-table", "varkaus")
        await press(pilot, "m")
        assert field_error(pilot, "choice") == ""
        assert save_enabled(pilot)
        await choose(pilot, "kuopio")  # the arrows, then Enter: refused, not saved
        assert pilot.app.screen.is_modal
        assert field_error(pilot, "choice") == message
        assert not save_enabled(pilot)
        assert notifications(pilot)[-1] == ("warning", t("ui.form_invalid"), message)
        await press(pilot, "ctrl+s")
        assert pilot.app.screen.is_modal
        await press(pilot, "escape")
        assert not pilot.app.screen.is_modal
        assert t("ui.save_failed") not in status_text(pilot)
        assert row(pilot, "parties-table", "varkaus")[2] == "Varkauden alue"
        assert row(pilot, "regions-table", "varkaus")[1] == "Varkaus"
    assert bundled_copy.read_bytes() == before


async def test_the_status_form_says_a_coordinator_must_be_a_party(bundled_copy: Path) -> None:
    """Making a region's coordinator a candidate breaks `ref_not_party` (in `rules`): the
    status form says so under the choice as the user moves to it, and will not save."""
    before = bundled_copy.read_bytes()
    message = t(
        "diag.ref_not_party",
        role=t("ref.coordinator"),
        name="Varkaus",
        status=t("status.candidate"),
    )
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "3")
        await go_to_row(pilot, "parties-table", "varkaus")
        await press(pilot, "t")
        await choose(pilot, "candidate")
        assert pilot.app.screen.is_modal
        assert field_error(pilot, "choice") == message
        assert not save_enabled(pilot)
        await press(pilot, "escape")
        assert row(pilot, "parties-table", "varkaus")[1] == t("status.party")
    assert bundled_copy.read_bytes() == before


async def test_the_coordinator_form_says_a_candidate_cannot_coordinate(
    bundled_copy: Path,
) -> None:
    """The coordinator form offers every member of the region, a candidate marked as one; the
    rule (`ref_not_party`) says under the choice that a candidate cannot coordinate."""
    before = bundled_copy.read_bytes()
    message = t(
        "diag.ref_not_party",
        role=t("ref.coordinator"),
        name="Heinävesi",
        status=t("status.candidate"),
    )
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "3", "shift+tab")
        await go_to_row(pilot, "regions-table", "varkaus")
        await press(pilot, "enter")
        choice = form(pilot).fields[0]
        assert (
            t("ui.name_with_status", name="Heinävesi", status=t("status.candidate")),
            "heinavesi",
        ) in choice.options
        await choose(pilot, "heinavesi")
        assert pilot.app.screen.is_modal
        assert field_error(pilot, "choice") == message
        assert not save_enabled(pilot)
        await press(pilot, "escape")
        assert row(pilot, "regions-table", "varkaus")[1] == "Varkaus"
    assert bundled_copy.read_bytes() == before


async def test_a_adds_a_municipality(bundled_copy: Path) -> None:
    before = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "3", "a")
        assert form(pilot).title_text == t("ui.party_new")
        await type_text(pilot, "tuusniemi")
        await press(pilot, "tab")
        await type_text(pilot, "Tuusniemi")
        for value in ("kunta", "kunnanhallitus", "kuopio", "kuopio"):
            await press(pilot, "tab")
            await choose(pilot, value)
        await press(pilot, "ctrl+s")
        assert not pilot.app.screen.is_modal
        assert row(pilot, "parties-table", "tuusniemi") == [
            "Tuusniemi",
            "candidate",
            "Kuopion keskinen kokeilualue",
            "Kuopion seudun TYP",
            t("ui.flag_not_party"),
        ]
        assert "Tuusniemi" in row(pilot, "regions-table", "kuopio")[3]
        await press(pilot, "2")
        assert "tuusniemi" in shown_keys(pilot, "approvals-table")
        assert t("ui.findings_count", errors=0, warnings=3) in status_text(pilot)
    # After the last party, before the comment that opens the services, set off by blank lines.
    assert diff(before, bundled_copy.read_text(encoding="utf-8")) == [
        "+[parties.tuusniemi]",
        '+name = "Tuusniemi"',
        '+kind = "kunta"',
        '+body = "kunnanhallitus"',
        '+region = "kuopio"',
        '+typ_area = "kuopio"',
        '+status = "candidate"',
        "+",
        "+[parties.tuusniemi.decision]",
        '+outcome = "pending"',
        "+",
    ]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Tuusniemi", t("valid.id", value="Tuusniemi")),
        ("kuopio", t("valid.exists", value="kuopio")),
    ],
)
async def test_a_new_municipality_needs_a_new_id(bundled_copy: Path, typed, message) -> None:
    before = bundled_copy.read_bytes()
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "3", "a")
        await type_text(pilot, typed)
        assert form(pilot).errors["id"] == message
        await press(pilot, "ctrl+s", "escape")
        assert not pilot.app.screen.is_modal
    assert bundled_copy.read_bytes() == before


async def add_agreement(pilot) -> None:
    """Tab to the service agreements, a, and fill in the form; ctrl+s saves."""
    await press(pilot, "3", "tab")
    assert table(pilot, "agreements-table").has_focus
    await press(pilot, "a")
    assert form(pilot).title_text == t("ui.agreement_new")
    await choose(pilot, "kotouttaminen")
    await press(pilot, "tab")
    await choose(pilot, "kuopio")
    # Recipients: Space ticks the one under the cursor (Lapinlahti first, then Siilinjärvi).
    await press(pilot, "tab", "down", "down", "down", "space", "up", "up", "space")
    assert form(pilot).values()["recipients"] == ["lapinlahti", "siilinjarvi"]
    await press(pilot, "tab")
    await type_text(pilot, "1.3.2021")
    await press(pilot, "ctrl+s")
    assert not pilot.app.screen.is_modal


async def test_a_on_the_agreements_table_adds_a_service_agreement(bundled_copy: Path) -> None:
    before = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "3")
        assert shown_keys(pilot, "agreements-table") == []
        await add_agreement(pilot)
        assert row(pilot, "agreements-table", "0") == [
            "Kotouttaminen",
            "Kuopio",
            "Siilinjärvi, Lapinlahti",
            "1.3.2021",
            "",
        ]
    after = bundled_copy.read_text(encoding="utf-8")
    assert diff(before, after)[-len(AGREEMENT_ADDED) :] == AGREEMENT_ADDED
    assert all(line.startswith("+") for line in diff(before, after))


async def test_enter_edits_a_service_agreement(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy) as pilot:
        await add_agreement(pilot)
        before = bundled_copy.read_text(encoding="utf-8")
        await go_to_row(pilot, "agreements-table", "0")
        await press(pilot, "enter")
        assert form(pilot).title_text == t("ui.agreement_title")
        await press(pilot, "tab", "tab", "tab", "tab")
        assert pilot.app.focused.id == "field-end"
        await type_text(pilot, "31.12.2022")
        await press(pilot, "enter")
        assert row(pilot, "agreements-table", "0")[3:] == ["1.3.2021", "31.12.2022"]
    assert diff(before, bundled_copy.read_text(encoding="utf-8")) == ["+end = 2022-12-31"]


async def test_delete_removes_a_service_agreement_after_asking(bundled_copy: Path) -> None:
    """n and escape keep it, y removes it: in one dashboard, in that order."""
    original = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await add_agreement(pilot)
        added = bundled_copy.read_text(encoding="utf-8")
        for answer, removed in (("n", False), ("escape", False), ("y", True)):
            await press(pilot, "delete")
            assert t("ui.confirm_remove_agreement", provider="Kuopio") in confirm(pilot)
            await press(pilot, answer)
            assert not pilot.app.screen.is_modal
            assert shown_keys(pilot, "agreements-table") == ([] if removed else ["0"]), answer
            expected = original if removed else added
            assert bundled_copy.read_text(encoding="utf-8") == expected, answer
    assert bundled_copy.read_text(encoding="utf-8") == original


async def test_delete_on_a_municipality_says_to_withdraw_it_instead(bundled_copy: Path) -> None:
    before = bundled_copy.read_bytes()
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "3", "delete")
        assert not pilot.app.screen.is_modal
        assert ("warning", "", t("ui.remove_party_hint")) in notifications(pilot)
    assert bundled_copy.read_bytes() == before


# --- The forms say the registry's rules, from the rules (issue 11: no rule written twice) -------------


async def test_a_new_municipality_without_a_name_is_refused_by_the_schema_declaration(
    bundled_copy: Path,
) -> None:
    """ "required" is said once, in the schema's declaration (`spec.PARTY`); the form shows the
    preview's `missing_field` under the field it names, even while the id does not parse."""
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "3", "a")
        await type_text(pilot, "Tuusniemi")
        errors = form(pilot).errors
        assert errors["id"] == t("valid.id", value="Tuusniemi")
        assert errors["name"] == t("valid.missing_field") == t("valid.required")
        for key in ("kind", "body", "region"):
            assert errors[key] == t("valid.missing_field")
        assert field_error(pilot, "name") == t("valid.missing_field")


async def test_the_agreement_form_says_the_recipient_rules_under_recipients(
    bundled_copy: Path,
) -> None:
    """`no_recipients` and `provider_is_recipient` come from `rules` through the preview of the
    edit, under the recipients field, and keep the save off."""
    before = bundled_copy.read_bytes()
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "3", "tab", "a")
        await choose(pilot, "kotouttaminen")
        await press(pilot, "tab")
        await choose(pilot, "kuopio")
        assert field_error(pilot, "recipients") == t("diag.no_recipients")
        assert not save_enabled(pilot)
        recipients = pilot.app.screen.query_one("#field-recipients", SelectionList)
        recipients.select("kuopio")
        await pilot.pause()
        assert field_error(pilot, "recipients") == t("valid.provider_is_recipient")
        assert not save_enabled(pilot)
        recipients.deselect("kuopio")
        recipients.select("lapinlahti")
        await pilot.pause()
        assert field_error(pilot, "recipients") == ""
        assert save_enabled(pilot)
        await press(pilot, "escape")
    assert bundled_copy.read_bytes() == before


async def test_an_agreement_edited_to_no_recipients_says_it_needs_one(bundled_copy: Path) -> None:
    """Unticking every recipient of an agreement shows the rule's own `no_recipients` under
    recipients (the draft keeps `recipients = []`), not the schema's bare "required"; Save
    stays off and the file keeps its recipients."""
    async with dashboard(bundled_copy) as pilot:
        await add_agreement(pilot)
        saved = bundled_copy.read_bytes()
        await press(pilot, "enter")
        assert form(pilot).title_text == t("ui.agreement_title")
        recipients = pilot.app.screen.query_one("#field-recipients", SelectionList)
        recipients.deselect_all()
        await pilot.pause()
        assert field_error(pilot, "recipients") == t("diag.no_recipients")
        assert t("diag.no_recipients") != t("valid.missing_field")
        assert not save_enabled(pilot)
        await press(pilot, "ctrl+s")
        assert pilot.app.screen.is_modal
        await press(pilot, "escape")
        assert row(pilot, "agreements-table", "0")[2] == "Siilinjärvi, Lapinlahti"
    assert bundled_copy.read_bytes() == saved
