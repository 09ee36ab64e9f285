"""Plan JSON files: written by 'hipfirst plan --out', read back validated."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hipfirst.core.plan import Plan, Referral
from hipfirst.core.prescription import prescribe
from hipfirst.core.reasoning import assess
from hipfirst.errors import FileFormatError, InputValidationError
from hipfirst.io.assessment_file import load_assessment_file
from hipfirst.io.plan_file import read_plan, write_plan
from hipfirst.knowledge.loader import knowledge_base

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AIM_OF_PHASE_ONE = (
    "Wake up gluteus medius and the hip rotators with simple exercises that ask for little "
    "coordination, alongside gentle quadriceps work."
)


def _result(name: str) -> object:
    kb = knowledge_base()
    loaded = load_assessment_file(EXAMPLES / name)
    return prescribe(loaded.assessment, assess(loaded.assessment, kb), kb)


def test_it_round_trips_a_plan(tmp_path: Path) -> None:
    plan = _result("runner-anterior-knee-pain.yaml")
    assert isinstance(plan, Plan)
    path = tmp_path / "plan.json"
    write_plan(plan, path)
    assert read_plan(path, knowledge_base()) == plan
    document = json.loads(path.read_text("utf-8"))
    exercise = document["phases"][0]["exercises"][0]
    assert set(exercise) >= {
        "id",
        "name",
        "sets",
        "reps",
        "load",
        "sessions_per_week",
        "cues",
        "sources",
        "why",
    }
    assert document["phases"][0]["weeks"] == [1, 2]


def test_it_refuses_to_track_a_referral(tmp_path: Path) -> None:
    referral = _result("red-flags-refer.yaml")
    assert isinstance(referral, Referral)
    path = tmp_path / "referral.json"
    write_plan(referral, path)
    with pytest.raises(InputValidationError, match="kind: this file is a referral"):
        read_plan(path, knowledge_base())


def test_it_names_bad_fields_and_unknown_exercises(tmp_path: Path) -> None:
    plan = _result("cyclist-mild-no-equipment.yaml")
    assert isinstance(plan, Plan)
    document = plan.model_dump(mode="json")
    document["phases"][0]["exercises"][0]["id"] = "moon_walk"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document), "utf-8")
    with pytest.raises(
        InputValidationError,
        match=re.escape("phases[0].exercises[0].id: unknown exercise (got 'moon_walk')"),
    ):
        read_plan(path, knowledge_base())
    document["phases"][0]["exercises"][0]["sets"] = "three"
    path.write_text(json.dumps(document), "utf-8")
    with pytest.raises(
        InputValidationError,
        match=re.escape("phases[0].exercises[0].sets: Input should be a valid integer"),
    ):
        read_plan(path, knowledge_base())


def test_it_rejects_a_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text("phases: []", "utf-8")
    with pytest.raises(FileFormatError, match="not valid JSON at line 1, column 1"):
        read_plan(path, knowledge_base())


def test_it_writes_and_reads_a_phase_aim_under_the_key_goal(tmp_path: Path) -> None:
    plan = _result("cyclist-mild-no-equipment.yaml")
    assert isinstance(plan, Plan)
    path = tmp_path / "plan.json"
    write_plan(plan, path)
    document = json.loads(path.read_text("utf-8"))
    first = document["phases"][0]
    assert "aim" not in first
    assert first["goal"] == plan.phases[0].aim == AIM_OF_PHASE_ONE

    first["aim"] = first.pop("goal")  # the attribute's name is not a key of the format
    path.write_text(json.dumps(document), "utf-8")
    with pytest.raises(InputValidationError) as caught:
        read_plan(path, knowledge_base())
    assert [str(error) for error in caught.value.errors] == [
        "phases[0].goal: Field required",
        f"phases[0].aim: Extra inputs are not permitted (got {AIM_OF_PHASE_ONE!r})",
    ]
