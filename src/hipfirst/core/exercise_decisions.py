"""Advance, hold or regress one exercise from its session log.

The decision rules, applied in this order to the exercise's latest log entry; the
first that applies decides (:data:`RULES`):

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

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hipfirst.core.exercise_rules import Direction, first_step, is_available
from hipfirst.core.plan import PlannedExercise, Reason
from hipfirst.core.progress_report import Decision, ExerciseDecision, SessionEntry
from hipfirst.core.shown_number import with_status
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Exercise


def _number(value: float | None) -> float:
    assert value is not None  # the knowledge base's schema guarantees these values
    return value


class ProgressionNumbers:
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

    @property
    def safe_max(self) -> float:
        """The top of the safe pain zone (0–10)."""
        return _number(self.safe.high)

    @property
    def unacceptable_above(self) -> float:
        """Pain above this (0–10) is in the unacceptable zone."""
        return _number(self.unacceptable.value)

    def mastered(self, entry: SessionEntry, exercise: Exercise) -> bool:
        """Done at the mastery level (or, for running, pain-free) with good form."""
        if not entry.form_ok or entry.pain_during > self.safe_max:
            return False
        if exercise.load_type == "running":
            return True
        level = self.mastery_hold if exercise.dosage.hold_s is not None else self.mastery_reps
        return entry.reps >= _number(level.value)


@dataclass(frozen=True)
class Situation:
    """One exercise's log (oldest first) and what a decision rule may look at."""

    entries: Sequence[SessionEntry]
    exercise: Exercise
    equipment: Sequence[str]
    planned: PlannedExercise | None
    numbers: ProgressionNumbers

    @property
    def latest(self) -> SessionEntry:
        return self.entries[-1]

    @property
    def previous(self) -> SessionEntry | None:
        return self.entries[-2] if len(self.entries) > 1 else None

    def variant(self, direction: Direction) -> Exercise | None:
        """The first easier or harder variant the patient has the equipment for."""

        def has_equipment(item: Exercise) -> bool:
            return is_available(item, self.equipment)

        return first_step(self.exercise, self.numbers.kb, direction, has_equipment)

    def decide(
        self, decision: Decision, next_exercise: Exercise, action: str, reasons: list[Reason]
    ) -> ExerciseDecision:
        return ExerciseDecision(
            exercise_id=self.exercise.id,
            name=self.exercise.name,
            decision=decision,
            next_exercise_id=next_exercise.id,
            next_exercise_name=next_exercise.name,
            action=action,
            reasons=reasons,
            sessions_logged=len(self.entries),
            last_date=self.latest.date,
        )


Rule = Callable[[Situation], ExerciseDecision | None]
"""A decision rule: its decision when it applies to the situation, else ``None``."""


def unacceptable_pain(s: Situation) -> ExerciseDecision | None:
    """Rule 1: pain in the unacceptable zone → regress to an easier variant (or load)."""
    numbers, latest = s.numbers, s.latest
    worst = latest.worst_pain
    if worst <= numbers.unacceptable_above:
        return None
    reason = Reason(
        text=(
            f"pain reached {worst:g}/10 on {latest.date.isoformat()}: unacceptable zone "
            f"{with_status(numbers.unacceptable)}"
        ),
        sources=list(numbers.unacceptable.sources),
    )
    easier = s.variant("easier")
    if easier is not None:
        return s.decide("regress", easier, f"switch to the easier {easier.name}", [reason])
    return s.decide("regress", s.exercise, "reduce the load or the number of sets", [reason])


def next_morning_rise(s: Situation) -> ExerciseDecision | None:
    """Rule 2: next-morning pain rose since the previous session (24-hour rule) → regress."""
    numbers, latest, previous = s.numbers, s.latest, s.previous
    if (
        previous is None
        or previous.pain_next_morning is None
        or latest.pain_next_morning is None
        or latest.pain_next_morning - previous.pain_next_morning <= _number(numbers.rise.value)
    ):
        return None
    reason = Reason(
        text=(
            f"next-morning pain rose from {previous.pain_next_morning:g} to "
            f"{latest.pain_next_morning:g}/10: the last load was too much (24-hour rule, "
            f"{numbers.rise.status})"
        ),
        sources=list(numbers.rise.sources),
    )
    return s.decide("regress", s.exercise, "reduce the load back to the previous level", [reason])


def acceptable_pain(s: Situation) -> ExerciseDecision | None:
    """Rule 3: pain in the acceptable zone → hold until it settles."""
    numbers = s.numbers
    worst = s.latest.worst_pain
    if worst <= numbers.safe_max:
        return None
    reason = Reason(
        text=(
            f"pain {worst:g}/10 is in the acceptable zone "
            f"{with_status(numbers.acceptable)}: keep the load until it settles into "
            f"the safe zone {with_status(numbers.safe)}"
        ),
        sources=list(numbers.unacceptable.sources),
    )
    return s.decide("hold", s.exercise, "keep the same load and repetitions", [reason])


def form_broke_down(s: Situation) -> ExerciseDecision | None:
    """Rule 4: form not OK → hold at this level."""
    if s.latest.form_ok:
        return None
    reason = Reason(
        text="form broke down in the last session: stay at this level until every set is clean",
        sources=list(s.numbers.mastery_reps.sources),
    )
    return s.decide("hold", s.exercise, "keep the same level and focus on the cues", [reason])


def _mastery_reason(s: Situation) -> Reason:
    numbers, latest, exercise = s.numbers, s.latest, s.exercise
    if exercise.load_type == "running":
        return Reason(
            text=f"pain stayed in the safe zone {with_status(numbers.safe)} with good form",
            sources=list(numbers.safe.sources),
        )
    if exercise.dosage.hold_s is not None:
        return Reason(
            text=(
                f"held {latest.reps} s with good form (target "
                f"{numbers.mastery_hold.value:g} s or more, {numbers.mastery_hold.status})"
            ),
            sources=list(numbers.mastery_hold.sources),
        )
    return Reason(
        text=(
            f"{latest.reps} repetitions with good form and pain {latest.pain_during:g}/10 "
            f"(advance at {numbers.mastery_reps.value:g} or more, {numbers.mastery_reps.status})"
        ),
        sources=list(numbers.mastery_reps.sources),
    )


def mastered(s: Situation) -> ExerciseDecision | None:
    """Rule 5: mastery → advance to a harder variant, or add load at the top of a chain."""
    numbers = s.numbers
    if not numbers.mastered(s.latest, s.exercise):
        return None
    reason = _mastery_reason(s)
    harder = s.variant("harder")
    if harder is not None:
        return s.decide("advance", harder, f"move on to {harder.name}", [reason])
    load_reason = Reason(
        text=(
            f"no harder variant: raise the load by {with_status(numbers.load_step)} and return "
            "to the target repetitions"
        ),
        sources=list(numbers.load_step.sources),
    )
    return s.decide(
        "advance", s.exercise, "add load and drop back to the target reps", [reason, load_reason]
    )


def keep_building(s: Situation) -> ExerciseDecision:
    """Rule 6 (always applies): hold and keep adding repetitions or hold time."""
    numbers, latest, exercise = s.numbers, s.latest, s.exercise
    target_reps = s.planned.reps if s.planned is not None else exercise.dosage.reps
    if exercise.dosage.hold_s is not None or exercise.load_type == "running":
        text = "not yet at the mastery level: keep building the hold or the running time"
        sources = list(numbers.mastery_hold.sources)
    elif target_reps is not None and latest.reps >= target_reps + _number(numbers.extra_reps.low):
        text = (
            f"{latest.reps} repetitions, beyond the target of {target_reps}: keep adding "
            f"repetitions up to {numbers.mastery_reps.value:g} before moving on"
        )
        sources = [*numbers.mastery_reps.sources, *numbers.extra_reps.sources]
    else:
        text = (
            f"{latest.reps} repetitions: keep adding repetitions up to "
            f"{numbers.mastery_reps.value:g}"
        )
        sources = list(numbers.mastery_reps.sources)
    return s.decide(
        "hold", exercise, "same exercise, add repetitions", [Reason(text=text, sources=sources)]
    )


RULES: tuple[Rule, ...] = (
    unacceptable_pain,
    next_morning_rise,
    acceptable_pain,
    form_broke_down,
    mastered,
)
"""Rules 1–5 in the order they are tried; :func:`keep_building` decides when none applies."""


def decide(
    entries: Sequence[SessionEntry],
    exercise: Exercise,
    kb: KnowledgeBase,
    *,
    equipment: Sequence[str],
    planned: PlannedExercise | None = None,
) -> ExerciseDecision:
    """Advance, hold or regress one exercise from its log entries (oldest first)."""
    situation = Situation(entries, exercise, equipment, planned, ProgressionNumbers(kb))
    for rule in RULES:
        found = rule(situation)
        if found is not None:
            return found
    return keep_building(situation)
