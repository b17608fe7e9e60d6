"""The main screen: the tabs, the views, the status line; it shows the session's document.

Views ask for things with messages (`kokeilu.tui.messages`) and this screen decides: saving and
conflicts are the `Saver`'s, watching the file the `Watcher`'s, dividing the `Divider`'s.

Only the Overview is built at start; every other view is imported and mounted the first time
it is shown, so that the first screen costs what the Overview costs.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Static, Tab, Tabs

from kokeilu import rules
from kokeilu.registry.load import Unreadable
from kokeilu.text.strings import t
from kokeilu.tui import messages as msg
from kokeilu.tui.commands import tab_labels
from kokeilu.tui.dividing import Divider
from kokeilu.tui.exporting import Exporter
from kokeilu.tui.saving import Saver
from kokeilu.tui.state import SaveState, Shares, State
from kokeilu.tui.viewing import Viewer
from kokeilu.tui.views.base import VIEWS, View, view_class
from kokeilu.tui.views.broken import BrokenView
from kokeilu.tui.views.overview import OverviewView
from kokeilu.tui.watching import Watcher

if TYPE_CHECKING:
    from textual.widget import Widget

    from kokeilu.history.asof import Version
    from kokeilu.registry.load import Document
    from kokeilu.registry.model import KeyPath, Registry
    from kokeilu.store.session import Session


class MainScreen(Screen[None]):
    """The dashboard's one screen under its forms and dialogs."""

    # The period divided and shown, and whether every party that has not rejected shares.
    period: reactive[str | None] = reactive(None, init=False)
    provisional: reactive[bool] = reactive(False, init=False)
    # What became of the last save, or what git says of the file (the status line shows it).
    save_state: reactive[SaveState] = reactive(SaveState, init=False)

    def __init__(self, session: Session, watch_interval: float | None = 1.0) -> None:
        super().__init__()
        self.session = session
        self.state: State | None = None
        self.load_error: Unreadable | None = None
        self.shares: Shares | None = None
        # The provisional division, which the Overview shows until the letter is in force.
        self.provisional_shares: Shares | None = None
        self.current_view = "overview"
        # The view last asked for: while views mount, the last request wins.
        self.wanted_view = "overview"
        # The views mounted so far, or being mounted (each once).
        self.mounts: dict[str, asyncio.Task[View]] = {}
        # What had the focus when the file broke, to be focused again when it is fixed.
        self.focus_before_broken: Widget | None = None
        # The old version shown in every view, read-only (History's Enter), and its document;
        # None: the session's document, the file as it is now.
        self.viewing: tuple[Version, Document] | None = None
        self.saver = Saver(self)
        self.divider = Divider(self)
        self.viewer = Viewer(self)
        from kokeilu.tui.reporting import Reporter

        self.reporter = Reporter(self)
        self.watcher = Watcher(self, watch_interval)
        self.exporter = Exporter(self)
        self.reread()

    def compose(self) -> ComposeResult:
        labels = tab_labels(self.app.size.width)
        yield Tabs(*(Tab(label, id=f"tab-{v}") for v, label in zip(VIEWS, labels, strict=True)))
        yield Static(id="version-banner")
        with ContentSwitcher(initial="overview", id="views"):
            yield OverviewView(id="overview")
            yield BrokenView(id="broken")
        with Vertical(id="bottom"):
            from kokeilu.tui.widgets.status_line import StatusLine

            yield StatusLine(id="status-line")
            yield Footer()

    def on_mount(self) -> None:
        self.refresh_state(divide=False)
        self.watcher.start()
        self.mounted_once = True
        if self.painted:  # the app's first frame came before this screen's: start after ours
            self.call_after_refresh(self.start_background)

    def on_resize(self, event: events.Resize) -> None:
        """A resize to the size already laid out is no resize: no new layout pass.

        At start Textual tells the screen its size three times (the app's first size, the
        driver's, and the first layout's own report), each a full layout of every widget: two
        passes too many before the first frame (~10 ms each). A real change of size, or of the
        screen's content, is laid out as before (Textual lays out what changed when idle).
        """
        if event.size == self.outer_size:
            event.prevent_default()
            return
        for view, label in zip(VIEWS, tab_labels(event.size.width), strict=True):
            tab = self.query_one(f"#tab-{view}", Tab)
            if tab.label_text != label:
                tab.label = label

    # Whether the app's first frame is on the terminal; whether this screen is mounted; whether
    # the background work has started.
    painted = mounted_once = started = False

    def first_paint(self) -> None:
        """The first frame is on the terminal: start what was held back for it, once mounted.

        Dividing imports polars and asking git starts a process: both compete with drawing for
        the interpreter, so they wait for the first frame.
        """
        self.painted = True
        if self.mounted_once:
            self.start_background()

    def start_background(self) -> None:
        """Divide the resources, and ask git whether the file is committed (once)."""
        if self.started:
            return
        self.started = True
        self.divider.divide()
        self.watcher.look_at_git()
        self.app.background_started.set()  # type: ignore[attr-defined]

    # --- State -------------------------------------------------------------------------------

    def reread(self) -> None:
        """Open the file again in the session; what is shown changes at the next `refresh_state`."""
        try:
            self.session.open()
            self.load_error = None
        except Unreadable as exc:
            self.load_error = exc

    def refresh_state(self, divide: bool = True) -> None:
        """Show the session's current document everywhere (or the old version being viewed),
        then divide the resources anew."""
        doc = self.viewing[1] if self.viewing is not None else self.session.document
        switcher = self.query_one(ContentSwitcher)
        if self.viewing is None and (self.load_error is not None or doc is None):
            self.state = None
            broken = self.query_one(BrokenView)
            if self.load_error is not None:
                broken.show_error(self.load_error)
            if switcher.current != "broken":
                self.focus_before_broken = self.focused
            switcher.current = "broken"
            # Keys must not reach a hidden table (Enter there opened a form over a broken file).
            broken.focus()
            self.update_status()
            return
        assert doc is not None
        self.watcher.checked()
        clock, file = lambda: self.session.today, self.session.file
        status = rules.agreement_status(doc.registry)
        if self.viewing is not None:
            version = self.viewing[0]
            findings = rules.findings(doc, self.session.today)
            self.state = State(doc, findings, status, None, clock, file, version)
        else:
            findings = self.session.findings()
            rights = self.session.store.editor_rights()
            self.state = State(doc, findings, status, rights, clock, file)
        if self.period not in doc.registry.caseloads:
            self.set_reactive(MainScreen.period, self.default_period(doc.registry))
        fixed = switcher.current == "broken"
        if fixed:
            switcher.current = self.current_view
        for view in self.query(View):
            view.show(self.state, self.period, self.provisional)
        if fixed:  # the view's table lost the focus while hidden: keys act on it again
            self.refocus(self.query_one(f"#{self.current_view}", View))
        self.update_status()
        if divide:
            self.divider.divide()

    def default_period(self, registry: Registry) -> str | None:
        """The period `kokeilu shares` would divide: the latest one every participant has counted."""
        from kokeilu.shares.division import latest_period

        if not registry.caseloads:
            return None
        return latest_period(registry, rules.participants(registry, provisional=self.provisional))

    def refocus(self, view: View) -> None:
        """Focus again what had the focus in `view` before the file broke, else its table."""
        before, self.focus_before_broken = self.focus_before_broken, None
        if before is not None and before.is_attached and view in before.ancestors:
            before.focus()
        else:
            view.focus_main()

    def update_status(self) -> None:
        """Draw the status line anew."""
        from kokeilu.tui.widgets.status_line import StatusLine

        rights = self.state.rights if self.state is not None else None
        self.query_one(StatusLine).show(self.state, self.save_state, self.session.file.name, rights)

    def watch_save_state(self) -> None:
        self.update_status()

    def reload(self, quiet: bool = False) -> None:
        """Read the file again and show it."""
        self.reread()
        self.refresh_state()
        if not quiet:
            self.notify(t("ui.reloaded"))

    # --- Period and provisional ----------------------------------------------------------------

    def watch_period(self) -> None:
        self.shares_asked_anew()

    def watch_provisional(self) -> None:
        self.shares_asked_anew()

    def shares_asked_anew(self) -> None:
        """The period or the provisional switch changed: the views that draw the division, anew."""
        for view in self.query(View):
            view.period, view.provisional = self.period, self.provisional
            if view.draws_shares:
                view.invalidate()
        self.divider.divide()

    def on_period_changed(self, event: msg.PeriodChanged) -> None:
        if self.state is not None and event.period in self.state.registry.caseloads:
            self.period = event.period

    def on_period_stepped(self, event: msg.PeriodStepped) -> None:
        if self.state is None or self.period is None:
            return
        periods = self.state.registry.periods
        index = periods.index(self.period) + event.delta
        if 0 <= index < len(periods):
            self.period = periods[index]

    def on_provisional_toggled(self) -> None:
        self.provisional = not self.provisional

    def on_shares_ready(self, event: msg.SharesReady) -> None:
        self.shares, self.provisional_shares = event.shares, event.provisional
        for view in self.query(View):
            view.show_shares(event.provisional if view.provisional_until_in_force else event.shares)

    # --- Saving, rights, notices -------------------------------------------------------------

    def on_edit_requested(self, event: msg.EditRequested) -> None:
        self.saver.save(*event.edits, form=event.form)

    def on_save_done(self, event: msg.SaveDone) -> None:
        self.saver.saved(event)

    def on_save_failed(self, event: msg.SaveFailed) -> None:
        self.saver.failed(event)

    def on_save_conflict(self, event: msg.SaveConflict) -> None:
        self.saver.conflict(event)

    def on_commit_requested(self, event: msg.CommitRequested) -> None:
        self.saver.commit(event)

    def on_discard_requested(self) -> None:
        self.saver.discard()

    def on_revert_requested(self, event: msg.RevertRequested) -> None:
        self.saver.revert(event)

    def on_history_changed(self, event: msg.HistoryChanged) -> None:
        self.saver.history_changed(event)

    def on_export_requested(self, event: msg.ExportRequested) -> None:
        self.exporter.export(event.name)

    def on_refused(self, event: msg.Refused) -> None:
        self.saver.refused(event.reason, event.title)

    def on_git_state_known(self, event: msg.GitStateKnown) -> None:
        if not self.saver.busy:
            self.save_state = event.state

    def on_report_requested(self, event: msg.ReportRequested) -> None:
        self.reporter.write(event)

    def on_report_failed(self, event: msg.ReportFailed) -> None:
        self.reporter.failed(event)

    def on_notice(self, event: msg.Notice) -> None:
        self.notify(
            event.message, title=event.title, severity=event.severity, timeout=event.timeout
        )

    # --- Views -------------------------------------------------------------------------------

    async def view(self, view_id: str) -> View:
        """The view `view_id`, mounted (hidden, with the current state) the first time it is asked for."""
        if view_id not in self.mounts:
            self.mounts[view_id] = asyncio.create_task(self.mount_view(view_id))
        return await self.mounts[view_id]

    async def mount_view(self, view_id: str) -> View:
        switcher = self.query_one(ContentSwitcher)
        for child in switcher.children:
            if child.id == view_id and isinstance(child, View):
                return child
        view = view_class(view_id)(id=view_id)
        view.state = self.state
        view.shares = self.provisional_shares if view.provisional_until_in_force else self.shares
        view.period, view.provisional = self.period, self.provisional
        view.display = False
        await switcher.mount(view)
        return view

    async def show_view(self, view: str) -> None:
        """Switch to a view."""
        if self.state is None:
            return
        self.wanted_view = view
        shown = await self.view(view)
        if self.wanted_view != view:  # another view was asked for while this one was mounting
            return
        self.current_view = view
        self.query_one(ContentSwitcher).current = view
        shown.draw_if_shown()
        tabs = self.query_one(Tabs)
        if tabs.active != f"tab-{view}":
            tabs.active = f"tab-{view}"
        shown.focus_main()

    async def tab_activated(self, event: Tabs.TabActivated) -> None:
        """A tab was activated: show its view, unless the tab only echoes a switch made here."""
        # Switching views sets the active tab, which comes back here as an event: an event for a
        # tab that is no longer active, or for the view already asked for, is not a new request
        # (acting on it switched back to a view the user had already left).
        tab = event.tab
        if tab is None or not tab.id or tab.id != self.query_one(Tabs).active:
            return
        view = tab.id.removeprefix("tab-")
        if view != self.wanted_view:
            await self.show_view(view)

    async def run_view_action(self, view: str, action: str) -> None:
        """Run a view's command from the palette: show the view, then run it there."""
        await self.show_view(view)
        self.call_after_refresh((await self.view(view)).run_action, action)

    async def record_decision(self, party_id: str) -> None:
        """Open the decision form for a party (from the palette)."""
        await self.show_view("approvals")
        from kokeilu.tui.views.approvals import ApprovalsView

        approvals = await self.view("approvals")
        assert isinstance(approvals, ApprovalsView)
        approvals.go_to(("parties", party_id))
        approvals.edit_decision(party_id)

    async def show_period(self, period: str) -> None:
        """Show the resources for one period."""
        self.on_period_changed(msg.PeriodChanged(period))
        await self.show_view("resources")

    async def on_go_to(self, event: msg.GoTo) -> None:
        await self.go_to_path(event.path)

    async def go_to_path(self, path: KeyPath) -> None:
        """Show the view and row that a registry path names: the first view that shows its table."""
        table = str(path[0]) if path else ""
        for view_id in VIEWS:
            if table in view_class(view_id).TABLES:
                await self.show_view(view_id)
                if (await self.view(view_id)).go_to(path):
                    return
        await self.show_view("overview")

    # --- An old version, read-only (History's Enter; Escape returns): the `Viewer`'s ---------

    def on_version_requested(self, event: msg.VersionRequested) -> None:
        self.viewer.request(event.sha)

    def on_version_ready(self, event: msg.VersionReady) -> None:
        self.viewer.show(event.version, event.document)

    def back_to_now(self) -> None:
        self.viewer.back_to_now()
