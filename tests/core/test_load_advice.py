"""Defect 6: each load factor has its own advice; running advice only for runners."""

from __future__ import annotations

import pytest

from .assessment_builders import a_plan, document

RUNNING_WORDS = ("running", "run less", "hills", "downhill")


def _advice(activities: list[str], **history: bool) -> list[str]:
    plan = a_plan(
        document(version=1, patient={"activities": activities}, symptoms={"load_history": history})
    )
    return [note.text for note in plan.notes]


@pytest.mark.parametrize(
    ("factor", "expected_start"),
    [
        ("mostly_sedentary", "Long sitting with bent knees can provoke kneecap pain"),
        ("previous_lower_limb_injury", "An old leg injury can leave a habit"),
        ("single_sport", "Doing only one sport repeats the same load every session"),
    ],
)
def test_it_gives_each_non_running_factor_its_own_advice(factor: str, expected_start: str) -> None:
    (advice,) = _advice(["general_fitness"], **{factor: True})
    assert advice.startswith(expected_start)
    assert "Training load rose too fast" not in advice
    assert not any(word in advice.lower() for word in ("distance", "speed and hills"))


def test_it_gives_running_advice_for_a_mileage_rise_only_to_runners() -> None:
    (runner,) = _advice(["running"], rapid_mileage_increase=True)
    assert runner.startswith("Your running distance went up quickly before the pain began")
    (walker,) = _advice(["hiking"], rapid_mileage_increase=True)
    assert walker.startswith("Your training distance went up quickly before the pain began")
    assert "running" not in walker.lower()


def test_it_words_hills_for_runners_and_for_walkers() -> None:
    (runner,) = _advice(["running"], added_hills=True)
    assert "downhill running" in runner
    (walker,) = _advice(["hiking"], added_hills=True)
    assert "running" not in walker.lower()
    assert walker.startswith("Steep slopes and long flights of stairs load the kneecap")


def test_it_does_not_explain_a_sedentary_history_with_running_distance() -> None:
    plan = a_plan(document(version=1, symptoms={"load_history": {"mostly_sedentary": True}}))
    assert all(p.running is None for p in plan.phases)
    assert not any("distance" in n.text for n in plan.notes)
