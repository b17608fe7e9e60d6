"""History's Enter: an old version in every view, read-only, under a banner; Escape returns to now.

On a real git history with dated commits (`dated_history`): Kuopio approved on 2019-11-12,
Siilinjärvi on 2019-11-20.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl
import pytest
from dated_history import AUTHOR, commit, dated_history
from textual.widgets import Static
from tui_helpers import (
    cell,
    current_view,
    dashboard,
    go_to_row,
    notifications,
    press,
    settle,
    type_text,
    watch,
)

from kokeilu.editing.edits import set_caseload
from kokeilu.registry.load import load
from kokeilu.tui.screens.form import ConfirmScreen, FormScreen
from kokeilu.tui.screens.main import MainScreen

READ_ONLY = (
    "Commit {sha} of 2019-11-12 14:30 is shown, and an old version cannot be edited."
    " Escape returns to now, where you can edit."
)


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("TZ", "UTC")
    return dated_history(tmp_path / "repo")


def git_show(file: Path, sha: str) -> str:
    return subprocess.run(
        ["git", "show", f"{sha}:data/registry.toml"],
        cwd=file.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def banner(pilot) -> Static:
    return pilot.app.query_one("#version-banner", Static)


def overview(pilot) -> str:
    """Everything the Overview shows, as text."""
    return "\n".join(str(w.render()) for w in pilot.app.query("#overview Static"))


def outcome(pilot, party: str) -> str:
    return cell(pilot, "approvals-table", party, "outcome")


async def open_kuopios_commit(pilot, sha: str) -> None:
    """7, the arrows to Kuopio's commit, Enter."""
    await press(pilot, "7")
    await settle(pilot)
    await go_to_row(pilot, "history-table", sha)
    await press(pilot, "enter")
    await settle(pilot)


async def test_enter_opens_a_version_everywhere_read_only_and_escape_returns(
    history: tuple[Path, list[str]],
) -> None:
    file, shas = history
    # A hand edit nobody committed: History offers to commit (c) or discard (x) it.
    before = file.read_text(encoding="utf-8") + "\n# a note typed by hand\n"
    file.write_text(before, encoding="utf-8")
    async with dashboard(file) as pilot:
        await press(pilot, "2")
        assert outcome(pilot, "siilinjarvi") == "approved"
        assert not banner(pilot).display

        await open_kuopios_commit(pilot, shas[1])
        assert banner(pilot).display
        assert str(banner(pilot).render()) == (
            f"READ-ONLY: the registry at commit {shas[1][:7]} of 2019-11-12 14:30 by {AUTHOR}."
            " Escape returns to now."
        )
        # Every view shows that version: Approvals, the Overview (through the state all share).
        await press(pilot, "2")
        assert outcome(pilot, "kuopio") == "approved"
        assert outcome(pilot, "siilinjarvi") == "pending"
        main = pilot.app.main
        assert isinstance(main, MainScreen)
        assert main.state is not None and main.state.status.application == ("kuopio",)
        await press(pilot, "1")
        assert str(banner(pilot).render()).startswith("READ-ONLY")  # above every view
        # The Overview and the division are those of that version, as if the file held it.
        old_overview = overview(pilot)
        assert main.shares is not None and main.shares.by_party is not None
        assert main.shares.by_party["party"].unique().to_list() == ["kuopio"]

        # An edit is refused before its form opens, and nothing is written.
        await press(pilot, "2")
        await go_to_row(pilot, "approvals-table", "iisalmi")
        pilot.app.notices.clear()
        await press(pilot, "enter")
        assert not isinstance(pilot.app.screen, FormScreen)
        assert notifications(pilot) == [("error", "Read-only", READ_ONLY.format(sha=shas[1][:7]))]
        # So are undo (the save path's own check) and the keys of other views.
        for keys in (("ctrl+z",), ("5", "delete"), ("7", "x"), ("7", "c"), ("7", "r")):
            pilot.app.notices.clear()
            await press(pilot, *keys)
            await settle(pilot)
            assert not isinstance(pilot.app.screen, (FormScreen, ConfirmScreen)), keys
            assert [n[1] for n in notifications(pilot)] == ["Read-only"], keys
        assert file.read_text(encoding="utf-8") == before

        # Escape: the file as it is now, editable again.
        await press(pilot, "2", "escape")
        await settle(pilot)
        assert not banner(pilot).display
        assert outcome(pilot, "siilinjarvi") == "approved"
        assert main.state.status.application == ("kuopio", "siilinjarvi")
        assert sorted(main.shares.by_party["party"].unique().to_list()) == [
            "kuopio",
            "siilinjarvi",
        ]
        await press(pilot, "1")
        assert overview(pilot) != old_overview
        await press(pilot, "2", "enter")
        assert isinstance(pilot.app.screen, FormScreen)
    # The old Overview is what a dashboard on a file holding that version shows.
    file.write_text(git_show(file, shas[1]), encoding="utf-8")
    async with dashboard(file) as pilot:
        await press(pilot, "1")
        assert overview(pilot) == old_overview


async def test_the_file_changed_meanwhile_waits_until_escape(
    history: tuple[Path, list[str]],
) -> None:
    file, shas = history
    async with dashboard(file) as pilot:
        await open_kuopios_commit(pilot, shas[1])
        # Someone approves Iisalmi in the file (a hand edit) while the old version is shown.
        text = file.read_text(encoding="utf-8")
        head = '[parties.iisalmi.decision]\noutcome = "pending"\n'
        approved = (
            '[parties.iisalmi.decision]\noutcome = "approved"\ndate = 2019-11-19\n'
            'body = "kaupunginhallitus"\nminutes = "§ 77"\n'
        )
        changed = text.replace(head, approved, 1)
        file.write_text(changed, encoding="utf-8")
        watch(pilot)
        await settle(pilot)
        await press(pilot, "2")
        assert outcome(pilot, "iisalmi") == "pending"  # still the old version
        assert outcome(pilot, "siilinjarvi") == "pending"
        assert banner(pilot).display
        await press(pilot, "escape")
        await settle(pilot)
        assert outcome(pilot, "iisalmi") == "approved"
        assert outcome(pilot, "siilinjarvi") == "approved"
        assert current_view(pilot) == "approvals"
        assert file.read_text(encoding="utf-8") == changed  # neither lost nor saved over


async def test_opening_a_version_leaves_the_session_as_it_was(
    history: tuple[Path, list[str]],
) -> None:
    file, shas = history
    async with dashboard(file) as pilot:
        main = pilot.app.main
        # An edit of this session, saved and committed: undo can take it back.
        main.saver.save(set_caseload(main.session.document.data, "iisalmi", "2020-12", 1400))
        await settle(pilot)
        saved = file.read_text(encoding="utf-8")
        await open_kuopios_commit(pilot, shas[1])
        # The session still holds the file as it is now, and its undo.
        assert main.session.document.data["caseloads"]["2020-12"]["iisalmi"] == 1400
        assert len(main.session.done) == 1
        await press(pilot, "escape")
        await settle(pilot)
        assert file.read_text(encoding="utf-8") == saved
        await press(pilot, "ctrl+z")
        await settle(pilot)
        assert load(file).data["caseloads"]["2020-12"]["iisalmi"] == 1304


async def test_enter_on_the_uncommitted_change_opens_nothing(
    history: tuple[Path, list[str]],
) -> None:
    file, _ = history
    async with dashboard(file) as pilot:
        file.write_text(file.read_text(encoding="utf-8") + "\n# by hand\n", encoding="utf-8")
        watch(pilot)
        await press(pilot, "7")
        await settle(pilot)
        await go_to_row(pilot, "history-table", "worktree")
        pilot.app.notices.clear()
        await press(pilot, "enter")
        await settle(pilot)
        assert not banner(pilot).display
        assert notifications(pilot) == [
            (
                "warning",
                "",
                "Choose a commit to open: the uncommitted change is the file as it is now.",
            )
        ]


async def test_a_version_that_is_not_toml_is_not_opened(history: tuple[Path, list[str]]) -> None:
    file, _ = history
    good = file.read_text(encoding="utf-8")
    file.write_text("x = [\n", encoding="utf-8")
    broken = commit(file.parent.parent, "broken", "2019-11-21T08:00:00+00:00", "Kalle K")
    file.write_text(good, encoding="utf-8")
    commit(file.parent.parent, "mended", "2019-11-21T09:00:00+00:00", "Kalle K")
    async with dashboard(file) as pilot:
        await press(pilot, "7")
        await settle(pilot)
        await go_to_row(pilot, "history-table", broken)
        pilot.app.notices.clear()
        await press(pilot, "enter")
        await settle(pilot)
        assert not banner(pilot).display
        assert notifications(pilot) == [
            (
                "error",
                "",
                f"This version cannot be shown: {broken[:7]}:data/registry.toml:1:6: error:"
                " Invalid value",
            )
        ]


async def test_export_of_an_old_version_names_its_commit_and_holds_its_figures(
    history: tuple[Path, list[str]], tmp_path: Path
) -> None:
    file, shas = history
    target = tmp_path / "old.xlsx"
    async with dashboard(file) as pilot:
        await open_kuopios_commit(pilot, shas[1])
        await press(pilot, "ctrl+e")
        assert isinstance(pilot.app.screen, FormScreen)
        await type_text(pilot, str(target))
        await press(pilot, "enter")
        assert notifications(pilot)[-1][1] == "Exported"
    book = openpyxl.load_workbook(target)
    assert book["Cover"]["B4"].value == shas[1]  # the version shown, not HEAD
    approvals = book["Approvals"]
    outcomes = {approvals.cell(r, 1).value: approvals.cell(r, 4).value for r in range(2, 13)}
    assert (outcomes["Kuopio"], outcomes["Siilinjärvi"]) == ("approved", "pending")
