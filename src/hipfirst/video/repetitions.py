"""Repetitions of the moving tasks: single-leg squats and step-downs, landings, running.

Pure functions on filtered, levelled landmarks; see :mod:`hipfirst.video.events` for how
each task's events are defined.
"""

from __future__ import annotations

import numpy as np

from hipfirst.knowledge.vocabulary import SIDES, Side, SideChoice, other_side
from hipfirst.video.contacts import FootContacts, foot_point, frames_for, runs
from hipfirst.video.event_parts import (
    duration_s,
    filled,
    hip_descents,
    hip_height,
    leg_length,
    make_rep,
)
from hipfirst.video.settings import ContactSettings, EventSettings
from hipfirst.video.types import BoolArray, FloatArray, RepEvent, RepKind


def excursion(points: FloatArray, first: int, last: int) -> float:
    """Furthest distance of a foot point from its median position over frames first..last."""
    window = points[first : last + 1]
    window = window[np.all(np.isfinite(window), axis=1)]
    if window.shape[0] == 0:
        return float("nan")
    return float(np.max(np.linalg.norm(window - np.median(window, axis=0), axis=1)))


def one_leg_rep(
    xy: FloatArray,
    bounds: tuple[int, int],
    leg_px: float,
    contacts: ContactSettings,
    *,
    frontal: bool,
) -> Side | None:
    """The leg a squat rep was done on, or None when both feet stayed on the ground.

    One foot stays planted (moves less than ``release_fraction``) while the other moves
    more than that, or, in a front or back view, is held above it by ``lift_fraction`` in
    most of the rep's frames. A slow free foot can be as still as a planted one for a
    moment, which is why the whole rep is judged, not a frame.
    """
    first, last = bounds
    points = {s: foot_point(xy, s) for s in SIDES}
    moved = {s: excursion(points[s], first, last) / leg_px for s in SIDES}
    if not all(np.isfinite(value) for value in moved.values()):
        return None
    planted: Side = "left" if moved["left"] <= moved["right"] else "right"
    free = other_side(planted)
    release = contacts.release_fraction
    if moved[planted] < release <= moved[free]:
        return planted
    if frontal:
        lift = points[planted][first : last + 1, 1] - points[free][first : last + 1, 1]
        with np.errstate(invalid="ignore"):
            held = float(np.mean(lift > contacts.lift_fraction * leg_px))
        lower: Side = planted
        if held < HELD_SHARE:
            # the planted foot moved with the body in the picture: the lower foot stands
            lower = free
            with np.errstate(invalid="ignore"):
                held = float(np.mean(-lift > contacts.lift_fraction * leg_px))
        if held >= HELD_SHARE:
            return lower
    return None


HELD_SHARE = 0.8
"""Share of a rep's frames a free foot must be held above the other to count as lifted."""


def squat_reps(
    xy: FloatArray,
    time_s: FloatArray,
    valid: BoolArray,
    side: SideChoice,
    settings: EventSettings,
    contacts: ContactSettings,
    *,
    frontal: bool,
    kind: RepKind = "rep",
) -> list[RepEvent]:
    """Single-leg squat or step-down reps: hip descents done on one leg (:func:`one_leg_rep`)."""
    hip, peaks = hip_descents(xy, time_s, valid, settings)
    leg = leg_length(xy)
    reps: list[RepEvent] = []
    for position, peak in enumerate(peaks):
        previous = peaks[position - 1] if position > 0 else 0
        following = peaks[position + 1] if position + 1 < len(peaks) else xy.shape[0] - 1
        start = previous + int(np.argmin(hip[previous : peak + 1]))
        end = peak + int(np.argmin(hip[peak : following + 1]))
        stance = one_leg_rep(xy, (start, end), leg, contacts, frontal=frontal)
        if stance is None or (side != "auto" and stance != side):
            continue
        reps.append(make_rep(len(reps) + 1, stance, kind, (start, peak, end), time_s, valid))
    return reps


def landing_events(
    xy: FloatArray,
    time_s: FloatArray,
    valid: BoolArray,
    settings: EventSettings,
    flight: BoolArray,
) -> list[RepEvent]:
    """Initial contact and peak of one drop landing after a flight, as one event per leg."""
    leg = leg_length(xy)
    n = xy.shape[0]
    if not np.isfinite(leg) or n < 5:
        return []
    hip = filled(np.where(valid, hip_height(xy), np.nan))
    feet = filled((foot_point(xy, "left")[:, 1] + foot_point(xy, "right")[:, 1]) / 2.0)
    ground = float(np.median(feet[-max(3, n // 4) :]))
    airborne = flight & (feet < ground - settings.foot_lift_fraction * leg)
    if not airborne.any():
        return []  # both feet never left the ground together: no landing
    last_flight = int(np.flatnonzero(airborne)[-1])
    near = feet[last_flight:] >= ground - settings.foot_lift_fraction * leg / 2
    after = np.flatnonzero(near)
    if after.size == 0:
        return []
    contact = last_flight + int(after[0])
    window = contact + frames_for(1.0, time_s)
    peak = contact + int(np.argmax(hip[contact : window + 1]))
    end = min(n - 1, peak + (peak - contact))
    return [make_rep(1, s, "landing", (contact, peak, end), time_s, valid) for s in SIDES]


def running_stances(
    xy: FloatArray,
    time_s: FloatArray,
    valid: BoolArray,
    settings: EventSettings,
    contacts: FootContacts,
) -> tuple[list[RepEvent], float | None]:
    """Stance phases of both legs from the foot contacts, and the cadence in steps/min."""
    n = xy.shape[0]
    hip = hip_height(xy)
    found: list[tuple[int, int, int, Side]] = []
    for side in SIDES:
        foot_y = foot_point(xy, side)[:, 1]
        for first, last in runs(contacts.down[side]):
            if first == 0 or last == n - 1:
                continue  # cut by the start or end of the video: not a whole stance
            lasting = duration_s(time_s, first, last)
            if not settings.min_stance_s <= lasting <= settings.max_stance_s:
                continue
            extent = foot_y[first : last + 1] - hip[first : last + 1]
            middle = first + (int(np.nanargmax(extent)) if np.isfinite(extent).any() else 0)
            found.append((first, middle, last, side))
    found.sort(key=lambda item: item[1])
    reps = [
        make_rep(number, side, "stance", (start, peak, end), time_s, valid)
        for number, (start, peak, end, side) in enumerate(found, start=1)
    ]
    cadence = None
    if len(reps) >= 3:
        contacts_s = np.array([rep.start_s for rep in reps])
        span = float(contacts_s[-1] - contacts_s[0])
        if span > 0:
            cadence = (len(reps) - 1) / span * 60.0
    return reps, cadence
