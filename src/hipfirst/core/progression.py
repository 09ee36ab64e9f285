"""Progression from a session log: advance / hold / regress each exercise, and
check each phase's advancement criteria in order (a phase is never skipped).

The log is checked first (:mod:`hipfirst.core.log_checks`): rows of one exercise on one
day are combined with the worst pain and form counting. The phases are checked before
the exercises, so an exercise of a later phase than the current one is reported as
logged before its phase and never advanced. The decision rules are in
:mod:`hipfirst.core.exercise_decisions`, the phase criteria in
:mod:`hipfirst.core.phase_criteria`, the shapes in :mod:`hipfirst.core.progress_report`.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from hipfirst.core.exercise_decisions import LogContext, ProgressionNumbers, decide
from hipfirst.core.exercise_rules import within_steps
from hipfirst.core.log_checks import combine_same_day
from hipfirst.core.phase_criteria import phase_criteria
from hipfirst.core.plan import Plan, PlanPhase
from hipfirst.core.progress_report import PhaseProgress, ProgressReport, SessionEntry
from hipfirst.core.return_to_sport import RtsChecklist
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Exercise

OFF_PHASE_STEPS = 2
"""A variant this many steps from an exercise of the current phase is reached by the
progression itself, so it is not 'logged before its phase' (the variant graph's depth,
not a clinical number)."""


def _by_exercise(log: Sequence[SessionEntry]) -> dict[str, list[SessionEntry]]:
    grouped: dict[str, list[SessionEntry]] = {}
    for entry in sorted(log, key=lambda item: item.date):
        grouped.setdefault(entry.exercise_id, []).append(entry)
    return grouped


def _planned_ids(phase: PlanPhase) -> set[str]:
    return {item.id for item in phase.exercises} | ({phase.running.id} if phase.running else set())


def _off_phase(exercise: Exercise, current: PlanPhase, kb: KnowledgeBase) -> str | None:
    """Why an exercise of a later phase is set aside, or None when it belongs now."""
    planned = _planned_ids(current)
    if exercise.id in planned or min(exercise.phases) <= current.number:
        return None
    for planned_id in planned:
        near = within_steps(kb.exercise(planned_id), kb, depth=OFF_PHASE_STEPS)
        if exercise.id in near:
            return None
    return (
        f"{exercise.name} belongs to phase {min(exercise.phases)} and you are in phase "
        f"{current.number}: it is reported, not progressed; keep to the phase "
        f"{current.number} exercises until the phase criteria are met"
    )


def _allows(plan: Plan) -> LogContext:
    excluded_types, excluded_ids = set(plan.excluded_load_types), set(plan.excluded_exercises)
    goal = plan.goal

    def allows(exercise: Exercise) -> bool:
        goal_fit = goal is None or not exercise.goals or goal in exercise.goals
        return (
            goal_fit
            and exercise.load_type not in excluded_types
            and exercise.id not in excluded_ids
        )

    usual = plan.running_return.usual_weekly_km if plan.running_return else None
    return LogContext(usual_weekly_km=usual, allows=allows)


def evaluate_progress(
    plan: Plan,
    log: Sequence[SessionEntry],
    kb: KnowledgeBase,
    *,
    reassessment: RtsChecklist | None = None,
) -> ProgressReport:
    """Check the phases in order (a phase after one not met is ``locked``), then decide
    every logged exercise knowing the current phase."""
    numbers = ProgressionNumbers(kb)
    combined, notes = combine_same_day(log)
    grouped = _by_exercise(combined)
    phases: list[PhaseProgress] = []
    current: int | None = None
    for phase in sorted(plan.phases, key=lambda item: item.number):
        if current is not None:
            phases.append(PhaseProgress(number=phase.number, name=phase.name, status="locked"))
            continue
        criteria = phase_criteria(phase, grouped, numbers, reassessment)
        met = all(item.status == "met" for item in criteria)
        phases.append(
            PhaseProgress(
                number=phase.number,
                name=phase.name,
                status="met" if met else "not_met",
                criteria=criteria,
            )
        )
        if not met:
            current = phase.number
    last = max(phase.number for phase in plan.phases)
    current_phase = plan.phase(current if current is not None else last)
    planned = {
        exercise.id: exercise
        for phase in plan.phases
        for exercise in [*phase.exercises, *([phase.running] if phase.running else [])]
    }
    base = _allows(plan)
    decisions = []
    for exercise_id, entries in grouped.items():
        exercise = kb.exercise(exercise_id)
        off = _off_phase(exercise, current_phase, kb)
        if off is not None:
            notes.append(off)
        context = LogContext(
            log=combined, off_phase=off, usual_weekly_km=base.usual_weekly_km, allows=base.allows
        )
        decisions.append(
            decide(
                entries,
                exercise,
                kb,
                equipment=plan.equipment,
                planned=planned.get(exercise_id),
                context=context,
            )
        )
    return ProgressReport(
        decisions=decisions,
        phases=phases,
        current_phase=current_phase.number,
        completed=current is None,
        sessions_logged=len({entry.date for entry in log}),
        planned_sessions_per_week=plan.sessions_per_week,
        log_notes=notes,
    )
