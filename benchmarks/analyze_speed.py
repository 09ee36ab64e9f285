"""Speed and memory of the video analysis against the bare pose loop (a benchmark, not a test).

What it measures, on one video in one run:

* **bare loop**: decode (PyAV, frames scaled as the pipeline feeds the model)
  and MediaPipe BlazePose per frame, nothing else, one after the other;
* **bare loop, read ahead**: the same, with frames decoded in a background
  thread while the model works (``hipfirst.video_io.read_ahead``, as the full
  analysis does), so that full / bare-ahead shows what the analysis itself
  adds at the same concurrency;
* **full analysis**: the command ``hipfirst analyze VIDEO --task T --out DIR
  --no-video``, run in-process so that, as in the bare run, Python's imports
  are not timed;
* the ratio full / bare (target: at most 1.15) and frames per second of each
  (target: faster than real time for 1080p 30 fps);
* **peak memory** (the process's own peak resident set size, ``VmHWM``) of
  the full analysis on looped videos of 1 and 5 minutes (target: independent
  of length).

Each measurement runs in a fresh child process, so imports and caches of one
do not help the next, and the peak RSS is that run's own. Timings exclude the
Python imports (done before the clock starts) but include creating the model.
Bare and full runs alternate ``--repeats`` times; the best run of each counts
(other work on the machine only ever slows a run down). CPU time (all threads
of the child) is recorded too: on a shared machine the CPU-time ratio is the
steadier measure of what the analysis adds to the model.

Test videos are made by looping a shared video (default: the 1080x1920 lab
clip) forwards and backwards, re-timed to 30 fps (``looped_video.py``): one loop is encoded once
with libx264, then its packets are copied with shifted timestamps, so a
5-minute video takes seconds to make. They live in a temporary folder and are deleted afterwards.

Usage::

    .venv/bin/python benchmarks/analyze_speed.py                  # 20 s speed clip, 1 and 5 min
    .venv/bin/python benchmarks/analyze_speed.py --minutes 1      # shorter memory run
    .venv/bin/python benchmarks/analyze_speed.py --speed-seconds 10 --repeats 1 --minutes

Writes ``benchmarks/results/latest.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from looped_video import LOOP_FPS, make_looped_video

from hipfirst.knowledge.vocabulary import OutputFile, VideoTask

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VIDEO = (
    REPO_ROOT.parent / "shared" / "data" / "videos" / "lab-single-leg-balance-oblique.mp4"
)
DEFAULT_TASK = VideoTask.SINGLE_LEG_STANCE.value
RESULTS = REPO_ROOT / "benchmarks" / "results" / "latest.json"
TARGET_RATIO = 1.15
RUN_KINDS = ("bare", "bare-ahead", "full")  # speed: in this order, alternating; memory: the choices


# --------------------------------------------------------------------------- child runs


def _peak_rss_mib() -> float:
    """This process's own peak resident set size, in MiB.

    Linux's ``VmHWM`` (kB) starts afresh at ``exec``; ``ru_maxrss`` would also
    carry the parent's resident size at ``fork`` (the parent holds a decoded
    loop while making test videos), so it is only the fallback elsewhere.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_bare(video: Path, *, ahead: bool = False) -> dict[str, Any]:
    """Decode + BlazePose per frame, as the pipeline configures both, and nothing else.

    ``ahead``: decode in a background thread (:func:`hipfirst.video_io.read_ahead.read_ahead`).
    """
    from collections.abc import Iterator

    import av
    import mediapipe as mp
    import numpy as np

    from hipfirst.video_io.decode import model_size, probe
    from hipfirst.video_io.read_ahead import read_ahead

    info = probe(video)
    width, height = model_size(info)
    start, cpu_start = time.perf_counter(), time.process_time()
    pose = mp.solutions.pose.Pose(
        static_image_mode=False,
        model_complexity=1,
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
    seconds, cpu_s = time.perf_counter() - start, time.process_time() - cpu_start
    return {
        "frames": frames,
        "detected": detected,
        "seconds": seconds,
        "cpu_s": cpu_s,
        "peak_rss_mib": _peak_rss_mib(),
    }


def child_full(video: Path, task: str) -> dict[str, Any]:
    """``hipfirst analyze VIDEO --task TASK --out DIR --no-video``, the command itself, in-process.

    Python imports (the command's own lazy ones included) happen before the
    clock, as in the bare run; everything the command does after that is timed:
    argument checks, the analysis, every output file, the results table.
    """
    import mediapipe  # noqa: F401  (imported before the clock, as in the bare run)

    import hipfirst.application.video_analysis  # noqa: F401  (the command imports it on first use)
    from hipfirst.cli import (
        app,
        commands,  # noqa: F401  (registers the commands)
    )

    with tempfile.TemporaryDirectory(prefix="hipfirst-bench-") as out:
        command = ["analyze", str(video), "--task", task, "--out", out, "--no-video"]
        start, cpu_start = time.perf_counter(), time.process_time()
        app(command, standalone_mode=False)
        seconds, cpu_s = time.perf_counter() - start, time.process_time() - cpu_start
        written = sorted(path.name for path in Path(out).iterdir())
        summary = json.loads((Path(out) / OutputFile.SUMMARY).read_text("utf-8"))
    return {
        "frames": int(summary["video"]["frame_count"]),
        "seconds": seconds,
        "cpu_s": cpu_s,
        "peak_rss_mib": _peak_rss_mib(),
        "files": written,
        "quality_valid": summary["quality"]["valid"],
    }


def run_child(kind: str, video: Path, task: str) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return its JSON report."""
    command = [sys.executable, __file__, "--child", kind, str(video), "--task", task]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{completed.stderr[-4000:]}")
    report: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return report


# --------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": model,
        "cpu_count": os.cpu_count(),
        "memory_gib": round(memory_gib, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def versions() -> dict[str, str | None]:
    from importlib import metadata

    found: dict[str, str | None] = {}
    for package in ("hipfirst", "mediapipe", "av", "numpy", "scipy"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    return found


def speed_section(video: Path, frames: int, task: str, repeats: int) -> dict[str, Any]:
    from hipfirst.video_io.decode import probe

    info = probe(video)
    runs: dict[str, list[dict[str, Any]]] = {kind: [] for kind in RUN_KINDS}
    for _ in range(repeats):
        for kind in RUN_KINDS:
            runs[kind].append(run_child(kind, video, task))
    best = {kind: min(runs[kind], key=lambda run: run["seconds"]) for kind in RUN_KINDS}
    full_fps = best["full"]["frames"] / best["full"]["seconds"]
    ratio = best["full"]["seconds"] / best["bare"]["seconds"]
    ratio_ahead = best["full"]["seconds"] / best["bare-ahead"]["seconds"]

    def least_cpu(kind: str) -> float:
        return float(min(run["cpu_s"] for run in runs[kind]))

    return {
        "video": {
            "width": info.width,
            "height": info.height,
            "fps": LOOP_FPS,
            "frames": frames,
            "duration_s": frames / LOOP_FPS,
        },
        "bare": _runs(runs["bare"]) | {"detected_frames": best["bare"]["detected"]},
        "bare-ahead": _runs(runs["bare-ahead"]),
        "full": _runs(runs["full"]) | {"files": best["full"]["files"]},
        "ratio_full_to_bare": round(ratio, 4),
        "overhead_pct": round(100 * (ratio - 1), 1),
        "ratio_full_to_bare_ahead": round(ratio_ahead, 4),
        "overhead_vs_bare_ahead_pct": round(100 * (ratio_ahead - 1), 1),
        "cpu_ratio_full_to_bare": round(least_cpu("full") / least_cpu("bare"), 4),
        "realtime_factor_full": round(full_fps / LOOP_FPS, 2),
        "targets": {
            "ratio_at_most": TARGET_RATIO,
            "ratio_met": ratio <= TARGET_RATIO,
            "faster_than_realtime": full_fps >= LOOP_FPS,
        },
    }


def _runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Wall and CPU seconds of every run, the best (shortest) run and its frames per second."""
    best = min(runs, key=lambda run: run["seconds"])
    return {
        "runs_s": [round(run["seconds"], 3) for run in runs],
        "runs_cpu_s": [round(run["cpu_s"], 3) for run in runs],
        "best_s": round(best["seconds"], 3),
        "fps": round(best["frames"] / best["seconds"], 2),
        "peak_rss_mib": round(max(run["peak_rss_mib"] for run in runs), 1),
    }


def memory_section(
    source: Path, minutes: list[float], task: str, folder: Path, kinds: list[str]
) -> list[dict[str, Any]]:
    """Peak RSS of each kind of run (``bare``, ``bare-ahead``, ``full``) on looped videos.

    The bare loop's row shows what the decoder and the model alone do with a
    longer video, so growth can be put where it belongs.
    """
    rows: list[dict[str, Any]] = []
    for length in minutes:
        video = folder / f"loop_{length:g}min.mp4"
        frames = make_looped_video(source, video, length * 60)
        for kind in kinds:
            run = run_child(kind, video, task)
            rows.append(
                {
                    "run": kind,
                    "minutes": length,
                    "frames": frames,
                    "seconds": round(run["seconds"], 2),
                    "cpu_s": round(run["cpu_s"], 2),
                    "fps": round(run["frames"] / run["seconds"], 2),
                    "peak_rss_mib": round(run["peak_rss_mib"], 1),
                }
            )
        video.unlink()
    return rows


def print_table(results: dict[str, Any]) -> None:
    speed = results.get("speed")
    if speed:
        video = speed["video"]
        size = f"{video['width']}x{video['height']}"
        print(f"\nSpeed on {size} @ {video['fps']} fps, {video['frames']} frames")
        print(f"{'run':<16}{'best s':>10}{'frames/s':>10}{'x realtime':>12}")
        for name in RUN_KINDS:
            fps = speed[name]["fps"]
            print(
                f"{name:<16}{speed[name]['best_s']:>10.2f}{fps:>10.1f}{fps / video['fps']:>12.2f}"
            )
        ratio, overhead = speed["ratio_full_to_bare"], speed["overhead_pct"]
        print(f"full / bare = {ratio:.3f} (overhead {overhead:+.1f}%, target <= +15%)")
        ahead, ahead_pct = speed["ratio_full_to_bare_ahead"], speed["overhead_vs_bare_ahead_pct"]
        print(f"full / bare-ahead = {ahead:.3f} ({ahead_pct:+.1f}% at the same concurrency)")
        print(f"full / bare in CPU time = {speed['cpu_ratio_full_to_bare']:.3f}")
    memory = results.get("memory") or []
    if memory:
        print(
            f"\n{'run':<12}{'video':<10}{'frames':>8}{'seconds':>10}{'frames/s':>10}"
            f"{'peak RSS MiB':>14}"
        )
        for row in memory:
            length = f"{row['minutes']:g} min"
            print(
                f"{row['run']:<12}{length:<10}{row['frames']:>8}{row['seconds']:>10.1f}"
                f"{row['fps']:>10.1f}{row['peak_rss_mib']:>14.1f}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--video", type=Path, default=DEFAULT_VIDEO, help="source video to loop")
    parser.add_argument("--task", default=DEFAULT_TASK, help="task passed to the analysis")
    parser.add_argument(
        "--speed-seconds", type=float, default=20.0, help="length of the speed clip; 0 skips"
    )
    parser.add_argument(
        "--repeats", type=int, default=2, help="alternating bare/bare-ahead/full runs"
    )
    parser.add_argument("--minutes", type=float, nargs="*", default=[1.0, 5.0], help="memory runs")
    parser.add_argument(
        "--memory-runs",
        nargs="+",
        choices=list(RUN_KINDS),
        default=list(RUN_KINDS),
        help="which runs to measure on the long videos",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "VIDEO"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        kind, video = args.child[0], Path(args.child[1])
        if kind == "full":
            report = child_full(video, args.task)
        else:
            report = child_bare(video, ahead=kind == "bare-ahead")
        print(json.dumps(report))
        return 0

    started = datetime.now(UTC)
    results: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine(),
        "versions": versions(),
        "source_video": args.video.name,
        "task": args.task,
    }
    with tempfile.TemporaryDirectory(prefix="hipfirst-bench-videos-") as tmp:
        folder = Path(tmp)
        if args.speed_seconds > 0:
            clip = folder / "speed.mp4"
            frames = make_looped_video(args.video, clip, args.speed_seconds)
            results["speed"] = speed_section(clip, frames, args.task, args.repeats)
        results["memory"] = memory_section(
            args.video, list(args.minutes), args.task, folder, list(args.memory_runs)
        )
    results["elapsed_s"] = round((datetime.now(UTC) - started).total_seconds(), 1)

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    print(f"\nwritten: {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
