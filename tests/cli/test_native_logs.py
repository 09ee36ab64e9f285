"""The pose model's C++ log lines stay off the terminal; Python's own stderr does not.

These run real processes: the capture works on file descriptor 2, which
pytest's own capturing would hide in-process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SNIPPET = """
import os, sys
from hipfirst.cli.native_logs import native_stderr_captured
from hipfirst.errors import AnalysisError
ending = sys.argv[1]
with native_stderr_captured():
    os.write(2, b"W0000 native note\\n")
    print("python message", file=sys.stderr)
    if ending == "crash":
        raise RuntimeError("unexpected")
    if ending == "explained":
        raise AnalysisError("no frames could be read")
print("python after", file=sys.stderr)
"""


def run_snippet(ending: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SNIPPET, ending], capture_output=True, text=True, check=False
    )


def test_native_lines_are_captured_and_python_lines_still_shown() -> None:
    done = run_snippet("fine")
    assert done.returncode == 0
    assert done.stderr == "python message\npython after\n"


def test_an_unexpected_failure_shows_the_captured_native_lines() -> None:
    done = run_snippet("crash")
    assert done.returncode == 1
    assert "Native log of the pose model (last lines):\nW0000 native note" in done.stderr
    assert "RuntimeError: unexpected" in done.stderr


def test_an_explained_failure_shows_only_its_own_message() -> None:
    done = run_snippet("explained")
    assert done.returncode == 1
    assert "W0000" not in done.stderr and "Native log" not in done.stderr
    assert "no frames could be read" in done.stderr


def test_analyze_prints_results_without_the_models_start_up_notes(
    shared_videos: Path, tmp_path: Path
) -> None:
    hipfirst = Path(sys.executable).with_name("hipfirst")
    video = shared_videos / "lab-single-leg-balance-oblique.mp4"
    command = [str(hipfirst), "analyze", str(video), "--task", "single-leg-stance"]
    done = subprocess.run(
        [*command, "--out", str(tmp_path / "out"), "--no-video"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "fppa_deg" in done.stdout and "Results written to" in done.stdout
    for noise in ("XNNPACK", "W0000", "absl::InitializeLog", "inference_feedback_manager"):
        assert noise not in done.stderr
