"""Return to sport and re-assessment in the clinic: the checklist of a re-assessment for a
goal, and the change since the baseline against each measure's MCID or MDC.

* The **baseline** is the assessment the current programme was generated from (without
  a programme: the first assessment).
* The **re-assessment** is the one the clinician chooses, by default the latest
  assessment after the baseline; none yet means the phase-3 criterion is not measured.
* The **goal** is the one chosen, else the programme's goal, else the goal the
  re-assessment gives (``core.goals.resolve_goal``).

The checklist is :func:`hipfirst.core.return_to_sport.return_to_sport_checklist` and the
comparison :func:`hipfirst.core.reassessment.compare_reports`, so the browser and
``hipfirst progress --reassessment`` judge alike. :func:`phase_three_reassessment` gives
the programme page (and its progression) the same checklist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hipfirst.application.records import current_programme, readable_plan
from hipfirst.core.assessment import parse_assessment
from hipfirst.core.goals import resolve_goal
from hipfirst.core.reasoning import assess
from hipfirst.core.reassessment import Change, compare_reports
from hipfirst.core.report import AssessmentReport
from hipfirst.core.return_to_sport import RtsChecklist, return_to_sport_checklist
from hipfirst.errors import HipfirstError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import GOALS, GoalId
from hipfirst.storage.models import Assessment, Patient


@dataclass(frozen=True)
class ReturnView:
    """What the return-to-sport page shows."""

    assessments: list[Assessment]
    baseline: Assessment | None
    reassessment: Assessment | None
    goal: GoalId | None
    goal_reason: str
    checklist: RtsChecklist | None = None
    changes: list[Change] = field(default_factory=list)
    problem: str = ""
    """Why nothing could be judged (no assessment, an unreadable one …), in words."""

    @property
    def counts(self) -> dict[str, int]:
        """How many criteria are met, not met and unknown (not measured)."""
        found = {"met": 0, "not_met": 0, "not_measured": 0}
        for item in self.checklist.criteria if self.checklist else []:
            found[item.status] += 1
        return found


def baseline_of(patient: Patient) -> Assessment | None:
    """The assessment the current programme came from, else the first one."""
    programme = current_programme(patient)
    if programme is not None and programme.assessment_id is not None:
        for assessment in patient.assessments:
            if assessment.id == programme.assessment_id:
                return assessment
    return patient.assessments[0] if patient.assessments else None


def latest_reassessment(patient: Patient) -> Assessment | None:
    """The latest assessment after the baseline (same day counts, a later record), if any."""
    baseline = baseline_of(patient)
    if baseline is None:
        return None
    later = [
        a
        for a in patient.assessments
        if a.id != baseline.id and (a.assessed_on, a.id) > (baseline.assessed_on, baseline.id)
    ]
    return max(later, key=lambda a: (a.assessed_on, a.id)) if later else None


def report_of(assessment: Assessment, kb: KnowledgeBase) -> AssessmentReport:
    """The engine report of a stored assessment for the checklist and the comparison.

    Computed without the video analyses it names: neither the checklist nor the
    comparison uses a video measure, and an assessment loaded from a file (the demo's)
    names summaries that are not analyses of this patient."""
    parsed = parse_assessment(assessment.exam_json, f"assessment {assessment.id}")
    return assess(parsed, kb, [])


def parse_goal(goal: str | None) -> GoalId | None:
    """A known goal id, else None (the page then uses the default goal)."""
    return next((known for known in GOALS if known == goal), None)


def _default_goal(
    patient: Patient, assessment: Assessment, kb: KnowledgeBase
) -> tuple[GoalId, str]:
    programme = current_programme(patient)
    plan = readable_plan(programme, kb)[0] if programme is not None else None
    if plan is not None and plan.goal is not None:
        return plan.goal, "the programme's goal"
    parsed = parse_assessment(assessment.exam_json, f"assessment {assessment.id}")
    resolved = resolve_goal(parsed, kb)
    return resolved.goal.id, f"from the re-assessment: {resolved.reason}"


def return_to_sport(
    patient: Patient,
    kb: KnowledgeBase,
    *,
    assessment_id: int | None = None,
    goal: str | None = None,
) -> ReturnView:
    """The checklist of the chosen (default: latest) re-assessment for the chosen (default:
    the programme's) goal, with the change since the baseline. An id that names none of
    the patient's assessments falls back to the default (the page says which is shown)."""
    assessments = list(patient.assessments)
    baseline = baseline_of(patient)
    chosen = next((a for a in assessments if a.id == assessment_id), None)
    reassessment = chosen or latest_reassessment(patient)
    if baseline is None:
        return ReturnView(assessments, None, None, None, "", problem="no assessment recorded yet")
    if reassessment is None:
        programme = current_programme(patient)
        plan = readable_plan(programme, kb)[0] if programme is not None else None
        return ReturnView(
            assessments,
            baseline,
            None,
            parse_goal(goal) or (plan.goal if plan is not None else None),
            "",
            problem="no re-assessment yet: record a new assessment after the baseline",
        )
    try:
        picked = parse_goal(goal)
        default_goal, default_reason = _default_goal(patient, reassessment, kb)
        goal_id, reason = (picked, "chosen") if picked else (default_goal, default_reason)
        follow_up = report_of(reassessment, kb)
        checklist = return_to_sport_checklist(follow_up, kb, goal=goal_id)
        changes: list[Change] = []
        if reassessment.id != baseline.id:
            changes = compare_reports(report_of(baseline, kb), follow_up, kb)
    except HipfirstError as error:
        return ReturnView(
            assessments,
            baseline,
            reassessment,
            None,
            "",
            problem=f"the assessment cannot be read: {error}",
        )
    return ReturnView(assessments, baseline, reassessment, goal_id, reason, checklist, changes)


def phase_three_reassessment(patient: Patient, kb: KnowledgeBase) -> ReturnView | None:
    """The latest re-assessment's checklist for the programme's goal (None without one):
    what the phase-3 criterion of the programme is judged on."""
    if latest_reassessment(patient) is None:
        return None
    view = return_to_sport(patient, kb)
    return view if view.checklist is not None else None
