"""Textual's terminal driver, recording the first frame and keeping a remembered one on screen.

See `kokeilu.tui.frames`: the driver is the one place that sees what Textual writes.
"""

from __future__ import annotations

from textual.driver import Driver

from kokeilu.tui.frames import ALT_SCREEN, Frames


def recording_driver(base: type[Driver], frames: Frames) -> type[Driver]:
    """`base` (Textual's driver for this terminal) that records what it writes for `frames`."""

    class RecordingDriver(base):  # type: ignore[valid-type,misc]
        def start_application_mode(self) -> None:
            frames.taken = True
            super().start_application_mode()
            frames.recording = []

        def write(self, data: str) -> None:
            if data == ALT_SCREEN and frames.shown is not None:
                # Already there, with the remembered frame on it: entering again blanks it.
                return
            if frames.recording is not None:
                frames.recording.append(data)
            super().write(data)

    return RecordingDriver
