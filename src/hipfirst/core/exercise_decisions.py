"""Advance, hold or regress one exercise from its session log.

The decision rules, applied in this order to the exercise's log (one combined entry per
day, oldest first); the first that applies decides (:data:`RULES`):

1. pain during or the next morning in the unacceptable zone (> 5/10) → **regress**
   to the first easier variant the patient can do (else reduce the load);
2. 24-hour rule: next-morning pain above the safe zone *and* above the person's baseline
   (the lowest next-morning pain logged on an earlier day) → **regress** the load;
3. pain in the acceptable zone (4–5/10) → **hold**;
4. form not OK → **hold**;
5. logged before its phase (a later phase's exercise) → **hold**, reported, never advanced;
6. next-morning pain not recorded → **hold**: progression waits for the 24-hour response;
7. running steps: weekly distance rose faster than allowed, or speed and hills before the
   usual weekly distance is back → **hold** (:mod:`hipfirst.core.running_decisions`);
8. mastered (:mod:`hipfirst.core.mastery`: planned sets × 20 reps or the hold, no fatigue,
   good form, safe pain, over the knowledge base's number of sessions) → **advance** to the
   first harder variant the patient can do and the plan allows, or, at the top of a chain,
   raise the load 2–10% (ACSM 2009);
9. otherwise **hold** and say what is missing.

Pain zones and the 24-hour rule: Silbernagel 2007 (seen in secondary summaries); all
numbers come from the knowledge base. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from hipfirst.core.exercise_rules import Direction, first_step, is_available
from hipfirst.core.mastery import ProgressionNumbers, kb_value, mastery_status
from hipfirst.core.plan import PlannedExercise, Reason
from hipfirst.core.progress_report import Decision, ExerciseDecision, SessionEntry
from hipfirst.core.running_decisions import distance_gate, running_hold
from hipfirst.core.shown_number import with_status
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Exercise

__all__ = ["RULES", "LogContext", "ProgressionNumbers", "Situation", "decide"]


def _allow_all(exercise: Exercise) -> bool:
    return True


@dataclass(frozen=True)
class LogContext:
    """What a decision may know beyond the exercise's own log.

    ``log``: the whole combined log (every exercise, oldest first) for the person's
    baseline and weekly running distance; ``off_phase``: why the exercise is logged before
    its phase (None: it is not); ``usual_weekly_km``: the runner's weekly distance before
    the pain; ``allows``: the plan's limits (goal, precautions) for the next variant.
    """

    log: Sequence[SessionEntry] = ()
    off_phase: str | None = None
    usual_weekly_km: float | None = None
    allows: Callable[[Exercise], bool] = field(default=_allow_all)


@dataclass(frozen=True)
class Situation:
    """One exercise's log (oldest first) and what a decision rule may look at."""

    entries: Sequence[SessionEntry]
    exercise: Exercise
    equipment: Sequence[str]
    planned: PlannedExercise | None
    numbers: ProgressionNumbers
    context: LogContext = LogContext()

    @property
    def latest(self) -> SessionEntry:
        return self.entries[-1]

    @property
    def baseline(self) -> float | None:
        """The person's settled level: the lowest next-morning pain of an earlier day."""
        earlier = [
            entry.pain_next_morning
            for entry in (self.context.log or self.entries)
            if entry.date < self.latest.date and entry.pain_next_morning is not None
        ]
        return min(earlier) if earlier else None

    def variant(self, direction: Direction) -> Exercise | None:
        """The first easier or harder variant the patient has the equipment for (and, for a
        harder one, the plan's limits allow)."""

        def usable(item: Exercise) -> bool:
            allowed = direction == "easier" or self.context.allows(item)
            return is_available(item, self.equipment) and allowed

        return first_step(self.exercise, self.numbers.kb, direction, usable)

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
            off_phase=self.context.off_phase is not None,
        )

    def hold(self, action: str, reason: Reason) -> ExerciseDecision:
        return self.decide("hold", self.exercise, action, [reason])


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
    """Rule 2: next-morning pain above the safe zone and above the person's baseline."""
    numbers, morning, baseline = s.numbers, s.latest.pain_next_morning, s.baseline
    if (
        morning is None
        or baseline is None
        or morning <= numbers.safe_max
        or morning - baseline <= kb_value(numbers.rise.value)
    ):
        return None
    reason = Reason(
        text=(
            f"next-morning pain {morning:g}/10 is above the safe zone "
            f"{with_status(numbers.safe)} and above your baseline of {baseline:g}/10: the "
            f"last load was too much (24-hour rule, {numbers.rise.status})"
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
    return s.hold("keep the same load and repetitions", reason)


def form_broke_down(s: Situation) -> ExerciseDecision | None:
    """Rule 4: form not OK → hold at this level."""
    if s.latest.form_ok:
        return None
    reason = Reason(
        text="form broke down in the last session: stay at this level until every set is clean",
        sources=list(s.numbers.mastery_reps.sources),
    )
    return s.hold("keep the same level and focus on the cues", reason)


def logged_before_its_phase(s: Situation) -> ExerciseDecision | None:
    """Rule 5: an exercise of a later phase → reported, held, never advanced."""
    if s.context.off_phase is None:
        return None
    reason = Reason(text=s.context.off_phase, sources=list(s.exercise.sources))
    return s.hold("keep to the exercises of your current phase", reason)


def next_morning_unknown(s: Situation) -> ExerciseDecision | None:
    """Rule 6: no next-morning pain for the latest session → wait for it."""
    if s.latest.pain_next_morning is not None:
        return None
    reason = Reason(
        text=(
            f"no next-morning pain recorded for {s.latest.date.isoformat()}: progression "
            f"waits for the 24-hour response (unknown is not settled, {s.numbers.rise.status})"
        ),
        sources=list(s.numbers.rise.sources),
    )
    return s.hold("record tomorrow morning's pain, then decide", reason)


def running_limits(s: Situation) -> ExerciseDecision | None:
    """Rule 7: the running-specific holds (weekly rise, distance before speed)."""
    if s.exercise.load_type != "running":
        return None
    held = running_hold(
        s.exercise, s.context.log or s.entries, s.context.usual_weekly_km, s.numbers
    )
    return None if held is None else s.hold(held[0], held[1])


def mastered(s: Situation) -> ExerciseDecision | None:
    """Rule 8: mastery → advance to a harder variant, or add load at the top of a chain."""
    numbers = s.numbers
    status = mastery_status(s.entries, s.exercise, s.planned, numbers)
    if not status.done:
        return None
    goal, needed = status.target, numbers.sessions_needed(s.exercise)
    reason = Reason(
        text=(
            f"{status.level()} with good form, no fatigue and pain in the safe zone during "
            f"and the next morning, on {status.sessions_needed} different days "
            f"({needed.status}; level {goal.measure.describe()}, {goal.measure.status})"
        ),
        sources=list(dict.fromkeys([*goal.measure.sources, *needed.sources])),
    )
    harder = s.variant("harder")
    if harder is not None:
        gate = distance_gate(harder, s.context.log or s.entries, s.context.usual_weekly_km, numbers)
        if gate is not None:
            return s.decide("hold", s.exercise, "keep building weekly distance", [reason, gate])
        return s.decide("advance", harder, f"move on to {harder.name}", [reason])
    if s.exercise.load_type == "running":
        return s.hold("keep this running step; no further step fits the plan", reason)
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
    """Rule 9 (always applies): hold and say what the mastery level still needs."""
    numbers = s.numbers
    status = mastery_status(s.entries, s.exercise, s.planned, numbers)
    goal, needed = status.target, numbers.sessions_needed(s.exercise)
    text = (
        f"not yet at the mastery level ({status.missing}): {status.level()} with good form, "
        f"no fatigue and safe pain on {status.sessions_needed} different days ({needed.status})"
    )
    return s.hold(
        "same exercise; build towards the mastery level",
        Reason(text=text, sources=list(dict.fromkeys([*goal.measure.sources, *needed.sources]))),
    )


RULES: tuple[Rule, ...] = (
    unacceptable_pain,
    next_morning_rise,
    acceptable_pain,
    form_broke_down,
    logged_before_its_phase,
    next_morning_unknown,
    running_limits,
    mastered,
)
"""Rules 1–8 in the order they are tried; :func:`keep_building` decides when none applies."""


def decide(
    entries: Sequence[SessionEntry],
    exercise: Exercise,
    kb: KnowledgeBase,
    *,
    equipment: Sequence[str],
    planned: PlannedExercise | None = None,
    context: LogContext | None = None,
) -> ExerciseDecision:
    """Advance, hold or regress one exercise from its log entries (one per day, oldest first)."""
    situation = Situation(
        entries, exercise, equipment, planned, ProgressionNumbers(kb), context or LogContext()
    )
    for rule in RULES:
        found = rule(situation)
        if found is not None:
            return found
    return keep_building(situation)
