"""The subject is the person doing the task: candidates, how each fits the task, the choice.

The tracker may have followed more than one person (:func:`hipfirst.video.person.identities`
splits its frames into identities by continuity). Each identity that lasted (at least
:data:`~hipfirst.video.person.MIN_PERSON_FRAMES` frames and
:data:`~hipfirst.video.person.MIN_PERSON_S`) is a *candidate*. The subject is not simply
the largest or most central one: each candidate's own landmarks are read for the task's
movement (:func:`task_activity`, 0..1):

- single-leg stance, squat, step-down: the longest single-leg support (one foot on the
  ground, the other off: :mod:`hipfirst.video.contacts`) against twice the shortest hold;
  a person standing on two feet or walking past scores low;
- landing: 1 when both feet left the ground together;
- running: the share of frames not on two feet (single support or flight).

Score = frames tracked × (:data:`ACTIVITY_FLOOR` + activity) × (0.9 + 0.1 × size ×
centrality): the task comes first, the time on screen second, size and place only break
ties. When the runner-up scores at least :data:`AMBIGUOUS_RATIO` of the best, either
could be the subject: ``people.ambiguous`` says so and the user may choose with
``person`` (a candidate id).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from hipfirst.errors import FieldError, InputValidationError
from hipfirst.knowledge.vocabulary import VideoTask
from hipfirst.video.contacts import runs, standing_contacts
from hipfirst.video.events import duration_s, leg_length
from hipfirst.video.person import (
    MIN_PERSON_FRAMES,
    MIN_PERSON_S,
    TrackSelection,
    identities,
    size_and_centrality,
)
from hipfirst.video.quality import view_checks
from hipfirst.video.settings import VideoSettings
from hipfirst.video.types import BoolArray, FloatArray, LandmarkTrack, QualityCheck

ACTIVITY_FLOOR = 0.2
"""Share of the score a candidate gets for being seen at all (no task movement found)."""
AMBIGUOUS_RATIO = 0.6
"""A runner-up with this share of the best score could be the subject too."""
Box = tuple[float, float, float, float]
"""``(x0, y0, x1, y1)`` in displayed pixels."""


@dataclass(frozen=True)
class Candidate:
    """One person the tracker followed: ``id`` (identity), frames, a representative frame
    and its box ``(x0, y0, x1, y1)`` in displayed pixels, the score and why."""

    id: int
    frames: int
    frame: int
    box_px: Box
    score: float
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "frames": self.frames,
            "frame": self.frame,
            "box_px": [round(value, 1) for value in self.box_px],
            "score": round(self.score, 3),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Subject:
    """The selection of the subject's frames and the ``people`` section of ``summary.json``."""

    selection: TrackSelection
    candidates: tuple[Candidate, ...]
    chosen: int | None
    ambiguous: bool
    how: str

    def people_section(self) -> dict[str, Any]:
        return {
            "candidates": [candidate.as_dict() for candidate in self.candidates],
            "chosen": self.chosen,
            "ambiguous": self.ambiguous,
            "how": self.how,
        }


def task_activity(
    track: LandmarkTrack, rows: BoolArray, task: VideoTask, settings: VideoSettings
) -> tuple[float, str]:
    """How much of the task's movement one candidate shows (0..1), and in words."""
    xy, time_s = track.xy, track.time_s
    own = np.where(rows[:, None, None], xy, np.nan)
    leg = leg_length(own)
    if not np.isfinite(leg):
        return 0.0, "legs not seen"
    view = view_checks(xy, rows, track.turned_deg, settings.quality)[0].value
    contacts = standing_contacts(own, time_s, leg, settings.contacts, frontal=view == "front-on")
    if task is VideoTask.LANDING:
        flying = bool((contacts.flight() & rows).any())
        return (1.0, "both feet left the ground") if flying else (0.0, "no flight")
    support = contacts.support()
    single = np.array([value is not None for value in support]) & rows
    if task is VideoTask.RUNNING:
        off_two_feet = (single | contacts.flight()) & rows
        share = float(off_two_feet.sum()) / max(int(rows.sum()), 1)
        return share, f"off two feet in {share:.0%} of its frames"
    longest = max((duration_s(time_s, a, b) for a, b in runs(single)), default=0.0)
    activity = min(1.0, longest / (2.0 * settings.events.min_hold_s))
    return activity, f"on one leg for up to {longest:.1f} s"


def _representative(xy: FloatArray, rows: BoolArray) -> tuple[int, Box]:
    """The middle frame of the candidate's longest run, and its landmarks' box."""
    first, last = max(runs(rows), key=lambda run: run[1] - run[0])
    frame = (first + last) // 2
    points = xy[frame][np.all(np.isfinite(xy[frame]), axis=1)]
    if points.size == 0:
        return frame, (0.0, 0.0, 0.0, 0.0)
    low, high = points.min(axis=0), points.max(axis=0)
    return frame, (float(low[0]), float(low[1]), float(high[0]), float(high[1]))


def choose_subject(
    track: LandmarkTrack,
    task: VideoTask,
    frame_size: tuple[int, int],
    settings: VideoSettings,
    *,
    person: int | None = None,
) -> Subject:
    """The candidates and the subject (see the module doc); ``person`` overrides the choice.

    Raises :class:`~hipfirst.errors.InputValidationError` for a ``person`` that is not a
    candidate, naming the candidates there are.
    """
    xy, time_s = track.xy, track.time_s
    identity, jumps, count = identities(xy, time_s, settings.tracking)
    candidates: list[Candidate] = []
    for number in range(count):
        rows = identity == number
        frames = np.flatnonzero(rows)
        if frames.size < MIN_PERSON_FRAMES or (
            time_s[frames[-1]] - time_s[frames[0]] < MIN_PERSON_S - 1e-9 and count > 1
        ):
            continue
        activity, described = task_activity(track, rows, task, settings)
        size, centrality = size_and_centrality(xy, rows, frame_size)
        score = frames.size * (ACTIVITY_FLOOR + activity) * (0.9 + 0.1 * size * centrality)
        frame, box = _representative(xy, rows)
        reason = f"tracked in {frames.size} frames; {described}"
        candidates.append(Candidate(number, int(frames.size), frame, box, score, reason))
    if not candidates and count:
        # every identity was a glitch: the longest one is still the only person seen
        number = int(np.argmax([np.sum(identity == k) for k in range(count)]))
        rows = identity == number
        frame, box = _representative(xy, rows)
        candidates.append(Candidate(number, int(rows.sum()), frame, box, 0.0, "briefly tracked"))
    ranked = sorted(candidates, key=lambda candidate: -candidate.score)
    ambiguous = len(ranked) > 1 and ranked[1].score >= AMBIGUOUS_RATIO * ranked[0].score
    how = "automatic"
    chosen: int | None = ranked[0].id if ranked else None
    if person is not None:
        ids = [candidate.id for candidate in candidates]
        if person not in ids:
            allowed = ", ".join(str(value) for value in ids) or "none (nobody was found)"
            raise InputValidationError(
                "analyze",
                [FieldError("person", f"not a person in this video; allowed: {allowed}", person)],
            )
        chosen, how = person, "chosen by the user"
    selected = identity == chosen if chosen is not None else np.zeros(xy.shape[0], dtype=bool)
    selection = TrackSelection(identity, selected, jumps, count, -1 if chosen is None else chosen)
    return Subject(selection, tuple(candidates), chosen, ambiguous, how)


def subject_check(subject: Subject) -> QualityCheck:
    """``subject``: which candidate was analysed; a warning when another could be the one."""
    if not subject.ambiguous or subject.chosen is None:
        return QualityCheck("subject", subject.chosen, True)
    others = ", ".join(
        f"{candidate.id} ({candidate.reason})"
        for candidate in subject.candidates
        if candidate.id != subject.chosen
    )
    chosen = next(c for c in subject.candidates if c.id == subject.chosen)
    how = "chosen by the user" if subject.how != "automatic" else "chosen automatically"
    return QualityCheck(
        "subject",
        subject.chosen,
        False,
        f"more than one person could be the subject: analysed person {chosen.id} "
        f"({chosen.reason}; {how}); also {others}. To analyse another, give its number as "
        "the person to follow (summary.json people.candidates)",
    )
