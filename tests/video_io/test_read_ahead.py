"""read_ahead: order, bounded buffer, errors handed over, early stop cleans up."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from hipfirst.video_io.read_ahead import read_ahead


def test_items_arrive_in_order_and_all_of_them() -> None:
    assert list(read_ahead(range(1000), depth=3)) == list(range(1000))


def test_an_empty_source_yields_nothing() -> None:
    assert list(read_ahead([])) == []


def test_depth_must_be_positive() -> None:
    with pytest.raises(ValueError, match="depth must be at least 1, got 0"):
        list(read_ahead([1], depth=0))


def test_the_producer_runs_at_most_depth_plus_one_ahead() -> None:
    produced: list[int] = []

    def source() -> Iterator[int]:
        for value in range(100):
            produced.append(value)
            yield value

    depth = 3
    items = read_ahead(source(), depth=depth)
    assert next(items) == 0
    # give the producer every chance to run ahead: it can fill the buffer and
    # hold one more item while it waits, never more
    threading.Event().wait(0.2)
    assert len(produced) <= 1 + depth + 1
    assert list(items) == list(range(1, 100))


def test_an_error_in_the_source_is_raised_in_the_consumer_after_the_good_items() -> None:
    def source() -> Iterator[int]:
        yield 1
        yield 2
        raise OSError("disk gone")

    seen: list[int] = []
    with pytest.raises(OSError, match="disk gone"):
        for value in read_ahead(source()):
            seen.append(value)
    assert seen == [1, 2]


def test_stopping_early_closes_the_source_and_ends_the_thread() -> None:
    closed = threading.Event()

    def source() -> Iterator[int]:
        try:
            value = 0
            while True:
                yield value
                value += 1
        finally:
            closed.set()

    before = {thread.ident for thread in threading.enumerate()}
    items = read_ahead(source(), depth=2)
    for value in items:
        if value == 5:
            break
    items.close()  # what a for loop's owner does when the generator is dropped
    assert closed.is_set()
    extra = [t for t in threading.enumerate() if t.ident not in before]
    assert not [t for t in extra if t.name == "hipfirst-read-ahead"]


def test_an_error_in_the_consumer_stops_the_producer() -> None:
    closed = threading.Event()

    def source() -> Iterator[int]:
        try:
            yield from range(10_000)
        finally:
            closed.set()

    items = read_ahead(source(), depth=2)
    with pytest.raises(RuntimeError, match="model failed"):
        for value in items:
            if value == 3:
                raise RuntimeError("model failed")
    items.close()
    assert closed.is_set()
