"""What every view has: the state it shows, its commands, and a way to go to a registry path.

A view never calls up into the app: it asks with a message (`kokeilu.tui.messages`), and the
main screen hands it what it shows (`show`, `show_shares`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.containers import Vertical

from kokeilu.registry.model import KeyPath, Party
from kokeilu.text.strings import t
from kokeilu.tui.commands import VIEWS, bindings
from kokeilu.tui.messages import EditRequested, Refused
from kokeilu.tui.state import Shares, State

if TYPE_CHECKING:
    # Only the views with tables use them; the Overview, shown first, has none.
    from textual.message import Message
    from textual.widgets import DataTable, Input

    from kokeilu.editing.edits import Edit
    from kokeilu.registry.diagnostics import Diagnostic
    from kokeilu.tui.screens.form import FormScreen


# The size of registry text (characters) above which a form does not judge an edit that needs
# tomlkit while the user types: tomlkit reads 1,000 parties x 48 months (~1 MB) in ~3 s.
LIVE_JUDGE_LIMIT = 256 * 1024


def view_class(view_id: str) -> type[View]:
    """The class of a view (`resources`: `views.resources.ResourcesView`), its module imported
    (and what only it needs) on first use."""
    assert view_id in VIEWS, view_id
    module = importlib.import_module(f"kokeilu.tui.views.{view_id}")
    return getattr(module, f"{view_id.capitalize()}View")


def party_label(party: Party) -> str:
    """A municipality's name, with its status when it is not a party: "Heinävesi (candidate)"."""
    if party.status == "party":
        return party.name
    return t("ui.name_with_status", name=party.name, status=t(f"status.{party.status}"))


# Drawn after a row's name when the user may not edit that row (their rights, not the data).
READ_ONLY_MARK = " ⊘"


def read_only_label(label: str, read_only: bool) -> str:
    """A row's name, marked when the user may not edit it (the status line says what ⊘ means)."""
    return label + READ_ONLY_MARK if read_only else label


class View(Vertical):
    """A view of the registry, switched with its number key, the palette, or its tab."""

    view_id = ""
    # The registry's tables whose rows this view shows (where `GoTo` a path looks first).
    TABLES: tuple[str, ...] = ()
    state: State | None = None
    shares: Shares | None = None
    # The period divided, and whether the division is provisional (set by the main screen).
    period: str | None = None
    provisional = False
    # Whether the view draws the division (and so the period and the provisional switch).
    draws_shares = False
    # Whether the view shows the provisional division whatever the switch, until the letter is
    # in force (the Overview: never the first approvers' division alone).
    provisional_until_in_force = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Before Textual's own hook, which merges the class's bindings.
        if cls.__dict__.get("view_id"):
            cls.BINDINGS = bindings(cls.view_id)
        super().__init_subclass__(**kwargs)

    def judge(self, edit: Edit) -> tuple[Diagnostic, ...]:
        """The error findings `edit` would add to the registry shown: what a save would
        refuse, as a form shows it while the user types (`preview`, the rules said once).

        An edit that only tomlkit can write is not judged per keystroke in a large file
        (tomlkit takes seconds there, and the form would freeze): its save judges it, and a
        refusal reopens the form with the reason under its field.
        """
        from kokeilu.editing.layout import LayoutError
        from kokeilu.editing.preview import preview
        from kokeilu.editing.splice import splice

        if self.state is None:
            return ()
        document = self.state.document
        if (
            len(document.text) > LIVE_JUDGE_LIMIT
            and splice(document.text, document.data, edit) is None
        ):
            return ()
        try:
            return preview(document, edit, today=self.state.today).added
        except LayoutError:  # the save says why, at the line it cannot write
            return ()

    # True when `state` or `shares` changed since the view was last drawn.
    stale = True

    def show(self, state: State, period: str | None = None, provisional: bool = False) -> None:
        """Take a new version of the registry; drawn now if the view is in front, else when shown."""
        self.state, self.period, self.provisional = state, period, provisional
        self.invalidate()

    def show_shares(self, shares: Shares) -> None:
        """Take a new division of the resources (drawn only by a view that `draws_shares`)."""
        self.shares = shares
        if self.draws_shares:
            self.invalidate()

    def invalidate(self) -> None:
        """Mark the view for drawing; only the view in front draws at once (large registries)."""
        self.stale = True
        self.draw_if_shown()

    def draw_if_shown(self) -> None:
        """Draw the view if it is in front and something changed since it was last drawn."""
        if self.stale and self.state is not None and self.display:
            self.stale = False
            self.refresh_view()

    def refresh_view(self) -> None:
        """Redraw from `state` and `shares`."""

    def focus_main(self) -> None:
        """Focus the view's main widget when the view is shown."""
        for widget in self.query("RegistryTable"):
            widget.focus()
            return

    # --- Editing: rights, and asking for a save ------------------------------------------------

    @property
    def data(self) -> Any:
        """The registry's data as shown, which edits are made against (None: nothing shown)."""
        return self.state.document.data if self.state is not None else None

    def editable_parties(self) -> Callable[[str], bool]:
        """Whether the user may edit a municipality's decision and caseloads: the tables mark
        the rows they may not (one look at the rights per drawing, not one per row)."""
        rights = self.state.rights if self.state is not None else None
        if rights is None or rights.everything:
            return lambda party: True
        return rights.may_edit_party

    def refuse(self, *paths: KeyPath) -> bool:
        """Whether an edit at `paths` (no paths: a hand edit, the whole file) is not the user's
        to make; if so, say why.

        Forms ask before they open, so that what the user may not edit is plainly read-only;
        the save path checks again (rights may change underneath an open form).
        """
        if self.refuse_read_only():
            return True
        if self.state is None or (rights := self.state.rights) is None:
            return False
        registry = self.state.registry
        reason = rights.refusal_at(registry, *paths) if paths else rights.refusal_of_whole_file()
        if reason is not None:
            self.post_message(Refused(reason))
        return reason is not None

    def refuse_read_only(self) -> bool:
        """Whether an old version is shown (no edit starts there); if so, say so. `refuse`
        asks it first, so every form and question of every view meets it before it opens."""
        reason = self.state.read_only_reason if self.state is not None else None
        if reason is not None:
            self.post_message(Refused(reason, title=t("ui.read_only_title")))
        return reason is not None

    def save(self, *edits: Edit) -> None:
        """Ask the main screen to save `edits`, in order."""
        self.post_message(EditRequested(edits))

    def open_form(
        self, form: FormScreen, build: Callable[[dict[str, Any]], Message | None]
    ) -> None:
        """Open `form`; its saved values are turned by `build` into the message to post."""
        from kokeilu.tui.saving import push_form

        push_form(self, form, build)

    def go_to(self, path: KeyPath) -> bool:
        """Put the cursor on what `path` names; False if this view does not show it."""
        return False

    def activate(self) -> None:
        """What Enter, or a click on the row under the cursor, does in this view."""

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.activate()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.activate()

    # --- Filtering and sorting, for views with a FilterInput and one table ---------------------

    def leave_filter(self) -> bool:
        """If the filter line has the focus, hand it to the table (Enter there); True if it did."""
        from kokeilu.tui.widgets.filter import FilterInput

        if isinstance(self.app.focused, FilterInput):
            self.focus_main()
            return True
        return False

    def action_filter(self) -> None:
        """Show the filter line and type into it."""
        from kokeilu.tui.widgets.filter import FilterInput

        flt = self.query_one(FilterInput)
        flt.display = True
        flt.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        from kokeilu.tui.widgets.filter import FilterInput
        from kokeilu.tui.widgets.table import RegistryTable

        if isinstance(event.input, FilterInput):
            self.query_one(RegistryTable).set_filter(event.value)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        from kokeilu.tui.widgets.table import RegistryTable

        event.stop()
        table = event.data_table
        if isinstance(table, RegistryTable):
            table.sort_by(event.column_index)
