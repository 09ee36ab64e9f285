"""Video movement analysis: FPPA, hip adduction, pelvic drop and trunk lean from a phone video.

Stages: ``decode`` (I/O) → ``pose`` (model) → ``person`` (one tracked person)
→ ``signal`` (gap filling, filtering) → ``kinematics`` (angles) → ``events``
(reps/steps) → ``quality`` → ``summary``; ``pipeline`` orchestrates and writes.
Importing this package is cheap: the pose model loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hipfirst.knowledge.vocabulary import VideoTask
from hipfirst.video.types import AnalysisResult, VideoSummary

__all__ = ["AnalysisResult", "VideoSummary", "VideoTask", "analyze_video"]

if TYPE_CHECKING:
    from hipfirst.video.pipeline import analyze_video


def __getattr__(name: str) -> Any:
    if name == "analyze_video":
        from hipfirst.video.pipeline import analyze_video

        return analyze_video
    raise AttributeError(f"module 'hipfirst.video' has no attribute {name!r}")
