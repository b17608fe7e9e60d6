"""The `/` filter line above a view's table: typing narrows the rows, Escape clears it."""

from __future__ import annotations

from textual.widgets import Input

from kokeilu.text.strings import t


class FilterInput(Input):
    """A one-line filter, hidden until `/`."""

    BINDINGS = [("escape", "close", t("cmd.close_filter"))]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(placeholder=t("ui.filter_placeholder"), compact=True, **kwargs)  # type: ignore[arg-type]
        self.display = False

    def action_close(self) -> None:
        """Clear the filter and give the focus back to the table."""
        self.value = ""
        self.display = False
        self.screen.focus_next("RegistryTable")
