"""The CLI's use cases: assess, plan and progress files; list and explain exercises."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hipfirst.application.assessment_files import assess_file
from hipfirst.application.exercise_library import exercise_card, list_exercises
from hipfirst.application.plan_files import plan_file
from hipfirst.application.progress_files import progress_files
from hipfirst.core.plan import Plan, Reason
from hipfirst.errors import FileFormatError, InputValidationError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RUNNER = EXAMPLES / "runner-anterior-knee-pain.yaml"
LOG = (
    "date,exercise_id,sets,reps,load,pain_during,pain_next_morning,form_ok\n"
    "2026-11-18,quadriceps_sets,3,20,,1,1,yes\n"
    "2026-11-20,quadriceps_sets,3,20,,1,1,yes\n"
)
"""Two mastered sessions (the mastery rule needs 2 days at the planned sets of 20)."""


def test_it_assesses_a_file_with_the_knowledge_base_it_cites() -> None:
    assessed = assess_file(RUNNER)
    assert assessed.report.involved_side == "right"
    assert assessed.kb.measure("strength_lsi_pass").describe() == "< 90 %"


def test_it_writes_the_plan_it_returns(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = plan_file(EXAMPLES / "cyclist-mild-no-equipment.yaml", weeks=10, out=out)
    assert isinstance(result, Plan)
    document = json.loads(out.read_text("utf-8"))
    assert document == json.loads(result.model_dump_json())
    assert document["total_weeks"] == 10


def test_it_progresses_a_plan_with_a_log_and_a_reassessment(tmp_path: Path) -> None:
    plan_path, log_path = tmp_path / "plan.json", tmp_path / "log.csv"
    plan_file(RUNNER, out=plan_path)
    log_path.write_text(LOG, "utf-8")

    progress = progress_files(
        plan_path, log_path, reassessment=RUNNER, baseline=RUNNER, goal="sport"
    )

    (decision,) = progress.report.decisions
    assert (decision.exercise_id, decision.decision) == ("quadriceps_sets", "advance")
    assert progress.checklist is not None and progress.checklist.goal == "sport"
    assert progress.changes is not None
    assert {change.verdict for change in progress.changes} <= {
        "no_meaningful_change",
        "not_comparable",
    }


def test_it_checks_the_goal_and_the_baseline_before_reading_any_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(InputValidationError, match=re.escape("--goal: must be one of")):
        progress_files(missing, missing, goal="swimming")
    with pytest.raises(InputValidationError, match="--baseline: needs --reassessment"):
        progress_files(missing, missing, baseline=RUNNER)
    with pytest.raises(FileFormatError, match="file not found"):
        progress_files(missing, missing)


def test_it_lists_and_explains_the_library() -> None:
    assert [e.id for e in list_exercises(1, "vastus_medialis")] == [
        "quadriceps_sets",
        "seated_knee_extension",
        "terminal_knee_extension",
    ]
    card = exercise_card("clamshell_band")
    assert card.easier == [("clamshell", "Clamshell (body weight)")]
    assert card.harder == [
        ("side_lying_hip_abduction", "Side-lying hip abduction"),
        ("quadruped_hip_abduction", "Quadruped hip abduction (fire hydrant)"),
    ]
    assert card.helps_with == [
        "Hip external-rotator weakness",
        "Hip abductor weakness",
        "Dynamic knee valgus",
    ]
    assert card.evidence == [
        Reason(
            text="gluteus medius activity 40 ± 38 %MVIC (published; Distefano 2009)",
            sources=["distefano_2009"],
        ),
        Reason(
            text="gluteal-to-TFL activation index 115 (published; Selkowitz 2013)",
            sources=["selkowitz_2013"],
        ),
    ]
    assert card.sources[1:] == [
        (
            "Selkowitz 2013",
            "Which exercises target the gluteal muscles while minimizing activation of the "
            "tensor fascia lata?",
        ),
        ("Distefano 2009", "Gluteal muscle activation during common therapeutic exercises"),
    ]
