"""``hipfirst progress``: decisions, phase criteria, the return-to-sport checklist."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .runner import EXAMPLES, invoke

HEADER = "date,exercise_id,sets,reps,load,pain_during,pain_next_morning,form_ok\n"


@pytest.fixture()
def plan_file(tmp_path: Path) -> Path:
    out = tmp_path / "plan.json"
    result = invoke(["plan", str(EXAMPLES / "runner-anterior-knee-pain.yaml"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_it_decides_each_logged_exercise(plan_file: Path, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        HEADER
        + "2026-11-19,quadriceps_sets,2,20,,1,1,yes\n"
        + "2026-11-21,quadriceps_sets,2,20,,1,1,yes\n2026-11-21,clamshell_band,2,12,,6,4,yes\n",
        "utf-8",
    )
    result = invoke(["progress", str(plan_file), str(log), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    decisions = {item["exercise_id"]: item for item in document["decisions"]}
    assert decisions["quadriceps_sets"]["decision"] == "advance"
    assert decisions["quadriceps_sets"]["next_exercise_id"] == "straight_leg_raise"
    assert decisions["clamshell_band"]["decision"] == "regress"
    assert decisions["clamshell_band"]["next_exercise_id"] == "clamshell"
    assert [phase["status"] for phase in document["phases"]] == ["not_met", "locked", "locked"]
    assert document["current_phase"] == 1


def test_it_prints_phases_and_the_return_to_sport_checklist(
    plan_file: Path, tmp_path: Path
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "2026-11-21,quadriceps_sets,2,20,,1,1,yes\n", "utf-8")
    result = invoke(
        [
            "progress",
            str(plan_file),
            str(log),
            "--reassessment",
            str(EXAMPLES / "runner-anterior-knee-pain.yaml"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Phase 1: Isolated hip activation: not met" in result.output
    assert "checked once the earlier phases are complete (no phase is skipped)" in result.output
    assert "Return-to-running checklist: not yet" in result.output
    assert "Hip abduction strength symmetry" in result.output


def test_it_names_bad_log_rows_with_exit_code_2(plan_file: Path, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        HEADER + "2026-11-21,bridge,2,12,,1,1,yes\n" * 2 + "2026-11-22,bridge,2,12,,12,1,yes\n",
        "utf-8",
    )
    result = invoke(["progress", str(plan_file), str(log)])
    assert result.exit_code == 2
    assert "row 3, pain_during: must be between 0 and 10 (got 12)" in result.output
    assert "Traceback" not in result.output


def test_it_rejects_an_unknown_goal(plan_file: Path, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "2026-11-21,bridge,2,12,,1,1,yes\n", "utf-8")
    result = invoke(["progress", str(plan_file), str(log), "--goal", "swimming"])
    assert result.exit_code == 2
    assert (
        "--goal: must be one of: daily_life, walking, stairs, running, sport (got 'swimming')"
        in result.output
    )


def test_it_compares_a_reassessment_with_the_baseline(plan_file: Path, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "2026-11-21,bridge,2,12,,1,1,yes\n", "utf-8")
    follow_up = str(EXAMPLES / "runner-anterior-knee-pain.yaml")
    args = ["progress", str(plan_file), str(log), "--reassessment", follow_up]
    args += ["--baseline", follow_up]
    result = invoke([*args, "--json"])
    assert result.exit_code == 0, result.output
    changes = {item["id"]: item for item in json.loads(result.output)["changes"]}
    assert changes["akps"]["change"] == 0
    assert changes["akps"]["verdict"] == "no_meaningful_change"
    printed = invoke(args)
    assert "Change since the baseline assessment" in printed.output
    assert "MCID 10 points" in printed.output


def test_it_needs_a_reassessment_to_compare_with_a_baseline(
    plan_file: Path, tmp_path: Path
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "2026-11-21,bridge,2,12,,1,1,yes\n", "utf-8")
    baseline = str(EXAMPLES / "runner-anterior-knee-pain.yaml")
    result = invoke(["progress", str(plan_file), str(log), "--baseline", baseline])
    assert result.exit_code == 2
    assert "--baseline: needs --reassessment to compare with" in result.output


def test_it_refuses_a_session_dated_after_today_with_exit_2(
    plan_file: Path, tmp_path: Path
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "2031-01-05,quadriceps_sets,2,20,,1,1,yes\n", "utf-8")
    result = invoke(["progress", str(plan_file), str(log)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "row 1, date: must not be after today" in " ".join(result.output.split())


def test_it_checks_the_return_to_running_reassessment_example(
    plan_file: Path, tmp_path: Path
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "2026-11-21,quadriceps_sets,2,20,,1,1,yes\n", "utf-8")
    args = [
        "progress",
        str(plan_file),
        str(log),
        "--reassessment",
        str(EXAMPLES / "runner-return-reassessment.yaml"),
        "--json",
    ]
    running = json.loads(invoke(args).output)["return_to_sport"]
    assert (running["goal"], running["ready"]) == ("running", True)  # the plan's goal
    sport = json.loads(invoke([*args, "--goal", "sport"]).output)["return_to_sport"]
    assert sport["ready"] is False
    open_items = {c["id"]: c["status"] for c in sport["criteria"] if c["status"] != "met"}
    assert open_items == {"pain_during_cutting": "not_measured", "hop_crossover_lsi_pct": "not_met"}
