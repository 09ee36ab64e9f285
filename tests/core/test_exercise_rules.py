"""The exercise rules: equipment and activity fit, the variant graph, hold ranges."""

from __future__ import annotations

from hipfirst.core.exercise_rules import (
    first_step,
    harder_variants,
    hold_range_id,
    is_available,
    relatives,
    running_chain,
    steps,
    suits_activities,
    swap_choices,
    walk,
)
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Exercise


def _looped(kb: KnowledgeBase) -> KnowledgeBase:
    """Three copies of the clamshell whose harder links go round in a circle a → b → c → a."""
    base = kb.exercise("clamshell")
    links = {"a": "b", "b": "c", "c": "a"}
    exercises = {
        name: base.model_copy(update={"id": name, "easier": [], "harder": [after]})
        for name, after in links.items()
    }
    return KnowledgeBase(
        references=kb.references,
        measures=kb.measures,
        exercises=exercises,
        contributors=kb.contributors,
    )


def _ids(exercises: list[Exercise]) -> list[str]:
    return [exercise.id for exercise in exercises]


def test_it_fits_equipment_with_body_weight_needing_nothing(kb: KnowledgeBase) -> None:
    assert is_available(kb.exercise("clamshell"), [])
    assert is_available(kb.exercise("clamshell_band"), ["band"])
    assert not is_available(kb.exercise("clamshell_band"), ["none", "step"])
    assert not is_available(kb.exercise("single_leg_stance_hip_hike"), ["band"])


def test_it_keeps_activity_specific_work_for_people_who_do_it(kb: KnowledgeBase) -> None:
    assert suits_activities(kb.exercise("walk_run_intervals"), ["running", "cycling"])
    assert not suits_activities(kb.exercise("walk_run_intervals"), ["cycling"])
    assert not suits_activities(kb.exercise("cutting_pivoting"), ["running"])
    assert suits_activities(kb.exercise("cutting_pivoting"), ["dance"])
    assert suits_activities(kb.exercise("clamshell"), [])


def test_it_doses_a_stretch_in_the_stretch_range_and_other_holds_isometric(
    kb: KnowledgeBase,
) -> None:
    assert hold_range_id(kb.exercise("hamstring_stretch")) == "programme_stretch_hold_s"
    assert hold_range_id(kb.exercise("side_plank")) == "programme_isometric_hold_s"
    assert hold_range_id(kb.exercise("hip_rotation_mobility")) == "programme_isometric_hold_s"
    assert hold_range_id(None) == "programme_isometric_hold_s"


def test_it_steps_along_the_variant_graph_in_preference_order(kb: KnowledgeBase) -> None:
    side_lying = kb.exercise("side_lying_hip_abduction")
    assert _ids(steps(side_lying, kb, "easier")) == ["clamshell_band"]
    assert _ids(steps(side_lying, kb, "harder")) == [
        "standing_hip_abduction_band",
        "single_leg_stance_hip_hike",
    ]


def test_it_takes_the_first_variant_the_patient_can_do(kb: KnowledgeBase) -> None:
    side_lying = kb.exercise("side_lying_hip_abduction")

    def body_weight_or_step(exercise: Exercise) -> bool:
        return is_available(exercise, ["step"])

    harder = first_step(side_lying, kb, "harder", body_weight_or_step)
    assert harder is not None and harder.id == "single_leg_stance_hip_hike"
    assert first_step(side_lying, kb, "harder", lambda item: is_available(item, [])) is None
    assert first_step(kb.exercise("clamshell"), kb, "easier", lambda item: True) is None


def test_it_finds_the_relatives_a_session_should_not_hold_twice(kb: KnowledgeBase) -> None:
    side_lying = kb.exercise("side_lying_hip_abduction")
    assert relatives(side_lying, kb, depth=1) == {
        "clamshell_band",
        "standing_hip_abduction_band",
        "single_leg_stance_hip_hike",
    }
    assert relatives(side_lying, kb) == {
        "clamshell_band",
        "clamshell",
        "standing_hip_abduction_band",
        "single_leg_stance_hip_hike",
        "lateral_band_walk_knees",
        "step_down",
    }


def test_it_follows_the_harder_chain_to_its_top(kb: KnowledgeBase) -> None:
    assert harder_variants(kb.exercise("walk_run_intervals"), kb) == {
        "walk_run_2_1",
        "walk_run_4_1",
        "continuous_easy_running",
        "running_speed_hills",
    }
    assert harder_variants(kb.exercise("running_speed_hills"), kb) == set()


def test_it_builds_the_running_chain_from_its_first_step(kb: KnowledgeBase) -> None:
    assert _ids(running_chain(kb, lambda item: True)) == [
        "walk_run_intervals",
        "walk_run_2_1",
        "walk_run_4_1",
        "continuous_easy_running",
        "running_speed_hills",
    ]
    no_hills = running_chain(kb, lambda item: item.id != "running_speed_hills")
    assert _ids(no_hills) == [
        "walk_run_intervals",
        "walk_run_2_1",
        "walk_run_4_1",
        "continuous_easy_running",
    ]
    assert running_chain(kb, lambda item: item.load_type != "running") == []


def test_it_stops_a_walk_that_comes_back_to_its_start(kb: KnowledgeBase) -> None:
    looped = _looped(kb)
    assert _ids(walk(looped.exercise("a"), looped, "harder", lambda item: True)) == [
        "a",
        "b",
        "c",
    ]
    assert _ids(walk(looped.exercise("a"), looped, "harder", lambda item: item.id != "c")) == [
        "a",
        "b",
    ]


def test_it_offers_variants_first_then_the_phase_library(kb: KnowledgeBase) -> None:
    choices = swap_choices(kb, "clamshell_band", 1, ["none"])
    assert choices[:4] == [
        ("clamshell", "easier: Clamshell (body weight)"),
        ("side_lying_hip_abduction", "harder: Side-lying hip abduction"),
        ("quadruped_hip_abduction", "harder: Quadruped hip abduction (fire hydrant)"),
        ("single_leg_stance", "Single-leg stance"),
    ]
    ids = [choice for choice, _ in choices]
    assert "clamshell_band" not in ids  # not itself
    assert "standing_hip_abduction_band" not in ids  # needs a band
    assert "squat" not in ids  # phase 2 only
    assert len(ids) == len(set(ids)) == 21  # seated knee extension joined phase 1
