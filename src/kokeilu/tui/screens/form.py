"""One edit form for every edit: labelled fields, checked as they are typed, never saved invalid.

A form knows no rule of the registry. The caller gives the fields and two things: `check`, what
in the typed values does not parse (from `registry.values`), and `draft`, the edit the values
would save. As the user types, the form previews that edit through the registry's own rules
(`judge`, the preview's `added` findings) and shows each finding under the field its path names
(`field_for`): the rules are said once, in `rules` and the schema's declaration, not again here.
The caller gets the values back, or None if the user cancelled. Escape cancels; Enter in a field
or ctrl+s saves when every field is valid.

A save can still be refused after the form closed (a rule of the registry as a whole, someone
else's change, a full disk): the dashboard then opens the form `again`, holding what was typed,
with the reason under the field it is about (`field_for` maps a finding's path to a field).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, SelectionList, Static
from textual.widgets.option_list import Option

from kokeilu.editing.edits import Edit
from kokeilu.registry.diagnostics import Diagnostic
from kokeilu.registry.model import KeyPath
from kokeilu.registry.values import Invalid
from kokeilu.text import display
from kokeilu.text.display import literal
from kokeilu.text.strings import EN, t

# What in the typed values does not parse (a date, a count), by field name.
Check = Callable[[dict[str, Any]], dict[str, str]]
# The edit the typed values would save; None while there is nothing to judge yet.
Draft = Callable[[dict[str, Any]], Edit | None]
# The error findings an edit would add to the registry: what a save would refuse.
Judge = Callable[[Edit], Sequence[Diagnostic]]


# The key a new entry's draft is judged under while the typed id does not parse, so that its
# other fields are still checked; an id and a login name both.
STAND_IN = "draft_entry"


def subject(finding: Diagnostic) -> KeyPath:
    """The path a finding is about: a key that is missing names itself (`missing`) under the
    table it is missing from, which is where the finding points in the file."""
    missing = finding.params.get("missing")
    return (*finding.path, missing) if isinstance(missing, str) else finding.path


def field_message(finding: Diagnostic) -> str:
    """A finding as said under its field: the catalogue's `valid.<code>` when it has one (the
    field and the form's title already say where and whose; dates as the form takes them),
    else the finding's own message."""
    key = f"valid.{finding.code}"
    if key not in EN:
        return finding.message
    params = {
        k: display.date(v) if isinstance(v, dt.date) else v
        for k, v in display.in_sentence(finding.params).items()
    }
    return t(key, **params)


def _lines(text: str) -> Text:
    """Text of several lines, each shown literally (a line break is not data to escape)."""
    return Text("\n".join(literal(line) for line in text.split("\n")))


def _text(f: FormField) -> str:
    """A text field's value as text."""
    return str(f.value or "")


@dataclass(frozen=True)
class FormField:
    """One field: text, a choice from options, or several choices."""

    name: str
    label: str
    kind: str = "text"  # text | select | multi | list (one choice: Enter picks it and saves)
    value: Any = ""
    options: Sequence[tuple[str, str]] = field(default_factory=tuple)
    placeholder: str = ""


class FormScreen(ModalScreen[dict[str, Any] | None]):
    """A modal form over the dashboard."""

    BINDINGS = [
        Binding("escape", "cancel", t("cmd.cancel"), id="form.cancel"),
        Binding("ctrl+s", "save", t("cmd.save"), id="form.save", key_display="^s"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        check: Check,
        note: str = "",
        refused: dict[str, str] | None = None,
        *,
        draft: Draft | None = None,
        judge: Judge | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.check = check
        self.draft = draft
        self.judge = judge
        self.note = note
        self.errors: dict[str, str] = {}
        # Why the last save of these values was refused, by field ("" for the form as a whole);
        # shown until the field is changed.
        self.refused: dict[str, str] = dict(refused or {})
        # The values as the form opened, and as last submitted.
        self.opened: dict[str, Any] = {}
        self.submitted: dict[str, Any] | None = None
        # What the dashboard calls with the values (set when the form is pushed), to reopen it.
        self.done: Callable[[dict[str, Any]], Any] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Label(Text(literal(self.title_text)), id="form-title")
            with VerticalScroll(id="form-fields", can_focus=False):
                for f in self.fields:
                    with Horizontal(classes="form-row"):
                        yield Label(Text(literal(f.label)), classes="form-label")
                        yield self.field_widget(f)
                    yield Static("", id=f"error-{f.name}", classes="form-error")
            if self.note:
                yield Static(_lines(self.note), id="form-note")
            refused = self.refused.get("", "")
            yield Static(_lines(refused), id="form-refused", classes="form-error")
            with Horizontal(id="form-buttons"):
                yield Button(t("cmd.save"), id="save", variant="primary", compact=True)
                yield Button(t("cmd.cancel"), id="cancel", compact=True)

    def field_widget(self, f: FormField) -> Any:
        wid = f"field-{f.name}"
        if f.kind == "list":
            values = [value for _, value in f.options]
            options = OptionList(
                *[Option(Text(literal(label)), id=value) for label, value in f.options], id=wid
            )
            if f.value in values:
                options.highlighted = values.index(f.value)
            return options
        if f.kind == "select":
            choices = [(Text(literal(label)), value) for label, value in f.options]
            value = f.value if f.value in {v for _, v in f.options} else Select.NULL
            return Select(
                choices, value=value, id=wid, compact=True, allow_blank=value is Select.NULL
            )
        if f.kind == "multi":
            chosen = set(f.value or ())
            return SelectionList[str](
                *[(Text(literal(label)), value, value in chosen) for label, value in f.options],
                id=wid,
                compact=True,
            )
        return Input(
            literal(_text(f)),
            placeholder=f.placeholder,
            id=wid,
            compact=True,
            select_on_focus=False,
        )

    def on_mount(self) -> None:
        self.opened = self.values()
        self.recheck()
        if self.fields:
            names = [f.name for f in self.fields]
            name = next((n for n in names if self.refused.get(n)), names[0])
            first = self.query_one(f"#field-{name}")
            first.focus()
            if isinstance(first, Input):
                # Typing replaces the value shown, as in a spreadsheet cell.
                self.call_after_refresh(first.select_all)

    def values(self) -> dict[str, Any]:
        """What the fields hold now: text as typed, a choice's value (None if none), a list."""
        out: dict[str, Any] = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.name}")
            if isinstance(widget, Select):
                out[f.name] = None if widget.value is Select.NULL else widget.value
            elif isinstance(widget, SelectionList):
                out[f.name] = list(widget.selected)
            elif isinstance(widget, OptionList):
                index = widget.highlighted
                out[f.name] = widget.get_option_at_index(index).id if index is not None else None
            elif isinstance(widget, Input):  # the only other field `_widget` makes
                # The field shows registry text literally; left as shown, it is the text itself.
                original = _text(f)
                out[f.name] = original if widget.value == literal(original) else widget.value
        return out

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        """What is wrong with `values`, by field ("" for the form as a whole): first what does
        not parse, then every error finding the edit they make would add, under its field."""
        problems = dict(self.check(values))
        if self.draft is None or self.judge is None:
            return problems
        try:
            edit = self.draft(values)
        except Invalid:
            edit = None
        if edit is None:
            return problems
        for finding in self.judge(edit):
            problems.setdefault(self.field_for(subject(finding)), field_message(finding))
        return problems

    def recheck(self) -> None:
        values = self.values()
        self.errors = self.problems(values)
        for f in self.fields:
            message = self.errors.get(f.name, "")
            if not message and values[f.name] == self.opened.get(f.name):
                message = self.refused.get(f.name, "")
            error = self.query_one(f"#error-{f.name}", Static)
            error.update(Text(literal(message)))
            error.display = bool(message)
        whole = self.errors.get("") or self.refused.get("", "")
        refused = self.query_one("#form-refused", Static)
        refused.update(_lines(whole))
        refused.display = bool(whole)
        self.query_one("#save", Button).disabled = bool(self.errors)

    # Whether a recheck is queued behind the changes already waiting (`recheck_soon`).
    recheck_queued = False

    def on_input_changed(self) -> None:
        self.recheck_soon()

    def recheck_soon(self) -> None:
        """Judge once the changes already queued are handled: a paste, or a fast typist's burst
        of keys, is judged once rather than once a key (an edit only tomlkit can write costs
        ~20 ms to preview). Keys typed at a person's pace are each judged as before."""
        if not self.recheck_queued:
            self.recheck_queued = True
            self.call_later(self._recheck_queued)

    def _recheck_queued(self) -> None:
        self.recheck_queued = False
        if self.is_attached:
            self.recheck()

    def on_select_changed(self) -> None:
        self.recheck()

    def on_selection_list_selected_changed(self) -> None:
        self.recheck()

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_option_list_option_highlighted(self) -> None:
        self.recheck()

    def on_option_list_option_selected(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        """Return the values, unless a field is invalid: then show where."""
        self.recheck()
        if self.errors:
            first = next((f.name for f in self.fields if f.name in self.errors), "")
            if first:
                widget = self.query_one(f"#field-{first}")
                widget.focus()
                if isinstance(widget, Input):
                    # Typing replaces the refused value, as when a refused save reopens the form.
                    self.call_after_refresh(widget.select_all)
            self.notify(self.errors[first], title=t("ui.form_invalid"), severity="warning")
            return
        self.submitted = self.values()
        self.dismiss(self.submitted)

    def field_for(self, path: Sequence[str | int]) -> str:
        """The field a finding at `path` is about: its last part that names a field (or with its
        parent, as "kuopio-total" does), the only field of a one-field form, else "" (the form)."""
        names = [f.name for f in self.fields]
        parts = [str(p) for p in path]
        for i in range(len(parts) - 1, -1, -1):
            if parts[i] in names:
                return parts[i]
            if i and f"{parts[i - 1]}-{parts[i]}" in names:
                return f"{parts[i - 1]}-{parts[i]}"
        return names[0] if len(names) == 1 else ""

    def again(self, refused: dict[str, str]) -> FormScreen:
        """This form anew, holding what was submitted, with why its save was refused."""
        values = self.submitted if self.submitted is not None else self.opened
        fields = [replace(f, value=values.get(f.name, f.value)) for f in self.fields]
        return FormScreen(
            self.title_text,
            fields,
            self.check,
            self.note,
            refused,
            draft=self.draft,
            judge=self.judge,
        )

    def action_cancel(self) -> None:
        """Close the form; nothing is changed."""
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """Asks before a destructive action; Enter or y confirms, Escape or n cancels."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", t("cmd.yes"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", t("cmd.no"), id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(_lines(self.question))
            yield Static(Text(t("ui.confirm_keys")), id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
