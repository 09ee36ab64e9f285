"""How far the camera was rolled from level, from the scene's vertical lines.

A phone held askew rotates the whole picture, and every frontal-plane angle
measured against the image axes (pelvic drop, trunk lean) takes the roll with
it. Walls, door frames, poles and window edges are vertical in the world; in
the picture they meet at one point, the *vertical vanishing point* (far away, or
at infinity, when the camera is level in pitch). The direction from the
principal point (taken as the image centre) towards that point is the image of
the world's vertical there, and its angle from the image's vertical is the roll.
Its sign follows :class:`~hipfirst.video.types.CameraRoll`: positive when a true
vertical leans to the right at the top (the picture rotated clockwise).

How (:func:`estimate_roll`):

1. OpenCV's line segment detector (LSD) on a few grey frames downscaled to
   :data:`MAX_SIDE_PX`, spread over the video (:class:`RollSampler`), the subject's
   box masked out (limbs are lines that move);
2. segments at least :data:`MIN_LENGTH_FRACTION` of the image diagonal long and
   within :data:`MAX_LEAN_DEG` of vertical;
3. vanishing points by sequential RANSAC (pairs of segments, consensus = total
   length of segments pointing at the point within :data:`INLIER_DEG`), each
   refitted by least squares on its segments;
4. the vertical one is the best-supported candidate whose roll lies within
   :data:`PRIOR_TOLERANCE_DEG` of the subject's body axis (ankles to shoulders,
   median over the frames); floor lines and the edges of a table meet at
   vanishing points on the horizon, which this prior sets apart. Without a
   person the best-supported candidate is taken.

Limits: it needs straight vertical structure in the picture (a field or a
beach gives no estimate, reported as None); the principal point is assumed at
the image centre; a strongly tilted camera (pitch) makes verticals converge,
which the vanishing point handles, but lens distortion bends long lines.
The cost is a few tens of milliseconds per frame in a background thread.
"""

from __future__ import annotations

import math
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from hipfirst.video.landmarks import Landmark
from hipfirst.video.types import BoolArray, CameraRoll, FloatArray, Frame, ImageArray

MAX_SIDE_PX = 640
"""Frames are downscaled to this long side for the line detector."""
FRAMES = 6
"""Frames sampled per video, at the middle of equal parts of its duration (a static scene's
lines are found again in each, so its support adds up)."""
MIN_LENGTH_FRACTION = 0.04
"""Shortest segment used, as a fraction of the image diagonal."""
MAX_LEAN_DEG = 45.0
"""Segments leaning further from the image vertical are not candidates for a vertical."""
INLIER_DEG = 1.5
"""A segment supports a vanishing point when it points at it within this angle."""
MIN_LINES = 4
MIN_SUPPORT_FRACTION = 0.08
"""An estimate needs this many segments, totalling this fraction of the image height per
frame sampled."""
PRIOR_TOLERANCE_DEG = 20.0
"""The vertical vanishing point must lie within this of the subject's body axis."""
CANDIDATES = 4
RANSAC_ITERATIONS = 600
SUBJECT_MARGIN = 0.15
SOURCE = "scene lines"


@dataclass(frozen=True)
class _Segments:
    """Line segments of all sampled frames in one image size: endpoints ``(n, 4)``."""

    ends: FloatArray
    frame: npt.NDArray[np.int64]  # sampled frame number of each segment
    size: tuple[int, int]  # (width, height) of the downscaled frames


def _downscaled_grey(image: ImageArray) -> tuple[ImageArray, float]:
    height, width = image.shape[:2]
    factor = min(1.0, MAX_SIDE_PX / max(width, height))
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    if factor < 1.0:
        size = (max(1, round(width * factor)), max(1, round(height * factor)))
        grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    return np.asarray(grey, dtype=np.uint8), factor


def _subject_box(xy: FloatArray | None, factor: float, shape: tuple[int, int]) -> tuple[int, ...]:
    """The subject's landmark box (plus a margin) in the downscaled frame; empty when none."""
    if xy is None:
        return ()
    points = xy[np.all(np.isfinite(xy), axis=1)] * factor
    if points.size == 0:
        return ()
    low, high = points.min(axis=0), points.max(axis=0)
    pad = (high - low) * SUBJECT_MARGIN
    height, width = shape
    x0, y0 = np.clip(low - pad, 0, [width, height]).astype(int)
    x1, y1 = np.clip(high + pad, 0, [width, height]).astype(int)
    return int(x0), int(y0), int(x1), int(y1)


def detect_segments(
    image: ImageArray, subject_xy: FloatArray | None
) -> tuple[FloatArray, tuple[int, int]]:
    """LSD segments ``(n, 4)`` of one frame, downscaled, outside the subject's box.

    ``subject_xy``: the subject's landmarks ``(33, 2)`` in the frame's pixels (or None).
    Returns the segments and the downscaled (width, height).
    """
    grey, factor = _downscaled_grey(image)
    box = _subject_box(subject_xy, factor, (grey.shape[0], grey.shape[1]))
    if box:
        grey = grey.copy()
        grey[box[1] : box[3], box[0] : box[2]] = int(np.median(grey))
    found = cv2.createLineSegmentDetector().detect(grey)[0]
    ends = np.zeros((0, 4)) if found is None else np.asarray(found, dtype=np.float64).reshape(-1, 4)
    if box:  # the flat patch has no lines, but its border does
        ends = ends[~_touches_box(ends, box)]
    return ends, (grey.shape[1], grey.shape[0])


def _touches_box(ends: FloatArray, box: tuple[int, ...]) -> BoolArray:
    x0, y0, x1, y1 = (value + offset for value, offset in zip(box, (-2, -2, 2, 2), strict=True))
    inside = []
    for column in (0, 2):
        x, y = ends[:, column], ends[:, column + 1]
        inside.append((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
    return np.asarray(inside[0] | inside[1])


def _lean_deg(ends: FloatArray) -> FloatArray:
    """Each segment's angle from the image vertical, its upper end to the right positive."""
    dx, dy = ends[:, 2] - ends[:, 0], ends[:, 3] - ends[:, 1]
    sign = np.where(dy > 0, -1.0, 1.0)  # orient every segment upwards (y grows downwards)
    return np.asarray(np.degrees(np.arctan2(dx * sign, -dy * sign)))


def _misfit_deg(point: FloatArray, ends: FloatArray) -> FloatArray:
    """Angle between each segment and the line from its midpoint to ``point`` (homogeneous)."""
    direction = ends[:, 2:] - ends[:, :2]
    middle = (ends[:, 2:] + ends[:, :2]) / 2.0
    if abs(point[2]) <= 1e-12 * float(np.linalg.norm(point)):
        towards = np.broadcast_to(point[:2], middle.shape)
    else:
        towards = point[:2] / point[2] - middle
    cosine = np.abs(np.sum(towards * direction, axis=1)) / (
        np.linalg.norm(towards, axis=1) * np.linalg.norm(direction, axis=1) + 1e-12
    )
    return np.asarray(np.degrees(np.arccos(np.clip(cosine, 0.0, 1.0))))


def _misfits_deg(points: FloatArray, ends: FloatArray) -> FloatArray:
    """:func:`_misfit_deg` of many points ``(k, 3)`` at once: ``(k, n)`` degrees."""
    direction = ends[:, 2:] - ends[:, :2]
    middle = (ends[:, 2:] + ends[:, :2]) / 2.0
    scale = np.linalg.norm(points, axis=1)
    at_infinity = np.abs(points[:, 2]) <= 1e-12 * scale
    finite_w = np.where(at_infinity, 1.0, points[:, 2])
    towards = np.where(
        at_infinity[:, None, None],
        points[:, None, :2],
        points[:, None, :2] / finite_w[:, None, None] - middle[None],
    )
    dot = np.abs(np.sum(towards * direction[None], axis=2))
    norms = np.linalg.norm(towards, axis=2) * np.linalg.norm(direction, axis=1)[None] + 1e-12
    return np.asarray(np.degrees(np.arccos(np.clip(dot / norms, 0.0, 1.0))))


def _lines(ends: FloatArray) -> FloatArray:
    """Homogeneous lines through each segment, scaled so (a, b) is a unit normal."""
    ones = np.ones((ends.shape[0], 1))
    lines = np.cross(np.hstack([ends[:, :2], ones]), np.hstack([ends[:, 2:], ones]))
    return np.asarray(lines / np.linalg.norm(lines[:, :2], axis=1, keepdims=True))


def _refit(lines: FloatArray, weights: FloatArray) -> FloatArray:
    """The point nearest (weighted least squares) to every line: the smallest eigenvector."""
    moment = (lines * weights[:, None]).T @ lines
    return np.asarray(np.linalg.eigh(moment)[1][:, 0])


def roll_of(point: FloatArray, size: tuple[int, int]) -> float:
    """Roll (degrees) implied by a vertical vanishing point ``point`` (homogeneous)."""
    centre = np.array([size[0] / 2.0, size[1] / 2.0])
    if abs(point[2]) <= 1e-9 * float(np.linalg.norm(point)):
        up = point[:2].copy()
    else:
        up = point[:2] / point[2] - centre
    if up[1] > 0:
        up = -up  # the direction pointing up the picture
    return math.degrees(math.atan2(float(up[0]), float(-up[1])))


@dataclass(frozen=True)
class _Candidate:
    point: FloatArray
    inliers: BoolArray
    support: float
    roll_deg: float


def _candidates(segments: _Segments, length: FloatArray) -> list[_Candidate]:
    """Up to :data:`CANDIDATES` vanishing points, best supported first (sequential RANSAC)."""
    lines = _lines(segments.ends)
    rng = np.random.default_rng(0)  # the same answer on every run
    alive = np.ones(length.shape[0], dtype=bool)
    found: list[_Candidate] = []
    for _ in range(CANDIDATES):
        pool = np.flatnonzero(alive)
        if pool.size < 2:
            break
        chance = length[pool] / length[pool].sum()
        first = rng.choice(pool, RANSAC_ITERATIONS, p=chance)
        second = rng.choice(pool, RANSAC_ITERATIONS, p=chance)
        points = np.cross(lines[first], lines[second])
        points = points[(first != second) & np.any(points != 0, axis=1)]
        if points.shape[0] == 0:
            break
        # every hypothesis at once: the support of each is the length of the live
        # segments pointing at it
        supports = ((_misfits_deg(points, segments.ends) < INLIER_DEG) & alive) @ length
        best, best_support = points[int(np.argmax(supports))], float(np.max(supports))
        if best_support <= 0:
            break
        inliers = alive & (_misfit_deg(best, segments.ends) < INLIER_DEG)
        point = _refit(lines[inliers], length[inliers])
        found.append(_Candidate(point, inliers, best_support, roll_of(point, segments.size)))
        alive &= ~inliers
    return found


def body_axis_lean_deg(xy: FloatArray) -> float | None:
    """Median lean of the subject's ankles-to-shoulders axis from the image vertical (degrees).

    ``xy``: landmarks ``(n, 33, 2)``; None when no frame has both ankles and shoulders.
    """
    ankles = (xy[:, Landmark.LEFT_ANKLE] + xy[:, Landmark.RIGHT_ANKLE]) / 2.0
    shoulders = (xy[:, Landmark.LEFT_SHOULDER] + xy[:, Landmark.RIGHT_SHOULDER]) / 2.0
    up = shoulders - ankles
    usable = np.all(np.isfinite(up), axis=1) & (up[:, 1] < 0)
    if not np.any(usable):
        return None
    return float(np.median(np.degrees(np.arctan2(up[usable, 0], -up[usable, 1]))))


@dataclass(frozen=True)
class VanishingPoints:
    """The candidate vanishing points of the sampled frames' near-vertical segments."""

    segments: _Segments
    length: FloatArray
    candidates: tuple[_Candidate, ...]
    sampled: int


def vanishing_points(segments: _Segments) -> VanishingPoints:
    """Steps 2 and 3 of the module doc: keep near-vertical long segments, find the points."""
    ends = segments.ends
    width, height = segments.size
    length = np.hypot(ends[:, 2] - ends[:, 0], ends[:, 3] - ends[:, 1])
    keep = (np.abs(_lean_deg(ends)) < MAX_LEAN_DEG) & (
        length >= MIN_LENGTH_FRACTION * math.hypot(width, height)
    )
    kept = _Segments(ends[keep], segments.frame[keep], segments.size)
    found = tuple(_candidates(kept, length[keep])) if ends.shape[0] else ()
    sampled = max(1, int(np.unique(segments.frame).size))
    return VanishingPoints(kept, length[keep], found, sampled)


def choose_roll(points: VanishingPoints, body_lean_deg: float | None) -> CameraRoll | None:
    """Step 4: the vertical vanishing point among the candidates, as a roll (or None)."""
    height = points.segments.size[1]

    def fits_the_body(roll_deg: float) -> bool:
        return body_lean_deg is None or abs(roll_deg - body_lean_deg) <= PRIOR_TOLERANCE_DEG

    plausible = [
        candidate
        for candidate in points.candidates
        if abs(candidate.roll_deg) <= MAX_LEAN_DEG
        and fits_the_body(candidate.roll_deg)
        and int(candidate.inliers.sum()) >= MIN_LINES
        and candidate.support >= MIN_SUPPORT_FRACTION * height * points.sampled
    ]
    if not plausible:
        return None
    chosen = max(plausible, key=lambda candidate: candidate.support)
    return CameraRoll(
        degrees=round(chosen.roll_deg, 2),
        source=SOURCE,
        lines=int(chosen.inliers.sum()),
        spread_deg=_spread_over_frames(points.segments, points.length, chosen),
    )


def estimate_roll(segments: _Segments, body_lean_deg: float | None) -> CameraRoll | None:
    """The camera roll from the segments of the sampled frames (see the module doc)."""
    return choose_roll(vanishing_points(segments), body_lean_deg)


def _spread_over_frames(
    segments: _Segments, length: FloatArray, chosen: _Candidate
) -> float | None:
    """Robust spread (1.4826 × MAD, degrees) of the roll refitted on each frame's own lines."""
    lines = _lines(segments.ends)
    rolls = []
    for frame in np.unique(segments.frame[chosen.inliers]):
        mine = chosen.inliers & (segments.frame == frame)
        if int(mine.sum()) >= 2:
            rolls.append(roll_of(_refit(lines[mine], length[mine]), segments.size))
    if len(rolls) < 2:
        return None
    values = np.asarray(rolls)
    return round(float(1.4826 * np.median(np.abs(values - np.median(values)))), 2)


class RollSampler:
    """Takes :data:`FRAMES` frames as they stream past and finds their line segments.

    ``duration_s``: the video's length (from its header; 0 for a still image,
    whose single frame is then taken). The detector runs in a background thread,
    so the pose loop does not wait for it; :meth:`result` waits for the last frame.
    """

    def __init__(self, duration_s: float, frames: int = FRAMES) -> None:
        if duration_s > 0:
            self._due = [duration_s * (k + 0.5) / frames for k in range(frames)]
        else:
            self._due = [0.0]
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hipfirst-roll")
        self._found: list[Future[tuple[FloatArray, tuple[int, int]]]] = []
        self._points: Future[VanishingPoints | None] | None = None

    def visit(self, frame: Frame, subject_xy: FloatArray | None) -> None:
        """Sample ``frame`` when it is the next one due; ``subject_xy`` in its pixels.

        After the last frame due, the vanishing points are found in the same thread,
        so :meth:`result` has only to choose among them.
        """
        if not self._due or frame.time_s + 1e-9 < self._due[0]:
            return
        self._due.pop(0)
        image = frame.image  # frames are never changed after decoding, so no copy is needed
        self._found.append(self._pool.submit(detect_segments, image, subject_xy))
        if not self._due:
            self._points = self._pool.submit(self._vanishing_points)

    def _vanishing_points(self) -> VanishingPoints | None:
        detected = [future.result() for future in self._found]  # done: one worker, in order
        if not detected:
            return None
        size = detected[0][1]
        parts = [(ends, number) for number, (ends, own) in enumerate(detected) if own == size]
        segments = _Segments(
            np.concatenate([ends for ends, _ in parts]),
            np.concatenate([np.full(ends.shape[0], number) for ends, number in parts]),
            size,
        )
        return vanishing_points(segments)

    def result(self, body_lean_deg: float | None) -> CameraRoll | None:
        """The roll estimate from the frames sampled (None when there is too little to go on)."""
        try:
            if self._points is None:  # the video ended before the last frame due
                self._points = self._pool.submit(self._vanishing_points)
            points = self._points.result()
        finally:
            self._pool.shutdown(wait=True)
        return None if points is None else choose_roll(points, body_lean_deg)

    def close(self) -> None:
        """Stop without a result (the analysis failed)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
