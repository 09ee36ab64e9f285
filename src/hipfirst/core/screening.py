"""Screening before any exercise: red flags, hip-origin clues, PFP criteria.

Rules follow ``system.md`` §2 and ``evidence.md`` §7.1 / §7.4. The software
supports a clinician and does not diagnose: every result says what it is
based on and what to do next.
"""

from __future__ import annotations

from hipfirst.core.assessment import Assessment
from hipfirst.core.report import HipOriginScreen, PfpCriteria, Screening

RED_FLAG_REASONS: dict[str, str] = {
    "trauma_with_rapid_swelling": (
        "swelling soon after an injury may mean bleeding into the joint (e.g. ligament tear): "
        "see a doctor before exercising"
    ),
    "locking": "the knee locks: possible meniscal or loose-body problem, needs examination",
    "giving_way": "the knee gives way: possible ligament injury or instability, needs examination",
    "hot_swollen_joint_or_fever": (
        "a hot, swollen joint or fever may mean infection: seek medical care urgently"
    ),
    "night_or_constant_rest_pain": (
        "pain at night or constant pain at rest is not typical of overload pain and needs "
        "medical assessment (rule out bone or joint disease)"
    ),
    "unexplained_weight_loss": "unexplained weight loss with pain needs medical assessment",
    "calf_swelling_or_tenderness": (
        "a swollen or tender calf may be a blood clot: seek medical care the same day"
    ),
    "numbness_or_weakness": (
        "numbness or weakness suggests a nerve problem (e.g. from the back): needs examination"
    ),
    "painful_limited_hip_rotation_adolescent": (
        "knee pain in a young person with painful or limited hip rotation may come from the "
        "hip growth plate (slipped capital femoral epiphysis): urgent hip examination and imaging"
    ),
}
"""Why each red flag stops the programme (evidence.md §7.4, system.md §2)."""

HIP_SYMPTOM_REASONS: dict[str, str] = {
    "groin_pain": "groin pain",
    "buttock_pain": "buttock pain",
    "lateral_hip_pain": "pain on the outside of the hip",
    "hip_stiffness": "hip stiffness",
    "hip_clicking": "clicking in the hip",
}

HIP_CONDITIONS: dict[str, list[str]] = {
    "groin_pain": ["hip osteoarthritis", "femoroacetabular impingement", "labral tear"],
    "hip_stiffness": ["hip osteoarthritis", "femoroacetabular impingement"],
    "hip_clicking": ["labral tear", "femoroacetabular impingement"],
    "lateral_hip_pain": ["gluteal tendinopathy", "trochanteric bursitis"],
    "buttock_pain": ["gluteal tendinopathy"],
    "limited_rotation": ["hip osteoarthritis", "femoroacetabular impingement"],
    "unexplained": [
        "hip osteoarthritis",
        "femoroacetabular impingement",
        "gluteal tendinopathy",
        "trochanteric bursitis",
        "labral tear",
    ],
}
"""Hip conditions that can refer pain to the knee, by clue (system.md §2)."""


HIP_EXAM_ADVICE = (
    "advice: examine the hip (range of motion, provocation tests) before treating the knee "
    "as the only source; refer for imaging if indicated"
)


def screen_red_flags(assessment: Assessment) -> Screening:
    """Any red flag means refer: no exercise programme is produced."""
    flags = assessment.symptoms.red_flags.model_dump()
    reasons = [RED_FLAG_REASONS[name] for name, present in flags.items() if present]
    if not reasons:
        return Screening(refer=False, reasons=["no red flags reported"])
    return Screening(refer=True, reasons=reasons)


def screen_hip_origin(
    assessment: Assessment, rotation_asymmetry_flags: list[str]
) -> HipOriginScreen:
    """Clues that the hip itself may be the pain source → advise a hip examination.

    ``rotation_asymmetry_flags`` are already-judged descriptions of hip rotation
    differences above the knowledge-base threshold (computed elsewhere).
    """
    symptoms = assessment.symptoms
    reasons: list[str] = []
    conditions: list[str] = []
    for name, present in symptoms.hip_symptoms.model_dump().items():
        if present:
            reasons.append(HIP_SYMPTOM_REASONS[name])
            conditions.extend(HIP_CONDITIONS[name])
    if symptoms.location == "diffuse":
        reasons.append("knee pain is diffuse and poorly localised")
        conditions.extend(HIP_CONDITIONS["unexplained"])
    if symptoms.knee_treatment_failed:
        reasons.append("earlier knee-focused treatment did not help")
        conditions.extend(HIP_CONDITIONS["unexplained"])
    if rotation_asymmetry_flags:
        reasons.extend(rotation_asymmetry_flags)
        conditions.extend(HIP_CONDITIONS["limited_rotation"])
    unique_conditions = list(dict.fromkeys(conditions))
    if not reasons:
        return HipOriginScreen(
            suspected=False, reasons=["no hip symptoms, localised knee pain, no rotation loss"]
        )
    reasons.append(HIP_EXAM_ADVICE)
    return HipOriginScreen(
        suspected=True, reasons=reasons, conditions_to_consider=unique_conditions
    )


def check_pfp_criteria(assessment: Assessment, refer: bool) -> PfpCriteria:
    """Willy 2019 CPG statement (B): peripatellar pain, reproduced by flexed-knee
    loading, other causes excluded. The tool can check the first two; the third
    stays the clinician's job, so 'met' always carries that caveat."""
    symptoms = assessment.symptoms
    during = symptoms.pain_during
    loading = {
        "squatting": during.squatting,
        "stairs": during.stairs,
        "prolonged sitting": during.prolonged_sitting,
    }
    provoking = [name for name, score in loading.items() if score is not None and score > 0]
    answered = [name for name, score in loading.items() if score is not None]
    reasons: list[str] = []
    if refer:
        return PfpCriteria(
            status="not_met",
            reasons=["a red flag is present: other causes must be excluded first"],
        )
    if symptoms.location in {"lateral", "medial", "posterior"}:
        reasons.append(
            f"pain is {symptoms.location}, not around or behind the kneecap"
            + (
                " (lateral pain fits an ITB syndrome pattern)"
                if symptoms.location == "lateral"
                else ""
            )
        )
        return PfpCriteria(status="not_met", reasons=reasons)
    if symptoms.location == "diffuse":
        reasons.append("pain is diffuse, so peripatellar location cannot be confirmed")
        return PfpCriteria(status="cannot_tell", reasons=reasons)
    reasons.append("pain is anterior (around or behind the kneecap)")
    if provoking:
        reasons.append(f"pain is reproduced by {', '.join(provoking)}")
        reasons.append("the clinician must still exclude other causes of anterior knee pain")
        return PfpCriteria(status="met", reasons=reasons)
    if answered:
        reasons.append("squatting, stairs and sitting were reported pain-free")
        return PfpCriteria(status="not_met", reasons=reasons)
    reasons.append("pain during squatting, stairs or sitting was not recorded")
    return PfpCriteria(status="cannot_tell", reasons=reasons)
