"""A :class:`~hipfirst.video.types.PoseEstimator` that replays given landmarks (the model's fake).

It tests the logic around the model (tracking checks, events, quality) with
landmarks whose angles are known, without pretending to be the model; the
real model (:class:`hipfirst.video_io.pose.MediaPipePose`) runs end to end on
real videos in other tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from hipfirst.video.types import Frame, PoseFrame


class ScriptedPose:
    """Replays landmark arrays ``(n, 33, 2)`` given in pixels; NaN rows mean 'no person'."""

    def __init__(
        self, xy: np.ndarray[Any, Any], visibility: Sequence[float] | np.ndarray[Any, Any] = ()
    ) -> None:
        self.name = "scripted"
        self._xy = np.asarray(xy, dtype=np.float64)
        vis = np.asarray(visibility, dtype=np.float64)
        self._visibility = vis if vis.size else np.ones(self._xy.shape[:2])

    def estimate(self, frame: Frame, size: tuple[int, int]) -> PoseFrame:
        xy = self._xy[frame.index]
        if np.all(np.isnan(xy)):
            return PoseFrame.empty(frame.index, frame.time_s)
        visibility = self._visibility[frame.index]
        return PoseFrame(
            frame.index, frame.time_s, xy.copy(), visibility.copy(), visibility.copy(), True
        )

    def close(self) -> None:
        return None
