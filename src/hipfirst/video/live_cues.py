"""The live mirror's cues: a plain instruction while an angle passes its knowledge-base bar.

Every cue is a ``live_cue`` guidance record of the knowledge base
(``guidance/guidance.yaml``): the metric it watches (``video_metric``), the threshold
measure that is its bar (``cue_measure``, e.g. the single-leg-squat FPPA flag), the words on
the screen (``title``) and a longer instruction (``text``). Nothing here holds a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import FrontalMetric


@dataclass(frozen=True)
class LiveCue:
    """One cue: ``metric`` passes ``threshold_deg`` in ``direction`` → show ``words``."""

    cue_id: str
    metric: FrontalMetric
    words: str
    instruction: str
    threshold_deg: float
    direction: str
    measure_id: str
    status: str

    def passed(self, value: float | None) -> bool:
        """True when ``value`` (degrees) is past the bar; never for a missing value."""
        if value is None:
            return False
        return (
            value > self.threshold_deg if self.direction == "above" else value < self.threshold_deg
        )

    def target(self) -> dict[str, Any]:
        """The bar as the page shows it (strict JSON)."""
        return {
            "metric": self.metric,
            "threshold_deg": self.threshold_deg,
            "direction": self.direction,
            "measure_id": self.measure_id,
            "status": self.status,
            "words": self.words,
            "instruction": self.instruction,
        }


def live_cues(kb: KnowledgeBase) -> dict[FrontalMetric, LiveCue]:
    """The knowledge base's live cues by the metric they watch."""
    cues: dict[FrontalMetric, LiveCue] = {}
    for record in kb.guidance_of("live_cue"):
        assert record.video_metric is not None and record.cue_measure is not None  # schema
        measure = kb.measure(record.cue_measure)
        assert measure.value is not None and measure.direction is not None  # a threshold
        cues[record.video_metric] = LiveCue(
            cue_id=record.id,
            metric=record.video_metric,
            words=record.title,
            instruction=record.text,
            threshold_deg=float(measure.value),
            direction=measure.direction,
            measure_id=measure.id,
            status=measure.status.value,
        )
    return cues
