"""What a prescription produces: a phased :class:`Plan`, or a :class:`Referral`.

A plan is the engine's document of one version of a patient's programme.

These are the shapes of ``hipfirst plan FILE --json`` (``exam-format.md``):
``phases`` each with ``weeks``, ``goal``, ``advance_when`` and ``exercises``
(``id``, ``name``, ``sets``, ``reps`` or ``hold_s``, ``load``,
``sessions_per_week``, ``cues``, ``sources``, ``why``). Every number a plan
shows is a :class:`ShownNumber` with its knowledge-base measure, evidence
status and sources, so the output can put the status next to the number.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hipfirst.core.report import ReferralReason
from hipfirst.knowledge.schema import CriterionKind
from hipfirst.knowledge.vocabulary import GoalId, Urgency

PLAN_FORMAT_VERSION: Literal[1] = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ShownNumber(_Frozen):
    """A clinical number as shown to the user: text, evidence status and sources."""

    measure_id: str
    label: str
    text: str = Field(description="e.g. '3–5 sessions/week'")
    status: str
    sources: list[str] = Field(min_length=1)


class Reason(_Frozen):
    """Why an exercise (or a plan decision) was chosen, with its evidence."""

    text: str
    sources: list[str] = Field(default_factory=list)


class GuidanceItem(_Frozen):
    """Education, an adjunct or a gait cue as a plan shows it, with its evidence status."""

    id: str
    title: str
    text: str
    status: str
    sources: list[str] = Field(min_length=1)


class PlanPrecaution(_Frozen):
    """Loads the plan leaves out until a clinician clears a possible condition."""

    id: str = Field(description="the precaution id (exam.precautions_cleared clears it)")
    condition: str
    why: list[str] = Field(min_length=1)
    excludes_load_types: list[str] = Field(default_factory=list)
    excludes_exercises: list[str] = Field(default_factory=list)


class RunningReturn(_Frozen):
    """The graded return to running of a runner's plan (its numbers with their status)."""

    usual_weekly_km: float | None = Field(description="the weekly distance before the pain")
    stages: list[str] = Field(min_length=1, description="the running steps, in order")
    runs_per_stage: ShownNumber
    max_weekly_rise: ShownNumber
    rules: list[Reason] = Field(min_length=1)


class Criterion(_Frozen):
    """One advancement criterion of a phase (copied from the knowledge base)."""

    id: str
    kind: CriterionKind
    description: str
    measure_ids: list[str] = Field(default_factory=list)
    sources: list[str] = Field(min_length=1)


class PlannedExercise(_Frozen):
    """One exercise of a phase with its dosage; exactly one of ``reps``/``hold_s``."""

    id: str
    name: str
    sets: int = Field(ge=1)
    reps: int | None = Field(default=None, ge=1)
    hold_s: int | None = Field(default=None, ge=1)
    per_side: bool
    load: str
    sessions_per_week: int = Field(ge=1, le=7)
    cues: list[str] = Field(min_length=1)
    sources: list[str] = Field(min_length=1)
    why: list[Reason] = Field(min_length=1)
    knee_range_deg: tuple[int, int] | None = Field(
        default=None, description="knee flexion range (low, high) to stay in for now"
    )


class PlanPhase(_Frozen):
    """A phase of the plan: programme weeks ``[first, last]``, aim, criteria, exercises.

    ``aim`` is what the phase is for; its JSON key is ``goal`` (kept for
    compatibility: documents are read and written with the key ``goal``).
    ``running`` is the running step for runners: a separate session, not part of
    the home exercise count.
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", serialize_by_alias=True, validate_by_name=True
    )

    number: int = Field(ge=1, le=3)
    name: str
    weeks: tuple[int, int]
    aim: str = Field(alias="goal", description="what the phase is for")
    advance_when: list[Criterion] = Field(min_length=1)
    exercises: list[PlannedExercise] = Field(min_length=1)
    running: PlannedExercise | None = None
    sources: list[str] = Field(min_length=1)
    session_minutes: int | None = Field(
        default=None, description="estimated home-session time (running step not counted)"
    )
    shortened: list[str] = Field(
        default_factory=list, description="what was cut to fit the minutes per session"
    )


class Plan(_Frozen):
    """The engine's document of one programme: phased home exercise, dosed and explained."""

    kind: Literal["plan"] = "plan"
    version: Literal[1] = PLAN_FORMAT_VERSION
    side: Literal["left", "right", "both"]
    total_weeks: int = Field(ge=1)
    sessions_per_week: int = Field(ge=1, le=7)
    irritable: bool = Field(description="high pain irritability: easier variants, lower volume")
    equipment: list[str] = Field(default_factory=list)
    activities: list[str] = Field(default_factory=list)
    phases: list[PlanPhase] = Field(min_length=1)
    dosage_rules: list[ShownNumber] = Field(default_factory=list)
    pain_monitoring: list[ShownNumber] = Field(default_factory=list)
    expectations: list[Reason] = Field(default_factory=list)
    notes: list[Reason] = Field(default_factory=list)
    goal: GoalId | None = Field(default=None, description="what the person returns to")
    goal_reason: str = ""
    education: list[GuidanceItem] = Field(default_factory=list)
    adjuncts: list[GuidanceItem] = Field(default_factory=list)
    gait_retraining: list[GuidanceItem] = Field(default_factory=list)
    precautions: list[PlanPrecaution] = Field(default_factory=list)
    excluded_load_types: list[str] = Field(
        default_factory=list, description="load types progression must not move into"
    )
    excluded_exercises: list[str] = Field(default_factory=list)
    running_return: RunningReturn | None = None

    def phase(self, number: int) -> PlanPhase:
        for phase in self.phases:
            if phase.number == number:
                return phase
        raise KeyError(number)

    def exercise_ids(self) -> list[str]:
        """Every exercise id of the plan (running steps included), in phase order."""
        ids: list[str] = []
        for phase in self.phases:
            ids.extend(exercise.id for exercise in phase.exercises)
            if phase.running is not None:
                ids.append(phase.running.id)
        return ids


class Referral(_Frozen):
    """No programme: the screening found reasons to see a clinician first.

    ``reasons`` read urgency first (most urgent first); ``urgency`` is the most urgent.
    """

    kind: Literal["referral"] = "referral"
    version: Literal[1] = PLAN_FORMAT_VERSION
    reasons: list[str] = Field(min_length=1)
    advice: str
    urgency: Urgency | None = None
    referrals: list[ReferralReason] = Field(default_factory=list)
