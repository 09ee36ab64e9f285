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


# --- defect 13: evidence labels that do not mislead ----------------------------------------


def test_it_never_labels_a_number_published_on_web_articles_alone() -> None:
    from hipfirst.knowledge.base import clinical_rule_problems

    kb = knowledge_base()
    assert clinical_rule_problems(kb) == []
    # the clinic's web article (seed 003) behind the dosage is labelled as such
    for measure_id in ("programme_sets", "programme_reps", "progression_mastery_reps"):
        assert kb.measure(measure_id).status == "web_article"
    assert kb.reference("seed_003").kind == "web_article"
    relabelled = kb.measure("programme_sets").model_copy(update={"status": "published"})
    broken = KnowledgeBase(
        references=kb.references,
        measures={**kb.measures, "programme_sets": relabelled},
        exercises=kb.exercises,
        contributors=kb.contributors,
    )
    assert clinical_rule_problems(broken) == [
        "measure programme_sets: marked published but cites only web articles (seed_003); use "
        "web_article or expert_opinion"
    ]


def test_it_labels_numbers_seen_only_in_a_secondary_source_secondary() -> None:
    kb = knowledge_base()
    for measure_id in (
        "ybt_composite_sem",
        "akps_scale",
        "pain_zone_safe",
        "pain_next_morning_rise",
    ):
        assert kb.measure(measure_id).status == "secondary", measure_id


def test_it_shows_an_mcid_as_a_change_never_as_a_cut_off() -> None:
    kb = knowledge_base()
    assert kb.measure("akps_mcid").describe() == "a change of 10 points (MCID)"
    assert kb.measure("strength_lsi_mdc").describe() == "a change of 27 % (MDC)"
    assert kb.measure("hhd_sem_hip_abduction").describe() == "± 1.8 kg (SEM)"
    assert kb.measure("itbs_abduction_torque_controls_female").describe() == "mean 10.19 % BW·h"


def test_it_cites_the_paper_of_each_strength_test_for_its_normalisation() -> None:
    from hipfirst.core.assessment import parse_assessment
    from hipfirst.core.reasoning import assess

    data = {
        "version": 1,
        "date": "2026-11-20",
        "patient": {"age_years": 30, "sex": "female", "body_mass_kg": 60.0, "height_cm": 167},
        "symptoms": {
            "side": "right",
            "location": "anterior",
            "duration_weeks": 8,
            "worst_pain_nrs": 3,
        },
        "exam": {
            "strength_n": {
                movement: {"left": 100, "right": 100, "lever_arm_m": 0.3}
                for movement in (
                    "hip_abduction",
                    "hip_external_rotation",
                    "hip_extension",
                    "knee_extension",
                )
            }
        },
    }
    measures = assess(parse_assessment(data, "t"), knowledge_base()).measures
    assert measures["hip_abduction_nm_per_kg_left"].sources == ["fredericson_2000"]
    for movement in ("hip_external_rotation", "hip_extension", "knee_extension"):
        for kind in ("n_per_kg", "nm_per_kg", "pct_bw"):
            sources = measures[f"{movement}_{kind}_left"].sources
            assert "fredericson_2000" not in sources
            assert "ijspt_2021_aclr_hip_abduction" not in sources


def test_it_holds_a_rule_record_for_every_red_flag_and_load_history_item() -> None:
    from hipfirst.core.assessment import LoadHistory, RedFlags

    kb = knowledge_base()
    assert set(kb.red_flags) == set(RedFlags.model_fields)
    assert set(kb.load_factors) == set(LoadHistory.model_fields)
    assert {flag.urgency for flag in kb.red_flags.values()} <= {"emergency", "urgent", "routine"}
    assert kb.red_flag("hot_swollen_joint_or_fever").urgency == "emergency"
    for condition in kb.conditions.values():
        if condition.refer:
            assert condition.urgency is not None
    # never hip osteoarthritis for an adolescent
    assert not kb.conditions["hip_osteoarthritis"].fits_age(13)
    assert kb.conditions["slipped_capital_femoral_epiphysis"].fits_age(13)
