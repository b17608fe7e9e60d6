"""The dashboard app: owns the editing session and the state, and hands both to the views.

Blocking work — saving, undo and redo, dividing the resources — runs in thread workers
(`workers.in_thread`) that never touch widgets; they report back with `call_from_thread`, and
only the app's thread changes what is on screen.

Only the Overview is built at start; every other view is imported and mounted the first time
it is shown, so that the first screen costs what the Overview costs.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, Footer, Tab, Tabs

from kokeilu import rules
from kokeilu.registry.load import Document, Unreadable
from kokeilu.store.session import Session
from kokeilu.text.display import literal, literal_lines
from kokeilu.text.strings import t
from kokeilu.tui import release_collector
from kokeilu.tui.commands import VIEWS, bindings
from kokeilu.tui.state import Shares, State, compute_shares
from kokeilu.tui.views.base import View
from kokeilu.tui.views.broken import BrokenView
from kokeilu.tui.views.overview import OverviewView
from kokeilu.tui.workers import in_thread

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.notifications import SeverityLevel
    from textual.widget import Widget

    from kokeilu.editing.edits import Edit
    from kokeilu.history.git import Commit
    from kokeilu.registry.model import KeyPath
    from kokeilu.store.store import Conflict, Forbidden, Saved
    from kokeilu.tui.screens.form import FormScreen

# Each view's module and class, imported when the view is first shown.
VIEW_CLASSES: dict[str, tuple[str, str]] = {
    "overview": ("overview", "OverviewView"),
    "approvals": ("approvals", "ApprovalsView"),
    "responsibilities": ("responsibilities", "ResponsibilitiesView"),
    "resources": ("resources", "ResourcesView"),
    "people": ("people", "PeopleView"),
    "findings": ("findings", "FindingsView"),
    "history": ("history", "HistoryView"),
}
# Workers that write the file or the repository: quitting waits for them, and for nothing else.
WRITING = ("save", "history-commit", "history-discard")


def view_class(view_id: str) -> type[View]:
    """The class of a view, importing its module (and what only it needs) on first use."""
    module, name = VIEW_CLASSES[view_id]
    return getattr(importlib.import_module(f"kokeilu.tui.views.{module}"), name)


def _palette() -> type[Provider]:
    from kokeilu.tui.palette import KokeiluCommands

    return KokeiluCommands


class BackgroundExecutor(ThreadPoolExecutor):
    """Runs each thread worker in a daemon thread, so that quitting never waits for one.

    Dividing, telling what changed on disk and asking git only read, and can be dropped at exit.
    Work that writes (`WRITING`) is waited for by `KokeiluApp.action_quit` before the app exits.
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:
                future.set_exception(exc)
            else:
                future.set_result(result)

        threading.Thread(target=run, name="kokeilu-worker", daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Nothing to wait for: the threads are daemons."""


# How often the file is looked at for changes made by others (seconds).
WATCH_INTERVAL = 1.0


class KokeiluApp(App[int]):
    """kokeilu's dashboard over one registry file."""

    CSS_PATH = "kokeilu.tcss"
    TITLE = "kokeilu"
    BINDINGS = bindings("app")
    COMMANDS = App.COMMANDS | {_palette}

    def __init__(self, file: Path, session: Session | None = None) -> None:
        super().__init__()
        self.session = session or Session(file)
        self.state: State | None = None
        self.load_error: Unreadable | None = None
        self.period: str | None = None
        self.provisional = False
        self.shares: Shares | None = None
        self.busy = False
        # Set once the work held back for the first paint has started (tests wait for it).
        self.background_started = asyncio.Event()
        self.save_state = ""
        self.current_view = "overview"
        # The view last asked for: while views mount, the last request wins.
        self._wanted_view = "overview"
        # The views mounted so far, or being mounted (each once).
        self._mounts: dict[str, asyncio.Task[View]] = {}
        # The form whose values are being turned into an edit (while its callback runs): work
        # started there hands it to `reopen` if it fails.
        self.submitting: FormScreen | None = None
        # The day the findings shown were checked on ("in the future" depends on it).
        self._checked_on = self.session.today
        # What had the focus when the file broke, to be focused again when it is fixed.
        self._focus_before_broken: Widget | None = None
        try:
            self.session.open()
        except Unreadable as exc:
            self.load_error = exc

    # --- Layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Tabs(
            *(
                Tab(t("view.tab", n=n, name=t(f"tab.{v}")), id=f"tab-{v}")
                for n, v in enumerate(VIEWS, 1)
            )
        )
        with ContentSwitcher(initial="overview", id="views"):
            yield OverviewView(id="overview")
            yield BrokenView(id="broken")
        with Vertical(id="bottom"):
            from kokeilu.tui.widgets.status_line import StatusLine

            yield StatusLine(id="status-line")
            yield Footer()

    def on_mount(self) -> None:
        asyncio.get_running_loop().set_default_executor(BackgroundExecutor())
        self.refresh_state(divide=False)
        self.set_interval(WATCH_INTERVAL, self.watch_file)

    def on_ready(self) -> None:
        """Start the background work once the first screen is on the terminal.

        Dividing imports polars and asking git starts a process: both compete with drawing for
        the interpreter, so they wait for the first frame (a fixed delay did not: on a busy
        machine it ran out before the frame and held it back by the polars import, ~0.15 s).
        """
        release_collector()
        self.divide()
        self.look_at_git()
        self.background_started.set()

    # --- State -------------------------------------------------------------------------------

    def refresh_state(self, divide: bool = True) -> None:
        """Show the session's current document everywhere, then divide the resources anew."""
        doc = self.session.document
        switcher = self.query_one(ContentSwitcher)
        if self.load_error is not None or doc is None:
            self.state = None
            broken = self.query_one(BrokenView)
            if self.load_error is not None:
                broken.show_error(self.load_error)
            if switcher.current != "broken":
                self._focus_before_broken = self.focused
            switcher.current = "broken"
            # Keys must not reach a hidden table (Enter there opened a form over a broken file).
            broken.focus()
            self._update_status()
            return
        self._checked_on = self.session.today
        self.state = State(doc, self.session.findings(), rules.agreement_status(doc.registry))
        if self.period not in doc.registry.caseloads:
            self.period = self._default_period(doc.registry)
        fixed = switcher.current == "broken"
        if fixed:
            switcher.current = self.current_view
        for view in self.query(View):
            view.show(self.state)
        if fixed:  # the view's table lost the focus while hidden: keys act on it again
            self._refocus(self.query_one(f"#{self.current_view}", View))
        self._update_status()
        if divide:
            self.divide()

    def _default_period(self, registry: Any) -> str | None:
        """The period `kokeilu shares` would divide: the latest one every participant has counted."""
        from kokeilu.shares.division import latest_period

        if not registry.caseloads:
            return None
        return latest_period(registry, rules.participants(registry, provisional=self.provisional))

    def _refocus(self, view: View) -> None:
        """Focus again what had the focus in `view` before the file broke, else its table."""
        before, self._focus_before_broken = self._focus_before_broken, None
        if before is not None and before.is_attached and view in before.ancestors:
            before.focus()
        else:
            view.focus_main()

    def look_at_git(self) -> None:
        """Find out, in a worker, whether the file is committed, so the status line can say so."""
        in_thread(self, self._git_state_in_thread, group="git-state")

    def _git_state_in_thread(self) -> None:
        from kokeilu.history import versions
        from kokeilu.history.git import GitError

        try:
            state = "ui.git.pending" if versions.pending(self.session.file) else "ui.git.committed"
        except (GitError, Unreadable):
            state = "ui.git.none"
        self.call_from_thread(self._show_git_state, t(state))

    def _show_git_state(self, text: str) -> None:
        if not self.busy:
            self.save_state = text
            self._update_status()

    def _update_status(self) -> None:
        from kokeilu.tui.widgets.status_line import StatusLine

        rights = self.session.store.editor_rights() if self.state is not None else None
        self.query_one(StatusLine).show(self.state, self.save_state, self.session.file.name, rights)

    # --- Rights ------------------------------------------------------------------------------

    def refused(self, reason: str) -> None:
        """Say that an edit is not the user's to make, and why (the rule)."""
        self.notify(reason, title=t("rights.not_allowed"), severity="error", timeout=10)

    def editable_parties(self) -> Callable[[str], bool]:
        """Whether the user may edit a municipality's decision and caseloads: the tables mark
        the rows they may not (one look at the rights per drawing, not one per row)."""
        rights = self.session.store.editor_rights()
        if rights is None or rights.everything:
            return lambda party: True
        return rights.may_edit_party

    def refuse(self, *paths: KeyPath) -> bool:
        """Whether an edit at `paths` (no paths: a hand edit, the whole file) is not the user's
        to make; if so, say why.

        Forms ask before they open, so that what the user may not edit is plainly read-only;
        the save path checks again (rights may change underneath an open form).
        """
        doc, rights = self.session.document, self.session.store.editor_rights()
        if doc is None or rights is None:
            return False
        reason = (
            rights.refusal_at(doc.registry, *paths) if paths else rights.refusal_of_whole_file()
        )
        if reason is not None:
            self.refused(reason)
        return reason is not None

    def divide(self) -> None:
        """Divide the resources for the period shown, in a worker."""
        if self.state is None:
            return
        registry, period, provisional = self.state.registry, self.period, self.provisional
        in_thread(
            self,
            self._divide_in_thread,
            registry,
            period,
            provisional,
            group="shares",
            exclusive=True,
        )

    def _divide_in_thread(self, registry: Any, period: str | None, provisional: bool) -> None:
        shares = compute_shares(registry, period, provisional)
        self.call_from_thread(self._show_shares, shares)

    def _show_shares(self, shares: Shares) -> None:
        self.shares = shares
        for view in self.query(View):
            view.show_shares(shares)

    # --- Notices -----------------------------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notice, the views' too, is literal: registry text in it is data, never markup.

        A name such as `Kuopio [/nope]` would end the dashboard with a MarkupError, and an
        escape sequence would reach the terminal; `markup` is accepted and ignored.
        """
        super().notify(
            literal_lines(message),
            title=literal_lines(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def action_help_quit(self) -> None:
        """ctrl+c copies, it does not quit: say which key quits (Textual's own words are markup)."""
        for active in self.active_bindings.values():
            if active.binding.action in ("quit", "app.quit"):
                key = self.get_key_display(active.binding)
                self.notify(t("ui.quit_hint", key=key), title=t("ui.quit_title"))
                return

    @on(events.DeliveryComplete)
    def _screenshot_saved(self, event: events.DeliveryComplete) -> None:
        """The palette's screenshot is saved: say where (Textual's own notice is markup)."""
        if event.name == "screenshot" and event.path is not None:
            event.prevent_default()  # before App's own handler, which runs after this one
            self.notify(t("ui.screenshot_saved", path=event.path), title=t("ui.screenshot_title"))

    # --- Saving ------------------------------------------------------------------------------

    def push_screen(self, screen: Any, callback: Any = None, *args: Any, **kwargs: Any) -> Any:
        """Push a screen; a form is remembered with its callback, so that a refused save of its
        values opens it again holding them (`reopen`)."""
        if callback is not None and _is_form(screen):
            screen.done = callback

            def submitted(values: dict[str, Any] | None) -> Any:
                self.submitting = screen if values is not None else None
                try:
                    return callback(values)
                finally:
                    self.submitting = None

            return super().push_screen(screen, submitted, *args, **kwargs)
        return super().push_screen(screen, callback, *args, **kwargs)

    def save(self, *edits: Edit, form: FormScreen | None = None) -> None:
        """Save edits, in order, through the session's one save path, in a worker.

        If the save is refused, `form` (by default the form whose callback is running) opens
        again holding what was typed.
        """
        edits = tuple(e for e in edits if not e.empty)
        if not edits:
            self.notify(t("ui.nothing_changed"))
            return
        self._run_save("apply", edits, form or self.submitting)

    def _run_save(
        self, op: str, edits: tuple[Edit, ...] = (), form: FormScreen | None = None
    ) -> None:
        self.busy = True
        self.save_state = t("ui.saving")
        self._update_status()
        in_thread(self, self._save_in_thread, op, edits, form, group="save")

    def _save_in_thread(
        self, op: str, edits: tuple[Edit, ...], form: FormScreen | None = None
    ) -> None:
        from kokeilu.history.git import Untrusted
        from kokeilu.store.store import Conflict, Forbidden, LayoutRefused, Rejected

        done: list[tuple[Edit, Saved]] = []
        try:
            if op == "apply":
                for edit in edits:
                    done.append((edit, self.session.apply(edit)))
            elif (
                result := self.session.undo() if op == "undo" else self.session.redo()
            ) is not None:
                done.append(result)
        except Forbidden as exc:
            self.call_from_thread(self._forbidden, exc, done)
        except Conflict as exc:
            self.call_from_thread(self._conflict, exc, done, form)
        except Rejected as exc:
            reasons = "; ".join(literal(d.message) for d in exc.errors)
            self.call_from_thread(self._failed, t("ui.rejected", reasons=reasons), done)
            self.call_from_thread(self.reopen, form, [(d.path, d.message) for d in exc.errors])
        except (Unreadable, LayoutRefused, OSError, Untrusted) as exc:
            reason = t("ui.save_error", reason=literal(str(exc)))
            self.call_from_thread(self._failed, reason, done)
            self.call_from_thread(self.reopen, form, [((), reason)])
        else:
            self.call_from_thread(self._saved, op, done)

    def _saved(self, op: str, done: list[tuple[Edit, Saved]]) -> None:
        self.busy = False
        if not done:
            self.notify(t("ui.nothing_to_undo" if op == "undo" else "ui.nothing_to_redo"))
        for edit, saved in done:
            self.save_state = commit_state(saved.commit)
            self.notify(edit.describe(), title=t("ui.saved_title"), timeout=3)
            if saved.commit.error:
                self.notify(
                    saved.commit.error, title=t("ui.commit_failed"), severity="error", timeout=15
                )
        self.refresh_state()

    def _failed(
        self, message: str, done: list[tuple[Edit, Saved]], title: str | None = None
    ) -> None:
        self.busy = False
        self.save_state = t("ui.save_failed")
        for edit, _ in done:
            self.notify(edit.describe(), title=t("ui.saved_title"), timeout=3)
        self.refresh_state()
        self.notify(message, title=title or t("ui.not_saved"), severity="error", timeout=10)

    def _forbidden(self, exc: Forbidden, done: list[tuple[Edit, Saved]]) -> None:
        # Rights are judged by the file on disk, which may have changed: show it as it is.
        self._reread()
        self._failed(exc.reason, done, t("rights.not_allowed"))

    def reopen(self, form: FormScreen | None, reasons: list[tuple[KeyPath, str]]) -> None:
        """Open again the form whose save was refused, holding what was typed, each reason under
        the field it is about."""
        if form is None or form.done is None:
            return
        refused: dict[str, list[str]] = {}
        for path, message in reasons:
            refused.setdefault(form.field_for(path), []).append(message)
        self.push_screen(form.again({k: "\n".join(v) for k, v in refused.items()}), form.done)

    def _conflict(self, exc: Conflict, done: list[Edit], form: FormScreen | None = None) -> None:
        from kokeilu.editing.edits import rebase
        from kokeilu.tui.screens.form import ConfirmScreen

        self._reread()  # show theirs (`_failed` draws it), and make "use mine" go over theirs
        self._failed(t("ui.conflict_short"), done)
        theirs = _shown(exc.theirs)
        question = t(
            "ui.conflict",
            what=exc.edit.describe(),
            theirs=theirs,
            mine=_shown(exc.mine),
        )

        def answer(use_mine: bool | None) -> None:
            doc = self.session.document
            if use_mine and doc is not None:
                self.save(rebase(exc.edit, doc.data), form=form)
            elif form is not None and len(form.fields) > 1:
                # Theirs is kept; the rest of what was typed is not lost: the form again.
                self.reopen(form, [(exc.change.path, t("ui.conflict_theirs", theirs=theirs))])

        self.push_screen(ConfirmScreen(question), answer)

    # --- Watching the file -------------------------------------------------------------------

    def watch_file(self) -> None:
        """Reload when someone else changed the file (our own saves update the fingerprint)."""
        # Not under an open form: its edit must meet their change as a conflict, not go over it.
        if self.busy or self.screen.is_modal:
            return
        if self.session.store.changed_on_disk():
            before = self.session.document
            self.action_reload(quiet=True)
            self.look_at_git()
            after = self.session.document
            if before is not None and after is not None and self.load_error is None:
                in_thread(self, self._tell_change, before, after, group="watch")
        elif self.state is not None and self.session.today != self._checked_on:
            self.refresh_state(divide=False)  # a new day: a decision dated today is no longer ahead

    def _tell_change(self, before: Document, after: Document) -> None:
        """Say what changed underneath, and by whom: the last commit's author, or a hand edit."""
        from kokeilu.history import versions
        from kokeilu.history.git import GitError
        from kokeilu.history.semdiff import diff_data, summary

        changes = diff_data(before.data, after.data)
        what = summary(changes, before.registry, after.registry)
        try:
            who = versions.last_author(self.session.file)
        except (GitError, Unreadable):
            who = None
        by = t("ui.changed_by", who=literal(who)) if who else t("ui.changed_by_hand")
        self.call_from_thread(
            self.notify, f"{what}\n{by}", title=t("ui.changed_on_disk"), timeout=8
        )

    # --- Actions -----------------------------------------------------------------------------

    async def view(self, view_id: str) -> View:
        """The view `view_id`, mounted (hidden, with the current state) the first time it is asked for."""
        if view_id not in self._mounts:
            self._mounts[view_id] = asyncio.create_task(self._mount_view(view_id))
        return await self._mounts[view_id]

    async def _mount_view(self, view_id: str) -> View:
        switcher = self.query_one(ContentSwitcher)
        for child in switcher.children:
            if child.id == view_id and isinstance(child, View):
                return child
        view = view_class(view_id)(id=view_id)
        view.state, view.shares = self.state, self.shares
        view.display = False
        await switcher.mount(view)
        return view

    async def action_show_view(self, view: str) -> None:
        """Switch to a view."""
        if self.state is None:
            return
        self._wanted_view = view
        shown = await self.view(view)
        if self._wanted_view != view:  # another view was asked for while this one was mounting
            return
        self.current_view = view
        self.query_one(ContentSwitcher).current = view
        shown.draw_if_shown()
        tabs = self.query_one(Tabs)
        if tabs.active != f"tab-{view}":
            tabs.active = f"tab-{view}"
        shown.focus_main()

    async def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        # Switching views sets the active tab, which comes back here as an event: an event for a
        # tab that is no longer active, or for the view already asked for, is not a new request
        # (acting on it switched back to a view the user had already left).
        tab = event.tab
        if tab is None or not tab.id or tab.id != self.query_one(Tabs).active:
            return
        view = tab.id.removeprefix("tab-")
        if view != self._wanted_view:
            await self.action_show_view(view)

    def action_undo(self) -> None:
        """Take back this session's last edit (saved as an edit of its own)."""
        self._run_save("undo")

    def action_redo(self) -> None:
        """Make again the last edit undone."""
        self._run_save("redo")

    def action_help(self) -> None:
        """Help on the view in front."""
        from kokeilu.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.current_view))

    async def action_quit(self) -> None:
        """Quit: a save in progress finishes first; background work that only reads does not."""
        for worker in list(self.workers):
            if worker.group in WRITING and worker.is_running:
                await worker.wait()
        self.exit()

    def action_reload(self, quiet: bool = False) -> None:
        """Read the file again."""
        self._reread()
        self.refresh_state()
        if not quiet:
            self.notify(t("ui.reloaded"))

    def _reread(self) -> None:
        """Open the file again in the session; what is shown changes at the next `refresh_state`."""
        try:
            self.session.open()
            self.load_error = None
        except Unreadable as exc:
            self.load_error = exc

    async def run_view_action(self, view: str, action: str) -> None:
        """Run a view's command from the palette: show the view, then run it there."""
        await self.action_show_view(view)
        self.call_after_refresh((await self.view(view)).run_action, action)

    async def record_decision(self, party_id: str) -> None:
        """Open the decision form for a party (from the palette)."""
        await self.action_show_view("approvals")
        approvals: Any = await self.view("approvals")
        approvals.table.go_to(party_id)
        approvals.edit_decision(party_id)

    async def go_to_path(self, path: KeyPath) -> None:
        """Show the view and row that a registry path names."""
        order = {
            "parties": ("approvals", "responsibilities"),
            "regions": ("responsibilities",),
            "service_agreements": ("responsibilities",),
            "typ_areas": ("responsibilities",),
            "caseloads": ("resources",),
            "resources": ("resources",),
            "people": ("people",),
        }
        for view_id in order.get(str(path[0]) if path else "", ("overview",)):
            await self.action_show_view(view_id)
            if (await self.view(view_id)).go_to(path):
                return
        await self.action_show_view("overview")

    def after_history_change(self, commit: Commit | None, what: str) -> None:
        """After committing or discarding a hand edit from the History view: reload and say so."""
        if commit is not None and commit.error:
            self.notify(commit.error, title=t("ui.commit_failed"), severity="error", timeout=15)
        else:
            self.notify(what, title=t("ui.saved_title"))
            if commit is not None:
                self.save_state = commit_state(commit)
        self.action_reload(quiet=True)  # History, in front, loads its commits again
        if commit is None or commit.error:
            self.look_at_git()  # a discard (or a failed commit): the status line asks git anew

    async def show_period(self, period: str) -> None:
        """Show the resources for one period."""
        self.set_period(period)
        await self.action_show_view("resources")

    def set_period(self, period: str) -> None:
        """Divide the resources for `period`."""
        if self.state is None or period not in self.state.registry.caseloads:
            return
        self.period = period
        self._invalidate_shares()
        self.divide()

    def step_period(self, delta: int) -> None:
        """Move to the previous or next period."""
        if self.state is None or self.period is None:
            return
        periods = self.state.registry.periods
        index = periods.index(self.period) + delta
        if 0 <= index < len(periods):
            self.set_period(periods[index])

    def toggle_provisional(self) -> None:
        """Include every party that has not rejected, or only those who approved."""
        self.provisional = not self.provisional
        self._invalidate_shares()
        self.divide()

    def _invalidate_shares(self) -> None:
        """The period or the provisional switch changed: the views that draw the division, anew."""
        for view in self.query(View):
            if view.draws_shares:
                view.invalidate()


def commit_state(commit: Commit) -> str:
    """What the status line says of the last save's commit."""
    if commit.sha:
        return t("ui.committed", sha=commit.sha[:7])
    if commit.error:
        return t("ui.commit_failed")
    return t(f"ui.uncommitted.{commit.skipped}")


def _shown(value: Any) -> str:
    from kokeilu.editing.edits import MISSING

    return t("ui.absent") if value is MISSING else literal(str(value))


def _is_form(screen: object) -> bool:
    """Whether `screen` is an edit form (without importing the forms before one is shown)."""
    forms = sys.modules.get("kokeilu.tui.screens.form")
    return forms is not None and isinstance(screen, forms.FormScreen)
