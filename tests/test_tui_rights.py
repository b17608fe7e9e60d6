"""Rights in the dashboard: the status line says who the user is and what they may edit; what
they may not edit does not open (the reason is shown); a save refused underneath says why."""

from __future__ import annotations

import os
import pwd
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from gitrepo import git, make_repo, subjects
from test_rights import CLOSED
from textual.pilot import Pilot
from tui_helpers import (
    TODAY,
    DashboardApp,
    choose,
    diff,
    form,
    go_to_row,
    notifications,
    press,
    rewrite,
    row,
    screen_text,
    settle,
    status_text,
    type_text,
)

from kokeilu.editing import edits
from kokeilu.store.session import Session
from kokeilu.store.store import Store

ACCOUNT = pwd.getpwuid(os.getuid()).pw_name


@asynccontextmanager
async def dashboard_as(
    path: Path, login: str | None, size: tuple[int, int] = (80, 24)
) -> AsyncIterator[Pilot[Any]]:
    """The dashboard as `login` sees it (None: the account running the tests)."""
    app = DashboardApp(path, session=Session(path, today=TODAY, login=login))
    async with app.run_test(size=size) as pilot:
        await app.background_started.wait()
        await settle(pilot)
        yield pilot


def closed(tmp_path: Path) -> Path:
    path = tmp_path / "registry.toml"
    path.write_text(CLOSED, encoding="utf-8")
    return path


async def test_an_open_registry_says_so_under_the_status_line_at_80_columns(
    bundled_copy: Path,
) -> None:
    async with dashboard_as(bundled_copy, None) as pilot:
        lines = screen_text(pilot).splitlines()
        assert lines[-3].startswith(" pohjois-savo.toml │ not in force: 9 missing")
        assert lines[-2].rstrip() == f" {ACCOUNT}: open registry"


async def test_the_status_line_says_who_and_what_they_may_edit(tmp_path: Path) -> None:
    async with dashboard_as(closed(tmp_path), "pekka", size=(120, 30)) as pilot:
        assert status_text(pilot).rstrip().endswith(" │ pekka (Varkaus region; ⊘ read-only)")
        assert "\n" not in status_text(pilot).rstrip()  # room enough on one line
    async with dashboard_as(closed(tmp_path), "ville", size=(120, 30)) as pilot:
        assert status_text(pilot).rstrip().endswith(" │ ville (read only)")


async def test_a_form_outside_ones_responsibility_does_not_open_and_says_why(
    tmp_path: Path,
) -> None:
    path = closed(tmp_path)
    before = path.read_bytes()
    async with dashboard_as(path, "pekka") as pilot:
        await press(pilot, "2")
        await go_to_row(pilot, "approvals-table", "kuopio")
        await press(pilot, "enter")
        assert not pilot.app.screen.is_modal
        assert notifications(pilot)[-1] == (
            "error",
            "Not allowed",
            "Varkaus region's coordinator may not edit Kuopio",
        )
        await go_to_row(pilot, "approvals-table", "leppavirta")
        await press(pilot, "enter")
        assert form(pilot).title_text.startswith("Decision")
        await press(pilot, "escape")
        await press(pilot, "5", "a")  # add a person: the administrator's
        assert not pilot.app.screen.is_modal
        assert notifications(pilot)[-1][2] == (
            'only an administrator (access = "all") may edit people'
        )
    assert path.read_bytes() == before


async def test_a_save_refused_underneath_an_open_form_says_why_and_writes_nothing(
    tmp_path: Path,
) -> None:
    path = closed(tmp_path)
    async with dashboard_as(path, "pekka") as pilot:
        await press(pilot, "4")
        await go_to_row(pilot, "resources-table", "leppavirta")
        await press(pilot, "enter")
        assert form(pilot).values() == {"count": "567"}
        # Meanwhile the administrator takes Pekka's rights away.
        admin = Store(path, login="admin")
        admin.read()
        admin.save(edits.put_entry(admin.document.data, "people", "pekka", {"access": "read"}))
        written = path.read_bytes()
        await type_text(pilot, "950")
        await press(pilot, "enter")
        assert not pilot.app.screen.is_modal
        assert notifications(pilot)[-1] == (
            "error",
            "Not allowed",
            'a reader may not edit (pekka\'s access is "read")',
        )
        assert status_text(pilot).splitlines()[-1].strip() == "pekka (read only)"
    assert path.read_bytes() == written


async def test_the_administrator_sets_a_persons_municipality_and_access_in_the_people_view(
    tmp_path: Path,
) -> None:
    path = closed(tmp_path)
    before = path.read_text(encoding="utf-8")
    async with dashboard_as(path, "admin", size=(120, 40)) as pilot:
        await press(pilot, "5")
        assert row(pilot, "people-table", "pekka")[4] == "Varkaus region"
        assert row(pilot, "people-table", "sanna")[4] == "Suonenjoki"
        assert row(pilot, "people-table", "admin")[4] == "everything"
        await go_to_row(pilot, "people-table", "pekka")
        await press(pilot, "enter")
        assert form(pilot).values()["party"] == "varkaus"
        assert form(pilot).values()["access"] == "region"
        pilot.app.screen.query_one("#field-party").focus()
        await pilot.pause()
        await choose(pilot, "leppavirta")
        pilot.app.screen.query_one("#field-access").focus()
        await pilot.pause()
        await choose(pilot, "party")
        await press(pilot, "ctrl+s")
        assert not pilot.app.screen.is_modal
        assert row(pilot, "people-table", "pekka")[4] == "Leppävirta"
    assert diff(before, path.read_text(encoding="utf-8")) == [
        '-party = "varkaus"',
        '-access = "region"',
        '+party = "leppavirta"',
        '+access = "party"',
    ]


async def test_a_hand_edit_is_the_administrators_to_commit_or_discard(tmp_path: Path) -> None:
    path = make_repo(tmp_path / "repo")
    path.write_text(CLOSED, encoding="utf-8")
    git(path.parent, "commit", "-qam", "people")
    rewrite(path, ("kuopio = 6757", "kuopio = 6800"))
    hand = path.read_bytes()
    async with dashboard_as(path, "pekka") as pilot:
        await press(pilot, "7")
        await settle(pilot)
        for key in ("c", "x"):
            await press(pilot, key)
            assert not pilot.app.screen.is_modal
            assert notifications(pilot)[-1] == (
                "error",
                "Not allowed",
                'only an administrator (access = "all") may commit or discard a hand edit',
            )
    assert path.read_bytes() == hand
    assert subjects(path.parent) == ["people", "registry"]


async def test_rows_outside_ones_responsibility_are_marked_read_only(tmp_path: Path) -> None:
    async with dashboard_as(closed(tmp_path), "pekka", size=(120, 30)) as pilot:
        await press(pilot, "2")
        shown = screen_text(pilot)
        assert " Kuopio ⊘ " in shown and " Iisalmi ⊘ " in shown
        assert " Varkaus  " in shown and " Joroinen  " in shown and "Varkaus ⊘" not in shown
        await press(pilot, "4")
        shown = screen_text(pilot)
        assert " Kuopio ⊘ " in shown and " Leppävirta  " in shown
    async with dashboard_as(bundled_copy_of(tmp_path), None, size=(120, 30)) as pilot:
        await press(pilot, "2")
        assert "⊘" not in screen_text(pilot)  # an open registry: everything may be edited


def bundled_copy_of(tmp_path: Path) -> Path:
    from conftest import BUNDLED

    path = tmp_path / "open.toml"
    path.write_bytes(BUNDLED.read_bytes())
    return path
