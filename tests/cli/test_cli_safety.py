"""What a file, an argument or a full disk can do to the CLI: one clear message, never a crash.

User text is printed as written (never read as Rich markup), errors are listed up to
a cap, JSON output is strict, and ``plan --out`` writes atomically or not at all.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hipfirst.cli.app import strict_json
from hipfirst.errors import HipfirstError

from .runner import EXAMPLES, invoke

RUNNER = EXAMPLES / "runner-anterior-knee-pain.yaml"


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_it_prints_a_bad_value_with_markup_characters_as_written(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(RUNNER.read_text("utf-8").replace("sex: female", "sex: '[/]'"), "utf-8")
    (tmp_path / "video").mkdir()
    result = invoke(["assess", str(path)])
    assert result.exit_code == 2
    assert "patient.sex: must be one of: female, male, other (got '[/]')" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", ["[/]x.yaml", "[bold]right.yaml", "[red]x[/].yaml"])
def test_it_names_a_file_with_markup_characters_as_written(tmp_path: Path, name: str) -> None:
    (tmp_path / name).parent.mkdir(exist_ok=True)  # "[/]x.yaml" is "]x.yaml" in a folder "["
    missing = invoke(["assess", str(tmp_path / name)])
    assert missing.exit_code == 2
    assert f"{tmp_path / name}: file not found" in one_line(missing.output)
    present = tmp_path / name
    present.write_text(RUNNER.read_text("utf-8"), "utf-8")
    (present.parent / "video").symlink_to(EXAMPLES / "video")
    result = invoke(["assess", str(present)])
    assert result.exit_code == 0, result.output
    assert f"Screening: {present}" in result.output


def test_it_prints_a_bad_option_value_with_markup_characters(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    assert invoke(["plan", str(RUNNER), "--out", str(plan)]).exit_code == 0
    log = tmp_path / "log.csv"
    log.write_text(
        "date,exercise_id,sets,reps,pain_during,form_ok\n2026-11-21,clamshell,2,15,1,yes\n",
        "utf-8",
    )
    result = invoke(["progress", str(plan), str(log), "--goal", "[/]"])
    assert result.exit_code == 2
    assert "'[/]'" in result.output
    assert "Traceback" not in result.output


def test_it_prints_text_from_a_plan_file_without_eating_brackets(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    assert invoke(["plan", str(RUNNER), "--out", str(plan)]).exit_code == 0
    document = json.loads(plan.read_text("utf-8"))
    document["phases"][0]["name"] = "[/]Wake [bold]right up"
    plan.write_text(json.dumps(document), "utf-8")
    log = tmp_path / "log.csv"
    log.write_text(
        "date,exercise_id,sets,reps,pain_during,form_ok\n2026-11-21,clamshell,2,15,1,yes\n",
        "utf-8",
    )
    result = invoke(["progress", str(plan), str(log)])
    assert result.exit_code == 0, result.output
    assert "Phase 1: [/]Wake [bold]right up" in result.output


def test_it_shows_source_lists_in_brackets() -> None:
    """``[dim][willy_2019][/]`` used to print nothing: the ids were read as a style."""
    result = invoke(["plan", str(RUNNER)])
    assert result.exit_code == 0
    assert "[esculier_2018, seed_003]" in result.output


def test_it_prints_a_summary_reason_with_markup_characters(tmp_path: Path) -> None:
    summary = {
        "schema": "hipfirst.video-summary/1",
        "task": "single-leg-squat",
        "per_side": {
            "left": {"fppa_deg": {"mean": None, "n": 0, "valid": False, "reason": "[/] [bold]x"}}
        },
        "quality": {"valid": True, "warnings": ["[/]"]},
    }
    (tmp_path / "s.json").write_text(json.dumps(summary), "utf-8")
    running = RUNNER.parent / "video" / "runner-running-summary.json"
    text = (
        RUNNER.read_text("utf-8")
        .replace("video/runner-single-leg-squat-summary.json", "s.json")
        .replace("video/runner-running-summary.json", str(running))
    )
    (tmp_path / "a.yaml").write_text(text, "utf-8")
    result = invoke(["assess", str(tmp_path / "a.yaml")])
    assert result.exit_code == 0, result.output
    assert "fppa_deg (left) not measured: [/] [bold]x" in one_line(result.output)


def test_it_lists_the_first_errors_then_says_how_many_more(tmp_path: Path) -> None:
    rows = "".join(f"2026-11-21,made_up_{i},2,15,2,yes\n" for i in range(5000))
    log = tmp_path / "log.csv"
    log.write_text("date,exercise_id,sets,reps,pain_during,form_ok\n" + rows, "utf-8")
    plan = tmp_path / "plan.json"
    assert invoke(["plan", str(RUNNER), "--out", str(plan)]).exit_code == 0
    result = invoke(["progress", str(plan), str(log)])
    assert result.exit_code == 2
    assert "5,000 errors" in result.output
    assert result.output.rstrip().endswith("… and 4,980 more")


@pytest.mark.parametrize(
    "text",
    [
        "version: 1\nvalue: " + "[" * 1000 + "]" * 1000,
        "version: 1\nvalue: " + "9" * 400,
        "version: 1\nvalue: " + "9" * 5000,
        "version: 1\ndate: !!timestamp 2026-13-45",
        "version: 1\nvalue: !!int abc",
        "version: 1\nvalue: !!bool maybe",
        "version: 1\nred_flags: {locking: true}\nred_flags: {locking: false}",
    ],
)
def test_it_gives_one_message_and_exit_code_2_for_an_unreadable_assessment(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(text, "utf-8")
    result = invoke(["assess", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {path}: ")
    assert len(result.output) < 400
    assert "Traceback" not in result.output


def test_it_writes_json_out_as_strict_json() -> None:
    result = invoke(["assess", str(RUNNER), "--json"])
    assert result.exit_code == 0
    json.loads(result.output, parse_constant=lambda name: pytest.fail(f"bare {name}"))
    with pytest.raises(HipfirstError, match="not finite"):
        strict_json({"mean": float("nan")})


def test_it_refuses_to_write_the_plan_over_its_own_input(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(RUNNER.read_text("utf-8"), "utf-8")
    (tmp_path / "video").symlink_to(EXAMPLES / "video")
    before = path.read_bytes()
    result = invoke(["plan", str(path), "--out", str(tmp_path / "." / "a.yaml")])
    assert result.exit_code == 2
    assert "is the input file" in result.output
    assert "writing there would replace it. Choose another file name." in one_line(result.output)
    assert path.read_bytes() == before


def test_it_refuses_an_out_that_is_a_folder_or_in_a_missing_folder(tmp_path: Path) -> None:
    folder = invoke(["plan", str(RUNNER), "--out", str(tmp_path)])
    assert folder.exit_code == 2
    assert one_line(folder.output) == (
        f"Error: {tmp_path}: is a folder; give a file name, such as {tmp_path / 'plan.json'}"
    )
    missing = invoke(["plan", str(RUNNER), "--out", str(tmp_path / "nope" / "plan.json")])
    assert missing.exit_code == 2
    assert one_line(missing.output) == (
        f"Error: {tmp_path / 'nope' / 'plan.json'}: cannot be written: the folder "
        f"{tmp_path / 'nope'} does not exist"
    )


def _limit_file_size() -> None:
    """In the child: a file may grow to 4 KB only (a disk that fills up mid-write)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_it_leaves_no_truncated_plan_when_the_disk_fills_up(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    out.write_text("the earlier plan\n", "utf-8")
    command = [sys.executable, "-c", "from hipfirst.cli import main; main()"]
    result = subprocess.run(
        [*command, "plan", str(RUNNER), "--out", str(out)],
        preexec_fn=_limit_file_size,  # runs in the child only
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"Error: {out}: cannot be written (File too large); nothing was written"
    )
    assert "Traceback" not in result.stderr
    assert out.read_text("utf-8") == "the earlier plan\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plan.json"]
