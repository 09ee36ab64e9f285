"""Differential diagnoses from the data: which knowledge-base conditions the clues and age fit.

A condition is named when the person's age lies in its typical range and at least one
of its clues is in the data (:mod:`hipfirst.core.clues`); the differential lists that
data. A condition with a precaution (patellar instability, a hip joint with limited or
painful internal rotation) makes the plan leave out the loads it contraindicates until a
clinician has cleared it (``exam.precautions_cleared``). Age ranges keep conditions
where they belong: hip osteoarthritis is never named for a 13-year-old, slipped capital
femoral epiphysis never for an adult. Pure: no I/O.
"""

from __future__ import annotations

from hipfirst.core.assessment import Assessment
from hipfirst.core.clues import Clues
from hipfirst.core.report import Differential
from hipfirst.knowledge.base import KnowledgeBase


def name_differentials(
    assessment: Assessment, clues: Clues, kb: KnowledgeBase
) -> list[Differential]:
    """Every knowledge-base condition the data fit, in knowledge-base order."""
    age = assessment.patient.age_years
    cleared = set(assessment.exam.precautions_cleared or [])
    named: list[Differential] = []
    for condition in kb.conditions.values():
        present = [clue for clue in condition.clues if clue in clues]
        if not present or not condition.fits_age(age):
            continue
        why = [evidence for clue in present for evidence in clues[clue]]
        span = _age_span(condition.age_low, condition.age_high)
        if span:
            why.append(f"age {age:g} (typical age {span})")
        triggers = condition.precaution_clues or condition.clues
        applies = condition.precaution is not None and any(c in clues for c in triggers)
        named.append(
            Differential(
                id=condition.id,
                name=condition.name,
                region=condition.region,
                clues=list(present),
                why=list(dict.fromkeys(why)),
                advice=condition.advice,
                refer=condition.refer,
                urgency=condition.urgency,
                precaution=condition.precaution,
                precaution_active=applies and condition.precaution not in cleared,
                excludes_load_types=list(condition.excludes_load_types),
                excludes_exercises=list(condition.excludes_exercises),
                status=str(condition.status),
                sources=list(condition.sources),
            )
        )
    return named


def _age_span(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{low:g}-{high:g} years"
    if low is not None:
        return f"{low:g} years or more"
    if high is not None:
        return f"{high:g} years or less"
    return ""
