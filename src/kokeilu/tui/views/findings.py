"""Findings: every result of `check`, by line; Enter goes to the row it concerns."""

from __future__ import annotations

from textual.app import ComposeResult

from kokeilu.registry.findings_report import position
from kokeilu.text.strings import t
from kokeilu.tui.messages import GoTo
from kokeilu.tui.views.base import View
from kokeilu.tui.widgets.table import RegistryTable, Row


class FindingsView(View):
    """What `kokeilu check` says about the registry."""

    view_id = "findings"

    def compose(self) -> ComposeResult:
        yield RegistryTable(
            [
                ("line", t("col.line")),
                ("severity", t("col.severity")),
                ("message", t("col.message")),
            ],
            right=("line",),
            # The message is what a finding says: wrapped whole, never cut.
            flex="message",
            wrap=True,
            id="findings-table",
        )

    @property
    def table(self) -> RegistryTable:
        """The findings table."""
        return self.query_one(RegistryTable)

    def refresh_view(self) -> None:
        assert self.state is not None
        doc = self.state.document
        placed = sorted(
            ((position(doc, d), i, d) for i, d in enumerate(self.state.findings)),
            key=lambda item: (item[0].line, item[0].col, item[1]),
        )
        self.table.set_rows(
            [
                Row(
                    str(i),
                    (f"{pos.line}:{pos.col}", t(f"severity.{d.severity}"), d.message),
                    sort_keys=(pos.line, d.severity, d.message),
                    style="red" if d.severity == "error" else "yellow",
                )
                for pos, i, d in placed
            ]
        )

    def activate(self) -> None:
        self.action_goto()

    def action_goto(self) -> None:
        """Go to the view and row the finding under the cursor concerns."""
        if self.state is None or (key := self.table.current_key) is None:
            return
        self.post_message(GoTo(self.state.findings[int(key)].path))
