"""``hipfirst analyze``: unusable input gives a clear message and exit code 2, no traceback;
a real video gives summary.json on stdout with ``--json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hipfirst.cli import app
from hipfirst.cli import commands as _commands  # noqa: F401  (registers commands)

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["analyze", *args])
    return result.exit_code, " ".join(result.output.split())


def test_its_help_names_every_option_and_the_tasks() -> None:
    result = runner.invoke(app, ["analyze", "--help"], env={"COLUMNS": "250"})
    text = " ".join(result.output.replace("│", " ").split())  # without the box lines
    assert result.exit_code == 0
    assert text.startswith(
        "Usage: hipfirst analyze [OPTIONS] {video} Measure knee valgus (FPPA), hip adduction, "
        "pelvic drop and trunk lean from a video."
    )
    for line in (
        "* video <path> Video (mp4, mov, m4v, avi, webm, mkv) or image. [required]",
        "* --task <str> Movement filmed: single-leg-squat, step-down, landing, running, "
        "single-leg-stance. [required]",
        "* --out <path> Folder for the results. [required]",
        "--side <str> Stance leg: left, right or auto. [default: auto]",
        "--sex <str> female or male: selects sex-specific landing flags.",
        "--no-video <bool> Skip annotated.mp4 (faster).",
        "--json <bool> Print summary.json.",
        "--model <str> Pose model: full or heavy (default: full; see docs/video.md).",
        "--person <int> Analyse this person: a candidate id listed in summary.json people "
        "(when two people could be the subject).",
    ):
        assert line in text


def test_it_names_the_allowed_tasks_for_a_wrong_task(tmp_path: Path) -> None:
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"x")
    code, output = run(str(video), "--task", "squat", "--out", str(tmp_path / "out"))
    assert code == 2
    assert output == (
        "Error: analyze: 1 error - task: unknown task; allowed: single-leg-squat, step-down, "
        "landing, running, single-leg-stance (got 'squat')"
    )


def test_it_refuses_a_text_file_renamed_to_mp4(tmp_path: Path) -> None:
    video = tmp_path / "holiday.mp4"
    video.write_text("hello\n" * 100)
    code, output = run(str(video), "--task", "running", "--out", str(tmp_path / "out"))
    assert code == 2
    assert output == (
        "Error: file 'holiday.mp4' is not a readable video (InvalidDataError); expected a video "
        "(mp4, mov, m4v, avi, webm, mkv) or an image (jpg, png); the file may be truncated or "
        "corrupt"
    )
    assert not (tmp_path / "out").exists()
    assert list(tmp_path.iterdir()) == [video]


def test_it_names_the_allowed_sides(tmp_path: Path) -> None:
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"x")
    code, output = run(
        str(video), "--task", "running", "--side", "both", "--out", str(tmp_path / "o")
    )
    assert code == 2
    assert output == "Error: analyze: 1 error - side: allowed: left, right, auto (got 'both')"


def test_it_refuses_a_missing_video(tmp_path: Path) -> None:
    code, output = run(str(tmp_path / "gone.mov"), "--task", "landing", "--out", str(tmp_path))
    assert code == 2
    # the long temporary path may be wrapped anywhere by the console: compare without spaces
    squeezed = "".join(output.split())
    assert squeezed == "Error:videofile" + repr(str(tmp_path / "gone.mov")).replace(" ", "") + (
        "doesnotexist"
    )


@pytest.mark.video
def test_it_prints_the_summary_as_json_from_the_command_line(
    shared_videos: Path, tmp_path: Path
) -> None:
    result = runner.invoke(
        app,
        [
            "analyze",
            str(shared_videos / "lab-single-leg-balance-oblique.mp4"),
            "--task",
            "single-leg-stance",
            "--out",
            str(tmp_path / "cli"),
            "--no-video",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "hipfirst.video-summary/1"
    assert data["stance_side"] == "left"
    assert data == json.loads((tmp_path / "cli" / "summary.json").read_text("utf-8"))
    assert sorted(path.name for path in (tmp_path / "cli").iterdir()) == [
        "angles.png",
        "frames.csv",
        "keyframes.png",
        "landmarks.trc",
        "summary.json",
    ]


def test_it_passes_the_model_and_the_person_to_the_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shell only: the real analysis with --model runs in tests/video_io/test_pose_models.py."""
    import hipfirst.application.video_analysis as use_case

    seen: dict[str, object] = {}

    def fake(video: Path, **options: object) -> object:
        seen.update(options, video=video)
        raise use_case.AnalysisError("stopped here")

    monkeypatch.setattr(use_case, "analyze_video", fake)
    code, output = run(
        "clip.mp4", "--task", "landing", "--out", str(tmp_path), "--model", "heavy", "--person", "1"
    )
    assert (code, output) == (1, "Failed: stopped here")
    assert (seen["model"], seen["person"], seen["video"]) == ("heavy", 1, Path("clip.mp4"))


def test_it_refuses_a_negative_or_non_numeric_person(tmp_path: Path) -> None:
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"x")
    code, output = run(
        str(video), "--task", "landing", "--out", str(tmp_path / "o"), "--person", "-2"
    )
    assert code == 2
    assert output == (
        "Error: analyze: 1 error - person: a candidate's number from summary.json people "
        "(0, 1, …) (got -2)"
    )
    code, output = run(
        str(video), "--task", "landing", "--out", str(tmp_path / "o"), "--person", "x"
    )
    assert code == 2 and "Invalid value for '--person': Input should be a valid integer" in output


def test_it_names_the_allowed_models(tmp_path: Path) -> None:
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"x")
    code, output = run(
        str(video), "--task", "landing", "--out", str(tmp_path / "o"), "--model", "lite"
    )
    assert code == 2
    assert output == (
        "Error: analyze: 1 error - model: unknown pose model; allowed: full, heavy (got 'lite')"
    )


@pytest.mark.video
def test_it_says_where_a_linked_out_folder_points(shared_videos: Path, tmp_path: Path) -> None:
    target = tmp_path / "results-2026"
    target.mkdir()
    link = tmp_path / "latest"
    link.symlink_to(target, target_is_directory=True)
    code, output = run(
        str(shared_videos / "lab-single-leg-balance-oblique.mp4"),
        "--task",
        "single-leg-stance",
        "--out",
        str(link),
        "--no-video",
    )
    assert code == 0
    squeezed = "".join(output.split())
    assert f"Resultswrittento{target}(--out{link}isalinktoit)".replace(" ", "") in squeezed
    assert (target / "summary.json").is_file() and link.is_symlink()
