"""``hipfirst plan``: readable phases, the JSON contract, --out, referral, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from .runner import EXAMPLES, invoke


def test_it_prints_the_plan_by_phase_with_reasons_and_rules() -> None:
    result = invoke(["plan", str(EXAMPLES / "runner-anterior-knee-pain.yaml")])
    assert result.exit_code == 0, result.output
    assert "8 weeks, 3 sessions a week, involved side: right" in result.output
    assert "Phase 1: Isolated hip activation (weeks 1–2; about 21 min)" in result.output
    assert "Phase 2: Functional closed-chain (weeks 3–5; about 19 min)" in result.output
    assert "Phase 3: Dynamic and sport-specific (weeks 6–8; about 25 min)" in result.output
    assert "Goal: running, from the activities (running)" in result.output
    assert "Return to running, step by step" in result.output
    assert "Running gait retraining" in result.output
    assert "Understanding and managing your knee" in result.output
    assert "Options your clinician may add" in result.output
    assert "Walk-run intervals" in result.output
    assert "Why these exercises (phase 1)" in result.output
    assert "Move on from phase 1 when" in result.output
    assert "Safe pain zone" in result.output
    assert "unconfirmed" in result.output
    assert "Many people improve within 6–8 weeks of regular exercise (web_article)" in result.output
    assert "Kneecap pain often lasts longer than that" in result.output


def test_it_prints_the_json_contract() -> None:
    result = invoke(["plan", str(EXAMPLES / "itbs-female-runner.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["kind"] == "plan"
    assert [phase["weeks"] for phase in document["phases"]] == [[1, 2], [3, 5], [6, 8]]
    for phase in document["phases"]:
        assert phase["goal"] and phase["advance_when"]
        for exercise in phase["exercises"]:
            assert {
                "id",
                "name",
                "sets",
                "reps",
                "load",
                "sessions_per_week",
                "cues",
                "sources",
                "why",
            } <= set(exercise)


def test_it_writes_the_plan_file_with_out(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = invoke(
        [
            "plan",
            str(EXAMPLES / "cyclist-mild-no-equipment.yaml"),
            "--weeks",
            "10",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"Plan written to {out}" in result.output
    document = json.loads(out.read_text("utf-8"))
    assert document["total_weeks"] == 10
    assert document["phases"][2]["weeks"] == [6, 10]


def test_it_gives_a_referral_and_no_programme_for_red_flags() -> None:
    result = invoke(["plan", str(EXAMPLES / "red-flags-refer.yaml")])
    assert result.exit_code == 0
    output = " ".join(result.output.split())
    assert output.index("See a doctor within the next few days.") < output.index(
        "Urgent, within days:"
    )
    assert "hipfirst gives no exercise programme" in output
    assert "Phase 1" not in result.output
    document = json.loads(invoke(["plan", str(EXAMPLES / "red-flags-refer.yaml"), "--json"]).output)
    assert document["kind"] == "referral"
    assert "phases" not in document
    assert document["reasons"]


def test_it_rejects_a_programme_shorter_than_six_weeks() -> None:
    result = invoke(["plan", str(EXAMPLES / "cyclist-mild-no-equipment.yaml"), "--weeks", "4"])
    assert result.exit_code == 2
    assert "Error: plan: 1 error" in result.output
    assert "weeks: must be a whole number between 6 and 52 (got 4)" in result.output
    assert "Traceback" not in result.output


def test_it_refuses_json_and_out_together(tmp_path: Path) -> None:
    result = invoke(
        [
            "plan",
            str(EXAMPLES / "cyclist-mild-no-equipment.yaml"),
            "--json",
            "--out",
            str(tmp_path / "p.json"),
        ],
    )
    assert result.exit_code == 2
    assert "--json/--out: use one of --json or --out, not both" in result.output


def test_it_reports_a_missing_assessment_file() -> None:
    result = invoke(["plan", "no-such-file.yaml"])
    assert result.exit_code == 2
    assert "no-such-file.yaml: file not found" in result.output


def test_it_puts_the_urgency_advice_first_in_a_referral() -> None:
    result = invoke(["plan", str(EXAMPLES / "adolescent-hip-referral.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    referral = json.loads(result.output)
    assert referral["kind"] == "referral"
    assert referral["urgency"] == "emergency"
    assert referral["advice"].startswith("Go to an emergency department today.")
    assert referral["reasons"][0].startswith("Emergency, today: ")
    printed = invoke(["plan", str(EXAMPLES / "adolescent-hip-referral.yaml")])
    assert "Go to an emergency department today." in printed.output
