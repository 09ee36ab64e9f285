"""Return-to-activity checklist from a re-assessment report, for the person's goal.

No PFP- or ITBS-specific criteria have been validated (evidence.md §10), so the
checklist borrows thresholds from ACL and hip populations and shows each one's
status and source. What is checked follows the goal (``knowledge/data/goals``):

* the re-assessment's **screening**: no red flag or referral reason, and no precaution
  left uncleared (e.g. patellar instability);
* **pain** during every activity of the goal (running and hopping for running; running,
  hopping, cutting and squatting for field or court sport; stairs … for daily life) and
  the worst pain, each within the safe zone;
* strength symmetry (hip abduction, external rotation, extension, quadriceps);
* for goals that need it, Y-Balance symmetry (the goal's threshold), composite and
  anterior asymmetry, and the goal's **hop tests** (single, triple, crossover, side hop);
* single-leg squat control.

Each criterion is *met*, *not met*, or *not measured* (the re-assessment did not include
that test); the checklist is *ready* only when every one is measured and met, so a
missing test for the goal never reads as ready. Pure: no I/O.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from hipfirst.core.performance_measures import HOP_LABELS, hop_lsi_id
from hipfirst.core.report import AssessmentReport
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Measure
from hipfirst.knowledge.vocabulary import CriterionStatus, GoalId

Goal = GoalId
"""The goal a checklist is for (``running``, ``sport``, ``daily_life``, ``walking``, ``stairs``)."""

STRENGTH_CHECKS: tuple[tuple[str, str], ...] = (
    ("hip_abduction_lsi_pct", "Hip abduction strength symmetry"),
    ("hip_external_rotation_lsi_pct", "Hip external rotation strength symmetry"),
    ("hip_extension_lsi_pct", "Hip extension strength symmetry"),
    ("knee_extension_lsi_pct", "Quadriceps strength symmetry"),
)
BALANCE_CHECKS: tuple[tuple[str, str, str], ...] = (
    ("y_balance_composite_pct_left", "Y-Balance composite, left", "ybt_composite_low"),
    ("y_balance_composite_pct_right", "Y-Balance composite, right", "ybt_composite_low"),
    ("y_balance_anterior_asymmetry_cm", "Y-Balance anterior asymmetry", "ybt_anterior_asymmetry"),
)
SQUAT_CHECKS: tuple[tuple[str, str], ...] = (
    ("single_leg_squat_poor_count_left", "Single-leg squat, left: poor ratings"),
    ("single_leg_squat_poor_count_right", "Single-leg squat, right: poor ratings"),
)
SCREENING_SOURCES = ["willy_2019", "ardern_2016"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RtsCriterion(_Frozen):
    """One checklist line: the value, the threshold it is judged against, and the verdict.

    ``measure_id`` is None for the screening lines (no number stands behind them);
    ``note`` says what was found (e.g. the referral reasons).
    """

    id: str
    label: str
    status: CriterionStatus
    value: float | None
    unit: str
    threshold: str = Field(description="what passes, e.g. '≥ 90 %'")
    measure_id: str | None
    evidence_status: str
    sources: list[str] = Field(min_length=1)
    note: str = ""


class RtsChecklist(_Frozen):
    """The whole checklist; ``ready`` only when every criterion is measured and met."""

    goal: Goal
    criteria: list[RtsCriterion]

    @property
    def ready(self) -> bool:
        return bool(self.criteria) and all(item.status == "met" for item in self.criteria)

    @property
    def not_measured(self) -> list[str]:
        return [item.id for item in self.criteria if item.status == "not_measured"]


def passes(value: float, threshold: Measure) -> bool:
    """True when ``value`` is not flagged by ``threshold`` (``below``: flagged when lower)."""
    assert threshold.value is not None and threshold.direction is not None
    if threshold.direction == "below":
        return value >= threshold.value
    return value <= threshold.value


def pass_text(threshold: Measure) -> str:
    """What passes, in words: ``≥ 90 %`` for a 'below' flag, ``≤ 3 /10`` for 'above'."""
    assert threshold.value is not None
    sign = "≥" if threshold.direction == "below" else "≤"
    return f"{sign} {threshold.value:g} {threshold.unit}"


def _judged(
    report: AssessmentReport, measure_id: str, label: str, threshold: Measure
) -> RtsCriterion:
    computed = report.measures.get(measure_id)
    value = computed.value if computed is not None and not computed.doubtful else None
    status: CriterionStatus = "not_measured"
    if value is not None:
        status = "met" if passes(value, threshold) else "not_met"
    return RtsCriterion(
        id=measure_id,
        label=label,
        status=status,
        value=value,
        unit=threshold.unit,
        threshold=pass_text(threshold),
        measure_id=threshold.id,
        evidence_status=str(threshold.status),
        sources=list(threshold.sources),
    )


def _screening(report: AssessmentReport) -> list[RtsCriterion]:
    screening = report.screening
    pending = report.active_precautions
    return [
        RtsCriterion(
            id="screening_clear",
            label="No red flag or referral reason on the re-assessment",
            status="not_met" if screening.refer else "met",
            value=None,
            unit="",
            threshold="no referral reason",
            measure_id=None,
            evidence_status="expert_opinion",
            sources=list(SCREENING_SOURCES),
            note="; ".join(screening.reasons) if screening.refer else "",
        ),
        RtsCriterion(
            id="precautions_cleared",
            label="No precaution left uncleared (e.g. patellar instability)",
            status="not_met" if pending else "met",
            value=None,
            unit="",
            threshold="none pending, or cleared by a clinician",
            measure_id=None,
            evidence_status="expert_opinion",
            sources=list(SCREENING_SOURCES),
            note="; ".join(f"{item.name}: {'; '.join(item.why)}" for item in pending),
        ),
    ]


def return_to_sport_checklist(
    report: AssessmentReport, kb: KnowledgeBase, *, goal: Goal = "running"
) -> RtsChecklist:
    """Judge a re-assessment against the return criteria of ``goal`` (module docstring)."""
    spec = kb.goal(goal)
    pain = kb.measure("rts_pain_max_nrs")
    criteria = _screening(report)
    criteria.append(_judged(report, "worst_pain_nrs", "Worst pain", pain))
    for activity in spec.rts_pain_activities:
        words = activity.replace("_", " ")
        criteria.append(_judged(report, f"pain_during_{activity}", f"Pain during {words}", pain))
    lsi = kb.measure("strength_lsi_pass")
    criteria.extend(
        _judged(report, measure_id, label, lsi) for measure_id, label in STRENGTH_CHECKS
    )
    if spec.rts_balance and spec.rts_ybt_symmetry is not None:
        criteria.append(
            _judged(
                report,
                "y_balance_composite_lsi_pct",
                "Y-Balance composite symmetry",
                kb.measure(spec.rts_ybt_symmetry),
            )
        )
        criteria.extend(
            _judged(report, measure_id, label, kb.measure(threshold_id))
            for measure_id, label, threshold_id in BALANCE_CHECKS
        )
    squat = kb.measure("rts_single_leg_squat_poor_max")
    criteria.extend(_judged(report, measure_id, label, squat) for measure_id, label in SQUAT_CHECKS)
    hop = kb.measure("rts_hop_lsi_pass")
    criteria.extend(
        _judged(report, hop_lsi_id(test), f"{HOP_LABELS[test]} symmetry", hop)
        for test in spec.rts_hop_tests
    )
    return RtsChecklist(goal=goal, criteria=criteria)
