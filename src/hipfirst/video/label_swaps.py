"""Left/right label swaps: find the frames where the pose model mirrored its labels, and undo it.

BlazePose sometimes labels a person's left limbs as right and vice versa: the whole body
for a few frames (it believes the person turned around), the legs only (when they pass
each other), or a single frame (a flicker). The angles of such a frame are wrong in sign
and side (a pelvic drop of +35° read as −35°, stance and swing hip traded).

People do not jump, so the labels are tracked through time. The landmarks come in three
groups, each decided on its own: ``upper`` (face, shoulders, arms), ``hips`` and ``legs``
(knees, ankles, heels, toes). At each frame every left/right pair of a group is compared
with where the pair was predicted to be (constant velocity from the last two resolved
frames): *straight* (the model's labels) against *crossed* (the mirrored labels). A pair's
evidence is ``(crossed − straight) / separation``, clipped to −2..2 (+2: the model's labels
fit exactly, −2: the mirrored ones do); pairs closer together than ``min_pair_separation``
torso lengths say nothing. The model's 3D landmarks, where given, add the same evidence
in depth (the model's belief about which hip is nearer the camera). A group's evidence is
the visibility-weighted mean over its pairs:

- above ``decide_margin``: the model's labels continue the track;
- below ``−decide_margin``: the mirrored labels do — the group is swapped back;
- no pair with evidence (e.g. legs together): the model's mirror state carries on;
- otherwise the frame is *unresolved*: it is marked invalid, never silently flipped, and
  the track continues from the last resolved frame.

A frame whose shoulder line and hip line end up turned more than ``max_twist_deg`` from
each other (a body cannot twist so far) is unresolved too. After ``max_gap_s`` without a
resolved frame the track starts afresh (a new *segment*).

Continuity says only whether the labels changed; which labelling is right is decided per
segment: the one the model gives in most of its frames (the model is right most of the
time; a mirror is a minority of frames). :class:`SwapTracker` is the incremental form
(one ``update`` per frame, for live landmarks: it keeps the model's labels at the start
of a segment); :func:`repair_labels` runs it over a whole video and then settles each
segment's labelling by that majority.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from hipfirst.video.landmarks import N_LANDMARKS, Landmark
from hipfirst.video.settings import LabelSettings
from hipfirst.video.types import BoolArray, FloatArray

UPPER_PAIRS = (
    "EYE_INNER",
    "EYE",
    "EYE_OUTER",
    "EAR",
    "SHOULDER",
    "ELBOW",
    "WRIST",
    "PINKY",
    "INDEX",
    "THUMB",
)
"""Face, shoulder and arm landmarks that come as ``LEFT_<name>`` / ``RIGHT_<name>``."""
GROUPS: dict[str, tuple[tuple[Landmark, Landmark], ...]] = {
    "upper": (
        *((Landmark[f"LEFT_{name}"], Landmark[f"RIGHT_{name}"]) for name in UPPER_PAIRS),
        (Landmark.MOUTH_LEFT, Landmark.MOUTH_RIGHT),
    ),
    "hips": ((Landmark.LEFT_HIP, Landmark.RIGHT_HIP),),
    "legs": tuple(
        (Landmark[f"LEFT_{name}"], Landmark[f"RIGHT_{name}"])
        for name in ("KNEE", "ANKLE", "HEEL", "FOOT_INDEX")
    ),
}
"""The landmark pairs of each group whose labels are decided together."""
GROUP_NAMES: tuple[str, ...] = tuple(GROUPS)
WORLD_WEIGHT = 0.5
"""Weight of the model's 3D evidence against the picture's (which is what the angles use)."""
MIN_TWIST_LINE = 0.2
"""Shoulder and hip lines shorter than this (torso lengths) are too short to judge a twist."""
VELOCITY_WEIGHT = 0.5
"""Share of the last velocity carried into the prediction: landmark noise makes the full
velocity overshoot, none at all lags behind a fast limb."""


def mirror_permutation(groups: tuple[str, ...]) -> npt.NDArray[np.int64]:
    """Landmark order that swaps the left/right pairs of ``groups`` (identity elsewhere)."""
    order = np.arange(N_LANDMARKS)
    for name in groups:
        for left, right in GROUPS[name]:
            order[int(left)], order[int(right)] = int(right), int(left)
    return order


def relabel(values: FloatArray, groups: tuple[str, ...]) -> FloatArray:
    """A copy of per-landmark values (first axis the 33 landmarks) with ``groups`` swapped."""
    return np.asarray(values[mirror_permutation(groups)])


@dataclass(frozen=True)
class LabelFrame:
    """One frame's landmarks as the model labelled them: ``xy`` (33, 2) px, ``visibility``
    (33,), ``world`` (33, 3) metres or None."""

    time_s: float
    xy: FloatArray
    visibility: FloatArray
    world: FloatArray | None = None


@dataclass(frozen=True)
class LabelDecision:
    """What :meth:`SwapTracker.update` decided for one frame.

    ``swapped``: the groups whose labels are mirrored back (relative to the model);
    ``resolved``: False when the frame could not be decided (use it as invalid);
    ``evidence``: per group, the continuity evidence (None: no pair said anything);
    ``segment``: the continuity segment the frame belongs to (-1: no person).
    """

    swapped: tuple[str, ...]
    resolved: bool
    evidence: dict[str, float | None] = field(default_factory=dict)
    segment: int = -1


def _torso(xy: FloatArray) -> float:
    shoulders = (xy[Landmark.LEFT_SHOULDER] + xy[Landmark.RIGHT_SHOULDER]) / 2
    hips = (xy[Landmark.LEFT_HIP] + xy[Landmark.RIGHT_HIP]) / 2
    length = float(np.linalg.norm(shoulders - hips))
    return length if np.isfinite(length) and length > 0 else float("nan")


def group_evidence(
    observed: FloatArray,
    predicted: FloatArray,
    weights: FloatArray,
    pairs: tuple[tuple[Landmark, Landmark], ...],
    min_separation: float,
) -> float | None:
    """Weighted mean evidence of ``pairs`` (see the module doc); None when no pair counts.

    ``observed``/``predicted`` are one frame's points (33, d) in one length unit;
    ``min_separation`` is in that unit too. All pairs at once (it runs for every group of
    every frame: a loop over pairs cost about 1 ms a frame).
    """
    left, right = _pair_columns(pairs)
    o_l, o_r, p_l, p_r = observed[left], observed[right], predicted[left], predicted[right]
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(np.concatenate([o_l, o_r, p_l, p_r], axis=1)).all(axis=1)
        separation = np.maximum(_norms(o_l - o_r), _norms(p_l - p_r))
        counts = finite & (separation >= min_separation)
    if not counts.any():
        return None
    straight = _norms(o_l - p_l) + _norms(o_r - p_r)
    crossed = _norms(o_l - p_r) + _norms(o_r - p_l)
    weight = (weights[left] * weights[right])[counts]
    weight_sum = float(weight.sum())
    if not weight_sum > 0:
        return None
    evidence = np.clip((crossed - straight)[counts] / separation[counts], -2.0, 2.0)
    return float((weight * evidence).sum()) / weight_sum


@functools.cache
def _pair_columns(
    pairs: tuple[tuple[Landmark, Landmark], ...],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The left and the right landmark of each pair, as index arrays (one per group)."""
    return (
        np.array([int(left) for left, _ in pairs], dtype=np.intp),
        np.array([int(right) for _, right in pairs], dtype=np.intp),
    )


def _norms(vectors: FloatArray) -> FloatArray:
    """Euclidean length of each row."""
    return np.asarray(np.sqrt(np.einsum("ij,ij->i", vectors, vectors)))


def twist_deg(points: FloatArray) -> float | None:
    """Angle between the shoulder line and the hip line (left minus right), degrees."""
    shoulders = points[Landmark.LEFT_SHOULDER] - points[Landmark.RIGHT_SHOULDER]
    hips = points[Landmark.LEFT_HIP] - points[Landmark.RIGHT_HIP]
    norms = float(np.linalg.norm(shoulders)) * float(np.linalg.norm(hips))
    if not np.isfinite(norms) or norms == 0:
        return None
    cosine = float(np.dot(shoulders, hips)) / norms
    return float(np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0))))


class SwapTracker:
    """Incremental left/right label tracking: one :meth:`update` per frame (module doc)."""

    def __init__(self, settings: LabelSettings) -> None:
        self._settings = settings
        self._history: list[LabelFrame] = []  # the last two resolved frames, relabelled
        self._mirrored = dict.fromkeys(GROUP_NAMES, False)
        self._segment = -1
        self._torso_px = float("nan")
        self._torso_m = float("nan")

    def _predict(self, time_s: float, world: bool) -> FloatArray | None:
        frames = self._history
        if not frames:
            return None
        last = frames[-1]
        values = last.world if world else last.xy
        if values is None:
            return None
        if len(frames) < 2:
            return values
        before = frames[-2]
        earlier = before.world if world else before.xy
        if earlier is None or last.time_s <= before.time_s:
            return values
        interval = last.time_s - before.time_s
        velocity = (values - earlier) / interval
        velocity = np.where(np.isfinite(velocity), velocity, 0.0)
        # extrapolate one frame interval at most: over unresolved frames it would run away
        ahead = min(time_s - last.time_s, interval)
        return np.asarray(values + VELOCITY_WEIGHT * velocity * ahead)

    def _start_segment(self) -> None:
        self._segment += 1
        self._history = []
        self._mirrored = dict.fromkeys(GROUP_NAMES, False)

    def update(self, frame: LabelFrame | None) -> LabelDecision:
        """Decide this frame's labels; ``None`` (nobody found) leaves the track as it is."""
        if frame is None or not np.isfinite(frame.xy).any():
            return LabelDecision((), False, {}, -1)
        settings = self._settings
        if not self._history or frame.time_s - self._history[-1].time_s > settings.max_gap_s:
            self._start_segment()
        torso = _torso(frame.xy)
        if np.isfinite(torso):
            self._torso_px = torso if not np.isfinite(self._torso_px) else self._torso_px
            self._torso_px = 0.9 * self._torso_px + 0.1 * torso
        weights = np.clip(np.nan_to_num(frame.visibility, nan=1.0), 0.05, 1.0)
        evidence = self._evidence(frame, weights)
        decided = dict(self._mirrored)
        ambiguous = weak = False
        for name, value in evidence.items():
            if value is None:
                continue
            if value > settings.decide_margin:
                decided[name] = False
            elif value < -settings.decide_margin:
                decided[name] = True
            elif (value < 0) != self._mirrored[name] and value != 0:
                ambiguous = True  # weak evidence against the current labels: cannot tell
            else:
                weak = True  # weakly for the current labels: kept, but not a reference
        swapped = tuple(name for name in GROUP_NAMES if decided[name])
        relabelled = _relabelled(frame, swapped)
        if ambiguous or self._twisted(relabelled):
            if not self._history:
                self._segment -= 1  # nothing resolved yet: the segment has not begun
            return LabelDecision(swapped, False, evidence, max(self._segment, 0))
        self._mirrored = decided
        if not weak:
            self._history = [*self._history[-1:], relabelled]
        return LabelDecision(swapped, True, evidence, self._segment)

    def _evidence(self, frame: LabelFrame, weights: FloatArray) -> dict[str, float | None]:
        """Per group, how well the model's own labels continue the track (module doc)."""
        settings = self._settings
        evidence: dict[str, float | None] = dict.fromkeys(GROUP_NAMES, None)
        predicted = self._predict(frame.time_s, world=False)
        if predicted is None or not np.isfinite(self._torso_px):
            return evidence
        predicted_world = None if frame.world is None else self._predict(frame.time_s, world=True)
        torso_m = float("nan") if frame.world is None else _torso(frame.world)
        for name, pairs in GROUPS.items():
            value = group_evidence(
                frame.xy, predicted, weights, pairs, settings.min_pair_separation * self._torso_px
            )
            if (
                value is not None
                and predicted_world is not None
                and frame.world is not None
                and np.isfinite(torso_m)
            ):
                depth = group_evidence(
                    frame.world,
                    predicted_world,
                    weights,
                    pairs,
                    settings.min_pair_separation * torso_m,
                )
                if depth is not None:
                    value = (value + WORLD_WEIGHT * depth) / (1.0 + WORLD_WEIGHT)
            evidence[name] = value
        return evidence

    def _twisted(self, frame: LabelFrame) -> bool:
        """Shoulders and hips turned impossibly far apart (in 3D when given, else 2D)."""
        points, scale = (
            (frame.world, _torso(frame.world))
            if frame.world is not None
            else (
                frame.xy,
                self._torso_px,
            )
        )
        if points is None or not np.isfinite(scale):
            return False
        lines = [
            points[Landmark.LEFT_SHOULDER] - points[Landmark.RIGHT_SHOULDER],
            points[Landmark.LEFT_HIP] - points[Landmark.RIGHT_HIP],
        ]
        if min(float(np.linalg.norm(line)) for line in lines) < MIN_TWIST_LINE * scale:
            return False
        angle = twist_deg(points)
        return angle is not None and angle > self._settings.max_twist_deg


def _relabelled(frame: LabelFrame, groups: tuple[str, ...]) -> LabelFrame:
    if not groups:
        return frame
    return LabelFrame(
        frame.time_s,
        relabel(frame.xy, groups),
        relabel(frame.visibility, groups),
        None if frame.world is None else relabel(frame.world, groups),
    )


@dataclass(frozen=True)
class LabelRepair:
    """A whole video's labels after repair (arrays as the track's, one row per frame).

    ``swapped`` ``(n, 3)``: per frame and group (:data:`GROUP_NAMES`) whether the labels
    were mirrored back; ``repaired``: any group was; ``unresolved``: frames that could
    not be decided (invalid); ``segments``: continuity segment per frame (-1: none).
    """

    xy: FloatArray
    visibility: FloatArray
    world: FloatArray | None
    swapped: BoolArray
    unresolved: BoolArray
    segments: npt.NDArray[np.int64]

    @property
    def repaired(self) -> BoolArray:
        return np.asarray(self.swapped.any(axis=1))

    def count(self, group: str) -> int:
        return int(self.swapped[:, GROUP_NAMES.index(group)].sum())


def repair_labels(
    time_s: FloatArray,
    xy: FloatArray,
    visibility: FloatArray,
    world: FloatArray | None,
    selected: BoolArray,
    settings: LabelSettings,
) -> LabelRepair:
    """Run :class:`SwapTracker` over the selected frames and settle each segment's labels.

    A segment's labelling is the one the model gives in most of its resolved frames
    (per group); frames outside ``selected`` are left as they are.
    """
    n = time_s.shape[0]
    tracker = SwapTracker(settings)
    swapped = np.zeros((n, len(GROUP_NAMES)), dtype=bool)
    unresolved = np.zeros(n, dtype=bool)
    segments = np.full(n, -1, dtype=np.int64)
    for index in range(n):
        frame = None
        if selected[index]:
            frame = LabelFrame(
                float(time_s[index]),
                xy[index],
                visibility[index],
                None if world is None or not np.isfinite(world[index]).all() else world[index],
            )
        decision = tracker.update(frame)
        if frame is None:
            continue
        swapped[index] = [name in decision.swapped for name in GROUP_NAMES]
        unresolved[index] = not decision.resolved
        segments[index] = decision.segment
    for segment in np.unique(segments[segments >= 0]):
        rows = (segments == segment) & ~unresolved
        for column in range(len(GROUP_NAMES)):
            if rows.any() and swapped[rows, column].mean() > 0.5:
                members = segments == segment
                swapped[members, column] = ~swapped[members, column]
    out_xy, out_vis = xy.copy(), visibility.copy()
    out_world = None if world is None else world.copy()
    for index in np.flatnonzero(swapped.any(axis=1)):
        groups = tuple(name for k, name in enumerate(GROUP_NAMES) if swapped[index, k])
        out_xy[index] = relabel(xy[index], groups)
        out_vis[index] = relabel(visibility[index], groups)
        if out_world is not None and world is not None:
            out_world[index] = relabel(world[index], groups)
    return LabelRepair(out_xy, out_vis, out_world, swapped, unresolved, segments)
