"""The History view and the live view, on real git repositories: commits in words, revert,
committing or discarding a hand edit, and a change made by someone else appearing by itself."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import run_kokeilu
from gitrepo import git, make_repo, subjects
from textual.widgets import Static
from tui_helpers import dashboard, press, rewrite, settle

from kokeilu.editing.edits import record_decision, set_caseload
from kokeilu.registry.load import load
from kokeilu.store.session import Session
from kokeilu.tui.views.history import WORKTREE, HistoryView


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    path = make_repo(tmp_path / "repo")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\n[people.maija]\nname = "Maija M"\nroles = ["info"]\n', "utf-8")
    git(path.parent, "commit", "-qa", "--amend", "--no-edit")  # still one commit, by Setup
    session = Session(path, login="maija")
    session.open()
    session.apply(set_caseload(session.document.data, "iisalmi", "2020-12", 1400))
    return path


def detail(pilot) -> str:
    return str(pilot.app.query_one("#history-detail", Static).render())


def notices(pilot) -> list[str]:
    return [n.message for n in pilot.app.notices]


async def test_history_lists_commits_in_words_and_shows_a_commits_effect(registry: Path) -> None:
    async with dashboard(registry) as pilot:
        await press(pilot, "7")
        await settle(pilot)
        table = pilot.app.query_one("#history-table")
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert [str(r[2]) for r in rows] == [
            "Iisalmi: caseload 2020-12 1304 → 1400",
            "registry created",
        ]
        # Who: the name the people table gives the account that saved, not git's configured user.
        assert [str(r[1]) for r in rows] == ["Maija M", "Setup"]
        text = detail(pilot)
        assert "Iisalmi: caseload 2020-12 1304 → 1400" in text
        # Iisalmi has not approved: in the division `shares` shows, nothing moves.
        assert (
            "Effect on the allocations (approved parties, as shares divides them),"
            " period 2020-12: none"
        ) in text.splitlines()


async def test_history_shows_the_effects_kokeilu_diff_shows(tmp_path: Path) -> None:
    path = make_repo(tmp_path / "repo")
    session = Session(path)
    session.open()
    session.apply(
        record_decision(
            session.document.data,
            "siilinjarvi",
            outcome="approved",
            body="kunnanhallitus",
            date=dt.date(2019, 11, 18),
            minutes="§ 7",
        )
    )
    session.apply(set_caseload(session.document.data, "siilinjarvi", "2020-12", 1200))
    diffs = {
        rev: run_kokeilu("-f", str(path), "diff", f"{rev}~1", rev).stdout.splitlines()
        for rev in ("HEAD", "HEAD~1")
    }
    assert diffs["HEAD"][2:] == [
        "Effect on the allocations (approved parties, as shares divides them), period 2020-12:",
        "  TE-toimiston työntekijöiden työpanos  Kuopio       53.5 → 52.2 htv",
        "  TE-toimiston työntekijöiden työpanos  Siilinjärvi  8.0 → 9.3 htv",
        "  Työllisyysmäärärahat                  Kuopio       3 737 952 → 3 651 514 EUR",
        "  Työllisyysmäärärahat                  Siilinjärvi  562 048 → 648 486 EUR",
    ]
    assert "  TE-toimiston työntekijöiden työpanos  Siilinjärvi  – → 8.0 htv" in diffs["HEAD~1"]
    async with dashboard(path, size=(120, 40)) as pilot:
        await press(pilot, "7")
        await settle(pilot)
        for rev, down in (("HEAD", 0), ("HEAD~1", 1)):
            await press(pilot, *["down"] * down)
            await settle(pilot)
            shown = detail(pilot).splitlines()
            assert shown[1 : 1 + len(diffs[rev])] == diffs[rev], rev


async def test_revert_takes_a_change_back_as_a_new_commit(registry: Path) -> None:
    async with dashboard(registry) as pilot:
        await press(pilot, "7")
        await settle(pilot)
        await press(pilot, "r")
        await press(pilot, "y")
        await settle(pilot)
    assert subjects(registry.parent)[0].startswith(
        "Peruutus: Iisalmi: asiakasmäärä 2020-12 1304 → 1400 ("
    )
    assert load(registry).registry.caseloads["2020-12"]["iisalmi"] == 1304


async def test_a_hand_edit_is_listed_on_top_and_can_be_committed_with_a_message(
    registry: Path,
) -> None:
    rewrite(registry, ("vierema = 191", "vierema = 200"))
    async with dashboard(registry) as pilot:
        await press(pilot, "7")
        await settle(pilot)
        table = pilot.app.query_one("#history-table")
        assert table.current_key == WORKTREE
        assert "Vieremä: caseload 2020-12 191 → 200" in detail(pilot)
        await press(pilot, "c")
        await pilot.press(*"Vieremä corrected")
        await press(pilot, "enter")
        await settle(pilot)
    assert subjects(registry.parent)[0] == "Vieremä corrected"
    assert git(registry.parent, "status", "--porcelain", "--", registry.name) == ""


async def test_a_hand_edit_can_be_discarded_after_asking(registry: Path) -> None:
    before = git(registry.parent, "show", f"HEAD:{registry.name}")
    rewrite(registry, ("vierema = 191", "vierema = 200"))
    async with dashboard(registry) as pilot:
        await press(pilot, "7")
        await settle(pilot)
        await press(pilot, "x")
        await press(pilot, "n")
        assert "vierema = 200" in registry.read_text(encoding="utf-8")
        await press(pilot, "x")
        await press(pilot, "y")
        await settle(pilot)
        assert pilot.app.main.state.registry.caseloads["2020-12"]["vierema"] == 191
    assert registry.read_text(encoding="utf-8") == before


async def test_a_change_by_someone_else_appears_and_says_what_and_by_whom(registry: Path) -> None:
    async with dashboard(registry) as pilot:
        await press(pilot, "4")
        other = Session(registry, login="maija")
        other.open()
        other.apply(set_caseload(other.document.data, "vierema", "2020-12", 250))
        pilot.app.main.watcher.check()
        await settle(pilot)
        assert pilot.app.main.state.registry.caseloads["2020-12"]["vierema"] == 250
        assert "Vieremä: caseload 2020-12 191 → 250\nby Maija M" in notices(pilot)
        rewrite(registry, ("kuopio = 6757", "kuopio = 6800"))
        pilot.app.main.watcher.check()
        await settle(pilot)
        assert "Kuopio: caseload 2020-12 6757 → 6800\nby a hand edit, not committed" in notices(
            pilot
        )


async def test_its_own_save_is_not_echoed_as_someone_elses_change(registry: Path) -> None:
    async with dashboard(registry) as pilot:
        await press(pilot, "4", "down", "enter")
        await pilot.press(*"1100")
        await press(pilot, "enter")
        pilot.app.clear_notifications()
        pilot.app.main.watcher.check()
        await settle(pilot)
        assert notices(pilot) == []
    assert subjects(registry.parent)[0] == "Siilinjärvi: asiakasmäärä 2020-12 1016 → 1100"


async def test_discarding_a_hand_edit_loads_the_history_once(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rewrite(registry, ("vierema = 191", "vierema = 200"))
    async with dashboard(registry) as pilot:
        await press(pilot, "7")
        loads: list[str] = []
        load_history = HistoryView.load

        def counted(view: HistoryView) -> None:
            loads.append("history")
            load_history(view)

        monkeypatch.setattr(HistoryView, "load", counted)
        await press(pilot, "x")
        await press(pilot, "y")
        await settle(pilot)
        assert pilot.app.main.state.registry.caseloads["2020-12"]["vierema"] == 191
        assert WORKTREE not in pilot.app.query_one(HistoryView).table.shown_keys()
        assert loads == ["history"]
