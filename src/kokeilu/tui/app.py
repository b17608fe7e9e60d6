"""The dashboard app: opens the session and shows the main screen, which does the rest.

Blocking work — saving, undo and redo, dividing the resources — runs in thread workers that
never touch widgets; they report back with messages (`kokeilu.tui.messages`).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.widgets import Tabs

from kokeilu.store.session import Session
from kokeilu.tui import release_collector
from kokeilu.tui.commands import bindings
from kokeilu.tui.notices import LiteralNotices
from kokeilu.tui.saving import WRITING
from kokeilu.tui.screens.main import MainScreen

if TYPE_CHECKING:
    from textual.command import Provider

    from kokeilu.tui.frames import Frames


def _palette() -> type[Provider]:
    from kokeilu.tui.palette import KokeiluCommands

    return KokeiluCommands


class KokeiluApp(LiteralNotices):
    """kokeilu's dashboard over one registry file."""

    CSS_PATH = Path(__file__).parent / "kokeilu.tcss"
    TITLE = "kokeilu"
    BINDINGS = bindings("app")
    COMMANDS = App.COMMANDS | {_palette}

    def __init__(
        self,
        file: Path,
        session: Session | None = None,
        watch_interval: float | None = 1.0,
        frames: Frames | None = None,
    ) -> None:
        """`watch_interval`: how often the file is looked at for changes made by others
        (seconds; None: only when `main.watcher.check()` is called, as tests do); `frames`: the
        remembered first frame of this start (`kokeilu.tui.frames`), None in tests."""
        super().__init__()
        self.frames = frames
        if frames is not None:
            from kokeilu.tui.driver import recording_driver

            self.driver_class = recording_driver(self.driver_class, frames)
        self.session = session or Session(file)
        self.main = MainScreen(self.session, watch_interval)
        # Set once the work held back for the first paint has started (tests wait for it).
        self.background_started = asyncio.Event()

    def get_default_screen(self) -> MainScreen:
        """The main screen is the app's first: forms and dialogs are pushed over it."""
        return self.main

    def on_ready(self) -> None:
        """Start the background work once the first screen is on the terminal.

        Dividing imports polars and asking git starts a process: both compete with drawing for
        the interpreter, so they wait for the first frame (a fixed delay did not: on a busy
        machine it ran out before the frame and held it back by the polars import, ~0.15 s).
        The garbage collector, held by `run_dashboard` until now, runs again.
        """
        release_collector()
        if self.frames is not None:
            self.frames.recorded()
        self.main.first_paint()

    # --- Actions (the app's commands, wherever the focus is) ---------------------------------

    async def action_show_view(self, view: str) -> None:
        """Switch to a view."""
        await self.main.show_view(view)

    async def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        # Handled in the app's queue, after the keys typed before it (a tab activated while a
        # view mounts must not win over a key typed later: the screen would see it first).
        event.stop()
        await self.main.tab_activated(event)

    def action_undo(self) -> None:
        """Take back this session's last edit (saved as an edit of its own)."""
        self.main.saver.run("undo")

    def action_redo(self) -> None:
        """Make again the last edit undone."""
        self.main.saver.run("redo")

    def action_back_to_now(self) -> None:
        """Leave the old version shown (History's Enter) for the file as it is now."""
        self.main.back_to_now()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape means "back to now" only while an old version is shown; else it is left to
        whatever else takes it (and the footer does not offer it)."""
        if action == "back_to_now":
            return self.main.viewing is not None
        return True

    def action_reload(self) -> None:
        """Read the file again."""
        self.main.reload()

    def action_application_report(self) -> None:
        """Write the application dossier as printable HTML (asks for the file's name)."""
        self.main.reporter.ask()

    def action_export(self) -> None:
        """Export… the division shown and the registry to a file (xlsx, csv or json)."""
        self.main.exporter.ask()

    def action_help(self) -> None:
        """Help on the view in front."""
        from kokeilu.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.main.current_view))

    async def action_quit(self) -> None:
        """Quit: a save in progress finishes first; background work that only reads does not."""
        for worker in list(self.workers):
            if worker.group in WRITING and worker.is_running:
                await worker.wait()
        self.exit()
