"""The whole dashboard: views, palette, help, findings, broken and odd files, undo, conflicts."""

from __future__ import annotations

from pathlib import Path

import pytest
from edit_model import apply_data
from gitrepo import make_repo, subjects
from textual import events
from textual.widgets import Tabs
from tui_helpers import (
    cell,
    confirm,
    current_view,
    dashboard,
    diff,
    form,
    go_to_row,
    notifications,
    press,
    rewrite,
    row,
    screen_text,
    settle,
    shown_keys,
    static_text,
    status_text,
    table,
    type_text,
)

from kokeilu.editing import edits
from kokeilu.store.store import Store
from kokeilu.text.strings import t
from kokeilu.tui.commands import VIEWS, commands
from kokeilu.tui.dividing import Divider
from kokeilu.tui.screens.help import HelpScreen
from kokeilu.tui.views.base import View
from kokeilu.tui.workers import in_thread

LAPINLAHTI_WARNING = (
    "Lapinlahti is in TYP area Ylä-Savon TYP but in coordination region "
    "Kuopion keskinen kokeilualue (a known exception)"
)
HEINAVESI_WARNING = (
    "Heinävesi is named in region Varkauden alue but is not a party (status: candidate)"
)


# --- Views, palette, help ----------------------------------------------------------------------


async def test_a_number_key_shows_its_view(bundled_copy: Path) -> None:
    """Each view in turn, each shown for the first time by its key (one dashboard for all: a
    start costs more than the keys)."""
    async with dashboard(bundled_copy) as pilot:
        for number, view in enumerate(VIEWS, 1):
            other = "6" if number != 6 else "1"
            await press(pilot, other, str(number))
            assert current_view(pilot) == view, number
            assert pilot.app.query_one(Tabs).active == f"tab-{view}"
            assert pilot.app.focused is not None
            assert pilot.app.query_one(f"#{view}") in pilot.app.focused.ancestors_with_self


@pytest.mark.parametrize("keys", [("2", "3", "4"), ("3", "4"), ("2", "7", "5"), ("5", "3")])
async def test_keys_typed_faster_than_views_mount_end_on_the_last_view(
    bundled_copy: Path, keys: tuple[str, ...]
) -> None:
    # A coordinator typing 2 3 4 over a slow SSH link: each view mounts on first use, and the
    # tab bar echoes each switch back; the last key must win, not a view already left.
    async with dashboard(bundled_copy) as pilot:
        for key in keys:
            pilot.app.post_message(events.Key(key, key))
        await settle(pilot)
        await press(pilot)
        view = VIEWS[int(keys[-1]) - 1]
        assert current_view(pilot) == view
        assert pilot.app.query_one(Tabs).active == f"tab-{view}"
        assert pilot.app.query_one(f"#{view}") in pilot.app.focused.ancestors_with_self


async def test_help_is_for_the_view_in_front_and_escape_closes_it(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy) as pilot:
        for number, view in enumerate(VIEWS, 1):
            key = ("f1", "question_mark")[number % 2]
            await press(pilot, str(number), key)
            assert isinstance(pilot.app.screen, HelpScreen), (view, key)
            assert static_text(pilot, "#help-title") == t(f"view.{view}")
            assert static_text(pilot, "#help-text") == t(f"help.{view}")
            shown = screen_text(pilot)
            assert all(c.name in shown for c in commands(view))  # the view's own keys first
            await press(pilot, "escape")
            assert not isinstance(pilot.app.screen, HelpScreen)
            assert current_view(pilot) == view


async def test_palette_record_decision_opens_that_partys_form(bundled_copy: Path) -> None:
    before = bundled_copy.read_bytes()
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Record decision: Iisalmi")
        await press(pilot, "enter")
        assert form(pilot).title_text == t("ui.decision_title", name="Iisalmi")
        assert pilot.app.focused.id == "field-outcome"
        await press(pilot, "escape")
        assert current_view(pilot) == "approvals"
        assert table(pilot, "approvals-table").current_key == "iisalmi"
    assert bundled_copy.read_bytes() == before


async def test_palette_show_period_switches_the_resources_period(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "ctrl+p")
        await type_text(pilot, "Show period 2020-06")
        await press(pilot, "enter")
        assert current_view(pilot) == "resources"
        assert t("ui.period", period="2020-06") in static_text(pilot, "#resources-head")
        assert row(pilot, "resources-table", "kuopio")[:4] == ["Kuopio", "6 692", "100.0 %", "61.5"]


async def test_a_worker_is_described_by_its_group_never_by_the_repr_of_its_work(
    bundled_copy: Path,
) -> None:
    # The repr of a partial holding the registry took 0.3 s at 10,000 parties: a frozen screen.
    class Registry:
        def __repr__(self) -> str:
            raise AssertionError("the repr of a worker's argument was taken")

    done: list[Registry] = []
    async with dashboard(bundled_copy) as pilot:
        worker = in_thread(pilot.app, done.append, Registry(), group="test")
        await worker.wait()
        assert worker.description == "test"
        assert len(done) == 1


# --- Findings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("down", "party"),
    [(0, "lapinlahti"), (1, "heinavesi")],
)
async def test_findings_lists_the_warnings_and_enter_goes_to_the_row(
    bundled_copy: Path, down: int, party: str
) -> None:
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "6")
        findings = table(pilot, "findings-table")
        assert [row(pilot, "findings-table", k) for k in shown_keys(pilot, "findings-table")] == [
            ["128:1", t("severity.warning"), LAPINLAHTI_WARNING],
            ["175:1", t("severity.warning"), HEINAVESI_WARNING],
        ]
        await press(pilot, *["down"] * down, "enter")
        assert current_view(pilot) == "approvals"
        assert table(pilot, "approvals-table").has_focus
        assert table(pilot, "approvals-table").current_key == party
        assert not findings.has_focus


async def test_a_rule_error_opens_normally_and_is_counted_and_listed(bundled_copy: Path) -> None:
    rewrite(
        bundled_copy,
        (
            'body = "kunnanhallitus"\nregion = "yla_savo"',
            'body = "kunnanhallitus"\nregion = "ylasavo"',
        ),
    )
    async with dashboard(bundled_copy) as pilot:
        assert current_view(pilot) == "overview"
        assert t("ui.findings_count", errors=1, warnings=2) in status_text(pilot)
        await press(pilot, "6")
        rows = [row(pilot, "findings-table", k) for k in shown_keys(pilot, "findings-table")]
        errors = [r for r in rows if r[1] == t("severity.error")]
        assert len(errors) == 1 and "ylasavo" in errors[0][2]
        await press(pilot, "2")
        await go_to_row(pilot, "approvals-table", "sonkajarvi")
        # The region is written out under the table, as the file has it.
        assert static_text(pilot, "#approvals-detail").splitlines()[0] == ("Sonkajärvi · ylasavo")
        await press(pilot, "4")  # shown, apart from the regions
        assert shown_keys(pilot, "resources-table")[-2:] == ["sonkajarvi", "total"]


async def test_the_status_line_shows_the_findings_count_at_80_columns(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy) as pilot:
        # The line above the user's rights (on a line of their own at 80 columns).
        shown = screen_text(pilot).splitlines()[-3]
        assert shown.startswith(" pohjois-savo.toml │ " + t("ui.not_in_force", count=9))
        assert t("ui.findings_count", errors=0, warnings=2) in shown


async def test_the_letter_below_the_first_screen_is_drawn_and_kept_up_to_date(
    bundled_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The letter is drawn just after the first paint; it must be there, and follow the file.
    # No division here: the Overview must draw its letter itself, not leave it to a redraw.
    monkeypatch.setattr(Divider, "divide", lambda self: None)
    async with dashboard(bundled_copy) as pilot:
        assert pilot.app.main.shares is None
        letter = static_text(pilot, "#overview-letter")
        assert "Ministry's letter: Työ- ja elinkeinoministeriö (TEM) 8.10.2019" in letter
        assert "Applicant: Kuopio" in letter
        rewrite(bundled_copy, ("ministry_letter = 2019-10-08", "ministry_letter = 2019-10-09"))
        pilot.app.main.watcher.check()
        await press(pilot)
        letter = static_text(pilot, "#overview-letter")
        assert "Ministry's letter: Työ- ja elinkeinoministeriö (TEM) 9.10.2019" in letter


@pytest.mark.parametrize("number", ["2", "7"])
async def test_a_new_division_does_not_draw_a_view_that_does_not_show_it(
    bundled_copy: Path, number: str
) -> None:
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, number)
        view = pilot.app.query_one(f"#{current_view(pilot)}", View)
        drawn: list[str] = []
        view.refresh_view = lambda: drawn.append(view.id or "")  # type: ignore[method-assign]
        pilot.app.main.divider.divide()
        await settle(pilot)
        assert pilot.app.main.shares is not None and drawn == []
        pilot.app.main.provisional = not pilot.app.main.provisional
        await settle(pilot)
        assert pilot.app.main.shares.provisional and drawn == []


# --- Broken and odd files ------------------------------------------------------------------------


async def test_a_syntax_error_shows_where_and_ctrl_r_reloads_the_fixed_file(
    bundled_copy: Path,
) -> None:
    good = bundled_copy.read_text(encoding="utf-8")
    rewrite(bundled_copy, ('name = "Siilinjärvi"', 'name = "Siilinjärvi'))
    async with dashboard(bundled_copy) as pilot:
        assert current_view(pilot) == "broken"
        shown = static_text(pilot, "#broken-error").splitlines()
        assert f"{bundled_copy}:100:20: error: Illegal character '\\n'" in shown
        assert '100 | name = "Siilinjärvi' in shown
        assert "    |                    ^" in shown
        assert t("status.unreadable") in status_text(pilot)
        await press(pilot, "2", "4")  # nothing to switch to
        assert current_view(pilot) == "broken"

        bundled_copy.write_text(good, encoding="utf-8")
        await press(pilot, "ctrl+r")
        assert current_view(pilot) == "overview"
        assert t("ui.not_in_force", count=9) in status_text(pilot)
        await press(pilot, "2")
        assert current_view(pilot) == "approvals"
        assert len(shown_keys(pilot, "approvals-table")) == 11


@pytest.mark.parametrize(
    ("view", "table_id"),
    [
        ("approvals", "approvals-table"),
        ("responsibilities", "parties-table"),
        ("resources", "resources-table"),
    ],
)
async def test_names_with_markup_and_escapes_are_shown_literally(
    bundled_copy: Path, view: str, table_id: str
) -> None:
    rewrite(
        bundled_copy,
        ('name = "Vieremä"', 'name = "[bold]x Vieremä"'),
        ('name = "Sonkajärvi"', 'name = "\\u001b[31mSonkajärvi"'),
    )
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, str(1 + VIEWS.index(view)))
        for key, name in [("vierema", "[bold]x Vieremä"), ("sonkajarvi", "\\x1b[31mSonkajärvi")]:
            await go_to_row(pilot, table_id, key)
            shown = cell(pilot, table_id, key, "name")
            assert shown.startswith(name)
            assert "\x1b" not in shown
            assert name[:14] in screen_text(pilot)


async def test_the_overview_names_the_first_few_and_says_which_view_lists_them_all(
    bundled_copy: Path,
) -> None:
    extra = [f"lisakunta{n:02d}" for n in range(20)]
    with bundled_copy.open("a", encoding="utf-8") as f:
        for n, pid in enumerate(extra):
            f.write(
                f'\n[parties.{pid}]\nname = "Lisäkunta {n:02d}"\nkind = "kunta"\n'
                'body = "kunnanhallitus"\nregion = "kuopio"\nstatus = "party"\n'
                f'\n[parties.{pid}.decision]\noutcome = "pending"\n'
            )
    async with dashboard(bundled_copy, size=(100, 60)) as pilot:
        overview = static_text(pilot, "#overview-status")
        # 9 of the bundled parties and 20 new ones are missing; the first 12 are named.
        assert "Missing (29): Iisalmi, Joroinen," in overview
        assert "… and 17 more (2 shows them all)" in overview
        assert "Lisäkunta 19" not in overview
        regions = static_text(pilot, "#overview-regions")
        assert "Kuopion keskinen kokeilualue — coordinator Kuopio — 1/24 approved" in regions
        assert "… and 12 more (3 shows them all)" in regions
        assert "Varkaus, Leppävirta, Joroinen, Heinävesi" in regions  # a short list is whole
        await press(pilot, "2")
        assert set(extra) <= set(shown_keys(pilot, "approvals-table"))


# --- Undo, redo, conflicts -----------------------------------------------------------------------


async def edit_iisalmis_caseload(pilot, count: str) -> None:
    """4, the arrows to Iisalmi, Enter, type the count (it replaces the one shown)."""
    await press(pilot, "4")
    await go_to_row(pilot, "resources-table", "iisalmi")
    await press(pilot, "enter")
    await type_text(pilot, count)


def save_elsewhere(path: Path, count: int) -> None:
    """Another coordinator's save of Iisalmi's caseload, through a store of their own."""
    other = Store(path, commit=False)
    other.read()
    other.save(edits.set_caseload(other.document.data, "iisalmi", "2020-12", count))


async def test_ctrl_z_undoes_the_last_edit_byte_for_byte_and_ctrl_y_redoes_it(
    bundled_copy: Path,
) -> None:
    original = bundled_copy.read_bytes()
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "ctrl+z")
        assert notifications(pilot)[-1][2] == t("ui.nothing_to_undo")
        await edit_iisalmis_caseload(pilot, "1400")
        await press(pilot, "enter")
        edited = bundled_copy.read_bytes()
        assert diff(original.decode(), edited.decode()) == ["-iisalmi = 1304", "+iisalmi = 1400"]

        await press(pilot, "ctrl+z")
        assert bundled_copy.read_bytes() == original
        assert row(pilot, "resources-table", "iisalmi")[1] == "1 304"
        assert notifications(pilot)[-1][2] == "Undo: Iisalmi: caseload 2020-12 1304 → 1400"

        await press(pilot, "ctrl+y")
        assert bundled_copy.read_bytes() == edited
        assert row(pilot, "resources-table", "iisalmi")[1] == "1 400"
        await press(pilot, "ctrl+y")
        assert notifications(pilot)[-1][2] == t("ui.nothing_to_redo")
        assert bundled_copy.read_bytes() == edited


async def test_a_change_made_elsewhere_shows_when_the_file_is_looked_at(bundled_copy: Path) -> None:
    async with dashboard(bundled_copy) as pilot:
        await press(pilot, "4")
        save_elsewhere(bundled_copy, 1500)
        assert row(pilot, "resources-table", "iisalmi")[1] == "1 304"
        pilot.app.main.watcher.check()  # what the dashboard does every second
        await press(pilot)
        assert row(pilot, "resources-table", "iisalmi")[1] == "1 500"
        told = [n for n in notifications(pilot) if n[1] == t("ui.changed_on_disk")]
        assert len(told) == 1 and "Iisalmi" in told[0][2]


async def test_use_yours_commits_under_the_value_it_replaced(tmp_path: Path) -> None:
    registry = make_repo(tmp_path / "repo")
    other = Store(registry)
    other.read()
    other.save(edits.set_caseload(other.document.data, "iisalmi", "2020-12", 1500))
    async with dashboard(registry) as pilot:
        await edit_iisalmis_caseload(pilot, "1600")
        other.save(edits.set_caseload(other.document.data, "iisalmi", "2020-12", 1550))
        await press(pilot, "enter")
        assert confirm(pilot).splitlines()[0] == "Iisalmi: caseload 2020-12 1500 → 1600"
        await press(pilot, "y")
        assert notifications(pilot)[-1][2] == "Iisalmi: caseload 2020-12 1550 → 1600"
    assert subjects(registry.parent)[:3] == [
        "Iisalmi: asiakasmäärä 2020-12 1550 → 1600",
        "Iisalmi: asiakasmäärä 2020-12 1500 → 1550",
        "Iisalmi: asiakasmäärä 2020-12 1304 → 1500",
    ]


def test_use_yours_over_a_period_someone_else_created_keeps_their_counts() -> None:
    """Both add the same new month; "use yours" sets only your count in it, and says `- → n`
    when they have no count for your party."""
    seen = {"caseloads": {"2020-12": {"iisalmi": 1304}}}
    mine = edits.set_caseload(seen, "kuopio", "2021-01", 7000)
    theirs = {"caseloads": {"2020-12": {"iisalmi": 1304}, "2021-01": {"iisalmi": 1300}}}
    rebased = edits.rebase(mine, theirs)
    assert rebased.changes == (
        edits.Change(("caseloads", "2021-01", "kuopio"), edits.MISSING, 7000),
    )
    assert rebased.describe() == "kuopio: caseload 2021-01 - → 7000"
    assert apply_data(theirs, rebased)["caseloads"]["2021-01"] == {
        "iisalmi": 1300,
        "kuopio": 7000,
    }


@pytest.mark.parametrize("reloaded", [False, True], ids=["no-watch", "watch-under-the-form"])
@pytest.mark.parametrize(("answer", "result"), [("y", 1400), ("n", 1500)])
async def test_a_field_changed_underneath_asks_whose_value_to_keep(
    bundled_copy: Path, reloaded: bool, answer: str, result: int
) -> None:
    before = bundled_copy.read_text(encoding="utf-8")
    async with dashboard(bundled_copy) as pilot:
        await edit_iisalmis_caseload(pilot, "1400")
        save_elsewhere(bundled_copy, 1500)
        if reloaded:  # the dashboard's watch on the file ticks while the form is open
            pilot.app.main.watcher.check()
        await press(pilot, "enter")

        lines = confirm(pilot).splitlines()
        assert lines[0] == "Iisalmi: caseload 2020-12 1304 → 1400"
        assert "Theirs: 1500" in lines
        assert "Yours: 1400" in lines
        assert ("error", t("ui.not_saved"), t("ui.conflict_short")) in notifications(pilot)
        await press(pilot, answer)
        assert not pilot.app.screen.is_modal
        assert row(pilot, "resources-table", "iisalmi")[1] == f"{result:,}".replace(",", " ")
    assert diff(before, bundled_copy.read_text(encoding="utf-8")) == [
        "-iisalmi = 1304",
        f"+iisalmi = {result}",
    ]
