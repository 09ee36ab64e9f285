"""The person's goal and the capacity rules that decide what a plan may contain.

* **Goal** (``knowledge/data/goals``): ``patient.goal`` when the assessment sets it,
  else derived from the activities (the matching goal with the highest priority; no
  activity: daily life). Phase 3's aim and the return checklist follow it, and an
  exercise tagged with goals (hops, bounds, cutting) is only for those goals.
* **Age rule** (``older_adult_age_years``): from that age impact work (plyometric
  load type) is planned only when the clinician set the goal explicitly.
* **Precautions** (the report's differentials): a possible condition not yet cleared by
  a clinician removes the load types and exercises it contraindicates.

:class:`PlanLimits` gathers all of this so selection, easing and progression apply the
same rule (:meth:`PlanLimits.allows`). Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hipfirst.core.assessment import Assessment
from hipfirst.core.plan import PlanPrecaution
from hipfirst.core.report import AssessmentReport
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.rules_schema import Goal
from hipfirst.knowledge.schema import Exercise

IMPACT_LOAD = "plyometric"


@dataclass(frozen=True)
class ResolvedGoal:
    """The goal, whether the assessment set it, and why it was chosen (plain words)."""

    goal: Goal
    explicit: bool
    reason: str


def resolve_goal(assessment: Assessment, kb: KnowledgeBase) -> ResolvedGoal:
    """``patient.goal``, or the highest-priority goal the activities match."""
    patient = assessment.patient
    if patient.goal is not None:
        goal = kb.goal(patient.goal)
        return ResolvedGoal(goal, True, f"goal set in the assessment: {goal.name.lower()}")
    activities = set(patient.activities) or {"none"}
    matching = [g for g in kb.goals.values() if activities & set(g.from_activities)]
    if not matching:
        fallback = min(kb.goals.values(), key=lambda g: g.priority)
        return ResolvedGoal(fallback, False, f"no goal set: {fallback.name.lower()}")
    goal = max(matching, key=lambda g: g.priority)
    why = ", ".join(sorted(activities & set(goal.from_activities))).replace("_", " ")
    return ResolvedGoal(goal, False, f"{goal.name.lower()}, from the activities ({why})")


@dataclass(frozen=True)
class PlanLimits:
    """What the plan may contain: the goal, and the load types and exercises left out."""

    goal: ResolvedGoal
    excluded_load_types: frozenset[str] = frozenset()
    excluded_exercises: frozenset[str] = frozenset()
    precautions: list[PlanPrecaution] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Why something is left out, in plain words (age rule, precautions)."""

    def allows(self, exercise: Exercise) -> bool:
        """The exercise suits the goal and nothing rules it out."""
        goal_fit = not exercise.goals or self.goal.goal.id in exercise.goals
        return (
            goal_fit
            and exercise.load_type not in self.excluded_load_types
            and exercise.id not in self.excluded_exercises
        )


def plan_limits(assessment: Assessment, report: AssessmentReport, kb: KnowledgeBase) -> PlanLimits:
    """The goal, the age rule and the active precautions of this assessment."""
    goal = resolve_goal(assessment, kb)
    load_types: set[str] = set()
    exercises: set[str] = set()
    notes: list[str] = []
    if not goal.goal.plyometric:
        load_types.add(IMPACT_LOAD)
    older = kb.measure("older_adult_age_years")
    assert older.value is not None  # a threshold (schema)
    age = assessment.patient.age_years
    if goal.goal.plyometric and not goal.explicit and age >= older.value:
        load_types.add(IMPACT_LOAD)
        notes.append(
            f"At {age:g} years (older adult from {older.value:g}, {older.status}) hops, "
            "bounds and jumps are left out because the goal was not set explicitly; a "
            "clinician can set patient.goal to plan them"
        )
    precautions: list[PlanPrecaution] = []
    for item in report.active_precautions:
        assert item.precaution is not None  # precaution_active implies a precaution
        load_types.update(item.excludes_load_types)
        exercises.update(item.excludes_exercises)
        left_out = [*(f"{t} work" for t in item.excludes_load_types), *item.excludes_exercises]
        precautions.append(
            PlanPrecaution(
                id=item.precaution,
                condition=item.name,
                why=list(item.why),
                excludes_load_types=list(item.excludes_load_types),
                excludes_exercises=list(item.excludes_exercises),
            )
        )
        notes.append(
            f"Possible {item.name} ({'; '.join(item.why)}): {', '.join(left_out)} left out "
            f"until a clinician has examined and cleared it (exam.precautions_cleared: "
            f"{item.precaution}); {item.advice}"
        )
    return PlanLimits(
        goal=goal,
        excluded_load_types=frozenset(load_types),
        excluded_exercises=frozenset(exercises),
        precautions=precautions,
        notes=notes,
    )
