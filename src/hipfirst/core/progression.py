"""Progression from a session log: advance / hold / regress each exercise, and
check each phase's advancement criteria in order (a phase is never skipped).

The decision rules are in :mod:`hipfirst.core.exercise_decisions`, the phase
criteria in :mod:`hipfirst.core.phase_criteria`, the shapes in
:mod:`hipfirst.core.progress_report`. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from hipfirst.core.exercise_decisions import ProgressionNumbers, decide
from hipfirst.core.phase_criteria import phase_criteria
from hipfirst.core.plan import Plan
from hipfirst.core.progress_report import PhaseProgress, ProgressReport, SessionEntry
from hipfirst.core.return_to_sport import RtsChecklist
from hipfirst.knowledge.base import KnowledgeBase


def _by_exercise(log: Sequence[SessionEntry]) -> dict[str, list[SessionEntry]]:
    grouped: dict[str, list[SessionEntry]] = {}
    for entry in sorted(log, key=lambda item: item.date):  # stable: same-day order kept
        grouped.setdefault(entry.exercise_id, []).append(entry)
    return grouped


def evaluate_progress(
    plan: Plan,
    log: Sequence[SessionEntry],
    kb: KnowledgeBase,
    *,
    reassessment: RtsChecklist | None = None,
) -> ProgressReport:
    """Decide every logged exercise and check the phases in order; a phase after one
    whose criteria are not all met is ``locked`` (never skipped)."""
    numbers = ProgressionNumbers(kb)
    grouped = _by_exercise(log)
    planned = {
        exercise.id: exercise
        for phase in plan.phases
        for exercise in [*phase.exercises, *([phase.running] if phase.running else [])]
    }
    decisions = [
        decide(
            entries,
            kb.exercise(exercise_id),
            kb,
            equipment=plan.equipment,
            planned=planned.get(exercise_id),
        )
        for exercise_id, entries in grouped.items()
    ]
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
    return ProgressReport(
        decisions=decisions,
        phases=phases,
        current_phase=current if current is not None else last,
        completed=current is None,
        sessions_logged=len({entry.date for entry in log}),
        planned_sessions_per_week=plan.sessions_per_week,
    )
