"""Dashboard state that must follow the world: the clock, the terminal's size, the file and git,
and what a user typed into a form whose save was refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from gitrepo import make_repo, subjects
from tui_helpers import (
    TODAY,
    choose,
    confirm,
    current_view,
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
    settle,
    static_text,
    status_text,
    table,
    type_text,
)

from kokeilu.text.strings import t
from kokeilu.tui.screens.form import FormField, FormScreen

# --- "Today" comes from a clock read when it is needed ---------------------------------------------


async def test_a_dashboard_left_open_past_midnight_accepts_a_decision_dated_the_new_day(
    bundled_copy: Path,
) -> None:
    before = bundled_copy.read_text(encoding="utf-8")
    now = [TODAY]
    tomorrow = TODAY + dt.timedelta(days=1)
    async with dashboard(bundled_copy, clock=lambda: now[0]) as pilot:
        now[0] = tomorrow  # the night passes with the dashboard open
        await press(pilot, "2")
        await go_to_row(pilot, "approvals-table", "iisalmi")
        await press(pilot, "enter", "enter", "down", "enter", "tab", "tab")
        assert pilot.app.focused.id == "field-date"
        await type_text(pilot, "28.11.2026")
        await press(pilot, "tab")
        await type_text(pilot, "§ 1")
        assert field_error(pilot, "date") == ""
        assert save_enabled(pilot)
        await press(pilot, "ctrl+s")
        assert not pilot.app.screen.is_modal
        assert row(pilot, "approvals-table", "iisalmi")[1:4] == ["approved", "28.11.2026", "§ 1"]
    assert "+date = 2026-11-28" in diff(before, bundled_copy.read_text(encoding="utf-8"))


async def test_a_decision_dated_tomorrow_is_an_error_until_midnight_passes(
    bundled_copy: Path,
) -> None:
    rewrite(
        bundled_copy,
        (
            '[parties.iisalmi.decision]\noutcome = "pending"',
            '[parties.iisalmi.decision]\noutcome = "approved"\ndate = 2026-11-28\nminutes = "§ 1"',
        ),
    )
    now = [TODAY]
    # The decision is also after the application deadline (19.11.2019): a third warning, which
    # midnight does not change.
    async with dashboard(bundled_copy, clock=lambda: now[0]) as pilot:
        assert t("ui.findings_count", errors=1, warnings=3) in status_text(pilot)
        pilot.app.main.watcher.check()  # what the dashboard does every second
        await settle(pilot)
        assert t("ui.findings_count", errors=1, warnings=3) in status_text(pilot)
        now[0] = TODAY + dt.timedelta(days=1)
        pilot.app.main.watcher.check()
        await settle(pilot)
        assert t("ui.findings_count", errors=0, warnings=3) in status_text(pilot)


# --- The file and git -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "view", "table_id", "row_key", "title"),
    [
        (("2",), "approvals", "approvals-table", "iisalmi", ("ui.decision_title", "Iisalmi")),
        (("3", "tab"), "responsibilities", "agreements-table", None, ("ui.agreement_new", "")),
    ],
    ids=["approvals", "agreements"],
)
async def test_after_a_broken_file_is_fixed_the_table_that_had_the_focus_has_it_again(
    bundled_copy: Path, keys, view: str, table_id: str, row_key, title
) -> None:
    good = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, *keys)
        if row_key:
            await go_to_row(pilot, table_id, row_key)
        rewrite(bundled_copy, ('name = "Siilinjärvi"', 'name = "Siilinjärvi'))
        pilot.app.main.watcher.check()
        await settle(pilot)
        assert current_view(pilot) == "broken"
        await press(pilot, "enter", "a")  # no form opens over a file that cannot be read
        assert not pilot.app.screen.is_modal
        bundled_copy.write_text(good, encoding="utf-8")
        pilot.app.main.watcher.check()
        await settle(pilot)
        assert current_view(pilot) == view
        assert table(pilot, table_id).has_focus
        # Enter (or a) acts on the table at once, without Tab first.
        await press(pilot, "enter" if row_key else "a")
        key, name = title
        assert form(pilot).title_text == (t(key, name=name) if name else t(key))


def save_state(pilot) -> str:
    """The status line's part that says what became of the file (committed, uncommitted, …)."""
    return status_text(pilot).split(" │ ")[2]


@pytest.mark.parametrize("key", ["x", "c"])
async def test_the_status_line_follows_a_hand_edit_discarded_or_committed(
    tmp_path: Path, key: str
) -> None:
    registry = make_repo(tmp_path / "repo")
    rewrite(registry, ("vierema = 191", "vierema = 200"))
    async with dashboard(registry) as pilot:
        assert save_state(pilot) == t("ui.git.pending")
        await press(pilot, "7", key)
        if key == "x":
            await press(pilot, "y")
        else:
            await type_text(pilot, "Vieremä corrected")
            await press(pilot, "enter")
        await settle(pilot)
        assert save_state(pilot).startswith(t("ui.git.committed"))


# --- The terminal's size -----------------------------------------------------------------------------


def bar_cells(pilot) -> list[int]:
    """How many full cells each of the Overview's bars fills, top to bottom."""
    lines = static_text(pilot, "#overview-resources").splitlines()
    return [line.count("█") for line in lines if "█" in line]


AT_80 = [49, 12, 9, 54, 8, 3, 4, 11, 4, 2, 10, 2, 1, 44, 11, 8, 49, 7, 3, 3, 10, 4, 2, 9, 1, 1]
AT_120 = [
    89,
    23,
    18,
    94,
    14,
    6,
    7,
    19,
    7,
    3,
    18,
    3,
    2,
    84,
    21,
    16,
    89,
    13,
    5,
    7,
    18,
    7,
    3,
    17,
    3,
    2,
]


@pytest.mark.parametrize("elsewhere", [False, True], ids=["in-front", "while-hidden"])
async def test_the_overviews_bars_follow_the_terminals_width(
    bundled_copy: Path, elsewhere: bool
) -> None:
    # The letter is not in force: the provisional division, 3 regions and 10 parties a resource.
    async with dashboard(bundled_copy) as pilot:
        assert bar_cells(pilot) == AT_80
        if elsewhere:
            await press(pilot, "4")
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        if elsewhere:
            await press(pilot, "1")
        assert bar_cells(pilot) == AT_120
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert bar_cells(pilot) == AT_80


# --- A refused save keeps what was typed -------------------------------------------------------------


async def fill_agreement(pilot, end: str) -> None:
    """Tab to the service agreements, a, and fill in every field; ctrl+s saves."""
    await press(pilot, "3", "tab", "a")
    await choose(pilot, "kotouttaminen")
    await press(pilot, "tab")
    await choose(pilot, "kuopio")
    await press(pilot, "tab", "down", "down", "down", "space", "up", "up", "space", "tab")
    await type_text(pilot, "1.3.2021")
    await press(pilot, "tab")
    await type_text(pilot, end)
    await press(pilot, "tab")
    await type_text(pilot, "Yhteinen palvelu")
    await press(pilot, "ctrl+s")


async def test_a_refused_service_agreement_keeps_what_was_typed_and_says_why_at_the_end_date(
    bundled_copy: Path,
) -> None:
    before = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await fill_agreement(pilot, "1.1.2021")
        assert bundled_copy.read_text(encoding="utf-8") == before
        assert form(pilot).title_text == t("ui.agreement_new")
        typed = form(pilot).values()
        assert sorted(typed.pop("recipients")) == ["lapinlahti", "siilinjarvi"]  # ticked
        assert typed == {
            "service": "kotouttaminen",
            "provider": "kuopio",
            "start": "1.3.2021",
            "end": "1.1.2021",
            "note": "Yhteinen palvelu",
        }
        why = t("diag.ends_before_start", start=dt.date(2021, 3, 1), end=dt.date(2021, 1, 1))
        assert field_error(pilot, "end") == why
        assert [field_error(pilot, f) for f in ("service", "provider", "start", "note")] == [""] * 4
        assert pilot.app.focused.id == "field-end"
        await type_text(pilot, "31.12.2022")  # typing replaces the date, as in a spreadsheet
        assert field_error(pilot, "end") == ""
        await press(pilot, "ctrl+s")
        assert not pilot.app.screen.is_modal
        assert row(pilot, "agreements-table", "0") == [
            "Kotouttaminen",
            "Kuopio",
            "Siilinjärvi, Lapinlahti",
            "1.3.2021",
            "31.12.2022",
        ]
    assert diff(before, bundled_copy.read_text(encoding="utf-8"))[-3:] == [
        "+start = 2021-03-01",
        "+end = 2022-12-31",
        '+note = "Yhteinen palvelu"',
    ]


async def test_keeping_theirs_after_a_conflict_opens_the_form_again_with_the_rest_typed(
    bundled_copy: Path,
) -> None:
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "3")
        await go_to_row(pilot, "parties-table", "lapinlahti")
        await press(pilot, "enter")
        await type_text(pilot, "Lapinlahden kunta")
        await press(pilot, "tab", "tab", "tab")
        assert pilot.app.focused.id == "field-region"
        await choose(pilot, "yla_savo")
        rewrite(bundled_copy, ('name = "Lapinlahti"', 'name = "Lapinlahti (kunta)"'))
        await press(pilot, "ctrl+s")
        assert "Theirs: Lapinlahti (kunta)" in confirm(pilot).splitlines()
        await press(pilot, "n")
        assert form(pilot).values()["name"] == "Lapinlahden kunta"
        assert form(pilot).values()["region"] == "yla_savo"
        assert field_error(pilot, "name") == t("ui.conflict_theirs", theirs="Lapinlahti (kunta)")
        assert field_error(pilot, "region") == ""
        await press(pilot, "escape")
        assert not pilot.app.screen.is_modal
        assert row(pilot, "parties-table", "lapinlahti")[0] == "Lapinlahti (kunta)"


async def test_a_save_that_cannot_write_keeps_the_count_typed_and_says_why_under_it(
    bundled_copy: Path,
) -> None:
    before = bundled_copy.read_bytes()
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "4")
        await go_to_row(pilot, "resources-table", "iisalmi")
        await press(pilot, "enter")
        await type_text(pilot, "1400")
        (bundled_copy.parent / f".{bundled_copy.name}.lock").mkdir()  # the lock cannot be taken
        await press(pilot, "enter")
        assert form(pilot).values() == {"count": "1400"}
        assert field_error(pilot, "count").startswith(t("ui.save_error", reason=""))
        (bundled_copy.parent / f".{bundled_copy.name}.lock").rmdir()
        await press(pilot, "enter")
        assert not pilot.app.screen.is_modal
        assert row(pilot, "resources-table", "iisalmi")[1] == "1 400"
    assert diff(before.decode(), bundled_copy.read_text(encoding="utf-8")) == [
        "-iisalmi = 1304",
        "+iisalmi = 1400",
    ]


async def test_a_commit_that_fails_keeps_the_message_typed_and_says_why_under_it(
    tmp_path: Path,
) -> None:
    registry = make_repo(tmp_path / "repo")
    hook = tmp_path / "repo" / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'not on a Friday' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    rewrite(registry, ("vierema = 191", "vierema = 200"))
    async with dashboard(registry) as pilot:
        await press(pilot, "7", "c")
        await type_text(pilot, "Vieremä corrected")
        await press(pilot, "enter")
        assert form(pilot).values() == {"message": "Vieremä corrected"}
        severity, title, why = notifications(pilot)[-1]
        assert (severity, title) == ("error", t("ui.commit_failed"))
        assert "not on a Friday" in why
        assert field_error(pilot, "message") == why
        hook.unlink()
        await press(pilot, "enter")
        assert not pilot.app.screen.is_modal
    assert subjects(registry.parent)[0] == "Vieremä corrected"


@pytest.mark.parametrize(
    ("names", "path", "field"),
    [
        (("service", "provider", "start", "end"), ("service_agreements", 0, "end"), "end"),
        (("outcome", "date", "minutes"), ("parties", "iisalmi", "decision", "date"), "date"),
        (("tyo-total", "tyo-step", "raha-total"), ("resources", "tyo", "total"), "tyo-total"),
        (("count",), ("caseloads", "2020-12", "iisalmi"), "count"),
        (("name", "region"), ("regions", "varkaus", "coordinator"), ""),
        (("name", "region"), (), ""),
    ],
)
def test_a_findings_path_names_the_field_its_message_is_shown_under(names, path, field) -> None:
    screen = FormScreen("", [FormField(name, name) for name in names], lambda values: {})
    assert screen.field_for(path) == field


async def test_a_commit_that_cannot_take_the_lock_keeps_the_message_and_says_so(
    tmp_path: Path,
) -> None:
    registry = make_repo(tmp_path / "repo")
    rewrite(registry, ("vierema = 191", "vierema = 200"))
    lock = registry.with_name(f".{registry.name}.lock")
    async with dashboard(registry) as pilot:
        await press(pilot, "7", "c")
        await type_text(pilot, "Vieremä corrected")
        lock.mkdir()  # the lock cannot be taken
        await press(pilot, "enter")
        assert form(pilot).values() == {"message": "Vieremä corrected"}
        assert field_error(pilot, "message").startswith(t("ui.save_error", reason=""))
        assert notifications(pilot)[-1][0] == "error"
        lock.rmdir()
        await press(pilot, "enter")
        assert not pilot.app.screen.is_modal
    assert subjects(registry.parent)[0] == "Vieremä corrected"


async def test_a_discard_that_cannot_take_the_lock_says_so_and_changes_nothing(
    tmp_path: Path,
) -> None:
    registry = make_repo(tmp_path / "repo")
    rewrite(registry, ("vierema = 191", "vierema = 200"))
    edited = registry.read_bytes()
    registry.with_name(f".{registry.name}.lock").mkdir()
    async with dashboard(registry) as pilot:
        await press(pilot, "7", "x", "y")
        assert notifications(pilot)[-1][0] == "error"
        assert save_state(pilot) == t("ui.git.pending")
    assert registry.read_bytes() == edited
