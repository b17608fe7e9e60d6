"""Helpers for the dashboard's pilot tests: open the app on a file, drive it, read it back.

The tests drive `KokeiluApp` as a user does, with keys, and look at two things: what the screen
shows (widget state, the status line, notifications) and what changed in the file (its diff).
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import re
import unicodedata
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.notifications import Notification, Notify
from textual.pilot import Pilot
from textual.widgets import ContentSwitcher, Input, OptionList, Select, Static

from kokeilu.store.session import Session
from kokeilu.tui.app import KokeiluApp
from kokeilu.tui.screens.form import ConfirmScreen, FormScreen
from kokeilu.tui.widgets.status_line import StatusLine
from kokeilu.tui.widgets.table import RegistryTable

TODAY = dt.date(2026, 11, 27)
SIZE = (80, 24)


@asynccontextmanager
async def dashboard(
    path: Path,
    size: tuple[int, int] = SIZE,
    clock: Callable[[], dt.date] | None = None,
    *,
    notifications: bool = False,
) -> AsyncIterator[Pilot[Any]]:
    """The dashboard on `path` as a user sees it at 80x24, settled after its first division.

    Its clock says `TODAY`, or what `clock` says each time it is read.

    The dashboard looks at its file for changes every second; here it does only when a test
    calls `watch(pilot)`, so that what a test sees does not depend on how fast it runs.
    `run_test` shows no notices unless `notifications` is set (then they are drawn as toasts);
    `notifications(pilot)` lists them either way.
    """
    app = DashboardApp(path, session=Session(path, clock=clock or (lambda: TODAY)))
    async with app.run_test(size=size, notifications=notifications) as pilot:
        await app.background_started.wait()
        await settle(pilot)
        yield pilot


class DashboardApp(KokeiluApp):
    """The dashboard, looking at its file only when asked, keeping every notice it was given."""

    def __init__(self, path: Path, session: Session) -> None:
        super().__init__(path, session=session, watch_interval=None)
        self.notices: list[Notification] = []

    def on_notify(self, event: Notify) -> None:
        self.notices.append(event.notification)

    def clear_notifications(self) -> None:
        super().clear_notifications()
        self.notices.clear()


def in_language(monkeypatch: Any, lang: str) -> None:
    """Run the dashboard in `lang` for this test only.

    The keys' names in the footer are said when a view's module (or the main screen's) is first
    imported, in the language of that moment, and stay so for the process: every module is
    imported in English first, so that no later test in this worker sees another language's.
    """
    from kokeilu.text.strings import speaking
    from kokeilu.tui.commands import VIEWS
    from kokeilu.tui.screens import main
    from kokeilu.tui.views.base import view_class

    assert main
    with speaking("en"):
        for view in VIEWS:
            view_class(view)
    monkeypatch.setenv("KOKEILU_LANG", lang)


def watch(pilot: Pilot[Any]) -> None:
    """Let the dashboard look at its file now (as it does every second)."""
    pilot.app.main.watcher.check()


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until every worker (saving, dividing) is done and the screen has caught up.

    A worker reports with a message, and handling it may start another (a save, a division):
    the screen is settled when, after the workers are done, the messages waiting in the screen's
    queues have been handled and the process has gone idle (`pause()` waits for both, then draws
    the screen once) without starting another worker.
    """
    app = pilot.app
    for _ in range(20):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running or w.state.name == "PENDING" for w in app.workers):
            return


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys, then wait for what they started."""
    await pilot.press(*keys)
    await settle(pilot)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type `text` into the focused field, one key per character.

    Into a focused Input the keys go in one go (as a fast typist's or a paste's would), each
    with its character as a terminal sends it, and are waited for once.
    """
    if isinstance(pilot.app.focused, Input):
        await _send_keys(pilot, [(_key_name(ch), ch) for ch in text])
    else:
        for ch in text:
            if ch.isascii():
                await pilot.press(ch)
            else:
                # Pilot.press drops the character of a key such as "§" (it cannot find the
                # key's name back); a terminal sends the character, and so does this.
                pilot.app.post_message(events.Key(_key_name(ch), ch))
                await pilot.pause()
    await settle(pilot)


def _key_name(ch: str) -> str:
    """The name of the key that types `ch` ("a", "space", "section_sign")."""
    return ch if ch.isalnum() else unicodedata.name(ch).lower().replace(" ", "_")


async def _send_keys(pilot: Pilot[Any], keys: list[tuple[str, str | None]]) -> None:
    """Send keys to the focused widget in one go, then wait until they are handled.

    For keys that stay inside the focused widget (a cursor move, a typed character): no key
    opens or focuses anything the next one must reach, so they need not wait for each other.
    The app hands each key on to the focused widget; a `pause(0)` waits until the messages
    queued on the screen so far are handled, so the first sees the app hand them on, the
    second the widget handle them (a table's or list's cursor scrolls without animation);
    `settle` then waits for what they started.
    """
    for key, char in keys:
        pilot.app.post_message(events.Key(key, char))
    await pilot.pause(0)
    await pilot.pause(0)


async def choose(pilot: Pilot[Any], value: str) -> None:
    """In the focused Select: Enter opens it, the arrows move to `value`, Enter chooses it.

    The arrows go in one go once the overlay is open (see `_send_keys`).

    In a one-choice list (OptionList) the arrows move to `value` and Enter picks it and saves.
    """
    select = pilot.app.focused
    if isinstance(select, OptionList):
        ids = [select.get_option_at_index(i).id for i in range(select.option_count)]
        here, there = select.highlighted or 0, ids.index(value)
        step = "down" if there > here else "up"
        await _send_keys(pilot, [(step, None)] * abs(there - here))
        assert select.highlighted == there
        await press(pilot, "enter")
        return
    assert isinstance(select, Select), select
    name = (select.id or "").removeprefix("field-")
    field = next(f for f in form(pilot).fields if f.name == name)
    values = [v for _, v in field.options]
    if field.value not in values:  # the form opened with no choice: a blank one comes first
        values.insert(0, Select.NULL)
    here, there = values.index(select.value), values.index(value)
    step = "down" if there > here else "up"
    await pilot.press("enter")  # the overlay opens and takes the focus before the arrows
    await _send_keys(pilot, [(step, None)] * abs(there - here))
    await press(pilot, "enter")
    assert select.value == value


# --- The file --------------------------------------------------------------------------------


def rewrite(path: Path, *replacements: tuple[str, str]) -> None:
    """Change the registry file as an editor would: each `old` text (which must be there) once."""
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def diff(before: str, after: str) -> list[str]:
    """The changed lines, as `git diff` shows them without context."""
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def comments(text: str) -> list[str]:
    """The comment lines of a TOML text."""
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


# --- What is on screen -----------------------------------------------------------------------


def table(pilot: Pilot[Any], table_id: str) -> RegistryTable:
    """A registry table of the dashboard, by id."""
    return pilot.app.query_one(f"#{table_id}", RegistryTable)


def row(pilot: Pilot[Any], table_id: str, key: str) -> list[str]:
    """The cells of one row as the user reads them: those drawn, and those of the columns left
    out at this width (which the line under the table shows for the row under the cursor)."""
    tbl = table(pilot, table_id)
    drawn = dict(zip(tbl.shown_columns, (str(c) for c in tbl.get_row(key)), strict=True))
    every = [column for column, _ in tbl.column_specs]
    return [drawn.get(column, text) for column, text in zip(every, tbl.cells(key), strict=True)]


def drawn_row(pilot: Pilot[Any], table_id: str, key: str) -> list[str]:
    """The cells of one row drawn in the table."""
    return [str(c) for c in table(pilot, table_id).get_row(key)]


def cell(pilot: Pilot[Any], table_id: str, key: str, column: str) -> str:
    """One cell's text (drawn, or in the line under the table when its column is left out)."""
    tbl = table(pilot, table_id)
    return row(pilot, table_id, key)[[c for c, _ in tbl.column_specs].index(column)]


def shown_keys(pilot: Pilot[Any], table_id: str) -> list[str]:
    """The keys of a table's rows, top to bottom, as shown now (filtered and sorted)."""
    tbl = table(pilot, table_id)
    return [str(tbl.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(tbl.row_count)]


async def go_to_row(pilot: Pilot[Any], table_id: str, key: str) -> None:
    """Move the cursor of the focused table with the arrow keys until it is on `key`'s row."""
    tbl = table(pilot, table_id)
    assert tbl.has_focus, pilot.app.focused
    target = shown_keys(pilot, table_id).index(key)
    step = "down" if target > tbl.cursor_row else "up"
    await _send_keys(pilot, [(step, None)] * abs(target - tbl.cursor_row))
    await settle(pilot)
    assert tbl.current_key == key


def amount(text: str) -> Decimal:
    """A number as the dashboard shows it ("4 300 000", "61.5", "10.2 %")."""
    return Decimal(text.replace(" ", "").removesuffix("%"))


def current_view(pilot: Pilot[Any]) -> str | None:
    """The id of the view in front."""
    return pilot.app.query_one("#views", ContentSwitcher).current


def static_text(pilot: Pilot[Any], selector: str) -> str:
    """A Static's rendered text, on the screen in front."""
    return str(pilot.app.screen.query_one(selector, Static).render())


def status_text(pilot: Pilot[Any]) -> str:
    """The status line as rendered."""
    return str(pilot.app.query_one(StatusLine).render())


def notifications(pilot: Pilot[Any]) -> list[tuple[str, str, str]]:
    """Every notification shown so far: (severity, title, message)."""
    return [(n.severity, n.title, n.message) for n in pilot.app.notices]


_TEXT = re.compile(
    r'<text [^>]*x="([0-9.]+)" y="[^"]*" textLength="([0-9.]+)" '
    r'clip-path="url\(#[^"]*-line-(\d+)\)">(.*?)</text>'
)


def screen_text(pilot: Pilot[Any]) -> str:
    """Every line of the screen, as a user reads it (read from the app's SVG screenshot)."""
    width, height = pilot.app.size
    lines = [[" "] * width for _ in range(height)]
    found = [
        (float(x), float(n), int(y), html.unescape(t).replace("\xa0", " "))
        for x, n, y, t in _TEXT.findall(pilot.app.export_screenshot())
    ]
    # Each piece of text starts at its column times the width of a character.
    char_width = next((n / len(t) for _, n, _, t in found if t), 1.0)
    for x, _, y, text in found:
        col = round(x / char_width)
        for ch in text:
            if 0 <= col < width:
                lines[y][col] = ch
                for extra in range(1, cell_len(ch)):
                    if col + extra < width:
                        lines[y][col + extra] = ""
            col += cell_len(ch)
    return "\n".join("".join(line) for line in lines)


def form(pilot: Pilot[Any]) -> FormScreen:
    """The edit form in front."""
    screen = pilot.app.screen
    assert isinstance(screen, FormScreen), screen
    return screen


def confirm(pilot: Pilot[Any]) -> str:
    """The question of the confirmation in front, as shown."""
    screen = pilot.app.screen
    assert isinstance(screen, ConfirmScreen), screen
    return "\n".join(str(s.render()) for s in screen.query(Static))


def field_error(pilot: Pilot[Any], name: str) -> str:
    """The error shown under a form field ("" when none is shown)."""
    error = form(pilot).query_one(f"#error-{name}", Static)
    return str(error.render()) if error.display else ""


def save_enabled(pilot: Pilot[Any]) -> bool:
    """Whether the form's Save button can be pressed."""
    return not form(pilot).query_one("#save").disabled
