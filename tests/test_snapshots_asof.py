"""A snapshot at 80×24 of an old version opened from History: the read-only banner over the view,
and the footer's "esc Back to now". The history is `dated_history`'s (dates fixed, in UTC)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from dated_history import dated_history
from test_snapshots import keys_then_settle

from kokeilu.store.session import Session
from kokeilu.tui.app import KokeiluApp

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("TZ", "UTC")
    file, _ = dated_history(tmp_path / "repo")
    monkeypatch.chdir(file.parent)
    return Path(file.name)


def test_history_enter_shows_the_banner(snap_compare, registry: Path) -> None:
    app = KokeiluApp(registry, session=Session(registry, today=TODAY, login="maija"))
    # History, the second commit (Kuopio approved, 2019-11-12), Enter.
    assert snap_compare(
        app, terminal_size=(80, 24), run_before=keys_then_settle("7", "down", "enter")
    )
