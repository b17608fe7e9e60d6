"""Thread workers, all started one way: `in_thread`.

Blocking work (saving, dividing, asking git) runs in thread workers that never touch widgets;
they report back with `call_from_thread`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.worker import Worker


def in_thread(
    node: DOMNode, work: Callable[..., object], *args: Any, group: str, exclusive: bool = False
) -> Worker[Any]:
    """Run `work(*args)` in a thread worker of `node`, in `group`; its errors do not end the app.

    The worker is described by its group: Textual's default description is the `repr` of the
    work, which for a partial holding the registry takes 0.3 s at 10,000 parties (a frozen
    screen).
    """
    return node.run_worker(
        partial(work, *args),
        thread=True,
        group=group,
        description=group,
        exclusive=exclusive,
        exit_on_error=False,
    )
