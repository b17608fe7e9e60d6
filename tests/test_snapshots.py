"""Snapshots of every view at 80×24 and 120×40: what a coordinator sees, kept under review.

Update them with `pytest tests/test_snapshots.py --snapshot-update` after a deliberate change,
and look at the SVGs under tests/__snapshots__ before committing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tui_helpers import settle

from kokeilu.store.session import Session
from kokeilu.tui.app import KokeiluApp
from kokeilu.tui.commands import VIEWS

SIZES = [(80, 24), (120, 40)]
TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def registry(bundled_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled registry's copy, named relative to the working folder as a user would."""
    monkeypatch.chdir(bundled_copy.parent)
    return Path(bundled_copy.name)


def make_app(path: Path) -> KokeiluApp:
    # One login whoever runs the tests: the status line shows it.
    return KokeiluApp(path, session=Session(path, today=TODAY, login="maija"))


def keys_then_settle(*keys: str):
    """Press keys one by one, letting workers (saves, divisions) finish after each."""

    async def run(pilot) -> None:
        await pilot.app.background_started.wait()
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
# Trends is kept at 80x24 (test_trends): at 120x40 its SVG differs from run to run in the tabs'
# underline alone (the same glyphs and colours, split into one or several runs of text; the cause
# was not found), which a snapshot cannot tell from a change.
@pytest.mark.parametrize("view", [v for v in VIEWS if v != "trends"])
def test_view(snap_compare, registry: Path, view: str, size: tuple[int, int]) -> None:
    key = str(VIEWS.index(view) + 1)
    assert snap_compare(make_app(registry), terminal_size=size, run_before=keys_then_settle(key))


# Issue 12: the Overview before and after entry into force, and the letter as written.


def approve_the_others(path: Path) -> None:
    """Every party of the bundled registry approves, 12.11.–16.11.2019 (Kuopio did on 11.11.)."""
    text = path.read_text(encoding="utf-8")
    others = ["siilinjarvi", "suonenjoki", "lapinlahti", "varkaus", "leppavirta", "joroinen"]
    others += ["iisalmi", "sonkajarvi", "vierema"]
    for i, party in enumerate(others):
        pending = f'[parties.{party}.decision]\noutcome = "pending"'
        assert pending in text
        text = text.replace(
            pending,
            f'[parties.{party}.decision]\noutcome = "approved"\nbody = "kunnanhallitus"\n'
            f'date = 2019-11-{12 + i // 2}\nminutes = "§ {200 + i}"',
        )
    path.write_text(text, encoding="utf-8")


def test_overview_division_before_entry_into_force(snap_compare, registry: Path) -> None:
    # Only Kuopio has approved: the division is the provisional one, labelled so.
    assert snap_compare(make_app(registry), run_before=keys_then_settle("1", "pagedown"))


def test_overview_after_entry_into_force(snap_compare, registry: Path) -> None:
    approve_the_others(registry)
    assert snap_compare(make_app(registry), run_before=keys_then_settle("1"))


def test_overview_division_after_entry_into_force(snap_compare, registry: Path) -> None:
    approve_the_others(registry)
    assert snap_compare(make_app(registry), run_before=keys_then_settle("1", "pagedown"))


def test_overview_letter_as_written(snap_compare, registry: Path) -> None:
    # The end of the letter's passages, quoted, and their source.
    assert snap_compare(make_app(registry), run_before=keys_then_settle("1", "end"))


@pytest.mark.parametrize(
    "keys", [("8",), ("8", "down", "m", "left_square_bracket")], ids=["regions", "municipalities"]
)
def test_trends(snap_compare, registry: Path, keys: tuple[str, ...]) -> None:
    assert snap_compare(make_app(registry), run_before=keys_then_settle(*keys))


def test_provisional_resources(snap_compare, registry: Path) -> None:
    assert snap_compare(make_app(registry), run_before=keys_then_settle("4", "p"))


def test_decision_form(snap_compare, registry: Path) -> None:
    keys = ["2", *["down"] * 8, "enter"]
    assert snap_compare(make_app(registry), run_before=keys_then_settle(*keys))


def test_help(snap_compare, registry: Path) -> None:
    assert snap_compare(make_app(registry), run_before=keys_then_settle("2", "f1"))


def test_broken_registry(snap_compare, registry: Path) -> None:
    text = registry.read_text(encoding="utf-8").replace("step = 0.1", "step = 0.1.2")
    registry.write_text(text, encoding="utf-8")
    assert snap_compare(make_app(registry), run_before=keys_then_settle())


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("approvals", ("2", "down", "down", "down", "down", "down", "up", "up")),
        ("resources", ("4", "down", "down", "down", "right", "up")),
    ],
)
def test_the_cursor_is_drawn_on_one_row_after_moving(
    snap_compare, registry: Path, name: str, keys: tuple[str, ...]
) -> None:
    # Rows are drawn from a cache as the cursor moves: only the row under it may look selected.
    assert snap_compare(make_app(registry), run_before=keys_then_settle(*keys))
