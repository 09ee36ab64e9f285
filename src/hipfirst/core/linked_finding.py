"""A finding linked to the contributors it is evidence for, and the two ways one is made.

:func:`judged`: a computed value past a knowledge-base threshold measure, carrying
that measure's threshold, status and sources. :func:`observed`: a sign the
clinician saw or a history item the person reported; no measure stands behind
it, so it is always ``unconfirmed``. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hipfirst.core.report import ComputedMeasure, Finding, ReportSide
from hipfirst.knowledge.schema import Measure


@dataclass(frozen=True)
class LinkedFinding:
    """A finding and the contributors it is evidence for."""

    finding: Finding
    contributors: tuple[str, ...]


def passes(measure: Measure, value: float) -> bool:
    """True when ``value`` is on the safe side of a threshold measure."""
    assert measure.value is not None  # a threshold always has a value (schema check)
    if measure.direction == "below":
        return value >= measure.value
    return value <= measure.value


def judged(
    finding_id: str,
    label: str,
    computed: ComputedMeasure,
    measure: Measure,
    side: ReportSide | None,
    explanation: str,
    *,
    contributors: tuple[str, ...],
) -> LinkedFinding:
    """A computed value judged against a knowledge-base measure, with that measure's
    threshold, status and sources."""
    return LinkedFinding(
        Finding(
            id=finding_id,
            label=label,
            side=side,
            value=computed.value,
            unit=computed.unit,
            threshold=measure.describe(),
            measure_id=measure.id,
            status=measure.status.value,
            sources=list(measure.sources),
            explanation=explanation,
        ),
        contributors,
    )


def observed(
    finding_id: str,
    label: str,
    *,
    side: ReportSide | None,
    value: str,
    unit: str,
    threshold: str,
    sources: Sequence[str],
    explanation: str,
    contributors: tuple[str, ...],
) -> LinkedFinding:
    """A sign the clinician saw or a history item the person reported.

    No knowledge-base measure stands behind it, so it is always ``unconfirmed``.
    """
    return LinkedFinding(
        Finding(
            id=finding_id,
            label=label,
            side=side,
            value=value,
            unit=unit,
            threshold=threshold,
            measure_id=None,
            status="unconfirmed",
            sources=list(sources),
            explanation=explanation,
        ),
        contributors,
    )
