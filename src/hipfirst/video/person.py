"""Keep one person: the one performing the task, never silently another.

MediaPipe's pose solution follows a single person; when it loses that person
it re-detects and may lock onto someone else. We cannot see identities, so we
infer them from continuity (the parameters named below are the ``tracking``
section of ``settings.yaml``, :class:`~hipfirst.video.settings.TrackingSettings`):

1. **Segments.** Consecutive tracked frames belong to one segment while the
   hip centre moves less than ``max_jump_torso_per_frame`` torso lengths plus
   ``max_jump_torso_per_s`` torso lengths per second of elapsed time, and the
   torso length changes by less than ``max_scale_ratio``. A larger step is an
   *identity jump* and starts a new segment.
2. **Identities.** A new segment continues an earlier identity when its start
   is reachable from where that identity was last seen at the same plausible
   speed; otherwise it is a new identity (a new person).
3. **Selection.** The identity with the highest score (frames tracked × mean
   body height × closeness to the image centre) is the performer; frames of
   every other identity are marked invalid (their values are not used).

People counted this way are those the tracker actually locked onto. A person
standing in the background that the tracker never picked is found by
:class:`PeopleCounter`, which, every ``recount_every_s`` seconds, blanks out the tracked
person and runs a single-image detection on the rest of the frame.

Limitations: two people crossing closely, or a switch to someone standing at the
same spot and size, cannot be told from continuity alone; a fast genuine
movement (a jump landing) can look like a jump between people, and then the
frames after it are treated as a separate track (invalid, never mixed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from hipfirst.video.landmarks import Landmark
from hipfirst.video.settings import TrackingSettings
from hipfirst.video.types import BoolArray, FloatArray, Frame, ImageArray, PoseEstimator

MIN_PERSON_S = 0.2
MIN_PERSON_FRAMES = 3
"""An identity tracked for less time or in fewer frames is a detector glitch, not a person."""


@dataclass(frozen=True)
class TrackSelection:
    """Which frames show the performer, and how many people were seen."""

    identity: npt.NDArray[np.int64]  # identity number per frame, -1 untracked
    selected: BoolArray
    jumps: tuple[int, ...]
    identities: int
    chosen: int

    @property
    def tracking_fraction(self) -> float:
        return float(np.mean(self.selected)) if self.selected.size else 0.0


def hip_centre(xy: FloatArray) -> FloatArray:
    """Mid-hip point per frame, ``(n, 2)`` from landmarks ``(n, 33, 2)``."""
    return (xy[:, Landmark.LEFT_HIP] + xy[:, Landmark.RIGHT_HIP]) / 2.0


def torso_length(xy: FloatArray) -> FloatArray:
    """Mid-shoulder to mid-hip distance per frame in pixels (NaN when not tracked)."""
    shoulders = (xy[:, Landmark.LEFT_SHOULDER] + xy[:, Landmark.RIGHT_SHOULDER]) / 2.0
    return np.asarray(np.linalg.norm(shoulders - hip_centre(xy), axis=1), dtype=np.float64)


def body_height(xy: FloatArray) -> FloatArray:
    """Vertical extent of the landmarks per frame in pixels (NaN when not tracked)."""
    with np.errstate(invalid="ignore"):
        tracked = ~np.all(np.isnan(xy[:, :, 1]), axis=1)
        heights = np.full(xy.shape[0], np.nan)
        heights[tracked] = np.nanmax(xy[tracked, :, 1], axis=1) - np.nanmin(
            xy[tracked, :, 1], axis=1
        )
    return heights


def _same_person(
    distance_px: float,
    dt_s: float,
    ref_torso_px: float,
    torso_px: float,
    settings: TrackingSettings,
) -> bool:
    """Continuity: the hip centre moved less than the per-frame plus per-second allowance
    (in torso lengths of the reference pose) and the torso length changed less than
    ``max_scale_ratio``."""
    allowance = settings.max_jump_torso_per_frame + settings.max_jump_torso_per_s * max(dt_s, 0.0)
    ratio = max(torso_px, 1.0) / max(ref_torso_px, 1.0)
    return (
        distance_px <= allowance * max(ref_torso_px, 1.0)
        and (1.0 / settings.max_scale_ratio) <= ratio <= settings.max_scale_ratio
    )


def continues(
    last_xy: FloatArray,
    last_time_s: float,
    xy: FloatArray,
    time_s: float,
    settings: TrackingSettings,
) -> bool:
    """Whether pose ``xy`` (33, 2) can be the person last seen as ``last_xy``.

    The continuity test :func:`select_person` uses between consecutive tracked frames
    (see :func:`_same_person`), with the ``tracking`` section of ``settings.yaml``.
    """
    centres = hip_centre(np.stack([last_xy, xy]))
    torsos = torso_length(np.stack([last_xy, xy]))
    if not np.all(np.isfinite(centres)):
        return False
    ref = float(torsos[0]) if np.isfinite(torsos[0]) else 1.0
    current = float(torsos[1]) if np.isfinite(torsos[1]) else 1.0
    distance = float(np.linalg.norm(centres[1] - centres[0]))
    return _same_person(distance, time_s - last_time_s, ref, current, settings)


def identities(
    xy: FloatArray, time_s: FloatArray, settings: TrackingSettings
) -> tuple[npt.NDArray[np.int64], tuple[int, ...], int]:
    """Identity number per frame (-1 untracked), the identity jumps, the number of identities.

    Steps 1 and 2 of the module doc: continuity within a segment, and a new segment
    continuing an earlier identity when it starts where that identity could have got to.
    """
    n = xy.shape[0]
    identity = np.full(n, -1, dtype=np.int64)
    tracked = ~np.any(np.isnan(xy[:, [Landmark.LEFT_HIP, Landmark.RIGHT_HIP]]), axis=(1, 2))
    centre = hip_centre(xy)
    torso = torso_length(xy)
    last_seen: list[tuple[int, FloatArray, float]] = []  # per identity: frame, centre, torso
    jumps: list[int] = []
    previous = -1
    for index in np.flatnonzero(tracked):
        current_torso = float(torso[index]) if np.isfinite(torso[index]) else 1.0
        if previous >= 0:
            prev_id = int(identity[previous])
            ref_torso = last_seen[prev_id][2]
            distance = float(np.linalg.norm(centre[index] - centre[previous]))
            dt = float(time_s[index] - time_s[previous])
            if _same_person(distance, dt, ref_torso, current_torso, settings):
                identity[index] = prev_id
                last_seen[prev_id] = (int(index), centre[index], _blend(ref_torso, current_torso))
                previous = int(index)
                continue
            jumps.append(int(index))
            # a new segment: does it continue an earlier identity?
            best, best_distance = -1, np.inf
            for candidate, (seen_at, seen_centre, seen_torso) in enumerate(last_seen):
                if candidate == prev_id:
                    continue
                gap = float(np.linalg.norm(centre[index] - seen_centre))
                gap_dt = float(time_s[index] - time_s[seen_at])
                if (
                    _same_person(gap, gap_dt, seen_torso, current_torso, settings)
                    and gap < best_distance
                ):
                    best, best_distance = candidate, gap
            if best >= 0:
                identity[index] = best
                last_seen[best] = (
                    int(index),
                    centre[index],
                    _blend(last_seen[best][2], current_torso),
                )
                previous = int(index)
                continue
        identity[index] = len(last_seen)
        last_seen.append((int(index), centre[index], current_torso))
        previous = int(index)
    return identity, tuple(jumps), len(last_seen)


def size_and_centrality(
    xy: FloatArray, rows: BoolArray, frame_size: tuple[int, int]
) -> tuple[float, float]:
    """Mean body height / picture height, and 1 − mean hip-centre offset from the middle."""
    width, height = frame_size
    size = float(np.nanmean(body_height(xy[rows]))) / max(height, 1)
    offset = float(np.nanmean(np.abs(hip_centre(xy[rows])[:, 0] - width / 2.0))) / max(width, 1)
    return size, 1.0 - offset


def select_person(
    xy: FloatArray,
    time_s: FloatArray,
    frame_size: tuple[int, int],
    settings: TrackingSettings,
) -> TrackSelection:
    """Split the tracked frames into identities and keep the largest, most central, longest.

    The plain choice of step 3 of the module doc, used when the task says nothing;
    :func:`hipfirst.video.subject.choose_subject` chooses by the task.
    """
    identity, jumps, count = identities(xy, time_s, settings)
    if count == 0:
        return TrackSelection(identity, np.zeros(xy.shape[0], dtype=bool), jumps, 0, -1)
    scores = []
    for candidate in range(count):
        rows = identity == candidate
        size, centrality = size_and_centrality(xy, rows, frame_size)
        scores.append(float(np.sum(rows)) * size * centrality)
    chosen = int(np.argmax(scores))
    return TrackSelection(identity, identity == chosen, jumps, count, chosen)


def people_tracked(selection: TrackSelection, time_s: FloatArray) -> int:
    """How many identities the tracker locked onto, leaving out detector glitches.

    An identity seen in fewer than :data:`MIN_PERSON_FRAMES` frames or for less
    than :data:`MIN_PERSON_S` is a glitch, not a person; when every identity is
    a glitch, the one tracked still counts as one person.
    """
    lasting = 0
    for identity in range(selection.identities):
        rows = np.flatnonzero(selection.identity == identity)
        if rows.size >= MIN_PERSON_FRAMES and time_s[rows[-1]] - time_s[rows[0]] >= (
            MIN_PERSON_S - 1e-9
        ):
            lasting += 1
    if selection.identities and lasting == 0:
        lasting = 1
    return lasting


def _blend(reference: float, current: float) -> float:
    """Slowly updated torso length, so one bad frame does not reset the scale."""
    if not np.isfinite(current) or current <= 0:
        return reference
    return 0.8 * reference + 0.2 * current


def mask_person(image: ImageArray, xy: FloatArray, margin: float = 0.25) -> ImageArray:
    """A copy of ``image`` with the bounding box of these landmarks (plus margin) greyed out."""
    points = xy[~np.any(np.isnan(xy), axis=1)]
    masked = image.copy()
    if points.size == 0:
        return masked
    low, high = points.min(axis=0), points.max(axis=0)
    pad = (high - low) * margin
    height, width = image.shape[:2]
    x0, y0 = np.clip(low - pad, 0, [width, height]).astype(int)
    x1, y1 = np.clip(high + pad, 0, [width, height]).astype(int)
    masked[y0:y1, x0:x1] = 127
    return masked


REFLECTION_BODY = tuple(
    int(mark)
    for mark in (
        Landmark.LEFT_SHOULDER,
        Landmark.RIGHT_SHOULDER,
        Landmark.LEFT_HIP,
        Landmark.RIGHT_HIP,
        Landmark.LEFT_KNEE,
        Landmark.RIGHT_KNEE,
        Landmark.LEFT_ANKLE,
        Landmark.RIGHT_ANKLE,
    )
)
MAX_REFLECTION_ERROR = 0.2
"""A pose within this RMS distance (torso lengths) of the tracked pose mirrored about a
vertical line is its reflection."""


def reflection_error(found: FloatArray, tracked: FloatArray) -> float:
    """RMS distance (torso lengths) between ``found`` and ``tracked`` mirrored about the
    vertical line that fits best, over shoulders, hips, knees and ankles; inf when too few.

    A reflection keeps every landmark's height and mirrors its x about one axis; which of
    a left/right pair the model calls left in the reflection does not matter, so both
    labellings are tried.
    """
    torso = float(torso_length(tracked[None])[0])
    if not np.isfinite(torso) or torso <= 0:
        return float("inf")
    body = list(REFLECTION_BODY)
    swapped = [body[k + 1] if k % 2 == 0 else body[k - 1] for k in range(len(body))]
    best = float("inf")
    for order in (body, swapped):
        a, b = tracked[body], found[order]
        both = np.all(np.isfinite(a), axis=1) & np.all(np.isfinite(b), axis=1)
        if both.sum() < 4:
            continue
        axis = float(np.median((a[both, 0] + b[both, 0]) / 2.0))
        mirrored = np.stack([2.0 * axis - a[both, 0], a[both, 1]], axis=1)
        error = float(np.sqrt(np.mean(np.sum((mirrored - b[both]) ** 2, axis=1)))) / torso
        best = min(best, error)
    return best


def is_reflection(found: FloatArray, tracked: FloatArray) -> bool:
    """Is pose ``found`` (33, 2) the mirror image of pose ``tracked``
    (:func:`reflection_error` within :data:`MAX_REFLECTION_ERROR`)?"""
    return reflection_error(found, tracked) <= MAX_REFLECTION_ERROR


class PeopleCounter:
    """Looks for other people every ``every_s`` seconds by masking out the tracked one.

    ``detector`` is a single-image pose estimator (``MediaPipePose(static=True)``).
    ``others_seen`` is True once someone else was found with most lower-body
    landmarks visible; the count this yields is a lower bound. A pose that is the
    tracked person's mirror image (:func:`is_reflection`) is not someone else:
    ``reflections`` counts them.
    """

    def __init__(
        self, detector: PoseEstimator, every_s: float, min_visibility: float = 0.5
    ) -> None:
        self._detector = detector
        self._every_s = every_s
        self._min_visibility = min_visibility
        self._next_s = 0.0
        self.checks = 0
        self.others_seen = 0
        self.reflections = 0

    def visit(self, frame: Frame, xy_model: FloatArray | None, size: tuple[int, int]) -> None:
        """Check this frame if due; ``xy_model``: the tracked person, in frame pixels."""
        if frame.time_s < self._next_s or xy_model is None:
            return  # with nobody tracked, whoever is found may be the performer
        self._next_s = frame.time_s + self._every_s
        image = mask_person(frame.image, xy_model)
        found = self._detector.estimate(Frame(frame.index, frame.time_s, image), size)
        self.checks += 1
        if not found.detected:
            return
        lower = [
            int(mark)
            for mark in (
                Landmark.LEFT_HIP,
                Landmark.RIGHT_HIP,
                Landmark.LEFT_KNEE,
                Landmark.RIGHT_KNEE,
            )
        ]
        if float(np.nanmean(found.visibility[lower])) < self._min_visibility:
            return
        # The same person found again beside the mask is not another person.
        here = np.nanmean(found.xy[[Landmark.LEFT_HIP, Landmark.RIGHT_HIP]], axis=0)
        there = np.nanmean(xy_model[[Landmark.LEFT_HIP, Landmark.RIGHT_HIP]], axis=0)
        torso = float(torso_length(xy_model[None])[0])
        if np.isfinite(torso) and float(np.linalg.norm(here - there)) < torso:
            return
        # Nor is their reflection (a mirror on the wall, a mirrored copy of the picture).
        if is_reflection(found.xy, xy_model):
            self.reflections += 1
            return
        self.others_seen = max(self.others_seen, 1)
