"""Per-side movement metrics read from a ``hipfirst analyze`` summary (pure data).

Angles are in degrees. Each metric carries the flag threshold the video
engineer's summary applied (with its knowledge-base measure id, status and
sources), so the assessment engine never re-derives a video threshold.
A metric with ``valid = False`` is doubtful: shown, never used as evidence.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hipfirst.knowledge.vocabulary import FrontalMetric, Side, VideoTask


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class VideoThreshold(_Frozen):
    """The cut-off the video analysis compared the mean against."""

    measure_id: str
    value: float | None = None
    unit: str = "deg"
    direction: Literal["above", "below"] | None = None
    status: str
    sources: list[str] = Field(default_factory=list)
    description: str | None = None

    def describe(self) -> str:
        """``> 13.5 deg``; the summary's own description when it gives one."""
        if self.description:
            return self.description
        sign = {"above": "> ", "below": "< "}.get(self.direction or "", "")
        value = "?" if self.value is None else f"{self.value:g}"
        return f"{sign}{value} {self.unit}"


class MetricSummary(_Frozen):
    mean: float | None = None
    sd: float | None = None
    n: int = 0
    valid: bool = False
    reason: str = ""
    flagged: bool | None = None
    threshold: VideoThreshold | None = None


class VideoMetrics(_Frozen):
    """One analysed video: its task, per-side metric summaries and quality."""

    source: str = Field(description="where the summary was read from, for messages")
    task: VideoTask
    per_side: dict[Side, dict[FrontalMetric, MetricSummary]] = Field(default_factory=dict)
    quality_valid: bool = True
    warnings: list[str] = Field(default_factory=list)
    cadence_steps_per_min: float | None = Field(
        default=None, gt=0, description="running videos: steps per minute over the clip"
    )
