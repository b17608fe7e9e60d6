"""Dividing the resources for the period shown, in a worker that reports with `SharesReady`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kokeilu.tui.messages import SharesReady
from kokeilu.tui.state import compute_shares
from kokeilu.tui.workers import in_thread

if TYPE_CHECKING:
    from kokeilu.registry.model import Registry
    from kokeilu.tui.screens.main import MainScreen


class Divider:
    """The main screen's division: the latest request wins (an exclusive worker)."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def divide(self) -> None:
        """Divide the resources for the period shown (and the provisional switch), in a worker."""
        screen = self.screen
        if screen.state is None:
            return
        in_thread(
            screen,
            self.divide_in_thread,
            screen.state.registry,
            screen.period,
            screen.provisional,
            screen.state.status.in_force,
            group="shares",
            exclusive=True,
            droppable=True,
        )

    def divide_in_thread(
        self, registry: Registry, period: str | None, provisional: bool, in_force: bool
    ) -> None:
        shares = compute_shares(registry, period, provisional)
        # Until the letter is in force, the Overview shows the provisional division (every party
        # that has not rejected), not the first approvers' alone; in force, the two are one.
        letters = shares if provisional or in_force else compute_shares(registry, period, True)
        self.screen.post_message(SharesReady(shares, letters))
