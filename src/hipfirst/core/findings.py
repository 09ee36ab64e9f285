"""Findings: computed values past a knowledge-base threshold, and positive signs.

Each finding carries its side, value, unit, the threshold in words, the
knowledge-base measure and its status and sources, an explanation, and the
contributor ids it supports (``LinkedFinding.contributors``). Thresholds are
read from the knowledge base (or, for video metrics, from the video summary,
which carries its own); none is written here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hipfirst.core.assessment import Assessment
from hipfirst.core.measures import SLS_CRITERIA, MeasureTable, video_measure_id
from hipfirst.core.report import ComputedMeasure, Finding, ReportSide
from hipfirst.core.strength import MOVEMENTS
from hipfirst.core.video_metrics import VideoMetrics
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Measure
from hipfirst.knowledge.vocabulary import SIDES


@dataclass(frozen=True)
class LinkedFinding:
    """A finding and the contributors it is evidence for."""

    finding: Finding
    contributors: tuple[str, ...]


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
LOAD_HISTORY_TEXT = {
    "rapid_mileage_increase": "running distance went up quickly",
    "added_hills": "hills were added to training",
    "high_volume_single_leg_work": "a lot of single-leg work without hip strength to match",
    "mostly_sedentary": "long periods of sitting with little activity",
    "single_sport": "one sport only, the same load every session",
    "previous_lower_limb_injury": "an earlier leg injury that may have left a compensation",
}
LOAD_SOURCES = ["esculier_2018", "willy_2019"]
# Linking these histories to load-management error is the brief's clinical model
# (system.md §1), not a measured threshold: the findings are marked unconfirmed.


def _passes(measure: Measure, value: float) -> bool:
    """True when ``value`` is on the safe side of a threshold measure."""
    assert measure.value is not None  # a threshold always has a value (schema check)
    if measure.direction == "below":
        return value >= measure.value
    return value <= measure.value


def _from_measure(
    finding_id: str,
    label: str,
    computed: ComputedMeasure,
    measure: Measure,
    side: ReportSide | None,
    explanation: str,
    *,
    contributors: tuple[str, ...],
) -> LinkedFinding:
    """A computed value judged against a knowledge-base measure, with that measure's
    threshold, status and sources."""
    return LinkedFinding(
        Finding(
            id=finding_id,
            label=label,
            side=side,
            value=computed.value,
            unit=computed.unit,
            threshold=measure.describe(),
            measure_id=measure.id,
            status=measure.status.value,
            sources=list(measure.sources),
            explanation=explanation,
        ),
        contributors,
    )


def _observed(
    finding_id: str,
    label: str,
    *,
    side: ReportSide | None,
    value: str,
    unit: str,
    threshold: str,
    sources: Sequence[str],
    explanation: str,
    contributors: tuple[str, ...],
) -> LinkedFinding:
    """A sign the clinician saw or a history item the person reported.

    No knowledge-base measure stands behind it, so it is always ``unconfirmed``.
    """
    return LinkedFinding(
        Finding(
            id=finding_id,
            label=label,
            side=side,
            value=value,
            unit=unit,
            threshold=threshold,
            measure_id=None,
            status="unconfirmed",
            sources=list(sources),
            explanation=explanation,
        ),
        contributors,
    )


def derive_findings(
    assessment: Assessment,
    table: MeasureTable,
    kb: KnowledgeBase,
    video: Sequence[VideoMetrics] = (),
) -> list[LinkedFinding]:
    """Judge the computed measures and the clinical signs against the knowledge base."""
    found: list[LinkedFinding] = []
    found += _strength_findings(table, kb)
    found += _balance_findings(table, kb)
    found += _rom_findings(table, kb)
    found += _squat_findings(assessment, table, kb)
    found += _sign_findings(assessment)
    found += _video_findings(video)
    return found


def _strength_findings(table: MeasureTable, kb: KnowledgeBase) -> list[LinkedFinding]:
    found: list[LinkedFinding] = []
    rule = kb.measure("strength_lsi_pass")
    for movement in MOVEMENTS:
        computed = table.measures.get(f"{movement}_lsi_pct")
        if computed is None or _passes(rule, computed.value):
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
            _from_measure(
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
        if computed is None or _passes(composite_rule, computed.value):
            continue
        found.append(
            _from_measure(
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
    if computed is not None and not _passes(asymmetry_rule, computed.value):
        left = table.measures.get("y_balance_anterior_pct_left")
        right = table.measures.get("y_balance_anterior_pct_right")
        shorter: ReportSide | None = None
        if left is not None and right is not None:
            shorter = "left" if left.value < right.value else "right"
        found.append(
            _from_measure(
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
        if computed is None or _passes(rule, computed.value):
            continue
        words = motion.replace("_", " ")
        found.append(
            _from_measure(
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


def rotation_loss_reasons(findings: Sequence[LinkedFinding]) -> list[str]:
    """Hip-origin screen input: the rotation asymmetries already flagged."""
    return [
        f"{item.finding.label.lower()} ({item.finding.value:g} deg, threshold "
        f"{item.finding.threshold}, {item.finding.status})"
        for item in findings
        if item.finding.id.startswith("hip_") and item.finding.id.endswith("rotation_asymmetry")
    ]


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
        if not _passes(rule, computed.value):
            found.append(
                _from_measure(
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
                _observed(
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


def _sign_findings(assessment: Assessment) -> list[LinkedFinding]:
    found: list[LinkedFinding] = []
    trendelenburg = assessment.exam.trendelenburg
    if trendelenburg is not None:
        for side in SIDES:
            if getattr(trendelenburg, side) == "positive":
                found.append(
                    _observed(
                        f"trendelenburg_positive_{side}",
                        f"Trendelenburg test positive standing on the {side} leg",
                        side=side,
                        value="positive",
                        unit="test",
                        threshold="positive test",
                        sources=["seed_004"],
                        explanation=(
                            "the pelvis dropped on the free side while standing on this leg, "
                            "a sign of stance-side hip abductor insufficiency"
                        ),
                        contributors=("hip_abductor_weakness", "contralateral_pelvic_drop"),
                    )
                )
    for name, present in assessment.symptoms.load_history.model_dump().items():
        if not present:
            continue
        found.append(
            _observed(
                f"load_{name}",
                f"Load history: {LOAD_HISTORY_TEXT[name]}",
                side=None,
                value="yes",
                unit="history",
                threshold="reported",
                sources=LOAD_SOURCES,
                explanation=f"reported in the history: {LOAD_HISTORY_TEXT[name]}",
                contributors=("load_management_error",),
            )
        )
    if assessment.symptoms.location == "lateral":
        found.append(
            _observed(
                "lateral_knee_pain",
                "Lateral knee pain (ITB syndrome pattern)",
                side=assessment.symptoms.side,
                value="lateral",
                unit="location",
                threshold="pain on the outside of the knee",
                sources=["fredericson_2000", "noehren_2014"],
                explanation=(
                    "pain on the outside of the knee fits iliotibial band syndrome, where "
                    "ITB/TFL tightness and hip abductor weakness are reported"
                ),
                contributors=("soft_tissue_tightness",),
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
                                f"against {threshold.describe()} ({threshold.status}); 2D angles "
                                "carry several degrees of measurement error"
                            ),
                        ),
                        VIDEO_CONTRIBUTORS[metric],
                    )
                )
    return found
