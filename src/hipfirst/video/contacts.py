"""Which foot is on the ground, frame by frame, from the foot landmarks (ankle, heel, toe).

Pure functions on filtered, levelled landmarks ``(n, 33, 2)`` (image pixels, y down;
levelled = turned upright for the camera's roll, :mod:`hipfirst.video.camera_level`).
Distances are in leg lengths, speeds in leg lengths per second, so nothing depends on
the picture's size. The parameters are the ``contacts`` section of ``settings.yaml``
(:class:`~hipfirst.video.settings.ContactSettings`).

The *foot point* is the mean of the ankle, heel and toe (foot index) landmarks seen in
a frame, after a short running median that removes single-frame glitches.

**Standing tasks** (balance, squat, step-down), :func:`standing_contacts`. A foot on
the ground carries weight and does not move, in any camera view; a foot in the air
moves, or is held above where it stood. So, per foot:

- it comes *down* when it has been still for ``settle_s`` and in at least
  ``settle_min_frames`` pictures — long enough that the turnaround of a swing or a tap
  is not a contact — unless it is *held up*. Still means slower than ``still_speed``
  *and* moved less than ``still_step`` since the picture before: a planted foot's
  landmarks jitter by about the same distance per picture whatever the frame rate, so
  at a few pictures a second a swinging foot that covers a tenth of a leg between two
  pictures is not taken for a still one. Held up: above both its own last ground level
  and the other foot's by ``lift_fraction`` (before it was ever down: above the other
  foot), in a front or back view; in other views only with the knee bent
  (``bent_knee_ratio``);
- it goes *off* when it has moved ``release_fraction`` from where it stood, and stays
  away for at least ``min_off_s`` (a shorter excursion that comes back is a landmark
  glitch, e.g. while the other leg passes in front of it); the foot-off is dated back
  to the frame where it had moved half that distance.

A foot lost for at most ``bridge_max_frames`` pictures, in the same state either side
(and, if down, the same contact), keeps that state: at a few pictures a second the
landmark filter cannot fill the gap, and one lost picture must not split a hold.

Image height alone cannot tell lifted from standing in an oblique view: a foot
placed further from the camera looks higher. That is why movement, not height, ends
a contact, and height only keeps a still foot in the air.

**Running**, :func:`running_contacts`: a foot is down while it is within
``ground_band_fraction`` of its lowest position over ``ground_window_s`` (the
stance foot moves with a treadmill belt, so stillness does not apply).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from hipfirst.knowledge.vocabulary import SIDES, Side, other_side
from hipfirst.video.landmarks import ANKLE, HIP, KNEE, Landmark
from hipfirst.video.settings import ContactSettings
from hipfirst.video.types import BoolArray, FloatArray

FOOT: dict[Side, tuple[Landmark, ...]] = {
    side: (ANKLE[side], Landmark[f"{side.upper()}_HEEL"], Landmark[f"{side.upper()}_FOOT_INDEX"])
    for side in SIDES
}
"""The landmarks whose mean is a foot's point."""


@dataclass(frozen=True)
class FootContacts:
    """Per frame and foot: ``down`` on the ground; ``seen`` the foot was found (or lost for
    a few pictures between two in the same state)."""

    down: dict[Side, BoolArray]
    seen: dict[Side, BoolArray]

    def support(self) -> list[Side | None]:
        """The leg carrying the body alone per frame (single-leg support), else None."""
        result: list[Side | None] = []
        for index in range(self.down["left"].shape[0]):
            seen = self.seen["left"][index] and self.seen["right"][index]
            left, right = bool(self.down["left"][index]), bool(self.down["right"][index])
            result.append(("left" if left else "right") if seen and left != right else None)
        return result

    def flight(self) -> BoolArray:
        """Frames where both feet were seen and neither was on the ground."""
        return np.asarray(
            self.seen["left"] & self.seen["right"] & ~self.down["left"] & ~self.down["right"]
        )

    def double(self) -> BoolArray:
        """Frames with both feet on the ground."""
        return np.asarray(self.down["left"] & self.down["right"])


def frames_for(seconds: float, time_s: FloatArray) -> int:
    """How many frames last ``seconds`` at this video's median frame interval (at least 1)."""
    if time_s.size < 2:
        return 1
    return max(1, round(seconds / float(np.median(np.diff(time_s)))))


def foot_point(xy: FloatArray, side: Side) -> FloatArray:
    """Mean of the ankle, heel and toe seen in each frame, ``(n, 2)`` (NaN when none)."""
    points = xy[:, list(FOOT[side])]
    seen = np.all(np.isfinite(points), axis=2)
    count = seen.sum(axis=1)
    total = np.where(seen[..., None], points, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count[:, None] > 0, total / count[:, None], np.nan)


def running_median(points: FloatArray, frames: int) -> FloatArray:
    """Centred running median over ``frames`` (odd) samples, ignoring NaN; NaN stays NaN."""
    if frames <= 1 or points.shape[0] < 3:
        return points.copy()
    half = frames // 2
    edge = np.full((half, *points.shape[1:]), np.nan)
    padded = np.concatenate([edge, points, edge])
    windows = np.stack([padded[k : k + points.shape[0]] for k in range(2 * half + 1)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows stay NaN
        result = np.nanmedian(windows, axis=0)
    return np.where(np.isfinite(points), result, np.nan)


def knee_straightness(xy: FloatArray, side: Side) -> FloatArray:
    """Hip→ankle distance / (thigh + shank) per frame: 1 = straight leg, lower = bent knee."""
    hip, knee, ankle = xy[:, HIP[side]], xy[:, KNEE[side]], xy[:, ANKLE[side]]
    chain = np.linalg.norm(knee - hip, axis=1) + np.linalg.norm(ankle - knee, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.linalg.norm(ankle - hip, axis=1) / chain)


def _steps(points: FloatArray, leg_px: float) -> FloatArray:
    """Distance moved since the picture before, in leg lengths (first frame: the second's)."""
    step = np.full(points.shape[0], np.nan)
    if points.shape[0] >= 2:
        step[1:] = np.linalg.norm(np.diff(points, axis=0), axis=1) / leg_px
        step[0] = step[1]
    return step


def _speeds(points: FloatArray, time_s: FloatArray, leg_px: float) -> FloatArray:
    """Backward-difference speed in leg lengths per second (first frame: the second's)."""
    speed = np.full(points.shape[0], np.nan)
    if points.shape[0] >= 2:
        dt = np.maximum(np.diff(time_s), 1e-6)
        speed[1:] = _steps(points, leg_px)[1:] / dt
        speed[0] = speed[1]
    return speed


class _Foot:
    """One foot's state while :func:`standing_contacts` walks through the frames."""

    def __init__(self, points: FloatArray, still: BoolArray, bent: BoolArray) -> None:
        self.points = points
        self.still = still
        self.bent = bent
        self.down = np.zeros(points.shape[0], dtype=bool)
        self.came_down = np.zeros(points.shape[0], dtype=bool)  # a contact begins here
        self.is_down = False
        self.anchor: FloatArray | None = None
        self.level: float | None = None  # image y of where it last stood

    def distance(self, index: int) -> float:
        if self.anchor is None or not np.all(np.isfinite(self.points[index])):
            return 0.0
        return float(np.linalg.norm(self.points[index] - self.anchor))


def standing_contacts(
    xy: FloatArray,
    time_s: FloatArray,
    leg_px: float,
    settings: ContactSettings,
    *,
    frontal: bool,
) -> FootContacts:
    """Feet on the ground in a standing task (see the module doc).

    ``frontal``: the camera sees the body from the front or the back, so a foot higher
    in the picture than the other is higher off the floor.
    """
    n = xy.shape[0]
    median = max(frames_for(settings.median_s, time_s), settings.median_min_frames) | 1
    feet: dict[Side, _Foot] = {}
    seen: dict[Side, BoolArray] = {}
    for side in SIDES:
        points = running_median(foot_point(xy, side), median)
        seen[side] = np.all(np.isfinite(points), axis=1)
        slow = np.nan_to_num(_speeds(points, time_s, leg_px), nan=np.inf) < settings.still_speed
        near = np.nan_to_num(_steps(points, leg_px), nan=np.inf) < settings.still_step
        still = slow & near
        bent = np.nan_to_num(knee_straightness(xy, side), nan=1.0) < settings.bent_knee_ratio
        feet[side] = _Foot(points, still, bent)
    if not np.isfinite(leg_px) or leg_px <= 0:
        return FootContacts({s: np.zeros(n, dtype=bool) for s in SIDES}, seen)
    settle = max(frames_for(settings.settle_s, time_s), settings.settle_min_frames)
    min_off = max(frames_for(settings.min_off_s, time_s), settings.min_off_min_frames)
    release = settings.release_fraction * leg_px
    lift = settings.lift_fraction * leg_px
    for index in range(n):
        # the lower foot first: before any contact, the lower one is the one standing
        order = sorted(SIDES, key=lambda s: -np.nan_to_num(feet[s].points[index, 1], nan=-1e9))
        for side in order:
            foot, other = feet[side], feet[other_side(side)]
            if not seen[side][index]:
                foot.down[index] = foot.is_down
                continue
            if foot.is_down:
                if foot.distance(index) > release and not _returns(foot, index, release, min_off):
                    _lift_off(foot, index, release / 2)
                foot.down[index] = foot.is_down
                continue
            if _settles(foot, index, settle) and not _held_up(foot, other, index, lift, frontal):
                foot.is_down = True
                foot.came_down[index] = True
                foot.anchor = foot.points[index].copy()
                foot.level = float(foot.anchor[1])
            foot.down[index] = foot.is_down
    for side in SIDES:
        _bridge_gaps(feet[side], seen[side], settings.bridge_max_frames)
    return FootContacts({side: feet[side].down for side in SIDES}, seen)


def _bridge_gaps(foot: _Foot, seen: BoolArray, longest: int) -> None:
    """A foot lost for at most ``longest`` pictures, in the same state either side (down: the
    same contact), is taken as seen in that state (in place). Above a few frames a second
    the landmark filter has already filled such a gap; below, it must not split a hold."""
    contact = np.cumsum(foot.came_down)  # which contact each frame belongs to
    for first, last in runs(~seen):
        before, after = first - 1, last + 1
        if before < 0 or after >= seen.shape[0] or last - first + 1 > longest:
            continue
        same = foot.down[before] == foot.down[after]
        if same and foot.down[before]:
            same = bool(contact[before] == contact[after])
        if same:
            seen[first:after] = True
            foot.down[first:after] = foot.down[before]


def _returns(foot: _Foot, index: int, release: float, min_off: int) -> bool:
    """Does the excursion starting at ``index`` come back within ``min_off`` frames?"""
    last = min(foot.points.shape[0], index + min_off + 1)
    return any(foot.distance(ahead) <= release for ahead in range(index + 1, last))


def _lift_off(foot: _Foot, index: int, half_release: float) -> None:
    """The foot left the ground: off from where it had first moved half the release."""
    start = index
    while start > 0 and foot.down[start - 1] and foot.distance(start - 1) > half_release:
        start -= 1
    foot.down[start:index] = False
    foot.is_down = False
    foot.anchor = None


def _settles(foot: _Foot, index: int, settle: int) -> bool:
    window = foot.still[index : index + settle]
    return bool(window.size == settle and window.all())


def _held_up(foot: _Foot, other: _Foot, index: int, lift: float, frontal: bool) -> bool:
    """Is this still foot held in the air rather than standing (see the module doc)?"""
    y = float(foot.points[index, 1])
    other_level = other.level
    if other.is_down and other.anchor is not None:
        other_level = float(other.anchor[1])
    if foot.level is None:
        higher = other_level is not None and y < other_level - lift
        return bool(higher and (foot.bent[index] or frontal))
    above = y < foot.level - lift and (other_level is None or y < other_level - lift)
    # in an oblique view a foot set down further from the camera is higher in the picture
    # too: there only a bent knee says the foot is held up
    return bool(above and (frontal or foot.bent[index]))


def running_contacts(
    xy: FloatArray, time_s: FloatArray, leg_px: float, settings: ContactSettings
) -> FootContacts:
    """Feet on the ground while running (see the module doc)."""
    n = xy.shape[0]
    window = frames_for(settings.ground_window_s, time_s)
    down: dict[Side, BoolArray] = {}
    seen: dict[Side, BoolArray] = {}
    for side in SIDES:
        points = foot_point(xy, side)
        y = points[:, 1]
        seen[side] = np.isfinite(y)
        lowest = np.full(n, np.nan)
        for index in range(n):
            span = y[max(0, index - window // 2) : index + window // 2 + 1]
            if np.isfinite(span).any():
                lowest[index] = np.nanmax(span)
        with np.errstate(invalid="ignore"):
            down[side] = np.asarray(
                seen[side] & (y >= lowest - settings.ground_band_fraction * leg_px)
            )
    return FootContacts(down, seen)


def runs(mask: BoolArray) -> list[tuple[int, int]]:
    """``(first, last)`` frame of every run of True in ``mask``."""
    padded = np.concatenate(([False], np.asarray(mask, dtype=bool), [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(edges[k]), int(edges[k + 1]) - 1) for k in range(0, edges.size, 2)]
