"""Assessment file format v1: valid documents parse; every invalid field is reported at once."""

from __future__ import annotations

import datetime as dt

import pytest

from hipfirst.core.assessment import AKPS_ITEMS, akps_item_rule, parse_assessment
from hipfirst.errors import InputValidationError

from .assessment_builders import minimal


def _errors(data: object) -> list[str]:
    with pytest.raises(InputValidationError) as caught:
        parse_assessment(data, "test.yaml")
    return [str(error) for error in caught.value.errors]


def test_it_parses_a_minimal_assessment_with_defaults() -> None:
    assessment = parse_assessment(minimal(), "test.yaml")
    assert assessment.date == dt.date(2026, 11, 20)
    assert assessment.patient.age_years == 30
    assert assessment.symptoms.red_flags.locking is False
    assert assessment.exam.strength_n is None
    assert assessment.questionnaires.akps is None


def test_it_reports_every_problem_together_with_field_value_and_range() -> None:
    data = minimal()
    data["patient"]["age_years"] = 140
    data["patient"]["sex"] = "f"
    data["symptoms"]["worst_pain_nrs"] = 6.3
    data["exam"] = {"foo": 1}
    data["questionnaires"] = {"akps": [5, 5, 5, 7, 3, 6, 7, 8, 8, 10, 10, 5, 5]}
    assert _errors(data) == [
        "patient.age_years: must be between 8 and 100 (got 140)",
        "patient.sex: must be one of: female, male, other (got 'f')",
        "symptoms.worst_pain_nrs: must be between 0 and 10 in steps of 0.5 (got 6.3)",
        "exam.foo: unknown field",
        "questionnaires.akps[3]: item 4 (stairs) allows 0, 5, 8, 10 (got 7)",
    ]


def test_it_names_the_source_and_counts_errors_in_the_message() -> None:
    data = minimal()
    data["patient"]["body_mass_kg"] = "sixty"
    with pytest.raises(InputValidationError, match=r"^test.yaml: 1 error\n") as caught:
        parse_assessment(data, "test.yaml")
    assert str(caught.value).endswith(
        "patient.body_mass_kg: must be a number between 20 and 250 (got 'sixty')"
    )


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("version",), 3, "version: must be 1 or 2 (got 3)"),
        (("date",), "yesterday", "date: must be an ISO date such as 2026-11-20 (got 'yesterday')"),
        (("symptoms", "side"), "up", "symptoms.side: must be one of: left, right, both (got 'up')"),
        (
            ("symptoms", "red_flags"),
            {"locking": "yes"},
            "symptoms.red_flags.locking: must be true or false (got 'yes')",
        ),
        (
            ("patient", "activities"),
            ["running", "rowing"],
            "patient.activities[1]: must be one of: running, cycling, court_sports, "
            "field_sports, jumping_sports, lifting, hiking, dance, general_fitness, none "
            "(got 'rowing')",
        ),
        (
            ("patient", "age_years"),
            True,
            "patient.age_years: must be a number between 8 and 100 (got True)",
        ),
        (
            ("symptoms", "pain_during"),
            {"cycling": 3},
            "symptoms.pain_during.cycling: unknown field",
        ),
    ],
)
def test_it_explains_a_wrong_value(path: tuple[str, ...], value: object, expected: str) -> None:
    data = minimal()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert _errors(data) == [expected]


def test_it_reports_a_missing_required_field() -> None:
    data = minimal()
    del data["symptoms"]
    assert _errors(data) == ["symptoms: required field is missing"]


def test_it_checks_exam_ranges() -> None:
    data = minimal()
    data["exam"] = {
        "strength_n": {"hip_abduction": {"left": 1600, "right": 150, "lever_arm_m": 0.8}},
        "hip_rom_deg": {"internal_rotation": {"left": 95, "right": 30}},
        "y_balance_cm": {"left": {"anterior": 60, "posteromedial": 90}},
        "single_leg_squat_rating": {"left": {"knee": "bad"}},
        "trendelenburg": {"right": "maybe"},
    }
    assert _errors(data) == [
        "exam.strength_n.hip_abduction.left: must be between 0 and 1500 (got 1600)",
        "exam.hip_rom_deg.internal_rotation.left: must be between 0 and 90 (got 95)",
        "exam.y_balance_cm.left.posterolateral: required field is missing",
        "exam.single_leg_squat_rating.left.knee: must be one of: good, fair, poor (got 'bad')",
        "exam.trendelenburg.right: must be one of: negative, positive (got 'maybe')",
    ]


def test_it_checks_questionnaire_items_and_lengths() -> None:
    data = minimal()
    data["questionnaires"] = {
        "akps": [4, 5, 5, 8, 3, 6, 7, 8, 8, 10, 10, 5, 1],
        "lefs": [5] + [4] * 19,
    }
    assert _errors(data) == [
        "questionnaires.akps[0]: item 1 (limp) allows 0, 3, 5 (got 4)",
        "questionnaires.akps[12]: item 13 (flexion deficiency) allows 0, 3, 5 (got 1)",
        "questionnaires.lefs[0]: must be between 0 and 4 (got 5)",
    ]


def test_it_refuses_too_many_items() -> None:
    data = minimal()
    data["questionnaires"] = {"lefs": [4] * 21}
    assert _errors(data) == ["questionnaires.lefs: must have at most 20 items (got 21)"]


def test_it_accepts_an_incomplete_questionnaire_without_scoring_it() -> None:
    data = minimal()
    data["questionnaires"] = {"akps": [5, 5, 5], "lefs": [4] * 20}
    questionnaires = parse_assessment(data, "t").questionnaires
    assert questionnaires.akps_complete is False
    assert questionnaires.lefs_complete is True


def test_it_refuses_a_document_that_is_not_a_mapping() -> None:
    assert _errors([1, 2]) == ["(top level): must be a mapping with 'version', 'patient', …"]


def test_it_describes_every_akps_item_rule() -> None:
    assert akps_item_rule(0) == "item 1 (limp) allows 0, 3, 5"
    assert akps_item_rule(5) == "item 6 (running) allows 0, 3, 6, 8, 10"
    assert sum(max(points) for _, points in AKPS_ITEMS) == 100


# --- format v2: optional sections; every v1 file still loads ---------------------------------


def test_it_loads_every_v1_example_unchanged() -> None:
    from pathlib import Path

    from hipfirst.io.assessment_file import load_assessment_file

    examples = Path(__file__).resolve().parents[2] / "examples"
    versions = {
        path.name: load_assessment_file(path).assessment.version
        for path in sorted(examples.glob("*.yaml"))
    }
    v1 = [name for name, version in versions.items() if version == 1]
    assert v1 == [
        "bilateral-symptoms.yaml",
        "cyclist-mild-no-equipment.yaml",
        "hip-origin-clues.yaml",
        "itbs-female-runner.yaml",
        "red-flags-refer.yaml",
        "runner-anterior-knee-pain.yaml",
    ]


def test_it_parses_the_v2_sections() -> None:
    data = minimal()
    data["version"] = 2
    data["patient"]["goal"] = "stairs"
    data["symptoms"].update(
        tender_site="tibial_tubercle",
        patellar_instability={"dislocation": True},
        pain_during={"walking": 2, "cutting": 4},
    )
    data["exam"] = {
        "hip_rom_deg": {"internal_rotation_painful": {"right": True}},
        "patellar_apprehension": {"right": "positive"},
        "hop_distance_cm": {"single": {"left": 150, "right": 140}},
        "side_hop_count": {"left": 40, "right": 35},
        "step_down_score": {"left": 1, "right": 4},
        "flexibility": {"ober": {"left": "tight"}},
        "foot_posture_index": {"left": -2, "right": 9},
        "precautions_cleared": ["patellar_instability"],
    }
    data["questionnaires"] = {"koos_pf": [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0]}
    parsed = parse_assessment(data, "v2.yaml")
    assert parsed.version == 2
    assert parsed.patient.goal == "stairs"
    assert parsed.exam.hop_distance_cm is not None
    assert parsed.exam.hop_distance_cm.single is not None
    assert parsed.exam.hop_distance_cm.single.right == 140
    assert parsed.questionnaires.koos_pf_complete


def test_it_tells_a_v1_file_to_say_version_2_for_a_v2_section() -> None:
    data = minimal()
    data["exam"] = {"side_hop_count": {"left": 40}}
    data["questionnaires"] = {"koos_pf": [1]}
    assert _errors(data) == [
        "exam.side_hop_count: added in format version 2: set 'version: 2' to use it",
        "questionnaires.koos_pf: added in format version 2: set 'version: 2' to use it",
    ]


@pytest.mark.parametrize(
    ("section", "value", "expected"),
    [
        (
            ("exam", "step_down_score", "left"),
            7,
            "exam.step_down_score.left: must be between 0 and 6 (got 7)",
        ),
        (
            ("exam", "foot_posture_index", "right"),
            13,
            "exam.foot_posture_index.right: must be between -12 and 12 (got 13)",
        ),
        (
            ("exam", "flexibility", "ober", "left"),
            "short",
            "exam.flexibility.ober.left: must be one of: normal, tight (got 'short')",
        ),
        (
            ("questionnaires", "koos_pf"),
            [5],
            "questionnaires.koos_pf[0]: must be between 0 and 4 (got 5)",
        ),
        (
            ("patient", "goal"),
            "swimming",
            "patient.goal: must be one of: daily_life, walking, stairs, running, sport "
            "(got 'swimming')",
        ),
        (
            ("exam", "precautions_cleared"),
            ["knee"],
            "exam.precautions_cleared[0]: must be one of: patellar_instability, "
            "hip_joint_pathology (got 'knee')",
        ),
    ],
)
def test_it_explains_a_wrong_v2_value(
    section: tuple[str, ...], value: object, expected: str
) -> None:
    data = minimal()
    data["version"] = 2
    node = data
    for key in section[:-1]:
        node = node.setdefault(key, {})
    node[section[-1]] = value
    assert _errors(data) == [expected]
