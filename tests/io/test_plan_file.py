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


def _runner_document() -> dict[str, object]:
    plan = _result("runner-anterior-knee-pain.yaml")
    assert isinstance(plan, Plan)
    return plan.model_dump(mode="json", by_alias=True)


def _errors(tmp_path: Path, document: object) -> list[str]:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document), "utf-8")
    with pytest.raises(InputValidationError) as caught:
        read_plan(path, knowledge_base())
    return [str(error) for error in caught.value.errors]


def test_it_refuses_a_phase_number_given_twice(tmp_path: Path) -> None:
    document = _runner_document()
    phases = document["phases"]
    assert isinstance(phases, list)
    phases[1]["number"] = 1
    assert "phases[1].number: phase 1 is already phases[0]; each phase appears once (got 1)" in (
        _errors(tmp_path, document)
    )


def test_it_refuses_150_phases(tmp_path: Path) -> None:
    document = _runner_document()
    phases = document["phases"]
    assert isinstance(phases, list)
    document["phases"] = [phases[0]] * 150
    errors = _errors(tmp_path, document)
    assert len([e for e in errors if e.endswith("each phase appears once (got 1)")]) == 149


def test_it_refuses_weeks_that_run_backwards_or_overlap(tmp_path: Path) -> None:
    document = _runner_document()
    phases = document["phases"]
    assert isinstance(phases, list)
    phases[0]["weeks"] = [5, 1]
    assert _errors(tmp_path, document)[0] == (
        "phases[0].weeks: must be [first, last] with 1 <= first <= last <= total_weeks "
        f"({document['total_weeks']}) (got [5, 1])"
    )
    document = _runner_document()
    phases = document["phases"]
    assert isinstance(phases, list)
    phases[1]["weeks"] = [phases[0]["weeks"][1], phases[1]["weeks"][1]]
    assert _errors(tmp_path, document)[0].startswith(
        "phases[1].weeks: must start after the previous phase ends"
    )


def test_it_needs_exactly_one_of_reps_and_hold(tmp_path: Path) -> None:
    document = _runner_document()
    phases = document["phases"]
    assert isinstance(phases, list)
    exercise = phases[0]["exercises"][0]
    exercise["reps"], exercise["hold_s"] = 10, 30
    phases[0]["exercises"][1]["reps"] = phases[0]["exercises"][1]["hold_s"] = None
    assert _errors(tmp_path, document) == [
        "phases[0].exercises[0]: must have exactly one of reps and hold_s (got both)",
        "phases[0].exercises[1]: must have exactly one of reps and hold_s (got neither)",
    ]


def test_it_refuses_a_duplicate_key_in_a_plan(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text('{"kind": "plan",\n "total_weeks": 8,\n "total_weeks": 80}', "utf-8")
    with pytest.raises(
        FileFormatError, match=r"duplicate key 'total_weeks' at line 3 \(first at line 2\)"
    ):
        read_plan(path, knowledge_base())


def test_it_writes_atomically_and_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    plan = _result("runner-anterior-knee-pain.yaml")
    assert isinstance(plan, Plan)
    path = tmp_path / "plan.json"
    path.write_text("the earlier plan", "utf-8")
    path.chmod(0o640)
    write_plan(plan, path)
    assert read_plan(path, knowledge_base()) == plan
    assert path.stat().st_mode & 0o777 == 0o640  # the file keeps its permissions
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]  # no temporary left
