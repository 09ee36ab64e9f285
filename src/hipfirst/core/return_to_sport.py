"""Return-to-running / return-to-sport checklist from a re-assessment report.

No PFP- or ITBS-specific criteria have been validated (evidence.md §10), so the
checklist borrows thresholds from ACL and hip populations and shows each one's
status and source. Each criterion is *met*, *not met*, or *not measured* (the
re-assessment did not include that test), with the value and the threshold.

A knowledge-base threshold flags a value on its ``direction`` side (``below``:
flagged when lower than the value; ``above``: when higher); a criterion is met
when its value is not flagged. Pure: no I/O.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hipfirst.core.report import AssessmentReport
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Measure
from hipfirst.knowledge.vocabulary import CriterionStatus

Goal = Literal["running", "sport"]

YBT_SYMMETRY_THRESHOLD: dict[Goal, str] = {
    "running": "rts_ybt_symmetry_running_pct",
    "sport": "ybt_symmetry_full_sport",
}
"""The Y-Balance symmetry threshold for each goal (85% running, 90% sport)."""

CHECKS: tuple[tuple[str, str, str], ...] = (
    ("hip_abduction_lsi_pct", "Hip abduction strength symmetry", "strength_lsi_pass"),
    (
        "hip_external_rotation_lsi_pct",
        "Hip external rotation strength symmetry",
        "strength_lsi_pass",
    ),
    ("hip_extension_lsi_pct", "Hip extension strength symmetry", "strength_lsi_pass"),
    ("knee_extension_lsi_pct", "Quadriceps strength symmetry", "strength_lsi_pass"),
    ("y_balance_composite_lsi_pct", "Y-Balance composite symmetry", ""),
    ("y_balance_composite_pct_left", "Y-Balance composite, left", "ybt_composite_low"),
    ("y_balance_composite_pct_right", "Y-Balance composite, right", "ybt_composite_low"),
    ("y_balance_anterior_asymmetry_cm", "Y-Balance anterior asymmetry", "ybt_anterior_asymmetry"),
    (
        "single_leg_squat_poor_count_left",
        "Single-leg squat, left: poor ratings",
        "rts_single_leg_squat_poor_max",
    ),
    (
        "single_leg_squat_poor_count_right",
        "Single-leg squat, right: poor ratings",
        "rts_single_leg_squat_poor_max",
    ),
    ("worst_pain_nrs", "Worst pain", "rts_pain_max_nrs"),
)
"""(report measure id, label, knowledge-base threshold id); '' = goal-dependent."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RtsCriterion(_Frozen):
    """One checklist line: the value, the threshold it is judged against, and the verdict."""

    id: str
    label: str
    status: CriterionStatus
    value: float | None
    unit: str
    threshold: str = Field(description="what passes, e.g. '≥ 90 %'")
    measure_id: str
    evidence_status: str
    sources: list[str] = Field(min_length=1)


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
    """True when ``value`` is not flagged by ``threshold`` (see the module docstring)."""
    assert threshold.value is not None and threshold.direction is not None
    if threshold.direction == "below":
        return value >= threshold.value
    return value <= threshold.value


def pass_text(threshold: Measure) -> str:
    """What passes, in words: ``≥ 90 %`` for a 'below' flag, ``≤ 3 /10`` for 'above'."""
    assert threshold.value is not None
    sign = "≥" if threshold.direction == "below" else "≤"
    return f"{sign} {threshold.value:g} {threshold.unit}"


def return_to_sport_checklist(
    report: AssessmentReport, kb: KnowledgeBase, *, goal: Goal = "running"
) -> RtsChecklist:
    """Judge a re-assessment against the return-to-running (or full sport) criteria."""
    criteria: list[RtsCriterion] = []
    for measure_id, label, threshold_id in CHECKS:
        threshold = kb.measure(threshold_id or YBT_SYMMETRY_THRESHOLD[goal])
        computed = report.measures.get(measure_id)
        usable = computed is not None and not computed.doubtful
        value = computed.value if computed is not None and usable else None
        status: CriterionStatus
        if value is None:
            status = "not_measured"
        else:
            status = "met" if passes(value, threshold) else "not_met"
        criteria.append(
            RtsCriterion(
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
        )
    return RtsChecklist(goal=goal, criteria=criteria)
