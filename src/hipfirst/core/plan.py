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

from hipfirst.knowledge.schema import CriterionKind

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
    """No programme: the screening found reasons to see a clinician first."""

    kind: Literal["referral"] = "referral"
    version: Literal[1] = PLAN_FORMAT_VERSION
    reasons: list[str] = Field(min_length=1)
    advice: str
