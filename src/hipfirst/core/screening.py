"""Screening before any exercise: referral reasons, hip-origin clues, PFP criteria.

Rules follow ``system.md`` §2 and ``evidence.md`` §7.1 / §7.4. Red flags and the
suspicion that the pain comes from the hip are derived from the data as well as from
ticked boxes (:mod:`hipfirst.core.clues`, :mod:`hipfirst.core.differentials`,
:mod:`hipfirst.core.referrals`). The software supports a clinician and does not
diagnose: every result says what it is based on and what to do next.
"""

from __future__ import annotations

from collections.abc import Sequence

from hipfirst.core.assessment import Assessment
from hipfirst.core.clues import HIP_ORIGIN_CLUES, Clues
from hipfirst.core.report import Differential, HipOriginScreen, PfpCriteria

HIP_EXAM_ADVICE = (
    "advice: examine the hip (range of motion, provocation tests) before treating the knee "
    "as the only source; refer for imaging if indicated"
)
NO_HIP_CLUES = (
    "no hip symptoms, localised knee pain, no limited, painful or asymmetric hip rotation"
)


def screen_hip_origin(clues: Clues, differentials: Sequence[Differential]) -> HipOriginScreen:
    """Clues that the hip itself may be the pain source → advise a hip examination.

    The reasons are the data that raised each clue; the conditions to consider are the
    hip conditions whose typical age fits (no hip osteoarthritis for a teenager).
    """
    hip_conditions = [item for item in differentials if item.region == "hip"]
    relevant = set(HIP_ORIGIN_CLUES) | {clue for item in hip_conditions for clue in item.clues}
    reasons = [evidence for clue, lines in clues.items() if clue in relevant for evidence in lines]
    if not reasons:
        return HipOriginScreen(suspected=False, reasons=[NO_HIP_CLUES])
    reasons.append(HIP_EXAM_ADVICE)
    return HipOriginScreen(
        suspected=True,
        reasons=reasons,
        conditions_to_consider=[item.name for item in hip_conditions],
    )


def check_pfp_criteria(
    assessment: Assessment, refer: bool, differentials: Sequence[Differential] = ()
) -> PfpCriteria:
    """Willy 2019 CPG statement (B): peripatellar pain, reproduced by flexed-knee
    loading, other causes excluded. The tool can check the first two and names the other
    causes the data point to; excluding them stays the clinician's job, so 'met' always
    carries that caveat, and a knee differential in the data means 'cannot tell'."""
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
    knee_causes = [item for item in differentials if item.region == "knee"]
    if provoking:
        reasons.append(f"pain is reproduced by {', '.join(provoking)}")
        if knee_causes:
            reasons.extend(
                f"{item.name} must be excluded first ({'; '.join(item.why)})"
                for item in knee_causes
            )
            return PfpCriteria(status="cannot_tell", reasons=reasons)
        reasons.append("the clinician must still exclude other causes of anterior knee pain")
        return PfpCriteria(status="met", reasons=reasons)
    if answered:
        reasons.append("squatting, stairs and sitting were reported pain-free")
        return PfpCriteria(status="not_met", reasons=reasons)
    reasons.append("pain during squatting, stairs or sitting was not recorded")
    return PfpCriteria(status="cannot_tell", reasons=reasons)
