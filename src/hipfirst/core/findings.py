"""Findings: computed values past a knowledge-base threshold, and positive signs.

Each finding carries its side, value, unit, the threshold in words, the
knowledge-base measure and its status and sources, an explanation, and the
contributor ids it supports (``LinkedFinding.contributors``). Thresholds are
read from the knowledge base (or, for video metrics, from the video summary,
which carries its own); none is written here.
"""

from __future__ import annotations

from collections.abc import Sequence

from hipfirst.core.assessment import Assessment
from hipfirst.core.clues import Clues
from hipfirst.core.exam_findings import exam_findings
from hipfirst.core.linked_finding import LinkedFinding, judged, observed, passes
from hipfirst.core.measure_table import MeasureTable
from hipfirst.core.measures import SLS_CRITERIA
from hipfirst.core.report import Finding, ReportSide
from hipfirst.core.shown_number import with_status
from hipfirst.core.sign_findings import sign_findings
from hipfirst.core.strength import MOVEMENTS
from hipfirst.core.video_measures import video_measure_id
from hipfirst.core.video_metrics import VideoMetrics
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import SIDES

STRENGTH_CONTRIBUTOR = {
    "hip_abduction": "hip_abductor_weakness",
    "hip_external_rotation": "hip_external_rotator_weakness",
    "hip_extension": "hip_extensor_weakness",
    "knee_extension": "quadriceps_weakness",
}
PFP_DEFICIT = {
    "hip_abduction": "pfp_hip_abduction_deficit",
    "hip_external_rotation": "pfp_hip_external_rotation_deficit",
}
SLS_CRITERION_CONTRIBUTORS: dict[str, tuple[str, ...]] = {
    "trunk": ("trunk_lean_compensation",),
    "pelvis": ("contralateral_pelvic_drop", "hip_abductor_weakness"),
    "hip": ("hip_abductor_weakness", "hip_external_rotator_weakness"),
    "knee": ("dynamic_knee_valgus",),
}
VIDEO_CONTRIBUTORS: dict[str, tuple[str, ...]] = {
    "fppa_deg": ("dynamic_knee_valgus",),
    "hip_adduction_deg": ("dynamic_knee_valgus", "hip_abductor_weakness"),
    "pelvic_drop_deg": ("contralateral_pelvic_drop", "hip_abductor_weakness"),
    "trunk_lean_deg": ("trunk_lean_compensation",),
}


def derive_findings(
    assessment: Assessment,
    table: MeasureTable,
    kb: KnowledgeBase,
    video: Sequence[VideoMetrics] = (),
    clues: Clues | None = None,
) -> list[LinkedFinding]:
    """Judge the computed measures and the clinical signs against the knowledge base."""
    found: list[LinkedFinding] = []
    found += _strength_findings(table, kb)
    found += _balance_findings(table, kb)
    found += _rom_findings(table, kb)
    found += _squat_findings(assessment, table, kb)
    found += sign_findings(assessment, kb)
    found += exam_findings(assessment, table, kb, clues or {})
    found += _video_findings(video)
    return found


def _strength_findings(table: MeasureTable, kb: KnowledgeBase) -> list[LinkedFinding]:
    found: list[LinkedFinding] = []
    rule = kb.measure("strength_lsi_pass")
    for movement in MOVEMENTS:
        computed = table.measures.get(f"{movement}_lsi_pct")
        if computed is None or passes(rule, computed.value):
            continue
        deficit = 100.0 - computed.value
        words = movement.replace("_", " ")
        explanation = (
            f"the {computed.side} side produces {computed.value:.0f}% of the other side's "
            f"{words} force, a {deficit:.0f}% deficit"
        )
        published = PFP_DEFICIT.get(movement)
        if published is not None:
            reference = kb.measure(published)
            explanation += (
                f"; groups with PFP average about {reference.value:g}% less than controls "
                f"({', '.join(reference.sources)})"
            )
        found.append(
            judged(
                f"{movement}_lsi_low",
                f"{words.capitalize()} weaker on the {computed.side} side",
                computed,
                rule,
                computed.side,
                explanation,
                contributors=(STRENGTH_CONTRIBUTOR[movement],),
            )
        )
    return found


def _balance_findings(table: MeasureTable, kb: KnowledgeBase) -> list[LinkedFinding]:
    found: list[LinkedFinding] = []
    composite_rule = kb.measure("ybt_composite_low")
    for side in SIDES:
        computed = table.measures.get(f"y_balance_composite_pct_{side}")
        if computed is None or passes(composite_rule, computed.value):
            continue
        found.append(
            judged(
                f"y_balance_composite_low_{side}",
                f"Y-Balance composite reach low standing on the {side} leg",
                computed,
                composite_rule,
                side,
                f"reaches average {computed.value:.1f}% of leg length; below "
                f"{composite_rule.value:g}% was linked to higher injury risk in young athletes",
                contributors=("poor_dynamic_balance",),
            )
        )
    asymmetry_rule = kb.measure("ybt_anterior_asymmetry")
    computed = table.measures.get("y_balance_anterior_asymmetry_cm")
    if computed is not None and not passes(asymmetry_rule, computed.value):
        left = table.measures.get("y_balance_anterior_pct_left")
        right = table.measures.get("y_balance_anterior_pct_right")
        shorter: ReportSide | None = None
        if left is not None and right is not None:
            shorter = "left" if left.value < right.value else "right"
        found.append(
            judged(
                "y_balance_anterior_asymmetry",
                "Y-Balance anterior reach differs between legs",
                computed,
                asymmetry_rule,
                shorter,
                f"the anterior reaches differ by {computed.value:.1f} cm; more than "
                f"{asymmetry_rule.value:g} cm was linked to higher injury risk",
                contributors=("poor_dynamic_balance",),
            )
        )
    return found


def _rom_findings(table: MeasureTable, kb: KnowledgeBase) -> list[LinkedFinding]:
    found: list[LinkedFinding] = []
    rule = kb.measure("hip_rotation_asymmetry")
    for motion in ("internal_rotation", "external_rotation"):
        computed = table.measures.get(f"hip_{motion}_asymmetry_deg")
        if computed is None or passes(rule, computed.value):
            continue
        words = motion.replace("_", " ")
        found.append(
            judged(
                f"hip_{motion}_asymmetry",
                f"Less hip {words} on the {computed.side} side",
                computed,
                rule,
                computed.side,
                f"hip {words} differs by {computed.value:.0f} degrees between sides",
                contributors=("reduced_hip_mobility",),
            )
        )
    return found


def _squat_findings(
    assessment: Assessment, table: MeasureTable, kb: KnowledgeBase
) -> list[LinkedFinding]:
    rating = assessment.exam.single_leg_squat_rating
    if rating is None:
        return []
    found: list[LinkedFinding] = []
    rule = kb.measure("sls_poor_criteria")
    for side in SIDES:
        computed = table.measures.get(f"single_leg_squat_poor_count_{side}")
        criteria = getattr(rating, side)
        if computed is None or criteria is None:
            continue
        if not passes(rule, computed.value):
            found.append(
                judged(
                    f"single_leg_squat_poor_{side}",
                    f"Poor single-leg squat on the {side} leg",
                    computed,
                    rule,
                    side,
                    f"{computed.value:g} of {len(SLS_CRITERIA)} criteria rated poor; poor "
                    "squat quality goes with weaker hip abductors (Crossley 2011)",
                    contributors=("hip_abductor_weakness",),
                )
            )
        for criterion in SLS_CRITERIA:
            if criterion == "overall" or getattr(criteria, criterion) != "poor":
                continue
            found.append(
                observed(
                    f"single_leg_squat_{criterion}_poor_{side}",
                    f"Single-leg squat: {criterion} rated poor ({side} leg)",
                    side=side,
                    value="poor",
                    unit="rating",
                    threshold="rated poor",
                    sources=["crossley_2011"],
                    explanation=(
                        f"the clinician rated {criterion} control poor; the criterion "
                        "descriptors of the published rating are not confirmed"
                    ),
                    contributors=SLS_CRITERION_CONTRIBUTORS[criterion],
                )
            )
    return found


def _video_findings(video: Sequence[VideoMetrics]) -> list[LinkedFinding]:
    found: list[LinkedFinding] = []
    for analysis in video:
        if not analysis.quality_valid:
            continue
        for side in SIDES:
            for metric, summary in analysis.per_side.get(side, {}).items():
                threshold = summary.threshold
                if (
                    not summary.valid
                    or not summary.flagged
                    or summary.mean is None
                    or threshold is None
                ):
                    continue
                base = video_measure_id(analysis.task, metric, side)
                found.append(
                    LinkedFinding(
                        Finding(
                            id=f"{base}_high",
                            label=(
                                f"Video {analysis.task}: {metric.removesuffix('_deg')} "
                                f"above threshold ({side})"
                            ),
                            side=side,
                            value=round(summary.mean, 2),
                            unit=threshold.unit,
                            threshold=threshold.describe(),
                            measure_id=threshold.measure_id,
                            status=threshold.status,
                            sources=list(threshold.sources) or ["herrington_2014"],
                            explanation=(
                                f"mean of {summary.n} repetitions {summary.mean:.1f} deg "
                                f"against {with_status(threshold)}; 2D angles "
                                "carry several degrees of measurement error"
                            ),
                        ),
                        VIDEO_CONTRIBUTORS[metric],
                    )
                )
    return found
