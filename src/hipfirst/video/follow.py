"""Stay on the subject when the pose tracker drifts onto someone else.

MediaPipe's tracker follows one person and, when it loses them (a fast or
unusual movement, an occlusion), re-detects on the whole frame and may lock
onto another person. :class:`SubjectFollower` wraps the tracker: while the
landmarks stay continuous with the subject's last good pose (the same test as
:func:`hipfirst.video.person.continues`), nothing changes and nothing extra
runs. After a drift or a loss it runs a second tracker on a crop around the
subject's last good bounding box (expanded by a margin, clipped to the
frame) and accepts the crop's pose only if it continues the subject's track;
the recovery ends as soon as the main tracker is back on the subject, and it
gives up ``reacquire_for_s`` seconds after the last good pose (the subject's
position is then unknown). Nothing is kept but one pose, so it streams.

Pure like every stage: the models are :class:`~hipfirst.video.types.PoseEstimator`
objects given to it; the box, crop and mapping helpers are pixel arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from hipfirst.video.person import continues
from hipfirst.video.settings import TrackingSettings
from hipfirst.video.types import FloatArray, Frame, PoseEstimator, PoseFrame

Box = tuple[int, int, int, int]
"""``(x0, y0, x1, y1)`` pixel box, ``x1``/``y1`` exclusive."""


def crop_box(xy: FloatArray, frame_size: tuple[int, int], margin: float) -> Box | None:
    """The landmarks' bounding box grown by ``margin`` × its larger side, clipped to the frame.

    ``xy``: ``(33, 2)`` pixels; ``frame_size`` = (width, height). None when no
    landmark is finite or the clipped box is empty.
    """
    points = xy[np.all(np.isfinite(xy), axis=1)]
    if points.size == 0:
        return None
    low, high = points.min(axis=0), points.max(axis=0)
    pad = float(np.max(high - low)) * margin
    width, height = frame_size
    x0 = int(np.clip(np.floor(low[0] - pad), 0, width))
    y0 = int(np.clip(np.floor(low[1] - pad), 0, height))
    x1 = int(np.clip(np.ceil(high[0] + pad), 0, width))
    y1 = int(np.clip(np.ceil(high[1] + pad), 0, height))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    return x0, y0, x1, y1


def scale_box(box: Box, factor: tuple[float, float], frame_size: tuple[int, int]) -> Box:
    """``box`` in the pixels of a picture resized by ``factor`` = (sx, sy), clipped."""
    sx, sy = factor
    width, height = frame_size
    return (
        int(np.clip(np.floor(box[0] * sx), 0, width)),
        int(np.clip(np.floor(box[1] * sy), 0, height)),
        int(np.clip(np.ceil(box[2] * sx), 0, width)),
        int(np.clip(np.ceil(box[3] * sy), 0, height)),
    )


def from_crop(xy_crop: FloatArray, box: Box) -> FloatArray:
    """Landmarks found in the crop ``box`` (its own pixels) as full-frame pixels."""
    return xy_crop + np.array([box[0], box[1]], dtype=np.float64)


class SubjectFollower:
    """A :class:`PoseEstimator` that re-acquires the subject after the tracker drifts.

    ``main``: the tracking-mode model on full frames. ``make_crop_model``
    builds a fresh tracking-mode model for each recovery (closed when it ends);
    on a video where the tracker never drifts it is never built. ``settings``
    is the ``tracking`` section of ``settings.yaml``: the continuity test of
    person selection, the crop margin (``reacquire_margin`` × the box's larger
    side on every side) and the recovery window (``reacquire_for_s``).
    ``recoveries`` counts recovery episodes and ``recovered`` the frames whose
    pose came from a crop.
    """

    def __init__(
        self,
        main: PoseEstimator,
        make_crop_model: Callable[[], PoseEstimator],
        settings: TrackingSettings,
    ) -> None:
        self.name = main.name
        self._main = main
        self._make_crop_model = make_crop_model
        self._settings = settings
        self._crop_model: PoseEstimator | None = None
        self._last: PoseFrame | None = None  # the subject's last good pose (display pixels)
        self.recoveries = 0
        self.recovered = 0

    def _continues(self, pose: PoseFrame) -> bool:
        last = self._last
        if last is None or not pose.detected:
            return False
        return continues(last.xy, last.time_s, pose.xy, pose.time_s, self._settings)

    def _end_recovery(self) -> None:
        if self._crop_model is not None:
            self._crop_model.close()
            self._crop_model = None

    def estimate(self, frame: Frame, size: tuple[int, int]) -> PoseFrame:
        pose = self._main.estimate(frame, size)
        last = self._last
        if last is None or self._continues(pose):
            if pose.detected:
                self._last = pose
            self._end_recovery()
            return pose
        if frame.time_s - last.time_s > self._settings.reacquire_for_s:
            self._end_recovery()  # the subject is gone: whoever is found now starts afresh
            self._last = pose if pose.detected else None
            return pose
        found = self._from_crop(frame, size, last)
        if found is not None and self._continues(found):
            self._last = found
            self.recovered += 1
            return found
        return pose

    def _from_crop(self, frame: Frame, size: tuple[int, int], last: PoseFrame) -> PoseFrame | None:
        height, width = frame.image.shape[:2]
        display_box = crop_box(last.xy, size, self._settings.reacquire_margin)
        if display_box is None:
            return None
        factor = (width / size[0], height / size[1])
        box = scale_box(display_box, factor, (width, height))
        if box[2] - box[0] < 2 or box[3] - box[1] < 2:
            return None
        if self._crop_model is None:
            self._crop_model = self._make_crop_model()
            self.recoveries += 1
        image = np.ascontiguousarray(frame.image[box[1] : box[3], box[0] : box[2]])
        crop_size = (box[2] - box[0], box[3] - box[1])
        found = self._crop_model.estimate(Frame(frame.index, frame.time_s, image), crop_size)
        if not found.detected:
            return None
        xy_model = from_crop(found.xy, box)
        return replace(found, xy=xy_model / np.array(factor))

    def close(self) -> None:
        self._end_recovery()
        self._main.close()
