"""The exercise library, programme measures and phases in the knowledge base."""

from __future__ import annotations

import re

import pytest

from hipfirst.core.exercise_rules import harder_variants
from hipfirst.errors import KnowledgeBaseError
from hipfirst.knowledge.loader import knowledge_base, parse_records
from hipfirst.knowledge.schema import Phase

SEED_PHASE_EXERCISES = {
    1: [
        "side_lying_hip_abduction",
        "clamshell_band",
        "quadruped_hip_abduction",
        "standing_hip_abduction_band",
        "side_plank",
        "bridge",
        "single_leg_bridge",
        "quadruped_hip_extension_knee_bent",
        "quadruped_hip_extension_knee_extending",
    ],
    2: [
        "single_leg_stance_hip_hike",
        "lateral_band_walk_knees",
        "lateral_band_walk_ankles",
        "lateral_band_walk_forefeet",
        "side_step",
        "supported_single_leg_squat",
        "squat",
        "step_up",
        "step_down",
        "forward_lunge",
        "lateral_lunge",
    ],
    3: [
        "single_leg_squat",
        "lateral_hops",
        "lateral_bounds",
        "single_leg_box_jump",
        "agility_ladder",
        "cutting_pivoting",
        "continuous_easy_running",
    ],
}
"""Every exercise system.md §5 names, by the phase it names it in."""

KNEE_EXERCISES = [
    "quadriceps_sets",
    "straight_leg_raise",
    "terminal_knee_extension",
    "wall_sit",
    "spanish_squat",
    "leg_press",
    "box_squat",
    "step_up",
]
FLEXIBILITY = [
    "hamstring_stretch",
    "hip_flexor_stretch",
    "itb_tfl_stretch",
    "hip_rotation_mobility",
]


def test_it_has_at_least_30_exercises_including_every_one_the_seeds_name() -> None:
    kb = knowledge_base()
    assert len(kb.exercises) >= 30
    for phase, ids in SEED_PHASE_EXERCISES.items():
        for exercise_id in ids:
            assert phase in kb.exercise(exercise_id).phases, exercise_id
    for exercise_id in KNEE_EXERCISES:
        assert "quadriceps" in kb.exercise(exercise_id).target_muscles
    for exercise_id in FLEXIBILITY:
        assert kb.exercise(exercise_id).load_type in {"stretch", "mobility"}


def test_it_keeps_default_dosage_inside_the_programme_ranges() -> None:
    kb = knowledge_base()
    assert kb.measure("programme_sets").describe() == "2–3 sets"
    assert kb.measure("programme_reps").describe() == "8–20 reps"
    assert kb.measure("programme_stretch_hold_s").describe() == "15–30 s"
    assert kb.measure("programme_isometric_hold_s").describe() == "15–45 s"
    for exercise in kb.exercises.values():
        if exercise.load_type == "running":
            continue
        dosage = exercise.dosage
        assert 2 <= dosage.sets <= 3, exercise.id
        if dosage.reps is not None:
            assert 8 <= dosage.reps <= 20, exercise.id
        elif exercise.load_type == "stretch":
            assert dosage.hold_s is not None and 15 <= dosage.hold_s <= 30, exercise.id
        else:
            assert dosage.hold_s is not None and 15 <= dosage.hold_s <= 45, exercise.id


def test_it_forms_progressions_that_never_loop_or_go_back_a_phase() -> None:
    kb = knowledge_base()
    for exercise in kb.exercises.values():
        assert exercise.id not in harder_variants(exercise, kb), exercise.id
        for harder_id in exercise.harder:
            assert max(kb.exercise(harder_id).phases) >= min(exercise.phases), (
                exercise.id,
                harder_id,
            )
        assert 2 <= len(exercise.cues) <= 4


def test_it_carries_the_activation_numbers_of_the_evidence_brief() -> None:
    kb = knowledge_base()
    side_lying = kb.exercise("side_lying_hip_abduction").activation
    assert [(a.muscle, a.pct_mvic, a.sd, a.source) for a in side_lying] == [
        ("gluteus_medius", 81, 42, "distefano_2009"),
        ("gluteus_medius", 99.9, 17, "macaskill_2014"),
        ("gluteus_maximus", 38, 23.3, "macaskill_2014"),
    ]
    index = kb.exercise("clamshell").gluteal_tfl_index
    assert index is not None and (index.value, index.source) == (115, "selkowitz_2013")
    lateral = kb.exercise("lateral_step_up").activation[0]
    assert (lateral.pct_mvic, lateral.sd, lateral.status) == (61, 20, "published")
    squat = kb.exercise("single_leg_squat").activation[0]
    assert (squat.pct_mvic, squat.status) == (64, "unconfirmed")


def test_it_builds_a_running_progression_for_runners_only() -> None:
    kb = knowledge_base()
    walk = kb.exercise("walk_run_intervals")
    assert walk.harder == ["walk_run_2_1"]
    assert kb.exercise("walk_run_2_1").harder == ["walk_run_4_1"]
    assert kb.exercise("walk_run_4_1").harder == ["continuous_easy_running"]
    assert kb.exercise("continuous_easy_running").harder == ["running_speed_hills"]
    assert kb.exercise("running_speed_hills").after_usual_running_distance is True
    chain = ("walk_run_intervals", "walk_run_2_1", "walk_run_4_1", "continuous_easy_running")
    for exercise_id in (*chain, "running_speed_hills"):
        assert kb.exercise(exercise_id).activities == ["running"]


def test_it_defines_the_three_phases_with_criteria() -> None:
    kb = knowledge_base()
    phases = kb.ordered_phases()
    assert [(p.number, p.first_week, p.last_week, p.open_ended) for p in phases] == [
        (1, 1, 2, False),
        (2, 3, 5, False),
        (3, 6, 8, True),
    ]
    assert [c.id for c in phases[2].advance_when] == ["pain_settled", "mastery", "return_to_sport"]
    assert kb.phase(2).name == "Functional closed-chain"


def test_it_states_the_pain_zones_with_their_status() -> None:
    kb = knowledge_base()
    assert kb.measure("pain_zone_safe").describe() == "0–3 /10"
    assert kb.measure("pain_zone_acceptable").describe() == "4–5 /10"
    assert kb.measure("pain_zone_unacceptable").describe() == "> 5 /10"
    assert {kb.measure(m).status for m in ("pain_zone_safe", "pain_zone_acceptable")} == {
        "secondary"
    }
    assert kb.measure("programme_sessions_per_week").describe() == "3–5 sessions/week"
    assert kb.measure("programme_reps").describe() == "8–20 reps"


def test_it_fails_loudly_on_a_broken_phase_file() -> None:
    text = """
version: 1
phases:
  - id: phase_1
    number: 1
    name: Activation
    first_week: 3
    last_week: 2
    aim: wake up the hip
    sources: [seed_003]
    advance_when:
      - {id: pain, kind: pain, description: low pain, sources: [silbernagel_2007]}
"""
    with pytest.raises(
        KnowledgeBaseError,
        match=re.escape(
            "phases/bad.yaml:\n  - phases[0] (phase_1): Value error, "
            "'first_week' (3) must not exceed 'last_week' (2)"
        ),
    ):
        parse_records("phases/bad.yaml", text, "phases", Phase)
