"""The measured runs of ``analyze_speed.py``, each in a fresh child process.

In-process runs (Python's imports happen before the clock, so only the work is timed):

* ``bare``: decode (PyAV, frames scaled as the pipeline feeds the model) and
  MediaPipe BlazePose per frame, one after the other, nothing else;
* ``bare-ahead``: the same with frames decoded in a background thread
  (:func:`hipfirst.video_io.read_ahead.read_ahead`), as the analysis does;
* ``full``: the command ``hipfirst analyze VIDEO --task T --out DIR --no-video``
  called in-process (argument checks, the analysis, every file, the table);
* ``roll``: the camera-roll estimate alone on the frames the analysis samples.

Whole-process runs (timed by the parent from start to exit, the interpreter's
start and every import included, as a user waits for them):

* ``bare-process``: a fresh interpreter that imports PyAV, NumPy and MediaPipe and
  runs the bare loop;
* ``full-process``: the installed ``hipfirst analyze … --no-video`` command.

Every run reports JSON on its last stdout line: frames, wall and CPU seconds, peak RSS.
"""

from __future__ import annotations

import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

IN_PROCESS = ("bare", "bare-ahead", "full")
WHOLE_PROCESS = ("bare-process", "full-process")


def peak_rss_mib() -> float:
    """This process's own peak resident set size (``VmHWM``, which starts afresh at exec)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare(video: Path, *, ahead: bool = False, model: str = "full") -> dict[str, Any]:
    """Decode + BlazePose per frame, configured as the pipeline configures both."""
    import av
    import mediapipe as mp
    import numpy as np

    from hipfirst.video_io.decode import model_size, probe
    from hipfirst.video_io.pose import POSE_MODELS
    from hipfirst.video_io.read_ahead import read_ahead

    info = probe(video)
    width, height = model_size(info)
    start, cpu_start = time.perf_counter(), time.process_time()
    pose = mp.solutions.pose.Pose(
        static_image_mode=False,
        model_complexity=POSE_MODELS[model].complexity,
        smooth_landmarks=False,
        enable_segmentation=False,
        min_detection_confidence=0.5,
        min_tracking_confidence=0.5,
    )
    frames = detected = 0

    def images() -> Iterator[Any]:
        with av.open(str(video)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            for frame in container.decode(stream):
                image = frame.to_ndarray(format="rgb24", width=width, height=height)
                yield np.ascontiguousarray(image)

    for image in read_ahead(images()) if ahead else images():
        result = pose.process(image)
        detected += result.pose_landmarks is not None
        frames += 1
    pose.close()
    return {
        "frames": frames,
        "detected": detected,
        "seconds": time.perf_counter() - start,
        "cpu_s": time.process_time() - cpu_start,
        "peak_rss_mib": peak_rss_mib(),
    }


def full(video: Path, task: str, model: str = "full") -> dict[str, Any]:
    """``hipfirst analyze VIDEO --task TASK --out DIR --no-video``, the command, in-process."""
    import mediapipe  # noqa: F401  (imported before the clock, as in the bare run)

    import hipfirst.application.video_analysis
    import hipfirst.video_io.render  # noqa: F401  (imported in a thread by the command)
    from hipfirst.cli import (
        app,
        commands,  # noqa: F401  (registers the commands)
    )

    with tempfile.TemporaryDirectory(prefix="hipfirst-bench-") as out:
        command = ["analyze", str(video), "--task", task, "--out", out, "--no-video"]
        command += ["--model", model]
        start, cpu_start = time.perf_counter(), time.process_time()
        app(command, standalone_mode=False)
        seconds, cpu_s = time.perf_counter() - start, time.process_time() - cpu_start
        written = sorted(path.name for path in Path(out).iterdir())
        summary = json.loads((Path(out) / "summary.json").read_text("utf-8"))
    return {
        "frames": int(summary["video"]["frame_count"]),
        "seconds": seconds,
        "cpu_s": cpu_s,
        "peak_rss_mib": peak_rss_mib(),
        "files": written,
        "quality_valid": summary["quality"]["valid"],
    }


def roll(video: Path) -> dict[str, Any]:
    """The camera-roll estimate alone: its frames decoded first, then only its own work timed."""
    from hipfirst.video_io.camera_roll import RollSampler
    from hipfirst.video_io.decode import iter_frames, model_size, probe

    info = probe(video)
    sampler = RollSampler(info.duration_s)
    due = {math.ceil(info.duration_s * (k + 0.5) / 6 * info.fps - 1e-9) for k in range(6)}
    frames = [f for f in iter_frames(video, info=info, size=model_size(info)) if f.index in due]
    start, cpu_start = time.perf_counter(), time.process_time()
    for frame in frames:
        sampler.visit(frame, None)
    estimate = sampler.result(None)
    return {
        "frames": len(frames),
        "seconds": time.perf_counter() - start,
        "cpu_s": time.process_time() - cpu_start,
        "roll_deg": None if estimate is None else estimate.degrees,
    }


def child(kind: str, video: Path, task: str, model: str) -> dict[str, Any]:
    """One in-process run in a fresh interpreter; its JSON report."""
    command = [sys.executable, __file__, kind, str(video), task, model]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{done.stderr[-4000:]}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def whole_process(kind: str, video: Path, task: str, model: str) -> dict[str, Any]:
    """A whole process timed from its start to its exit (wall) and its CPU (from rusage)."""
    with tempfile.TemporaryDirectory(prefix="hipfirst-bench-") as out:
        if kind == "full-process":
            command = [str(Path(sys.executable).parent / "hipfirst"), "analyze", str(video)]
            command += ["--task", task, "--out", f"{out}/o", "--no-video", "--model", model]
        else:
            command = [sys.executable, __file__, "bare-script", str(video), task, model]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"{kind} run failed:\n{done.stderr[-4000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu_s": cpu}


def run(kind: str, video: Path, task: str, model: str) -> dict[str, Any]:
    if kind in WHOLE_PROCESS:
        return whole_process(kind, video, task, model)
    return child(kind, video, task, model)


if __name__ == "__main__":
    kind, video_arg, task_arg, model_arg = sys.argv[1:5]
    path = Path(video_arg)
    if kind == "bare-script":  # the bare-process run: imports timed too, nothing printed
        bare(path, model=model_arg)
        raise SystemExit(0)
    if kind == "full":
        report = full(path, task_arg, model_arg)
    elif kind == "roll":
        report = roll(path)
    else:
        report = bare(path, ahead=kind == "bare-ahead", model=model_arg)
    print(json.dumps(report))
