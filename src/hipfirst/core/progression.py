"""Progression from a session log: advance / hold / regress each exercise, and
check each phase's advancement criteria in order (a phase is never skipped).

Rules, in the order they are applied to an exercise's latest log entry:

1. pain during or the next morning in the unacceptable zone (> 5/10) → **regress**
   to the first easier variant the patient can do (else reduce the load);
2. next-morning pain higher than after the previous session of the same
   exercise (24-hour rule) → **regress** the load;
3. pain in the acceptable zone (4–5/10) → **hold**;
4. form not OK → **hold**;
5. mastery (20 repetitions, or a 45-s hold, without form breakdown; running:
   pain in the safe zone) → **advance** to the first harder variant the patient
   can do, or, at the top of a chain, raise the load 2–10% (ACSM 2009);
6. otherwise **hold** (add repetitions towards 20).

Pain zones and the 24-hour rule: Silbernagel 2007 (status unconfirmed); all
numbers come from the knowledge base. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hipfirst.core.plan import Plan, PlannedExercise, PlanPhase, Reason
from hipfirst.core.return_to_sport import RtsChecklist
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Exercise
from hipfirst.knowledge.vocabulary import CriterionStatus

Decision = Literal["advance", "hold", "regress"]
PhaseStatus = Literal["met", "not_met", "locked"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


LOG_BOUNDS: dict[str, tuple[float, float]] = {
    "sets": (0, 20),
    "reps": (0, 600),
    "pain_during": (0, 10),
    "pain_next_morning": (0, 10),
    "effort": (0, 10),
}
"""Allowed ranges of the numeric session-log fields (pain and effort are 0–10 ratings;
the set and repetition limits only catch typing mistakes; reps up to 600 s of hold)."""


def _log_range(field: str) -> Any:
    """The pydantic bound of a numeric log field, taken from :data:`LOG_BOUNDS`."""
    low, high = LOG_BOUNDS[field]
    return Field(ge=low, le=high)


class SessionEntry(_Frozen):
    """One logged exercise in one session.

    ``reps`` is repetitions per set; for a timed hold it is the seconds held.
    ``pain_next_morning`` may be missing when the log is written the same day.
    """

    date: dt.date
    exercise_id: str
    sets: Annotated[int, _log_range("sets")]
    reps: Annotated[int, _log_range("reps")]
    load: str = ""
    pain_during: Annotated[float, _log_range("pain_during")]
    pain_next_morning: Annotated[float, _log_range("pain_next_morning")] | None = None
    form_ok: bool
    effort: Annotated[float, _log_range("effort")] | None = None
    notes: str = ""


class ExerciseDecision(_Frozen):
    exercise_id: str
    name: str
    decision: Decision
    next_exercise_id: str
    next_exercise_name: str
    action: str
    reasons: list[Reason] = Field(min_length=1)
    sessions_logged: int
    last_date: dt.date


class CriterionResult(_Frozen):
    id: str
    description: str
    status: CriterionStatus
    reasons: list[str] = Field(default_factory=list)
    sources: list[str] = Field(min_length=1)


class PhaseProgress(_Frozen):
    number: int
    name: str
    status: PhaseStatus
    criteria: list[CriterionResult] = Field(default_factory=list)


class ProgressReport(_Frozen):
    """Per-exercise decisions and per-phase criteria; ``current_phase`` is the first
    phase whose criteria are not all met (``completed`` when none is left)."""

    decisions: list[ExerciseDecision]
    phases: list[PhaseProgress]
    current_phase: int
    completed: bool
    sessions_logged: int
    planned_sessions_per_week: int


class _Rules:
    """The knowledge-base numbers progression uses, read once."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.safe = kb.measure("pain_zone_safe")
        self.acceptable = kb.measure("pain_zone_acceptable")
        self.unacceptable = kb.measure("pain_zone_unacceptable")
        self.rise = kb.measure("pain_next_morning_rise")
        self.mastery_reps = kb.measure("progression_mastery_reps")
        self.mastery_hold = kb.measure("progression_mastery_hold_s")
        self.load_step = kb.measure("progression_acsm_load_increase_pct")
        self.extra_reps = kb.measure("progression_acsm_extra_reps")

    @staticmethod
    def _number(value: float | None) -> float:
        assert value is not None
        return value

    @property
    def safe_max(self) -> float:
        return self._number(self.safe.high)

    @property
    def unacceptable_above(self) -> float:
        return self._number(self.unacceptable.value)

    def labelled(self, measure_id: str) -> str:
        measure = self.kb.measure(measure_id)
        return f"{measure.describe()} ({measure.status})"

    def mastered(self, entry: SessionEntry, exercise: Exercise) -> bool:
        """Done at the mastery level (or, for running, pain-free) with good form."""
        if not entry.form_ok or entry.pain_during > self.safe_max:
            return False
        if exercise.load_type == "running":
            return True
        target = self.mastery_hold if exercise.dosage.hold_s is not None else self.mastery_reps
        return entry.reps >= self._number(target.value)


def _worst(entry: SessionEntry) -> float:
    return max(entry.pain_during, entry.pain_next_morning or 0.0)


def _first_doable(
    ids: Sequence[str], kb: KnowledgeBase, equipment: Sequence[str]
) -> Exercise | None:
    for exercise_id in ids:
        exercise = kb.exercises.get(exercise_id)
        if exercise is not None and set(exercise.equipment) - {"none"} <= set(equipment):
            return exercise
    return None


def decide(
    entries: Sequence[SessionEntry],
    exercise: Exercise,
    kb: KnowledgeBase,
    *,
    equipment: Sequence[str],
    planned: PlannedExercise | None = None,
) -> ExerciseDecision:
    """Advance, hold or regress one exercise from its log entries (oldest first)."""
    rules = _Rules(kb)
    latest = entries[-1]
    previous = entries[-2] if len(entries) > 1 else None
    pain_sources = list(rules.unacceptable.sources)

    def result(
        decision: Decision, target: Exercise, action: str, reasons: list[Reason]
    ) -> ExerciseDecision:
        return ExerciseDecision(
            exercise_id=exercise.id,
            name=exercise.name,
            decision=decision,
            next_exercise_id=target.id,
            next_exercise_name=target.name,
            action=action,
            reasons=reasons,
            sessions_logged=len(entries),
            last_date=latest.date,
        )

    worst = _worst(latest)
    if worst > rules.unacceptable_above:
        reason = Reason(
            text=(
                f"pain reached {worst:g}/10 on {latest.date.isoformat()}: unacceptable zone "
                f"{rules.labelled('pain_zone_unacceptable')}"
            ),
            sources=pain_sources,
        )
        easier = _first_doable(exercise.easier, kb, equipment)
        if easier is not None:
            return result("regress", easier, f"switch to the easier {easier.name}", [reason])
        return result("regress", exercise, "reduce the load or the number of sets", [reason])

    if (
        previous is not None
        and previous.pain_next_morning is not None
        and latest.pain_next_morning is not None
        and latest.pain_next_morning - previous.pain_next_morning > rules._number(rules.rise.value)
    ):
        reason = Reason(
            text=(
                f"next-morning pain rose from {previous.pain_next_morning:g} to "
                f"{latest.pain_next_morning:g}/10: the last load was too much (24-hour rule, "
                f"{rules.rise.status})"
            ),
            sources=list(rules.rise.sources),
        )
        return result("regress", exercise, "reduce the load back to the previous level", [reason])

    if worst > rules.safe_max:
        reason = Reason(
            text=(
                f"pain {worst:g}/10 is in the acceptable zone "
                f"{rules.labelled('pain_zone_acceptable')}: keep the load until it settles into "
                f"the safe zone {rules.labelled('pain_zone_safe')}"
            ),
            sources=pain_sources,
        )
        return result("hold", exercise, "keep the same load and repetitions", [reason])

    if not latest.form_ok:
        reason = Reason(
            text="form broke down in the last session: stay at this level until every set is clean",
            sources=list(rules.mastery_reps.sources),
        )
        return result("hold", exercise, "keep the same level and focus on the cues", [reason])

    if rules.mastered(latest, exercise):
        if exercise.load_type == "running":
            mastery = (
                f"pain stayed in the safe zone {rules.labelled('pain_zone_safe')} with good form"
            )
            sources = list(rules.safe.sources)
        elif exercise.dosage.hold_s is not None:
            mastery = (
                f"held {latest.reps} s with good form (target "
                f"{rules.mastery_hold.value:g} s or more, {rules.mastery_hold.status})"
            )
            sources = list(rules.mastery_hold.sources)
        else:
            mastery = (
                f"{latest.reps} repetitions with good form and pain {latest.pain_during:g}/10 "
                f"(advance at {rules.mastery_reps.value:g} or more, {rules.mastery_reps.status})"
            )
            sources = list(rules.mastery_reps.sources)
        reason = Reason(text=mastery, sources=sources)
        harder = _first_doable(exercise.harder, kb, equipment)
        if harder is not None:
            return result("advance", harder, f"move on to {harder.name}", [reason])
        load_reason = Reason(
            text=(
                "no harder variant: raise the load by "
                f"{rules.labelled('progression_acsm_load_increase_pct')} and return to the "
                "target repetitions"
            ),
            sources=list(rules.load_step.sources),
        )
        return result(
            "advance", exercise, "add load and drop back to the target reps", [reason, load_reason]
        )

    target_reps = planned.reps if planned is not None else exercise.dosage.reps
    if exercise.dosage.hold_s is not None or exercise.load_type == "running":
        text = "not yet at the mastery level: keep building the hold or the running time"
        sources = list(rules.mastery_hold.sources)
    elif target_reps is not None and latest.reps >= target_reps + rules._number(
        rules.extra_reps.low
    ):
        text = (
            f"{latest.reps} repetitions, beyond the target of {target_reps}: keep adding "
            f"repetitions up to {rules.mastery_reps.value:g} before moving on"
        )
        sources = [*rules.mastery_reps.sources, *rules.extra_reps.sources]
    else:
        text = (
            f"{latest.reps} repetitions: keep adding repetitions up to {rules.mastery_reps.value:g}"
        )
        sources = list(rules.mastery_reps.sources)
    return result(
        "hold", exercise, "same exercise, add repetitions", [Reason(text=text, sources=sources)]
    )


def _by_exercise(log: Sequence[SessionEntry]) -> dict[str, list[SessionEntry]]:
    grouped: dict[str, list[SessionEntry]] = {}
    for entry in sorted(log, key=lambda item: item.date):  # stable: same-day order kept
        grouped.setdefault(entry.exercise_id, []).append(entry)
    return grouped


def _harder_chain(exercise_id: str, kb: KnowledgeBase) -> set[str]:
    found: set[str] = set()
    frontier = [exercise_id]
    while frontier:
        current = kb.exercises.get(frontier.pop())
        if current is None:
            continue
        for other in current.harder:
            if other not in found:
                found.add(other)
                frontier.append(other)
    return found


def _phase_criteria(
    phase: PlanPhase,
    grouped: dict[str, list[SessionEntry]],
    rules: _Rules,
    reassessment: RtsChecklist | None,
) -> list[CriterionResult]:
    kb = rules.kb
    results: list[CriterionResult] = []
    home = [planned.id for planned in phase.exercises]
    logged = [exercise_id for exercise_id in home if exercise_id in grouped]
    for criterion in phase.advance_when:
        reasons: list[str] = []
        status: CriterionStatus
        if criterion.kind == "pain":
            ids = [
                *logged,
                *([phase.running.id] if phase.running and phase.running.id in grouped else []),
            ]
            if not ids:
                status, reasons = "not_measured", ["no session of this phase logged yet"]
            else:
                too_high = []
                for exercise_id in ids:
                    entries = grouped[exercise_id]
                    latest = entries[-1]
                    worst = _worst(latest)
                    rose = (
                        len(entries) > 1
                        and entries[-2].pain_next_morning is not None
                        and latest.pain_next_morning is not None
                        and latest.pain_next_morning > entries[-2].pain_next_morning
                    )
                    if worst > rules.safe_max or rose:
                        too_high.append(f"{exercise_id} ({worst:g}/10{', rising' if rose else ''})")
                status = "not_met" if too_high else "met"
                reasons = (
                    [
                        f"pain above the safe zone {rules.labelled('pain_zone_safe')}: "
                        + ", ".join(too_high)
                    ]
                    if too_high
                    else [f"latest pain within the safe zone {rules.labelled('pain_zone_safe')}"]
                )
        elif criterion.kind in ("mastery", "form"):
            if not logged:
                status, reasons = "not_measured", ["no session of this phase logged yet"]
            else:
                failing: list[str] = []
                for exercise_id in home:
                    # moved on to a harder variant outside this phase's list: mastered
                    beyond = (_harder_chain(exercise_id, kb) - set(home)) & set(grouped)
                    if exercise_id not in grouped:
                        if not beyond:
                            failing.append(f"{exercise_id} (not logged)")
                        continue
                    latest = grouped[exercise_id][-1]
                    if criterion.kind == "form":
                        if not latest.form_ok:
                            failing.append(f"{exercise_id} (form not OK)")
                    elif not beyond and not rules.mastered(latest, kb.exercise(exercise_id)):
                        unit = (
                            " s" if kb.exercise(exercise_id).dosage.hold_s is not None else " reps"
                        )
                        failing.append(f"{exercise_id} ({latest.reps}{unit})")
                status = "not_met" if failing else "met"
                what = "not mastered yet" if criterion.kind == "mastery" else "form to work on"
                reasons = (
                    [f"{what}: {', '.join(failing)}"] if failing else ["all exercises of the phase"]
                )
        else:
            if reassessment is None:
                status = "not_measured"
                reasons = ["needs a re-assessment (return-to-sport checklist)"]
            elif reassessment.ready:
                status, reasons = "met", ["every return-to-sport criterion met"]
            else:
                open_items = [item.label for item in reassessment.criteria if item.status != "met"]
                status = "not_met"
                reasons = [f"not met or not measured: {', '.join(open_items)}"]
        results.append(
            CriterionResult(
                id=criterion.id,
                description=criterion.description,
                status=status,
                reasons=reasons,
                sources=list(criterion.sources),
            )
        )
    return results


def evaluate_progress(
    plan: Plan,
    log: Sequence[SessionEntry],
    kb: KnowledgeBase,
    *,
    reassessment: RtsChecklist | None = None,
) -> ProgressReport:
    """Decide every logged exercise and check the phases in order; a phase after one
    whose criteria are not all met is ``locked`` (never skipped)."""
    rules = _Rules(kb)
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
        criteria = _phase_criteria(phase, grouped, rules, reassessment)
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
