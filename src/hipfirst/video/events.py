"""VideoTask events from filtered, levelled landmarks: reps, contacts, landings, holds, stance leg.

Pure functions (no I/O); the detection parameters are the ``events`` and ``contacts``
sections of ``settings.yaml`` (:class:`~hipfirst.video.settings.EventSettings`,
:class:`~hipfirst.video.settings.ContactSettings`), passed as they are. Distances are
scaled by the leg length (hip→knee→ankle, median over the video) so the detection does
not depend on the image size. Which foot is on the ground comes from the foot landmarks
(:mod:`hipfirst.video.contacts`); a leg *carries the body* while its foot is on the
ground and the other foot is not (single-leg support).

- **Single-leg stance**: a hold runs from the other foot's foot-off to its foot-down,
  while the stance foot stays on the ground; a run of single-leg support lasting at
  least ``min_hold_s`` (end − start + one frame interval: a single frame never makes a
  hold) is a hold on that leg. The stance leg is that of the longest hold.
- **Single-leg squat / step-down**: each rep is a peak of the hip centre's downward
  travel (``scipy.signal.find_peaks`` with a minimum depth and spacing) at a frame of
  single-leg support; its stance leg is the supporting one; it starts and ends at the
  highest hip positions around it. A descent with both feet down is not a rep.
- **Landing**: a flight (both feet off the ground, above the level they land on) must
  come first; initial contact is the first frame after it at which a foot reaches the
  ground level (the feet's level at the end of the video); the peak is the deepest hip
  position within a second. It is bilateral: one event per leg.
- **Running**: a foot is down while near its lowest position
  (:func:`~hipfirst.video.contacts.running_contacts`); each such run of
  ``min_stance_s``–``max_stance_s`` is a stance phase, its start the foot contact and
  its midstance the frame where the hip is highest above that foot. Cadence is steps per
  minute over both legs' contacts.

Frames where both feet are on the ground with the hip at its highest form the
level-standing baseline for pelvic obliquity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from hipfirst.knowledge.vocabulary import SIDES, Side, SideChoice, VideoTask
from hipfirst.video.contacts import (
    FootContacts,
    running_contacts,
    runs,
    standing_contacts,
)
from hipfirst.video.event_parts import (
    duration_s,
    hip_descents,
    hip_height,
    leg_length,
    make_rep,
    numbered,
)
from hipfirst.video.repetitions import landing_events, running_stances, squat_reps
from hipfirst.video.settings import ContactSettings, EventSettings
from hipfirst.video.types import BoolArray, Event, FloatArray, RepEvent

__all__ = ["TaskEvents", "detect", "duration_s", "hip_height", "leg_length"]


@dataclass(frozen=True)
class TaskEvents:
    """Reps (values not yet filled), point events, the stance leg, the standing baseline.

    ``support``: the leg carrying the body alone, per frame (None: both feet down, none,
    or not known); ``flight``: frames with both feet off the ground; ``descents``: hip
    descents deep enough for a squat rep, found with or without single-leg support (the
    task-fit check compares the two).
    """

    reps: tuple[RepEvent, ...]
    events: tuple[Event, ...]
    stance_side: Side | None
    baseline: BoolArray
    cadence_spm: float | None = None
    support: tuple[Side | None, ...] = ()
    flight: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    descents: int = 0
    contacts: dict[Side, int] = field(default_factory=dict)


def support_mask(support: tuple[Side | None, ...] | list[Side | None], side: Side) -> BoolArray:
    """Frames in which ``side`` carries the body alone."""
    return np.array([value == side for value in support], dtype=bool)


def standing_baseline(
    xy: FloatArray, valid: BoolArray, contacts: FootContacts, leg_px: float
) -> BoolArray:
    """Frames with both feet on the ground and the hip at its highest: level standing."""
    hip = hip_height(xy)
    usable = valid & contacts.double() & np.isfinite(hip)
    if not usable.any():
        return np.zeros(xy.shape[0], dtype=bool)
    top = float(np.nanmin(hip[usable]))
    mask = usable & (hip < top + 0.03 * leg_px)
    return mask if mask.sum() >= 5 else np.zeros(xy.shape[0], dtype=bool)


def holds(
    time_s: FloatArray,
    valid: BoolArray,
    side: SideChoice,
    settings: EventSettings,
    support: tuple[Side | None, ...],
) -> list[RepEvent]:
    """Single-leg stance holds: runs of single-leg support of at least ``min_hold_s``."""
    reps: list[RepEvent] = []
    for leg_side in SIDES:
        if side != "auto" and leg_side != side:
            continue
        for first, last in runs(support_mask(support, leg_side) & valid):
            if duration_s(time_s, first, last) + 1e-9 < settings.min_hold_s:
                continue
            reps.append(
                make_rep(0, leg_side, "hold", (first, (first + last) // 2, last), time_s, valid)
            )
    return numbered(reps)


def foot_contacts(
    task: VideoTask,
    xy: FloatArray,
    time_s: FloatArray,
    valid: BoolArray,
    settings: ContactSettings,
    *,
    frontal: bool,
) -> FootContacts:
    """The feet on the ground, as the task's movement needs them (see the module doc)."""
    leg = leg_length(xy)
    masked = np.where(valid[:, None, None], xy, np.nan)
    if task is VideoTask.RUNNING:
        return running_contacts(masked, time_s, leg, settings)
    return standing_contacts(masked, time_s, leg, settings, frontal=frontal)


def detect(
    task: VideoTask,
    xy: FloatArray,
    time_s: FloatArray,
    valid: BoolArray,
    side: SideChoice,
    settings: EventSettings,
    contact_settings: ContactSettings,
    *,
    frontal: bool,
) -> TaskEvents:
    """The events of ``task`` in these filtered, levelled landmarks.

    ``frontal``: the camera sees the body from the front or the back (a foot higher in the
    picture is higher off the floor).
    """
    leg = leg_length(xy)
    contacts = foot_contacts(task, xy, time_s, valid, contact_settings, frontal=frontal)
    standing = (
        contacts
        if task is not VideoTask.RUNNING
        else foot_contacts(
            VideoTask.SINGLE_LEG_STANCE, xy, time_s, valid, contact_settings, frontal=frontal
        )
    )
    support = tuple(standing.support())
    baseline = (
        standing_baseline(xy, valid, standing, leg)
        if np.isfinite(leg)
        else np.zeros(xy.shape[0], dtype=bool)
    )
    cadence: float | None = None
    descents = len(hip_descents(xy, time_s, valid, settings)[1])
    if task in (VideoTask.SINGLE_LEG_SQUAT, VideoTask.STEP_DOWN):
        reps = squat_reps(xy, time_s, valid, side, settings, contact_settings, frontal=frontal)
    elif task is VideoTask.LANDING:
        reps = landing_events(xy, time_s, valid, settings, standing.flight())
    elif task is VideoTask.RUNNING:
        reps, cadence = running_stances(xy, time_s, valid, settings, contacts)
        if side != "auto":
            reps = [rep for rep in reps if rep.side == side]
    else:
        reps = holds(time_s, valid, side, settings, support)
    stance_side = None if task in (VideoTask.LANDING, VideoTask.RUNNING) else _main_side(reps)
    return TaskEvents(
        tuple(reps),
        _point_events(reps),
        stance_side,
        baseline,
        cadence,
        support,
        standing.flight(),
        descents,
        {s: len([r for r in runs(contacts.down[s]) if r[0] > 0]) for s in SIDES},
    )


def _point_events(reps: list[RepEvent]) -> tuple[Event, ...]:
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
    return tuple(sorted(events, key=lambda event: event.index))


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
