"""``hipfirst analyze``: unusable input gives a clear message and exit code 2, no traceback."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from hipfirst.cli import app
from hipfirst.cli import commands as _commands  # noqa: F401  (registers commands)

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["analyze", *args])
    return result.exit_code, " ".join(result.output.split())


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
        "(mp4, mov, m4v, avi, webm) or an image (jpg, png); the file may be truncated or corrupt"
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
