"""Clues in the assessment data that point away from (or beside) patellofemoral pain.

Each clue comes with the data that raised it, in words a clinician can check
("right hip internal rotation 8 deg, below 15 deg (published)"), so every screening
result built on clues says what it rests on. Thresholds come from the knowledge base;
the AKPS option points named here are the format's own (evidence.md §6.1).

The clues (:data:`~hipfirst.knowledge.vocabulary.Clue`): the hip symptoms of the
history, diffuse pain, failed knee treatment, limited (absolute) and asymmetric hip
rotation, pain on hip internal rotation, a limp (AKPS item 1), the tender site, loading
pain at the front of the knee with no tender site recorded, patellar dislocation or
subluxation (history or AKPS item 11), a positive apprehension test, giving way.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable

from hipfirst.core.assessment import Assessment
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import SIDES, Clue

Clues = dict[Clue, list[str]]
"""Each clue found, with the data that raised it (one line per piece of data)."""

_Add = Callable[[Clue, str], None]

HIP_SYMPTOM_WORDS: dict[Clue, str] = {
    "groin_pain": "groin pain",
    "buttock_pain": "buttock pain",
    "lateral_hip_pain": "pain on the outside of the hip",
    "hip_stiffness": "hip stiffness",
    "hip_clicking": "clicking in the hip",
}
"""``symptoms.hip_symptoms`` items in words; each is also the clue of the same name."""

AKPS_LIMP_ITEM = 0
AKPS_LIMP_WORDS = {3: "slight or periodical limp", 0: "constant limp"}
AKPS_PATELLA_ITEM = 10
AKPS_DISLOCATION_WORDS = {2: "at least one documented dislocation", 0: "more than two dislocations"}
AKPS_SUBLUXATION_WORDS = {
    6: "painful kneecap slips occasionally in sport",
    4: "painful kneecap slips occasionally in daily activities",
}
"""AKPS options (item points, evidence.md §6.1) that are clues: item 1 limp, item 11
abnormal painful patellar movements (the points of those options, not thresholds)."""

TENDER_SITE_CLUES: dict[str, Clue] = {
    "tibial_tubercle": "tibial_tubercle_site",
    "lower_pole_of_kneecap": "lower_pole_site",
    "patellar_tendon": "patellar_tendon_site",
}

HIP_ORIGIN_CLUES: frozenset[Clue] = frozenset(
    {
        "groin_pain",
        "buttock_pain",
        "lateral_hip_pain",
        "hip_stiffness",
        "hip_clicking",
        "diffuse_location",
        "knee_treatment_failed",
        "limited_internal_rotation",
        "painful_internal_rotation",
        "rotation_asymmetry",
    }
)
"""Clues that the knee pain may come from the hip itself (system.md §2)."""


def find_clues(assessment: Assessment, kb: KnowledgeBase) -> Clues:
    """Every clue in the assessment, in the order of :data:`Clue`'s meaning groups."""
    found: Clues = {}

    def add(clue: Clue, evidence: str) -> None:
        found.setdefault(clue, []).append(evidence)

    symptoms = assessment.symptoms
    hip_symptoms = symptoms.hip_symptoms.model_dump()
    for clue, words in HIP_SYMPTOM_WORDS.items():
        if hip_symptoms[clue]:
            add(clue, words)
    if symptoms.location == "diffuse":
        add("diffuse_location", "knee pain is diffuse and poorly localised")
    if symptoms.knee_treatment_failed:
        add("knee_treatment_failed", "earlier knee-focused treatment did not help")
    _rotation_clues(assessment, kb, add)
    akps = assessment.questionnaires.akps or []
    if len(akps) > AKPS_LIMP_ITEM and akps[AKPS_LIMP_ITEM] in AKPS_LIMP_WORDS:
        add("limp", f"AKPS item 1: {AKPS_LIMP_WORDS[akps[AKPS_LIMP_ITEM]]}")
    if symptoms.tender_site in TENDER_SITE_CLUES:
        site = symptoms.tender_site.replace("_", " ")
        add(TENDER_SITE_CLUES[symptoms.tender_site], f"tender at the {site}")
    loading = {
        name: score
        for name, score in symptoms.pain_during.model_dump().items()
        if name in ("squatting", "stairs", "hopping", "running") and score
    }
    if symptoms.location == "anterior" and symptoms.tender_site is None and loading:
        pains = ", ".join(f"{name} {score:g}/10" for name, score in loading.items())
        add(
            "anterior_activity_pain",
            f"anterior knee pain on loading ({pains}) with no tender site recorded",
        )
    _patella_clues(assessment, add)
    if symptoms.red_flags.giving_way:
        add("giving_way", "the knee gives way (history)")
    return found


def _rotation_clues(assessment: Assessment, kb: KnowledgeBase, add: _Add) -> None:
    rom = assessment.exam.hip_rom_deg
    if rom is None:
        return
    limit = kb.measure("hip_internal_rotation_limited_deg")
    asymmetry = kb.measure("hip_rotation_asymmetry")
    assert limit.value is not None and asymmetry.value is not None  # thresholds (schema)
    internal = rom.internal_rotation
    if internal is not None:
        for side in SIDES:
            degrees = getattr(internal, side)
            if degrees is not None and degrees < limit.value:
                add(
                    "limited_internal_rotation",
                    f"{side} hip internal rotation {degrees:g} deg (flagged "
                    f"{limit.describe()}, {limit.status})",
                )
    for motion in ("internal_rotation", "external_rotation"):
        pair = getattr(rom, motion)
        if pair is None or pair.left is None or pair.right is None:
            continue
        difference = abs(pair.left - pair.right)
        if difference > asymmetry.value:
            words = motion.replace("_", " ")
            add(
                "rotation_asymmetry",
                f"hip {words} {pair.left:g} deg left vs {pair.right:g} deg right "
                f"(difference {difference:g} deg; flagged {asymmetry.describe()}, "
                f"{asymmetry.status})",
            )
    painful = rom.internal_rotation_painful
    if painful is not None:
        for side in SIDES:
            if getattr(painful, side):
                add("painful_internal_rotation", f"pain on {side} hip internal rotation")


def _patella_clues(assessment: Assessment, add: _Add) -> None:
    history = assessment.symptoms.patellar_instability
    if history is not None and history.dislocation:
        add("patellar_dislocation", "history of the kneecap dislocating")
    if history is not None and history.subluxation:
        add("patellar_subluxation", "history of the kneecap slipping partly out (subluxation)")
    akps = assessment.questionnaires.akps or []
    if len(akps) > AKPS_PATELLA_ITEM:
        answer = akps[AKPS_PATELLA_ITEM]
        if answer in AKPS_DISLOCATION_WORDS:
            add("patellar_dislocation", f"AKPS item 11: {AKPS_DISLOCATION_WORDS[answer]}")
        elif answer in AKPS_SUBLUXATION_WORDS:
            add("patellar_subluxation", f"AKPS item 11: {AKPS_SUBLUXATION_WORDS[answer]}")
    apprehension = assessment.exam.patellar_apprehension
    if apprehension is not None:
        for side in SIDES:
            if getattr(apprehension, side) == "positive":
                add("apprehension_positive", f"patellar apprehension test positive ({side})")
