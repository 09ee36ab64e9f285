"""Where an analysis writes (issue 12): checked before the model, clear OSErrors, no leftovers.

Real filesystems stand in for the bad places: a read-only and a nearly full
tmpfs mounted in a private mount namespace (``unshare``, no root needed), a
process killed with SIGKILL while it holds a staging folder, and a real
``hipfirst analyze`` stopped with SIGTERM.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from hipfirst.application.video_analysis import analyze_video
from hipfirst.errors import AnalysisError, InputValidationError
from hipfirst.video.scripted_pose import ScriptedPose
from hipfirst.video.types import Frame, PoseFrame
from hipfirst.video_io.output_folder import (
    LOCK_NAME,
    open_staging,
    output_error,
    remove_stale,
)

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests" / "video_io"


class Tripwire(ScriptedPose):
    """Fails the test if the pose model is ever asked for a frame."""

    def estimate(self, frame: Frame, size: tuple[int, int]) -> PoseFrame:
        raise AssertionError("the pose model ran before the output location was checked")


def _nobody(frames: int = 45) -> ScriptedPose:
    return ScriptedPose(np.full((frames, 33, 2), np.nan))


def _can_unshare() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-Urm", "true"], capture_output=True).returncode == 0


needs_unshare = pytest.mark.skipif(
    not _can_unshare(), reason="needs unshare (user and mount namespaces) to mount a tmpfs"
)


def run_on_tmpfs(mount: Path, options: str, script: str) -> dict[str, object]:
    """Run ``script`` (Python) with a tmpfs mounted at ``mount``; it prints one JSON line."""
    mount.mkdir(exist_ok=True)
    code = textwrap.dedent(script)
    shell = f'mount -t tmpfs -o {options} none {mount} && exec {sys.executable} -c "$0"'
    done = subprocess.run(
        ["unshare", "-Urm", "sh", "-c", shell, code],
        capture_output=True,
        text=True,
        cwd=TESTS,
        env={**os.environ, "PYTHONPATH": f"{TESTS}{os.pathsep}{REPO / 'tests'}"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_it_finds_a_parent_that_is_a_file_before_the_model_runs(
    tmp_path: Path, video: Path
) -> None:
    (tmp_path / "notes").write_text("mine")
    with pytest.raises(
        InputValidationError, match=r"out: its parent '.*/notes' is a file, not a folder"
    ):
        analyze_video(
            video,
            task="single-leg-squat",
            out_dir=tmp_path / "notes" / "run",
            estimator=Tripwire([]),
        )
    assert (tmp_path / "notes").read_text() == "mine"


@needs_unshare
def test_it_finds_a_read_only_folder_before_the_model_runs(tmp_path: Path) -> None:
    found = run_on_tmpfs(
        tmp_path / "disk",
        "ro,size=1m",
        f"""
        import json
        from pathlib import Path
        from synthetic_result import write_counting_video
        from hipfirst.application.video_analysis import analyze_video
        from test_output_folder import Tripwire
        from hipfirst.errors import InputError
        video = write_counting_video(Path({str(tmp_path)!r}) / "clip.mp4")
        try:
            out = Path({str(tmp_path / "disk" / "run")!r})
            analyze_video(video, task="single-leg-squat", out_dir=out, estimator=Tripwire([]))
        except InputError as error:
            print(json.dumps({{"type": type(error).__name__, "message": str(error)}}))
        """,
    )
    assert found["type"] == "InputValidationError"
    assert "cannot write the results there (Read-only file system" in str(found["message"])
    assert "give a folder you may write to" in str(found["message"])


@needs_unshare
def test_it_finds_a_full_disk_before_the_model_runs_and_says_it_may_be_retried(
    tmp_path: Path,
) -> None:
    found = run_on_tmpfs(
        tmp_path / "disk",
        "size=256k",
        f"""
        import json
        from pathlib import Path
        from synthetic_result import write_counting_video
        from hipfirst.application.video_analysis import analyze_video
        from test_output_folder import Tripwire
        from hipfirst.errors import AnalysisError
        video = write_counting_video(Path({str(tmp_path)!r}) / "clip.mp4")
        out = Path({str(tmp_path / "disk" / "run")!r})
        try:
            analyze_video(video, task="single-leg-squat", out_dir=out, estimator=Tripwire([]))
        except AnalysisError as error:
            left = sorted(p.name for p in out.parent.iterdir())
            print(json.dumps({{"permanent": error.permanent, "message": str(error), "left": left}}))
        """,
    )
    assert found["permanent"] is False
    assert "is nearly full: 0.3 MB free, the results need about 6 MB" in str(found["message"])
    assert found["left"] == []


@needs_unshare
def test_a_disk_that_fills_while_writing_is_a_retryable_failure_leaving_nothing(
    tmp_path: Path,
) -> None:
    found = run_on_tmpfs(
        tmp_path / "disk",
        "size=16k",
        f"""
        import json
        from pathlib import Path
        from synthetic_result import REPS, make_result, write_counting_video
        from hipfirst.errors import AnalysisError
        from hipfirst.video_io.writers import write_outputs
        video = write_counting_video(Path({str(tmp_path)!r}) / "clip.mp4")
        out = Path({str(tmp_path / "disk" / "run")!r})
        try:
            write_outputs(make_result(video, REPS), out, make_video=False,
                          progress=lambda _f: None, start=0)
        except AnalysisError as error:
            left = sorted(p.name for p in out.parent.iterdir())
            print(json.dumps({{"permanent": error.permanent, "message": str(error), "left": left}}))
        """,
    )
    assert found["permanent"] is False
    assert str(found["message"]).startswith(
        f"the disk holding '{tmp_path / 'disk' / 'run'}' is full (No space left on device)"
    )
    assert found["left"] == []  # the staging folder went with the failure


def test_it_maps_os_errors_to_messages() -> None:
    out = Path("/data/run")
    refused = output_error(PermissionError(errno.EACCES, "Permission denied", "/data"), out)
    assert isinstance(refused, InputValidationError)
    assert str(refused) == (
        "analyze: 1 error\n  - out: cannot write the results there (Permission denied: '/data'); "
        "give a folder you may write to (got '/data/run')"
    )
    quota = output_error(OSError(errno.EDQUOT, "Disk quota exceeded"), out)
    assert isinstance(quota, AnalysisError) and quota.permanent is False
    odd = output_error(OSError(errno.EIO, "Input/output error"), out)
    assert isinstance(odd, AnalysisError) and "Input/output error" in str(odd)


HOLD_STAGING = """
import os, signal, sys, time
from pathlib import Path
from hipfirst.video_io.output_folder import open_staging
staging = open_staging(Path(sys.argv[1]))
(staging.folder / "frames.csv").write_text("half")
print(staging.folder, flush=True)
if sys.argv[2] == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
time.sleep(60)
"""


def _child_with_staging(out: Path, how: str) -> tuple[subprocess.Popen[str], Path]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_STAGING, str(out), how], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    with child.stdout:
        return child, Path(child.stdout.readline().strip())


def test_a_later_run_removes_the_staging_folder_of_a_run_killed_with_sigkill(
    tmp_path: Path, video: Path
) -> None:
    out = tmp_path / "run"
    child, folder = _child_with_staging(out, "kill")
    assert child.wait(timeout=30) == -signal.SIGKILL
    assert folder.is_dir() and (folder / LOCK_NAME).is_file()  # what kill -9 leaves behind

    analyze_video(
        video, task="single-leg-squat", out_dir=out, estimator=_nobody(), make_video=False
    )

    assert sorted(path.name for path in tmp_path.iterdir()) == ["clip.mp4", "run"]


def test_it_leaves_the_staging_folder_of_a_run_still_going(tmp_path: Path) -> None:
    child, folder = _child_with_staging(tmp_path / "run", "sleep")
    try:
        assert remove_stale(tmp_path) == []
        assert folder.is_dir()
    finally:
        child.kill()
        child.wait()
    assert remove_stale(tmp_path) == [folder]


def test_it_never_removes_a_lookalike_folder_holding_other_files(tmp_path: Path) -> None:
    lookalike = tmp_path / ".run.tmp-0123abcd"
    lookalike.mkdir()
    (lookalike / "thesis.docx").write_text("not ours")
    os.utime(lookalike, (time.time() - 3600, time.time() - 3600))
    assert remove_stale(tmp_path) == []
    assert (lookalike / "thesis.docx").is_file()


def test_it_follows_a_link_to_a_folder_and_says_so(tmp_path: Path, video: Path) -> None:
    target = tmp_path / "real-results"
    target.mkdir()
    (target / "summary.json").write_text("{}")  # an earlier analysis, replaced
    link = tmp_path / "latest"
    link.symlink_to(target, target_is_directory=True)

    summary = analyze_video(
        video, task="single-leg-squat", out_dir=link, estimator=_nobody(), make_video=False
    )

    assert summary.out_dir == target
    assert link.is_symlink() and link.resolve() == target  # the link still points there
    assert json.loads((target / "summary.json").read_text())["task"] == "single-leg-squat"
    staging = open_staging(link)
    assert staging.followed == link and staging.out_dir == target
    staging.discard()


def test_it_refuses_a_broken_link_naming_its_target(tmp_path: Path, video: Path) -> None:
    link = tmp_path / "latest"
    link.symlink_to(tmp_path / "gone")
    with pytest.raises(
        InputValidationError,
        match=r"out: is a symbolic link to '.*gone', which is nothing \(the link is broken\)",
    ):
        analyze_video(video, task="single-leg-squat", out_dir=link, estimator=Tripwire([]))
    assert link.is_symlink() and not (tmp_path / "gone").exists()


def test_sigterm_during_an_analysis_removes_its_staging_folder(
    tmp_path: Path, shared_videos: Path
) -> None:
    out = tmp_path / "run"
    command = Path(sys.executable).parent / "hipfirst"
    video = shared_videos / "outdoor-walk-balance-2people.mp4"
    child = subprocess.Popen(
        [str(command), "analyze", str(video), "--task", "single-leg-stance", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".run.tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(tmp_path.glob(".run.tmp-*")), "the staging folder never appeared"
    child.send_signal(signal.SIGTERM)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 130, stderr
    assert "Interrupted." in stderr and "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []
