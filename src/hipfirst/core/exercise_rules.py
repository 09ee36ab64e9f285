"""The exercise rules, defined once: who can do an exercise, and how its variants link.

Every caller (prescription, progression, plan editing, the CLI and the web app)
uses these, so "the patient can do it" and "the next harder variant" mean the
same thing everywhere.

* **Equipment fit**: the patient has every piece of equipment the exercise needs;
  ``none`` (body weight) needs nothing.
* **Activity fit**: an activity-specific exercise (running steps, cutting) only for
  people who do one of its activities; an exercise without activities suits anyone.
* **Variant graph**: each exercise lists its ``easier`` and ``harder`` variants
  (knowledge-base ids, in order of preference). A *step* is one link; walks
  follow the first variant that fits.
* **Hold range**: a timed hold is dosed inside the stretch range for a stretch,
  otherwise inside the isometric range.
* **Swap and add choices**: a planned exercise may become one of its variants or a
  phase exercise with the same aim (the same kind of load, a contributor in common),
  never a stretch in place of a strengthening exercise; nothing already in the phase is
  offered again.

Pure: no I/O. The knowledge base is passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Exercise

Direction = Literal["easier", "harder"]
DIRECTIONS: tuple[Direction, Direction] = ("easier", "harder")

Fits = Callable[[Exercise], bool]
"""Whether an exercise suits the patient (e.g. equipment fit, or equipment and activity fit)."""

STRETCH_HOLD_RANGE = "programme_stretch_hold_s"
ISOMETRIC_HOLD_RANGE = "programme_isometric_hold_s"


def is_available(exercise: Exercise, equipment: Iterable[str]) -> bool:
    """The patient has every piece of equipment the exercise needs ('none' needs nothing)."""
    return set(exercise.equipment) - {"none"} <= set(equipment)


def suits_activities(exercise: Exercise, activities: Iterable[str]) -> bool:
    """Activity-specific exercises (running, cutting) only for people who do them."""
    return not exercise.activities or bool(set(exercise.activities) & set(activities))


def hold_range_id(exercise: Exercise | None) -> str:
    """The knowledge-base range a timed hold is dosed in: stretch, else isometric."""
    if exercise is not None and exercise.load_type == "stretch":
        return STRETCH_HOLD_RANGE
    return ISOMETRIC_HOLD_RANGE


def steps(exercise: Exercise, kb: KnowledgeBase, direction: Direction) -> list[Exercise]:
    """The exercise's variants one step ``easier`` or ``harder``, in preference order."""
    found = (kb.exercises.get(other_id) for other_id in getattr(exercise, direction))
    return [other for other in found if other is not None]


def first_step(
    exercise: Exercise, kb: KnowledgeBase, direction: Direction, fits: Fits
) -> Exercise | None:
    """The first variant one step ``easier`` or ``harder`` that fits, if any."""
    return next((other for other in steps(exercise, kb, direction) if fits(other)), None)


def walk(start: Exercise, kb: KnowledgeBase, direction: Direction, fits: Fits) -> list[Exercise]:
    """``start`` and every first fitting variant after it, one step at a time, until
    none fits (or the walk would come back to an exercise already on it)."""
    chain: list[Exercise] = []
    current: Exercise | None = start
    while current is not None and current not in chain:
        chain.append(current)
        current = first_step(current, kb, direction, fits)
    return chain


def within_steps(
    exercise: Exercise,
    kb: KnowledgeBase,
    directions: Iterable[Direction] = DIRECTIONS,
    depth: int | None = None,
) -> set[str]:
    """Ids reachable in at most ``depth`` steps (``None``: any number) along each
    direction, each direction walked from ``exercise`` on its own."""
    found: set[str] = set()
    for direction in directions:
        frontier = [exercise]
        taken = 0
        while frontier and (depth is None or taken < depth):
            following: list[Exercise] = []
            for item in frontier:
                for other in steps(item, kb, direction):
                    if other.id not in found:
                        found.add(other.id)
                        following.append(other)
            frontier = following
            taken += 1
    return found


def relatives(exercise: Exercise, kb: KnowledgeBase, depth: int = 2) -> set[str]:
    """Ids within ``depth`` steps along the easier or the harder chain: variants of one
    exercise, which a session should not contain twice."""
    return within_steps(exercise, kb, DIRECTIONS, depth) - {exercise.id}


def harder_variants(exercise: Exercise, kb: KnowledgeBase) -> set[str]:
    """Every id up the harder chain, however many steps away."""
    return within_steps(exercise, kb, ("harder",))


def running_chain(kb: KnowledgeBase, fits: Fits) -> list[Exercise]:
    """The running progression that fits, from its first step (no easier variant) on."""
    roots = sorted(
        (
            item
            for item in kb.exercises.values()
            if item.load_type == "running" and fits(item) and not item.easier
        ),
        key=lambda item: item.id,
    )
    return walk(roots[0], kb, "harder", fits) if roots else []


def phase_library(kb: KnowledgeBase, phase: int, equipment: Iterable[str]) -> list[Exercise]:
    """Every library exercise of ``phase`` the patient has the equipment for."""
    have = set(equipment)
    return [
        exercise
        for exercise in kb.exercises.values()
        if phase in exercise.phases and is_available(exercise, have)
    ]


ExerciseKind = Literal["strength", "flexibility", "running"]
"""What kind of load an exercise is: strengthening and control (body weight, band, weights,
holds, hops), flexibility (stretches and mobility work), or a running step."""
FLEXIBILITY_LOADS = frozenset({"stretch", "mobility"})


def exercise_kind(exercise: Exercise) -> ExerciseKind:
    """The kind of load of ``exercise`` (a stretch never stands in for a strengthening one)."""
    if exercise.load_type in FLEXIBILITY_LOADS:
        return "flexibility"
    if exercise.load_type == "running":
        return "running"
    return "strength"


def same_aim(planned: Exercise, other: Exercise) -> bool:
    """``other`` works towards what ``planned`` is there for: the same kind of load, and at
    least one contributor both address (for one that addresses none: the same region)."""
    if exercise_kind(planned) != exercise_kind(other):
        return False
    if not planned.addresses:
        return planned.region == other.region
    return bool(set(planned.addresses) & set(other.addresses))


def swap_choices(
    kb: KnowledgeBase, exercise_id: str, phase: int, fits: Fits, taken: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(id, label) of what a planned exercise may become: its easier and harder variants
    (one step, labelled ``easier: …`` / ``harder: …``) first, then the library exercises of
    the phase with the same aim (:func:`same_aim`); only those that ``fits`` allows (the
    patient's equipment, activities, goal and precautions) and none in ``taken`` (the
    exercises already in the phase)."""
    exercise = kb.exercises.get(exercise_id)
    choices: list[tuple[str, str]] = []
    seen = {exercise_id, *taken}
    if exercise is None:
        return choices
    for direction in DIRECTIONS:
        for other in steps(exercise, kb, direction):
            if other.id not in seen and fits(other):
                seen.add(other.id)
                choices.append((other.id, f"{direction}: {other.name}"))
    for other in sorted(kb.exercises.values(), key=lambda item: item.name):
        if (
            other.id not in seen
            and phase in other.phases
            and fits(other)
            and same_aim(exercise, other)
        ):
            seen.add(other.id)
            choices.append((other.id, other.name))
    return choices


def add_choices(
    kb: KnowledgeBase, phase: int, fits: Fits, taken: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(id, name) of the library exercises of ``phase`` that ``fits`` allows and that are
    not in ``taken`` (the exercises already in the phase), by name."""
    skip = set(taken)
    found = [
        (exercise.id, exercise.name)
        for exercise in kb.exercises.values()
        if phase in exercise.phases and exercise.id not in skip and fits(exercise)
    ]
    return sorted(found, key=lambda item: item[1])
