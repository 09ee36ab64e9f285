"""Whether a phase's advancement criteria are met, from the session log or a re-assessment.

Each criterion's ``kind`` says what decides it, and each kind has its own check:

* ``pain``: the latest pain of every logged exercise of the phase (running step
  included) in the safe zone, during and the next morning; a next-morning pain not
  recorded means not met (unknown is not settled);
* ``mastery``: every home exercise of the phase mastered by the mastery rule
  (:mod:`hipfirst.core.mastery`, over the knowledge base's number of sessions), or left
  behind for a harder variant that is itself mastered (a failed attempt at a harder
  exercise never counts);
* ``form``: every logged home exercise of the phase done with good form;
* ``reassessment``: the return-to-sport checklist of a re-assessment is ready
  (``not_measured`` without a re-assessment).

Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, assert_never

from hipfirst.core.exercise_rules import harder_variants
from hipfirst.core.mastery import ProgressionNumbers, mastery_status
from hipfirst.core.plan import Criterion, PlanPhase
from hipfirst.core.progress_report import CriterionResult, SessionEntry
from hipfirst.core.return_to_sport import RtsChecklist
from hipfirst.core.shown_number import with_status
from hipfirst.knowledge.vocabulary import CriterionStatus

NOT_LOGGED = "no session of this phase logged yet"

Verdict = tuple[CriterionStatus, list[str]]
"""A criterion's status and the reasons for it."""

ExerciseCheck = Literal["mastery", "form"]
"""The criteria checked exercise by exercise."""


@dataclass(frozen=True)
class PhaseLog:
    """A phase of the plan and the session log, grouped by exercise (oldest first)."""

    phase: PlanPhase
    grouped: dict[str, list[SessionEntry]]
    numbers: ProgressionNumbers

    @property
    def home(self) -> list[str]:
        """The phase's home exercise ids, in plan order."""
        return [planned.id for planned in self.phase.exercises]

    @property
    def logged(self) -> list[str]:
        """The phase's home exercise ids that have log entries."""
        return [exercise_id for exercise_id in self.home if exercise_id in self.grouped]

    def mastered(self, exercise_id: str) -> tuple[bool, str]:
        """The mastery rule for one exercise of the log (planned dosage when planned)."""
        planned = next((p for p in self.phase.exercises if p.id == exercise_id), None)
        status = mastery_status(
            self.grouped[exercise_id], self.numbers.kb.exercise(exercise_id), planned, self.numbers
        )
        return status.done, status.missing

    def moved_beyond(self, exercise_id: str) -> str | None:
        """A harder variant outside this phase's list that is itself mastered, if any."""
        exercise = self.numbers.kb.exercises.get(exercise_id)
        harder = harder_variants(exercise, self.numbers.kb) if exercise is not None else set()
        for other in sorted((harder - set(self.home)) & set(self.grouped)):
            if self.mastered(other)[0]:
                return other
        return None


def pain_settled(log: PhaseLog) -> Verdict:
    """Latest pain of each logged exercise in the safe zone, during and the next morning."""
    phase, grouped = log.phase, log.grouped
    running = [phase.running.id] if phase.running and phase.running.id in grouped else []
    ids = [*log.logged, *running]
    if not ids:
        return "not_measured", [NOT_LOGGED]
    too_high: list[str] = []
    unknown: list[str] = []
    for exercise_id in ids:
        latest = grouped[exercise_id][-1]
        if latest.worst_pain > log.numbers.safe_max:
            too_high.append(f"{exercise_id} ({latest.worst_pain:g}/10)")
        elif latest.pain_next_morning is None:
            unknown.append(exercise_id)
    safe = with_status(log.numbers.safe)
    reasons: list[str] = []
    if too_high:
        reasons.append(f"pain above the safe zone {safe}: " + ", ".join(too_high))
    if unknown:
        reasons.append("next-morning pain not recorded (not settled): " + ", ".join(unknown))
    if reasons:
        return "not_met", reasons
    return "met", [f"latest pain within the safe zone {safe}, during and the next morning"]


def _failing(log: PhaseLog, kind: ExerciseCheck) -> list[str]:
    """The home exercises that fail a mastery or form criterion, with why."""
    failing: list[str] = []
    for exercise_id in log.home:
        if kind == "form":
            if exercise_id not in log.grouped:
                failing.append(f"{exercise_id} (not logged)")
            elif not log.grouped[exercise_id][-1].form_ok:
                failing.append(f"{exercise_id} (form not OK)")
            continue
        if exercise_id in log.grouped:
            done, missing = log.mastered(exercise_id)
            if done:
                continue
        else:
            missing = "not logged"
        beyond = log.moved_beyond(exercise_id)
        if beyond is None:
            failing.append(f"{exercise_id} ({missing})")
    return failing


def _every_exercise(log: PhaseLog, kind: ExerciseCheck, what: str) -> Verdict:
    if not log.logged:
        return "not_measured", [NOT_LOGGED]
    failing = _failing(log, kind)
    if failing:
        return "not_met", [f"{what}: {', '.join(failing)}"]
    return "met", ["all exercises of the phase"]


def exercises_mastered(log: PhaseLog) -> Verdict:
    """Every home exercise at the mastery level, or moved on to a harder variant."""
    return _every_exercise(log, "mastery", "not mastered yet")


def form_clean(log: PhaseLog) -> Verdict:
    """Every logged home exercise done with good form last time."""
    return _every_exercise(log, "form", "form to work on")


def ready_to_return(reassessment: RtsChecklist | None) -> Verdict:
    """The re-assessment's return-to-sport checklist is ready."""
    if reassessment is None:
        return "not_measured", ["needs a re-assessment (return-to-sport checklist)"]
    if reassessment.ready:
        return "met", ["every return-to-sport criterion met"]
    open_items = [item.label for item in reassessment.criteria if item.status != "met"]
    return "not_met", [f"not met or not measured: {', '.join(open_items)}"]


def check_criterion(
    criterion: Criterion, log: PhaseLog, reassessment: RtsChecklist | None
) -> CriterionResult:
    """One criterion of the phase, checked by its kind."""
    verdict: Verdict
    match criterion.kind:
        case "pain":
            verdict = pain_settled(log)
        case "mastery":
            verdict = exercises_mastered(log)
        case "form":
            verdict = form_clean(log)
        case "reassessment":
            verdict = ready_to_return(reassessment)
        case _ as unknown:
            assert_never(unknown)
    status, reasons = verdict
    return CriterionResult(
        id=criterion.id,
        description=criterion.description,
        status=status,
        reasons=reasons,
        sources=list(criterion.sources),
    )


def phase_criteria(
    phase: PlanPhase,
    grouped: dict[str, list[SessionEntry]],
    numbers: ProgressionNumbers,
    reassessment: RtsChecklist | None,
) -> list[CriterionResult]:
    """Every advancement criterion of the phase, in the plan's order."""
    log = PhaseLog(phase, grouped, numbers)
    return [check_criterion(criterion, log, reassessment) for criterion in phase.advance_when]
