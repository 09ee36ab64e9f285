"""The shipped knowledge base loads, resolves, and fails loudly when broken."""

from __future__ import annotations

import pytest

from hipfirst.errors import KnowledgeBaseError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.loader import check_cross_references, knowledge_base, parse_records
from hipfirst.knowledge.schema import Measure, Reference

CONTRIBUTOR_IDS = {
    "hip_abductor_weakness",
    "hip_external_rotator_weakness",
    "hip_extensor_weakness",
    "quadriceps_weakness",
    "dynamic_knee_valgus",
    "contralateral_pelvic_drop",
    "trunk_lean_compensation",
    "reduced_hip_mobility",
    "itb_tfl_tightness",
    "hip_flexor_tightness",
    "hamstring_tightness",
    "foot_pronation",
    "poor_dynamic_balance",
    "load_management_error",
}
ASSESSMENT_MEASURES = {
    "strength_lsi_pass": ("< 90 %", "borrowed"),
    "ybt_composite_low": ("< 94 % LL", "published"),
    "ybt_anterior_asymmetry": ("> 4 cm", "published"),
    "akps_mcid": ("a change of 10 points (MCID)", "published"),
    "lefs_mcid": ("a change of 9 points (MCID)", "published"),
    "lefs_mdc": ("a change of 9 points (MDC)", "published"),
    "nprs_mcid_pfp": ("a change of 1.16 points (MCID)", "published"),
    "koos_pf_mic": ("a change of 16.4 points (MCID)", "published"),
    "hip_internal_rotation_limited_deg": ("< 15 deg", "published"),
    "hip_rotation_asymmetry": ("> 10 deg", "unconfirmed"),
    "sls_poor_criteria": ("> 1 criteria", "unconfirmed"),
}


def test_it_loads_the_shipped_knowledge_base() -> None:
    kb = knowledge_base()
    assert set(kb.contributors) >= CONTRIBUTOR_IDS
    for seed in ("seed_000", "seed_001", "seed_002", "seed_003", "seed_004"):
        assert kb.reference(seed).journal == "web article"
    assert kb.reference("crossley_2016a").year == 2016
    assert kb.reference("ijspt_2022_hip_rts").doi == "10.26603/001c.38043"


def test_it_names_every_broken_cross_reference() -> None:
    kb = knowledge_base()
    measure = kb.measure("programme_sets").model_copy(
        update={"id": "broken_measure", "sources": ["no_such_paper"]}
    )
    exercise = kb.exercise("clamshell").model_copy(
        update={
            "id": "broken_exercise",
            "easier": ["no_such_exercise"],
            "harder": ["broken_exercise"],
            "addresses": ["no_such_contributor"],
        }
    )
    broken = KnowledgeBase(
        references=kb.references,
        measures={**kb.measures, measure.id: measure},
        exercises={**kb.exercises, exercise.id: exercise},
        contributors=kb.contributors,
        phases={key: phase for key, phase in kb.phases.items() if phase.number != 2},
    )

    assert check_cross_references(broken) == [
        "measure broken_measure.sources: unknown reference 'no_such_paper'",
        "exercise broken_exercise.easier: unknown exercise 'no_such_exercise'",
        "exercise broken_exercise.harder: an exercise cannot point at itself",
        "exercise broken_exercise.addresses: unknown contributor 'no_such_contributor'",
        "phases must be numbered 1, 2, 3 … without gaps (got [1, 3])",
    ]


def test_it_finds_no_broken_cross_reference_in_the_shipped_knowledge_base() -> None:
    assert check_cross_references(knowledge_base()) == []


@pytest.mark.parametrize(("measure_id", "expected"), sorted(ASSESSMENT_MEASURES.items()))
def test_it_holds_the_assessment_thresholds(measure_id: str, expected: tuple[str, str]) -> None:
    measure = knowledge_base().measure(measure_id)
    assert (measure.describe(), measure.status.value) == expected


def test_it_explains_every_contributor_to_the_patient_in_the_second_person() -> None:
    for contributor_id in CONTRIBUTOR_IDS:
        contributor = knowledge_base().contributor(contributor_id)
        assert "you" in contributor.patient_explanation.lower()
        assert contributor.clinician_explanation


def test_it_fails_with_file_and_field_for_a_broken_record() -> None:
    text = (
        "version: 1\n"
        "measures:\n"
        "  - id: broken\n"
        "    name: Broken\n"
        "    kind: threshold\n"
        "    unit: '%'\n"
        "    value: 90\n"
        "    context: test\n"
        "    status: guessed\n"
        "    sources: [gokeler_2017]\n"
    )
    with pytest.raises(
        KnowledgeBaseError, match=r"measures/broken.yaml:\n  - measures\[0\] \(broken\)"
    ):
        parse_records("measures/broken.yaml", text, "measures", Measure)
    with pytest.raises(KnowledgeBaseError, match=r"\(broken\)\.status: Input should be"):
        parse_records("measures/broken.yaml", text, "measures", Measure)


def test_it_fails_for_a_duplicate_reference_id() -> None:
    text = (
        "version: 1\nreferences:\n"
        "  - {id: a_2000, authors: A, year: 2000, title: T, journal: J}\n"
        "  - {id: a_2000, authors: A, year: 2000, title: T, journal: J}\n"
    )
    with pytest.raises(KnowledgeBaseError, match=r"references\[1\] \(a_2000\): duplicate id"):
        parse_records("references/x.yaml", text, "references", Reference)


@pytest.mark.parametrize("kind", ["measure", "exercise", "contributor", "reference"])
def test_it_names_the_kind_and_id_of_a_missing_record(kind: str) -> None:
    lookup = getattr(knowledge_base(), kind)
    with pytest.raises(
        KnowledgeBaseError, match=rf"^the knowledge base has no {kind} 'no_such_id'$"
    ):
        lookup("no_such_id")
