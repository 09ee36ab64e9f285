"""VideoTask events from filtered landmarks: reps, contacts, landings, holds, the stance leg.

Pure functions (no I/O); the detection parameters are the ``events`` section of
``settings.yaml`` (:class:`~hipfirst.video.settings.EventSettings`), passed as it
is. Distances are scaled by the leg length (hip→knee→ankle, median over the
video) so the detection does not depend on the image size.

- **Single-leg squat / step-down**: each rep is a peak of the hip centre's
  downward travel (``scipy.signal.find_peaks`` with a minimum depth and
  spacing); it starts and ends at the highest hip positions around it. The
  stance leg is the one whose ankle moves least during the rep (the foot that
  stays planted, on the floor or on the step).
- **Landing**: initial contact is the first frame after the flight's highest
  hip position at which the feet reach the ground level (the ankles' level at
  the end of the video); the peak is the deepest hip position within a second.
  It is bilateral: one event per leg.
- **Running**: for each leg, midstance is a peak of the vertical hip-to-ankle
  distance (the leg extended under the body); the stance lasts while that
  distance stays above half the peak's prominence; foot contact is its start.
  Cadence is steps per minute over both legs.
- **Single-leg stance**: frames in which one foot is lifted above the other by
  more than ``foot_lift_fraction`` of the leg length; each run of at least
  ``min_hold_s`` is a hold, and the stance leg is that of the longest hold.

Frames where both feet are down at the highest hip position form the
level-standing baseline for pelvic obliquity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import find_peaks, peak_widths

from hipfirst.knowledge.vocabulary import SIDES, Side, SideChoice, VideoTask, other_side
from hipfirst.video.landmarks import ANKLE, HIP, KNEE
from hipfirst.video.settings import EventSettings
from hipfirst.video.types import BoolArray, Event, FloatArray, RepEvent, RepKind


@dataclass(frozen=True)
class TaskEvents:
    """Reps (values not yet filled), point events, the stance leg, the standing baseline."""

    reps: tuple[RepEvent, ...]
    events: tuple[Event, ...]
    stance_side: Side | None
    baseline: BoolArray
    cadence_spm: float | None = None


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


def _filled(values: FloatArray) -> FloatArray:
    """NaNs linearly bridged (edges held), for peak finding only."""
    finite = np.isfinite(values)
    if not finite.any():
        return np.zeros_like(values)
    index = np.arange(values.size)
    return np.asarray(np.interp(index, index[finite], values[finite]))


def hip_height(xy: FloatArray) -> FloatArray:
    """Image y of the mid-hip point (larger = lower)."""
    return np.asarray((xy[:, HIP["left"], 1] + xy[:, HIP["right"], 1]) / 2.0)


def foot_lift(xy: FloatArray, stance: Side, leg_px: float) -> FloatArray:
    """How far the other ankle is above the stance ankle, in leg lengths."""
    return np.asarray((xy[:, ANKLE[stance], 1] - xy[:, ANKLE[other_side(stance)], 1]) / leg_px)


def stance_per_frame(xy: FloatArray, leg_px: float, threshold: float) -> list[Side | None]:
    """The single-support leg per frame, or None in double support / when unknown."""
    lift = foot_lift(xy, "left", leg_px)
    result: list[Side | None] = []
    for value in lift:
        if not np.isfinite(value) or abs(value) <= threshold:
            result.append(None)
        else:
            result.append("left" if value > 0 else "right")
    return result


def standing_baseline(
    xy: FloatArray, valid: BoolArray, leg_px: float, settings: EventSettings
) -> BoolArray:
    """Frames with both feet down and the hip at its highest: level standing."""
    lift = np.abs(foot_lift(xy, "left", leg_px))
    hip = hip_height(xy)
    usable = valid & np.isfinite(lift) & np.isfinite(hip)
    if not usable.any():
        return np.zeros(xy.shape[0], dtype=bool)
    top = float(np.nanmin(hip[usable]))
    mask = usable & (lift < settings.foot_lift_fraction / 2) & (hip < top + 0.03 * leg_px)
    return mask if mask.sum() >= 5 else np.zeros(xy.shape[0], dtype=bool)


def _ankle_travel(xy: FloatArray, side: Side, start: int, stop: int) -> float:
    path = np.diff(xy[start : stop + 1, ANKLE[side]], axis=0)
    steps = np.linalg.norm(path, axis=1)
    return float(np.nansum(steps)) if np.isfinite(steps).any() else float("inf")


def _rep(
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


def _frames(seconds: float, time_s: FloatArray) -> int:
    if time_s.size < 2:
        return 1
    return max(1, round(seconds / float(np.median(np.diff(time_s)))))


def squat_reps(
    xy: FloatArray,
    time_s: FloatArray,
    valid: BoolArray,
    side: SideChoice,
    settings: EventSettings,
    kind: RepKind = "rep",
) -> list[RepEvent]:
    """Single-leg squat or step-down reps (see module doc)."""
    leg = leg_length(xy)
    if not np.isfinite(leg) or xy.shape[0] < 3:
        return []
    hip = _filled(np.where(valid, hip_height(xy), np.nan))
    peaks, _ = find_peaks(
        hip,
        prominence=settings.min_rep_depth_fraction * leg,
        distance=_frames(settings.min_rep_duration_s, time_s),
    )
    reps: list[RepEvent] = []
    for number, peak in enumerate(peaks, start=1):
        previous = int(peaks[number - 2]) if number > 1 else 0
        following = int(peaks[number]) if number < len(peaks) else xy.shape[0] - 1
        start = previous + int(np.argmin(hip[previous : peak + 1]))
        end = int(peak) + int(np.argmin(hip[peak : following + 1]))
        if side == "auto":
            travel = {s: _ankle_travel(xy, s, start, end) for s in SIDES}
            stance: Side = "left" if travel["left"] <= travel["right"] else "right"
        else:
            stance = side
        reps.append(_rep(number, stance, kind, (start, int(peak), end), time_s, valid))
    return reps


def landing_events(
    xy: FloatArray, time_s: FloatArray, valid: BoolArray, settings: EventSettings
) -> list[RepEvent]:
    """Initial contact and peak of one drop landing, as one event per leg."""
    leg = leg_length(xy)
    n = xy.shape[0]
    if not np.isfinite(leg) or n < 5:
        return []
    hip = _filled(np.where(valid, hip_height(xy), np.nan))
    ankles = _filled((xy[:, ANKLE["left"], 1] + xy[:, ANKLE["right"], 1]) / 2.0)
    ground = float(np.median(ankles[-max(3, n // 4) :]))
    highest = int(np.argmin(hip))
    if ground - ankles[highest] < settings.foot_lift_fraction * leg:
        return []  # the feet never left the ground: no flight phase
    after = np.flatnonzero(ankles[highest:] >= ground - settings.foot_lift_fraction * leg / 2)
    if after.size == 0:
        return []
    contact = highest + int(after[0])
    window = contact + _frames(1.0, time_s)
    peak = contact + int(np.argmax(hip[contact : window + 1]))
    end = min(n - 1, peak + (peak - contact))
    return [_rep(1, s, "landing", (contact, peak, end), time_s, valid) for s in SIDES]


def running_stances(
    xy: FloatArray, time_s: FloatArray, valid: BoolArray, settings: EventSettings
) -> tuple[list[RepEvent], float | None]:
    """Stance phases of both legs (midstance = peak) and the cadence in steps/min."""
    leg = leg_length(xy)
    if not np.isfinite(leg) or xy.shape[0] < 5:
        return [], None
    found: list[tuple[int, int, int, Side]] = []
    hip = hip_height(xy)
    for side in SIDES:
        extent = _filled(np.where(valid, (xy[:, ANKLE[side], 1] - hip) / leg, np.nan))
        peaks, _ = find_peaks(
            extent,
            prominence=settings.foot_lift_fraction,
            distance=_frames(0.25, time_s),
        )
        if peaks.size == 0:
            continue
        _, _, left_ips, right_ips = peak_widths(extent, peaks, rel_height=0.5)
        for peak, low, high in zip(peaks, left_ips, right_ips, strict=True):
            found.append((int(np.floor(low)), int(peak), int(np.ceil(high)), side))
    found.sort(key=lambda item: item[1])
    min_frames = _frames(settings.min_stance_s, time_s)
    reps = [
        _rep(number, side, "stance", (start, peak, min(end, xy.shape[0] - 1)), time_s, valid)
        for number, (start, peak, end, side) in enumerate(
            (item for item in found if item[2] - item[0] + 1 >= min_frames), start=1
        )
    ]
    cadence = None
    if len(reps) >= 3:
        contacts = np.array([rep.start_s for rep in reps])
        span = float(contacts[-1] - contacts[0])
        if span > 0:
            cadence = (len(reps) - 1) / span * 60.0
    return reps, cadence


def holds(
    xy: FloatArray, time_s: FloatArray, valid: BoolArray, side: SideChoice, settings: EventSettings
) -> list[RepEvent]:
    """Single-leg stance holds (see module doc), longest first numbering by time."""
    leg = leg_length(xy)
    if not np.isfinite(leg):
        return []
    stance = stance_per_frame(xy, leg, settings.foot_lift_fraction)
    runs: list[tuple[int, int, Side]] = []
    start = 0
    for index in range(1, len(stance) + 1):
        if index == len(stance) or stance[index] != stance[start]:
            current = stance[start]
            if current is not None:
                runs.append((start, index - 1, current))
            start = index
    min_frames = _frames(settings.min_hold_s, time_s)
    runs = [run for run in runs if run[1] - run[0] + 1 >= min_frames]
    if side != "auto":
        runs = [run for run in runs if run[2] == side]
    reps = []
    for number, (first, last, leg_side) in enumerate(runs, start=1):
        middle = (first + last) // 2
        reps.append(_rep(number, leg_side, "hold", (first, middle, last), time_s, valid))
    return reps


def detect(
    task: VideoTask,
    xy: FloatArray,
    time_s: FloatArray,
    valid: BoolArray,
    side: SideChoice,
    settings: EventSettings,
) -> TaskEvents:
    """The events of ``task`` in these filtered landmarks."""
    leg = leg_length(xy)
    baseline = (
        standing_baseline(xy, valid, leg, settings)
        if np.isfinite(leg)
        else np.zeros(xy.shape[0], dtype=bool)
    )
    cadence: float | None = None
    if task in (VideoTask.SINGLE_LEG_SQUAT, VideoTask.STEP_DOWN):
        reps = squat_reps(xy, time_s, valid, side, settings)
    elif task is VideoTask.LANDING:
        reps = landing_events(xy, time_s, valid, settings)
    elif task is VideoTask.RUNNING:
        reps, cadence = running_stances(xy, time_s, valid, settings)
        if side != "auto":
            reps = [rep for rep in reps if rep.side == side]
    else:
        reps = holds(xy, time_s, valid, side, settings)
    events: list[Event] = []
    for rep in reps:
        if rep.kind == "stance":
            events.append(Event("foot_contact", rep.start_index, rep.start_s, rep.side))
            events.append(Event("midstance", rep.peak_index, rep.peak_s, rep.side))
        elif rep.kind == "landing":
            if rep.side == "left":
                events.append(Event("initial_contact", rep.start_index, rep.start_s, None))
                events.append(Event("peak", rep.peak_index, rep.peak_s, None))
        elif rep.kind == "hold":
            events.append(Event("hold_start", rep.start_index, rep.start_s, rep.side))
            events.append(Event("hold_end", rep.end_index, rep.end_s, rep.side))
        else:
            events.append(Event("rep_start", rep.start_index, rep.start_s, rep.side))
            events.append(Event("peak", rep.peak_index, rep.peak_s, rep.side))
    stance_side = None if task in (VideoTask.LANDING, VideoTask.RUNNING) else _main_side(reps)
    return TaskEvents(
        tuple(reps),
        tuple(sorted(events, key=lambda event: event.index)),
        stance_side,
        baseline,
        cadence,
    )


def _main_side(reps: list[RepEvent]) -> Side | None:
    """The stance leg with the most frames (one-sided tasks); None when there are none."""
    if not reps:
        return None
    frames = dict.fromkeys(SIDES, 0)
    for rep in reps:
        frames[rep.side] += rep.end_index - rep.start_index + 1
    if frames["left"] == frames["right"]:
        return None
    return "left" if frames["left"] > frames["right"] else "right"
