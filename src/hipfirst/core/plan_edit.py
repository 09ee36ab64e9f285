"""Editing a plan: swap, remove or add exercises, change the dosage, accept progression.

The clinician's changes are applied to the engine's :class:`Plan` and the
result is validated by the plan model again. Dosage outside the knowledge-base
ranges (``programme_sets``, ``programme_reps``, ``programme_sessions_per_week``,
hold ranges) is allowed only with an explicit confirmation: it yields a
*warning*, kept in the change note; a value the plan cannot hold at all (not a
whole number, below 1, more than 7 sessions a week) is an *error*.

An edit is a flat document of text values (the web form's fields), located by
name: ``p{phase}.e{index}.{exercise|remove|sets|reps|hold_s|sessions_per_week}``
for each planned exercise and ``p{phase}.add`` to add one; :func:`edit_fields`
gives a plan's current values under those names. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from hipfirst.core.dosage import planned_exercise
from hipfirst.core.exercise_rules import (
    Fits,
    add_choices,
    hold_range_id,
    is_available,
    suits_activities,
    swap_choices,
)
from hipfirst.core.plan import Plan, PlannedExercise, PlanPhase, Reason
from hipfirst.core.progress_report import ExerciseDecision
from hipfirst.core.shown_number import with_status_and_sources
from hipfirst.errors import FieldError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Exercise, Measure

MAX_SESSIONS_PER_WEEK = 7
CHECKED = "true"
"""The value of a ticked box (``….remove``, a confirmation) in an edit document."""


@dataclass(frozen=True)
class DoseRange:
    """A knowledge-base dosage range, with what the warning cites."""

    measure: Measure

    @property
    def low(self) -> float:
        assert self.measure.low is not None
        return self.measure.low

    @property
    def high(self) -> float:
        assert self.measure.high is not None
        return self.measure.high

    def contains(self, value: int) -> bool:
        return self.low <= value <= self.high

    def describe(self) -> str:
        return with_status_and_sources(self.measure)


def dosage_range(kb: KnowledgeBase, part: str, exercise: Exercise | None) -> DoseRange:
    """The range a dosage field is checked against (holds by the exercise's load type)."""
    if part == "hold_s":
        return DoseRange(kb.measure(hold_range_id(exercise)))
    measure_id = {
        "sets": "programme_sets",
        "reps": "programme_reps",
        "sessions_per_week": "programme_sessions_per_week",
    }[part]
    return DoseRange(kb.measure(measure_id))


def edit_fields(plan: Plan) -> dict[str, str]:
    """The plan's current exercises and dosage as an edit document (nothing changed)."""
    fields: dict[str, str] = {}
    for phase in plan.phases:
        for index, planned in enumerate(phase.exercises):
            name = f"p{phase.number}.e{index}"
            fields[f"{name}.exercise"] = planned.id
            fields[f"{name}.sets"] = str(planned.sets)
            if planned.hold_s is not None:
                fields[f"{name}.hold_s"] = str(planned.hold_s)
            else:
                fields[f"{name}.reps"] = str(planned.reps)
            fields[f"{name}.sessions_per_week"] = str(planned.sessions_per_week)
    return fields


def plan_fit(plan: Plan) -> Fits:
    """What the plan allows: the patient's equipment and activities, its goal (an exercise
    tagged with goals only for those) and no exercise its precautions leave out."""
    excluded_types, excluded_ids = set(plan.excluded_load_types), set(plan.excluded_exercises)

    def fits(exercise: Exercise) -> bool:
        return (
            is_available(exercise, plan.equipment)
            and suits_activities(exercise, plan.activities)
            and (plan.goal is None or not exercise.goals or plan.goal in exercise.goals)
            and exercise.load_type not in excluded_types
            and exercise.id not in excluded_ids
        )

    return fits


def in_phase(phase: PlanPhase) -> set[str]:
    """The exercise ids a phase already holds (its home exercises and running step)."""
    return {item.id for item in phase.exercises} | ({phase.running.id} if phase.running else set())


def phase_swaps(
    plan: Plan, phase: PlanPhase, exercise_id: str, kb: KnowledgeBase
) -> list[tuple[str, str]]:
    """What a planned exercise of ``phase`` may be swapped for (:func:`swap_choices`)."""
    taken = in_phase(phase) - {exercise_id}
    return swap_choices(kb, exercise_id, phase.number, plan_fit(plan), taken)


def phase_additions(plan: Plan, phase: PlanPhase, kb: KnowledgeBase) -> list[tuple[str, str]]:
    """What may be added to ``phase``: nothing it already holds (:func:`add_choices`)."""
    return add_choices(kb, phase.number, plan_fit(plan), in_phase(phase))


def _clinician_reason(exercise: Exercise) -> list[Reason]:
    return [Reason(text="chosen by the clinician", sources=list(exercise.sources))]


@dataclass
class EditResult:
    plan: Plan | None
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)


def _whole(form: Mapping[str, str], name: str, errors: list[FieldError]) -> int | None:
    text = form.get(name, "").strip()
    try:
        value = float(text)
    except ValueError:
        errors.append(FieldError(name, "must be a whole number of 1 or more", text or None))
        return None
    if not value.is_integer() or value < 1:
        errors.append(FieldError(name, "must be a whole number of 1 or more", text))
        return None
    return int(value)


def _swap(
    planned: PlannedExercise,
    name: str,
    chosen_id: str,
    phase: PlanPhase,
    plan: Plan,
    kb: KnowledgeBase,
    result: EditResult,
) -> PlannedExercise:
    """The chosen variant or phase exercise at its default dosage, or (an error noted)
    the planned exercise unchanged."""
    allowed = {choice for choice, _ in phase_swaps(plan, phase, planned.id, kb)}
    chosen = kb.exercises.get(chosen_id)
    if chosen is None or chosen_id not in allowed:
        result.errors.append(
            FieldError(
                f"{name}.exercise",
                f"must be an easier or harder variant of {planned.name}, or a phase "
                f"{phase.number} exercise with the same aim that the patient can do and the "
                "phase does not hold yet",
                chosen_id,
            )
        )
        return planned
    result.changes.append(f"phase {phase.number}: swapped {planned.name} for {chosen.name}")
    return planned_exercise(chosen, kb, planned.sessions_per_week, _clinician_reason(chosen))


def _added(
    added: str, prefix: str, phase: PlanPhase, plan: Plan, kb: KnowledgeBase, result: EditResult
) -> PlannedExercise | None:
    """A phase exercise the patient can do and the phase does not hold, at its default dosage."""
    exercise = kb.exercises.get(added)
    allowed_ids = {choice for choice, _ in phase_additions(plan, phase, kb)}
    if exercise is None or added not in allowed_ids:
        result.errors.append(
            FieldError(
                f"{prefix}.add",
                f"must be a phase {phase.number} exercise the patient can do and the phase "
                "does not hold yet",
                added,
            )
        )
        return None
    result.changes.append(f"phase {phase.number}: added {exercise.name}")
    return planned_exercise(exercise, kb, plan.sessions_per_week, _clinician_reason(exercise))


def _edited_phase(
    phase: PlanPhase, plan: Plan, form: Mapping[str, str], kb: KnowledgeBase, result: EditResult
) -> PlanPhase:
    """One phase after its fields' changes: each exercise removed, swapped or re-dosed,
    then the added one; a phase keeps at least one exercise and none twice."""
    prefix = f"p{phase.number}"
    kept: list[PlannedExercise] = []
    for index, planned in enumerate(phase.exercises):
        name = f"{prefix}.e{index}"
        if form.get(f"{name}.remove") == CHECKED:
            result.changes.append(f"phase {phase.number}: removed {planned.name}")
            continue
        chosen_id = form.get(f"{name}.exercise", planned.id).strip() or planned.id
        if chosen_id != planned.id:
            kept.append(_swap(planned, name, chosen_id, phase, plan, kb, result))
        else:
            kept.append(_dosage(planned, name, phase.number, form, kb, result))
    added = form.get(f"{prefix}.add", "").strip()
    if added:
        new = _added(added, prefix, phase, plan, kb, result)
        if new is not None:
            kept.append(new)
    ids = [item.id for item in kept]
    duplicates = sorted({item for item in ids if ids.count(item) > 1})
    if duplicates:
        result.errors.append(
            FieldError(prefix, f"lists the same exercise twice: {', '.join(duplicates)}")
        )
    if not kept:
        result.errors.append(FieldError(prefix, "must keep at least one exercise"))
    return phase.model_copy(update={"exercises": kept})


def apply_edit(plan: Plan, form: Mapping[str, str], kb: KnowledgeBase) -> EditResult:
    """The plan after the form's changes, with a line per change and the range warnings."""
    result = EditResult(plan=None)
    phases = [_edited_phase(phase, plan, form, kb, result) for phase in plan.phases]
    if result.errors:
        return result
    result.plan = Plan.model_validate(
        {**plan.model_dump(), "phases": [p.model_dump() for p in phases]}
    )
    return result


def _dosage(
    planned: PlannedExercise,
    name: str,
    phase: int,
    form: Mapping[str, str],
    kb: KnowledgeBase,
    result: EditResult,
) -> PlannedExercise:
    """The exercise with the typed dosage; changes and out-of-range warnings noted."""
    exercise = kb.exercises.get(planned.id)
    parts = ["sets", "hold_s" if planned.hold_s is not None else "reps", "sessions_per_week"]
    update: dict[str, int] = {}
    for part in parts:
        field_name = f"{name}.{part}"
        if field_name not in form:
            continue
        before = len(result.errors)
        value = _whole(form, field_name, result.errors)
        if value is None or len(result.errors) > before:
            continue
        if part == "sessions_per_week" and value > MAX_SESSIONS_PER_WEEK:
            result.errors.append(
                FieldError(field_name, f"must be between 1 and {MAX_SESSIONS_PER_WEEK}", value)
            )
            continue
        current = getattr(planned, part)
        if value == current:
            continue
        label = part.replace("_", " ")
        update[part] = value
        result.changes.append(f"phase {phase}: {planned.name}: {label} {current} → {value}")
        allowed = dosage_range(kb, part, exercise)
        if exercise is not None and exercise.load_type == "running":
            continue
        if not allowed.contains(value):
            result.warnings.append(
                f"phase {phase}: {planned.name}: {label} {value} is outside the knowledge-base "
                f"range {allowed.describe()}"
            )
    return planned.model_copy(update=update) if update else planned


@dataclass
class Applied:
    plan: Plan
    changes: list[str]


def apply_decisions(
    plan: Plan, decisions: list[ExerciseDecision], phase: int, kb: KnowledgeBase
) -> Applied:
    """The plan with accepted progression decisions applied.

    A decision that moves to another exercise replaces it (in the phase the
    patient is in if it is there, otherwise wherever it is planned) at the new
    exercise's default dosage; a decision on the same exercise (add or reduce
    load) is an instruction, kept in the change note.
    """
    changes: list[str] = []
    phases = {item.number: list(item.exercises) for item in plan.phases}
    running = {item.number: item.running for item in plan.phases}
    for decision in decisions:
        line = f"{decision.decision} {decision.name}: {decision.action}"
        if decision.next_exercise_id == decision.exercise_id:
            changes.append(line)
            continue
        order = [phase, *[number for number in phases if number != phase]]
        where = next(
            (n for n in order if any(e.id == decision.exercise_id for e in phases[n])), None
        )
        if where is None:
            step = next(
                (
                    n
                    for n in order
                    if (r := running[n]) is not None and r.id == decision.exercise_id
                ),
                None,
            )
            old_step = running[step] if step is not None else None
            if step is None or old_step is None:
                changes.append(line + " (not in the plan; nothing replaced)")
                continue
            replacement = kb.exercise(decision.next_exercise_id)
            running[step] = planned_exercise(
                replacement, kb, old_step.sessions_per_week, list(decision.reasons)
            )
            changes.append(f"{line} (phase {step} running)")
            continue
        exercises = phases[where]
        index = next(i for i, e in enumerate(exercises) if e.id == decision.exercise_id)
        old = exercises[index]
        if any(e.id == decision.next_exercise_id for e in exercises):
            del exercises[index]
        else:
            replacement = kb.exercise(decision.next_exercise_id)
            exercises[index] = planned_exercise(
                replacement, kb, old.sessions_per_week, list(decision.reasons)
            )
        changes.append(f"{line} (phase {where})")
    updated = [
        item.model_copy(update={"exercises": phases[item.number], "running": running[item.number]})
        for item in plan.phases
    ]
    new_plan = Plan.model_validate(
        {**plan.model_dump(), "phases": [p.model_dump() for p in updated]}
    )
    return Applied(new_plan, changes)
