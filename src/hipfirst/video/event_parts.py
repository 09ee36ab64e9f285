"""Building blocks of the task events: leg length, hip height, a rep's record and
numbering, durations.

Shared by :mod:`hipfirst.video.events` (holds, the standing baseline, the task's events)
and :mod:`hipfirst.video.repetitions` (squat reps, landings, running stances).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import numpy as np
from scipy.signal import find_peaks

from hipfirst.knowledge.vocabulary import SIDES, Side
from hipfirst.video.contacts import frames_for
from hipfirst.video.landmarks import ANKLE, HIP, KNEE
from hipfirst.video.settings import EventSettings
from hipfirst.video.types import BoolArray, FloatArray, RepEvent, RepKind


def leg_length(xy: FloatArray) -> float:
    """Median hip→knee→ankle length over frames and legs, in pixels (NaN if never seen)."""
    lengths = []
    for side in SIDES:
        thigh = np.linalg.norm(xy[:, KNEE[side]] - xy[:, HIP[side]], axis=1)
        shank = np.linalg.norm(xy[:, ANKLE[side]] - xy[:, KNEE[side]], axis=1)
        lengths.append(thigh + shank)
    values = np.concatenate(lengths)
    values = values[np.isfinite(values)]
    return float(np.median(values)) if values.size else float("nan")


def filled(values: FloatArray) -> FloatArray:
    """NaNs linearly bridged (edges held), for peak finding only."""
    finite = np.isfinite(values)
    if not finite.any():
        return np.zeros_like(values)
    index = np.arange(values.size)
    return np.asarray(np.interp(index, index[finite], values[finite]))


def hip_height(xy: FloatArray) -> FloatArray:
    """Image y of the mid-hip point (larger = lower)."""
    return np.asarray((xy[:, HIP["left"], 1] + xy[:, HIP["right"], 1]) / 2.0)


def make_rep(
    number: int,
    side: Side,
    kind: RepKind,
    bounds: tuple[int, int, int],
    time_s: FloatArray,
    valid: BoolArray,
) -> RepEvent:
    start, peak, end = bounds
    covered = float(np.mean(valid[start : end + 1])) if end >= start else 0.0
    ok = bool(valid[peak]) and covered >= 0.8
    reason = ""
    if not valid[peak]:
        reason = "the person was not tracked at the event frame"
    elif covered < 0.8:
        reason = f"the person was tracked in only {covered:.0%} of this {kind}'s frames"
    return RepEvent(
        number=number,
        side=side,
        kind=kind,
        start_index=start,
        peak_index=peak,
        end_index=end,
        start_s=float(time_s[start]),
        peak_s=float(time_s[peak]),
        end_s=float(time_s[end]),
        valid=ok,
        reason=reason,
    )


def duration_s(time_s: FloatArray, first: int, last: int) -> float:
    """How long frames ``first``..``last`` last: end − start + one frame interval (0 for a
    still image, whose single frame has no duration)."""
    if time_s.size < 2:
        return 0.0
    return float(time_s[last] - time_s[first]) + float(np.median(np.diff(time_s)))


def hip_descents(
    xy: FloatArray, time_s: FloatArray, valid: BoolArray, settings: EventSettings
) -> tuple[FloatArray, list[int]]:
    """The filled hip height and the frames of its descents deep enough for a squat rep."""
    leg = leg_length(xy)
    if not np.isfinite(leg) or xy.shape[0] < 3:
        return np.zeros(xy.shape[0]), []
    hip = filled(np.where(valid, hip_height(xy), np.nan))
    peaks, _ = find_peaks(
        hip,
        prominence=settings.min_rep_depth_fraction * leg,
        distance=frames_for(settings.min_rep_duration_s, time_s),
    )
    return hip, [int(peak) for peak in peaks]


def numbered(reps: Iterable[RepEvent]) -> list[RepEvent]:
    """The reps in the order they started, numbered from 1."""
    ordered = sorted(reps, key=lambda rep: rep.start_index)
    return [replace(rep, number=number) for number, rep in enumerate(ordered, start=1)]
