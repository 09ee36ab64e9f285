"""How long a home session takes, and fitting it to the minutes the person has.

Estimate per exercise (knowledge-base numbers, seconds):
``sets × sides × (reps × session_seconds_per_rep, or the hold)
+ (sets − 1) × session_rest_between_sets_s + session_changeover_s``,
with ``sides`` 2 for an exercise done on each side. The running step is a separate
session and not counted.

Fitting to ``patient.minutes_per_session`` when the estimate is longer, in this order,
each step saying what it cut:

1. fewer sets: down to the bottom of ``programme_sets``, last exercise first;
2. fewer exercises: the last ones first, down to ``programme_exercises_floor``, always
   keeping one knee and one hip exercise (hip plus knee work in every session);
3. if it still does not fit, the plan says how long the session will take.

Pure: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from hipfirst.core.dosage import value_of, whole_range
from hipfirst.core.plan import PlannedExercise
from hipfirst.knowledge.base import KnowledgeBase


def exercise_seconds(planned: PlannedExercise, kb: KnowledgeBase) -> float:
    """The estimated time of one planned exercise, seconds (see the module docstring)."""
    sides = 2 if planned.per_side else 1
    if planned.hold_s is not None:
        work = float(planned.hold_s)
    else:
        assert planned.reps is not None  # a planned exercise has reps or a hold
        work = planned.reps * value_of(kb, "session_seconds_per_rep")
    rests = (planned.sets - 1) * value_of(kb, "session_rest_between_sets_s")
    return planned.sets * sides * work + rests + value_of(kb, "session_changeover_s")


def session_minutes(exercises: Sequence[PlannedExercise], kb: KnowledgeBase) -> int:
    """The whole home session, rounded up to whole minutes."""
    return math.ceil(sum(exercise_seconds(item, kb) for item in exercises) / 60.0)


@dataclass
class FittedSession:
    """The session after fitting, its estimated minutes and what was cut (plain words)."""

    exercises: list[PlannedExercise]
    minutes: int
    shortened: list[str] = field(default_factory=list)


def fit_session(
    exercises: Sequence[PlannedExercise],
    minutes_available: float | None,
    kb: KnowledgeBase,
    *,
    is_knee: Callable[[str], bool],
    is_hip: Callable[[str], bool],
) -> FittedSession:
    """Shorten the session to the minutes available (see the module docstring).

    ``is_knee``/``is_hip`` tell, by exercise id, which exercises keep the session hip
    plus knee work, so they are the last to go.
    """
    chosen = list(exercises)
    fitted = FittedSession(chosen, session_minutes(chosen, kb))
    if minutes_available is None or fitted.minutes <= minutes_available:
        return fitted
    limit = f"the {minutes_available:g} minutes per session"
    lowest_sets = whole_range(kb, "programme_sets")[0]
    lowered: list[str] = []
    for position in reversed(range(len(chosen))):
        if session_minutes(chosen, kb) <= minutes_available:
            break
        if chosen[position].sets > lowest_sets:
            chosen[position] = chosen[position].model_copy(update={"sets": lowest_sets})
            lowered.append(chosen[position].name)
    floor = int(value_of(kb, "programme_exercises_floor"))
    dropped: list[str] = []
    while session_minutes(chosen, kb) > minutes_available and len(chosen) > floor:
        removable = [
            index
            for index in reversed(range(len(chosen)))
            if _still_hip_and_knee(chosen, index, is_knee, is_hip)
        ]
        if not removable:
            break
        dropped.append(chosen.pop(removable[0]).name)
    kept = {item.name for item in chosen}
    lowered = [name for name in reversed(lowered) if name in kept]
    if lowered:
        fitted.shortened.append(f"{lowest_sets} sets of {', '.join(lowered)} to fit {limit}")
    if dropped:
        fitted.shortened.append(f"left out {', '.join(reversed(dropped))} to fit {limit}")
    fitted.exercises = chosen
    fitted.minutes = session_minutes(chosen, kb)
    if fitted.minutes > minutes_available:
        fitted.shortened.append(
            f"even shortened, the session takes about {fitted.minutes} minutes, more than "
            f"{limit}: split it over the day or ask your clinician which exercises to keep"
        )
    return fitted


def _still_hip_and_knee(
    chosen: Sequence[PlannedExercise],
    index: int,
    is_knee: Callable[[str], bool],
    is_hip: Callable[[str], bool],
) -> bool:
    rest = [item.id for position, item in enumerate(chosen) if position != index]
    knee_before = any(is_knee(item.id) for item in chosen)
    hip_before = any(is_hip(item.id) for item in chosen)
    return (not knee_before or any(map(is_knee, rest))) and (
        not hip_before or any(map(is_hip, rest))
    )
