"""An ordered map over a process pool that never runs far ahead of its consumer.

``Pool.imap`` hands every task to the workers at once and keeps every result until it
is taken: when the consumer (one process writing to SQLite) is slower than the workers,
finished results pile up without limit. Here a task is submitted only while fewer than
``max_tasks`` are waiting to be taken and their total weight (bytes of input) is under
``max_weight``, so memory stays bounded whatever the number of tasks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from multiprocessing.pool import ApplyResult, Pool

T = TypeVar("T")
R = TypeVar("R")


def bounded_map(
    pool: Pool,
    fn: Callable[[T], R],
    tasks: Iterable[T],
    *,
    weight: Callable[[T], int],
    max_tasks: int,
    max_weight: int,
    min_tasks: int = 1,
) -> Iterator[R]:
    """``fn(task)`` for every task, in order, run by ``pool`` ahead of the consumer.

    At most ``max_tasks`` tasks are submitted and not yet taken; past ``min_tasks`` of
    them (enough to keep every worker busy), a new one is submitted only while the
    weight of those waiting is under ``max_weight``. ``tasks`` is read lazily, as the
    window moves, so it may be a generator walking a folder.
    """
    if max_tasks < 1 or min_tasks < 1:
        raise ValueError("a window holds at least one task")
    waiting: deque[tuple[ApplyResult[R], int]] = deque()
    held = 0  # the weight of the tasks waiting
    source = iter(tasks)
    more = True
    while True:
        while more and len(waiting) < max_tasks and (len(waiting) < min_tasks or held < max_weight):
            try:
                task = next(source)
            except StopIteration:
                more = False
                break
            w = weight(task)
            waiting.append((pool.apply_async(fn, (task,)), w))
            held += w
        if not waiting:
            return
        result, w = waiting.popleft()
        held -= w
        yield result.get()
