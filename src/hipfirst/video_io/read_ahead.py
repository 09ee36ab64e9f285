"""Produce the next items of an iterator in a background thread while this one works.

Why: PyAV decodes and converts frames with the GIL released, and MediaPipe
releases it while its graph runs, so on two cores decoding frame *n + 1*
while the pose model works on frame *n* makes the analysis about 15-20%
faster (see ``docs/benchmarks.md``). The buffer holds at most ``depth``
items, so memory stays flat however long the video is. Items arrive in
order; an exception raised by the source is raised again in the consumer;
stopping early (a ``break``, an error in the consumer) stops the producer,
closes the source and waits for the thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar, cast

_Item = TypeVar("_Item")
DEPTH = 4  # items produced ahead: 4 upright 1080p RGB frames are ~25 MB
_POLL_S = 0.05  # how often a blocked producer checks whether the consumer has stopped


@dataclass(frozen=True)
class _Failed:
    error: BaseException


_END = object()


def read_ahead(items: Iterable[_Item], depth: int = DEPTH) -> Iterator[_Item]:
    """Yield ``items`` in order, produced by a background thread up to ``depth`` ahead."""
    if depth < 1:
        raise ValueError(f"depth must be at least 1, got {depth}")
    buffer: queue.Queue[object] = queue.Queue(maxsize=depth)
    stopped = threading.Event()

    def offer(item: object) -> bool:
        while not stopped.is_set():
            try:
                buffer.put(item, timeout=_POLL_S)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        source = iter(items)
        try:
            for item in source:
                if not offer(item):
                    return
        except BaseException as error:
            offer(_Failed(error))
            return
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()  # a generator's own cleanup (e.g. closing the video file) runs here
        offer(_END)

    thread = threading.Thread(target=produce, name="hipfirst-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = buffer.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield cast(_Item, item)  # anything else is _END or _Failed, handled above
    finally:
        stopped.set()
        thread.join()
