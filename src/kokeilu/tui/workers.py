"""Thread workers, all started one way: `in_thread`.

Blocking work (saving, dividing, asking git) runs in Textual thread workers that never touch
widgets; they report back with a message (`kokeilu.tui.messages`), which is thread-safe.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.worker import get_current_worker

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.worker import Worker

# How often a worker waiting on work it may drop looks whether it was cancelled (seconds).
POLL = 0.05


def in_thread(
    node: DOMNode,
    work: Callable[..., object],
    *args: Any,
    group: str,
    exclusive: bool = False,
    droppable: bool = False,
) -> Worker[Any]:
    """Run `work(*args)` in a thread worker of `node`, in `group`; its errors do not end the app.

    The worker is described by its group: Textual's default description is the `repr` of the
    work, which for a partial holding the registry takes 0.3 s at 10,000 parties (a frozen
    screen).

    `droppable` work only reads (dividing, asking git): quitting must not wait for it. Python
    waits at exit for every thread of the pool Textual runs thread workers in, so such work runs
    in a daemon thread of its own, and the worker stops waiting for it once Textual cancels the
    worker (as it does every worker when the app exits).
    """
    call = partial(work, *args)
    return node.run_worker(
        partial(_dropped_at_exit, call) if droppable else call,
        thread=True,
        group=group,
        description=group,
        exclusive=exclusive,
        exit_on_error=False,
    )


def _dropped_at_exit(call: Callable[[], object]) -> object:
    """Run `call` in a daemon thread; return its result, or None once the worker is cancelled."""
    worker = get_current_worker()
    done = threading.Event()
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append((True, call()))
        except BaseException as exc:  # handed to the worker, which reports it
            outcome.append((False, exc))
        finally:
            done.set()

    threading.Thread(target=run, name=f"kokeilu-{worker.group}", daemon=True).start()
    while not done.wait(POLL):
        if worker.is_cancelled:
            return None
    ok, value = outcome[0]
    if not ok:
        raise value
    return value
