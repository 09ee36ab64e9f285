"""Defect 11 (weakness against norms, contradictions) and defect 12 (tightness only from a
test that measures it), with the format-v2 examination items."""

from __future__ import annotations

from .assessment_builders import a_plan, document, report_of


def test_it_finds_weakness_on_both_sides_against_the_norms_despite_a_normal_lsi() -> None:
    # Both hips at 6.5 %BW·h (control mean 10.19) with LSI 96 % gave no strength finding.
    # force = 6.5 / 100 × (60 kg × 9.81 × 1.67 m) / 0.5 m lever arm = 127.8 N
    report = report_of(
        document(
            version=1,
            exam={
                "strength_n": {"hip_abduction": {"left": 127.8, "right": 122.7, "lever_arm_m": 0.5}}
            },
        )
    )
    assert report.measures["hip_abduction_lsi_pct"].value == 96.01
    assert report.measures["hip_abduction_pct_bwh_left"].value == 6.5
    assert [f.id for f in report.findings] == [
        "hip_abduction_norm_low_left",
        "hip_abduction_norm_low_right",
    ]
    left = report.finding("hip_abduction_norm_low_left")
    assert (left.threshold, left.status, left.sources) == (
        "< 7.82 % BW·h",
        "derived",
        ["fredericson_2000"],
    )
    assert "control runners: mean 10.19 % BW·h" in left.explanation
    assert report.contributor_ids() == ["hip_abductor_weakness"]


def test_it_flags_an_involved_side_stronger_than_the_other() -> None:
    report = report_of(
        document(version=1, exam={"strength_n": {"hip_abduction": {"left": 160, "right": 200}}})
    )
    assert report.measures["hip_abduction_lsi_pct"].value == 125.0
    (check,) = report.contradictions
    assert check.id == "hip_abduction_involved_stronger"
    assert check.message.startswith(
        "Hip abduction limb symmetry index (right / left): the painful (right) side reaches 125% "
        "of the other side"
    )
    assert check.fields == ["symptoms.side", "exam.strength_n.hip_abduction"]


def test_it_flags_a_worst_pain_lower_than_an_activity_pain() -> None:
    report = report_of(
        document(
            version=1, symptoms={"worst_pain_nrs": 3, "pain_during": {"stairs": 2, "running": 6}}
        )
    )
    (check,) = report.contradictions
    assert check.message == (
        "worst pain 3/10 is lower than the pain during running 6/10: check which rating is right"
    )
    assert check.fields == ["symptoms.worst_pain_nrs", "symptoms.pain_during.running"]
    assert report.to_json()["contradictions"][0]["id"] == "worst_pain_below_activity_pain"


def test_it_does_not_read_lateral_pain_alone_as_itb_tightness() -> None:
    # ITB tightness was inferred from pain location alone (and treated with a hamstring stretch).
    lateral = document(version=1, symptoms={"location": "lateral"})
    report = report_of(lateral)
    assert "lateral_knee_pain" in [f.id for f in report.findings]
    assert report.contributor_ids() == []
    stretches = {"hamstring_stretch", "itb_tfl_stretch", "hip_flexor_stretch"}
    assert not stretches & set(a_plan(lateral).exercise_ids())


def test_it_finds_tightness_from_the_flexibility_test_that_measures_it() -> None:
    data = document(
        symptoms={"location": "lateral"},
        exam={"flexibility": {"ober": {"left": "tight"}, "hamstring_length": {"right": "normal"}}},
    )
    report = report_of(data)
    assert [f.id for f in report.findings if f.id.endswith("_tight_left")] == ["ober_tight_left"]
    assert report.contributor_ids() == ["itb_tfl_tightness"]
    plan = a_plan(data)
    assert "itb_tfl_stretch" in plan.exercise_ids()
    assert "hamstring_stretch" not in plan.exercise_ids()
    hamstrings = report_of(document(exam={"flexibility": {"hamstring_length": {"right": "tight"}}}))
    assert hamstrings.contributor_ids() == ["hamstring_tightness"]


def test_it_judges_the_step_down_and_the_foot_posture() -> None:
    report = report_of(
        document(
            exam={
                "step_down_score": {"left": 1, "right": 4},
                "foot_posture_index": {"left": 2, "right": 8},
            }
        )
    )
    assert [f.id for f in report.findings] == ["step_down_poor_right", "foot_pronated_right"]
    step = report.finding("step_down_poor_right")
    assert (step.threshold, step.status) == ("> 3 points", "secondary")
    assert report.contributor_ids() == [
        "hip_abductor_weakness",
        "dynamic_knee_valgus",
        "foot_pronation",
    ]


def test_it_scores_hop_symmetry_and_the_koos_pf() -> None:
    report = report_of(
        document(
            exam={
                "hop_distance_cm": {"single": {"left": 150, "right": 120}},
                "side_hop_count": {"left": 40, "right": 36},
            },
            questionnaires={"koos_pf": [1, 2, 1, 2, 1, 1, 2, 1, 1, 2, 1]},
        )
    )
    assert report.measures["hop_single_lsi_pct"].value == 80.0
    assert report.measures["hop_side_lsi_pct"].value == 90.0
    assert [f.id for f in report.findings] == ["hop_single_lsi_low"]
    # 15 points over 11 items: 100 - 15 / 11 × 25 = 65.91
    koos = report.measures["koos_pf"]
    assert (koos.value, koos.status, koos.measure_ref) == (65.91, "unconfirmed", "koos_pf_mic")
