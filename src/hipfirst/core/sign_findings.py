"""Findings from what was seen or reported: clinical signs and the history.

A positive Trendelenburg test, each load-history item the person reported (worded by
the knowledge base's load factors), and lateral (outer-knee) pain. No knowledge-base
measure stands behind these, so each is ``unconfirmed``
(:func:`~hipfirst.core.linked_finding.observed`). Lateral pain fits the ITB syndrome
pattern but is never taken as ITB tightness: tightness comes only from a test that
measures it (:mod:`hipfirst.core.exam_findings`). Pure: no I/O.
"""

from __future__ import annotations

from hipfirst.core.assessment import Assessment
from hipfirst.core.linked_finding import LinkedFinding, observed
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import SIDES

# Linking these histories to load-management error is the brief's clinical model
# (system.md §1), not a measured threshold: the findings are marked unconfirmed.


def sign_findings(assessment: Assessment, kb: KnowledgeBase) -> list[LinkedFinding]:
    """Positive Trendelenburg tests, reported load history and lateral pain, as findings."""
    found: list[LinkedFinding] = []
    trendelenburg = assessment.exam.trendelenburg
    if trendelenburg is not None:
        for side in SIDES:
            if getattr(trendelenburg, side) == "positive":
                found.append(
                    observed(
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
        factor = kb.load_factors[name]
        found.append(
            observed(
                f"load_{name}",
                f"Load history: {factor.history}",
                side=None,
                value="yes",
                unit="history",
                threshold="reported",
                sources=list(factor.sources),
                explanation=f"reported in the history: {factor.history}",
                contributors=("load_management_error",),
            )
        )
    if assessment.symptoms.location == "lateral":
        found.append(
            observed(
                "lateral_knee_pain",
                "Lateral knee pain (ITB syndrome pattern)",
                side=assessment.symptoms.side,
                value="lateral",
                unit="location",
                threshold="pain on the outside of the knee",
                sources=["fredericson_2000", "noehren_2014"],
                explanation=(
                    "pain on the outside of the knee fits iliotibial band syndrome, where "
                    "hip abductor weakness is reported; ITB/TFL tightness is judged only "
                    "from a test that measures it (Ober)"
                ),
                contributors=(),
            )
        )
    return found
