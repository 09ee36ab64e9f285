"""How a knowledge-base number is shown: always with its evidence status.

``3–5 sessions/week (published)`` in a sentence, ``2–3 sets (published, seed_003)``
where the sources are cited too, and :class:`~hipfirst.core.plan.ShownNumber` where
a document lists numbers. Every module that puts a number in front of a user
uses these, so a number never appears without the trust it deserves.
"""

from __future__ import annotations

from typing import Protocol

from hipfirst.core.plan import ShownNumber
from hipfirst.knowledge.schema import Measure


class Described(Protocol):
    """A number that can describe itself (a :class:`Measure`, a video threshold)."""

    @property
    def status(self) -> str: ...

    def describe(self) -> str: ...


def with_status(number: Described) -> str:
    """``3–5 sessions/week (published)``: the number and its evidence status."""
    return f"{number.describe()} ({number.status})"


def with_status_and_sources(measure: Measure) -> str:
    """``2–3 sets (published, seed_003)``: the number, its status and its source ids."""
    return f"{measure.describe()} ({measure.status}, {', '.join(measure.sources)})"


def shown(measure: Measure) -> ShownNumber:
    """A knowledge-base measure as a number with status and sources."""
    return ShownNumber(
        measure_id=measure.id,
        label=measure.name,
        text=measure.describe(),
        status=str(measure.status),
        sources=list(measure.sources),
    )
