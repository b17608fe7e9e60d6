"""The dashboard's notices: every one literal, whoever gives it (a view, Textual itself)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.app import App

from kokeilu.text.display import literal_lines
from kokeilu.text.strings import t

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel


class LiteralNotices(App[int]):
    """An App whose notices are text, never markup: `KokeiluApp` is one."""

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
    def screenshot_saved(self, event: events.DeliveryComplete) -> None:
        """The palette's screenshot is saved: say where (Textual's own notice is markup)."""
        if event.name == "screenshot" and event.path is not None:
            event.prevent_default()  # before App's own handler, which runs after this one
            self.notify(t("ui.screenshot_saved", path=event.path), title=t("ui.screenshot_title"))
