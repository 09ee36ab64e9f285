"""Speed of the video analysis against the bare pose loop, on short and long clips (a benchmark).

For each clip length (default 6, 10 and 60 s of a 720x1280, 60 fps video, the kind of
clip clinicians record), in one run, alternating the kinds of run ``--repeats`` times
(:mod:`runs` says what each does):

* in-process: ``bare``, ``bare-ahead``, ``full`` (imports before the clock);
* whole processes: ``bare-process`` and ``full-process`` (``hipfirst analyze
  --no-video`` as a user runs it, interpreter start and imports included);

and reports the ratios full / bare (target: at most 1.10 on the 10 s clip, whole
processes and in-process alike), full / bare-ahead (what the analysis adds at the same
concurrency) and CPU time. The best run of each kind counts (other work on a shared
machine only ever slows a run down). Then, on one clip, the same with the heavy pose
model (``--heavy-clip``), and the cost of the camera-roll estimate alone (``roll``).
Optionally (``--minutes``), peak memory on long videos.

Test videos are made by looping a shared video (default: the 1080x1920, 60 fps lab
clip) forwards and backwards (``looped_video.py``), resized, with a key frame every
second as phones write them; they are deleted afterwards.

Usage::

    .venv/bin/python benchmarks/analyze_speed.py                       # ~30 min on 2 cores
    .venv/bin/python benchmarks/analyze_speed.py --clips 10 --repeats 1 --heavy-clip 0

Writes ``benchmarks/results/latest.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from looped_video import make_looped_video
from runs import IN_PROCESS, WHOLE_PROCESS, run

from hipfirst.knowledge.vocabulary import VideoTask

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VIDEO = (
    REPO_ROOT.parent / "shared" / "data" / "videos" / "lab-single-leg-balance-oblique.mp4"
)
DEFAULT_TASK = VideoTask.SINGLE_LEG_STANCE.value
RESULTS = REPO_ROOT / "benchmarks" / "results" / "latest.json"
TARGET_RATIO = 1.10
KINDS = (*IN_PROCESS, *WHOLE_PROCESS)


def machine() -> dict[str, Any]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {
        "cpu": model,
        "cpu_count": os.cpu_count(),
        "memory_gib": round(memory_gib, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": load,
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


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    best = min(runs, key=lambda item: item["seconds"])
    return {
        "runs_s": [round(item["seconds"], 3) for item in runs],
        "runs_cpu_s": [round(item["cpu_s"], 3) for item in runs],
        "best_s": round(best["seconds"], 3),
        "least_cpu_s": round(min(item["cpu_s"] for item in runs), 3),
    }


def clip_section(
    video: Path, frames: int, fps: int, task: str, repeats: int, model: str, kinds: tuple[str, ...]
) -> dict[str, Any]:
    """Every kind of run on one clip, alternating; the best of each and the ratios."""
    runs: dict[str, list[dict[str, Any]]] = {kind: [] for kind in kinds}
    for _ in range(repeats):
        for kind in kinds:
            runs[kind].append(run(kind, video, task, model))
    section: dict[str, Any] = {
        "model": model,
        "frames": frames,
        "duration_s": frames / fps,
        **{kind: _best(runs[kind]) for kind in kinds},
    }

    def ratio(numerator: str, denominator: str, key: str = "best_s") -> float | None:
        if numerator not in section or denominator not in section:
            return None
        return round(section[numerator][key] / section[denominator][key], 4)

    section["ratios"] = {
        "full_to_bare": ratio("full", "bare"),
        "full_to_bare_ahead": ratio("full", "bare-ahead"),
        "full_to_bare_cpu": ratio("full", "bare", "least_cpu_s"),
        "whole_process_full_to_bare": ratio("full-process", "bare-process"),
        "whole_process_full_to_bare_cpu": ratio("full-process", "bare-process", "least_cpu_s"),
    }
    if "full" in section:
        section["full"]["fps"] = round(frames / section["full"]["best_s"], 2)
        section["full"]["realtime_factor"] = round(frames / fps / section["full"]["best_s"], 3)
    return section


def memory_section(source: Path, minutes: list[float], task: str, folder: Path) -> list[Any]:
    """Peak RSS of the bare loop and the full analysis on looped videos of these lengths."""
    rows = []
    for length in minutes:
        video = folder / f"loop_{length:g}min.mp4"
        frames = make_looped_video(source, video, length * 60, fps=30)
        for kind in ("bare", "full"):
            report = run(kind, video, task, "full")
            rows.append(
                {
                    "run": kind,
                    "minutes": length,
                    "frames": frames,
                    "seconds": round(report["seconds"], 2),
                    "peak_rss_mib": round(report["peak_rss_mib"], 1),
                }
            )
        video.unlink()
    return rows


def print_table(results: dict[str, Any]) -> None:
    for name, section in results["clips"].items():
        print(f"\n{name}: {section['frames']} frames, {section['model']} model")
        for kind in KINDS:
            if kind in section:
                best, cpu = section[kind]["best_s"], section[kind]["least_cpu_s"]
                print(f"  {kind:<14}{best:>9.2f} s  (CPU {cpu:.2f} s)")
        for key, value in section["ratios"].items():
            if value is not None:
                print(f"  {key:<32}{value:.3f}")
    if results.get("roll"):
        roll = results["roll"]
        print(f"\ncamera roll alone: {roll['seconds']:.3f} s wall, {roll['cpu_s']:.3f} s CPU")
    for row in results.get("memory") or []:
        print(f"memory {row['run']:<5}{row['minutes']:g} min: {row['peak_rss_mib']:.1f} MiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--video", type=Path, default=DEFAULT_VIDEO, help="source video to loop")
    parser.add_argument("--task", default=DEFAULT_TASK, help="task passed to the analysis")
    parser.add_argument("--clips", type=float, nargs="+", default=[6.0, 10.0, 60.0])
    parser.add_argument("--size", default="720x1280", help="WIDTHxHEIGHT of the clips")
    parser.add_argument("--fps", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=3, help="alternating runs of each kind")
    parser.add_argument("--long-repeats", type=int, default=2, help="repeats on clips over 30 s")
    parser.add_argument("--heavy-clip", type=float, default=10.0, help="0 skips the heavy runs")
    parser.add_argument("--heavy-repeats", type=int, default=2)
    parser.add_argument("--minutes", type=float, nargs="*", default=[], help="memory runs")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    width, height = (int(value) for value in args.size.lower().split("x"))

    started = datetime.now(UTC)
    results: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine(),
        "versions": versions(),
        "source_video": args.video.name,
        "clip": {"width": width, "height": height, "fps": args.fps, "key_frame_every_s": 1},
        "task": args.task,
        "target_ratio": TARGET_RATIO,
        "clips": {},
    }
    with tempfile.TemporaryDirectory(prefix="hipfirst-bench-videos-") as tmp:
        folder = Path(tmp)
        lengths = sorted({*args.clips, *([args.heavy_clip] if args.heavy_clip else [])})
        for seconds in lengths:
            clip = folder / f"clip_{seconds:g}s.mp4"
            frames = make_looped_video(args.video, clip, seconds, args.fps, (width, height))
            repeats = args.long_repeats if seconds > 30 else args.repeats
            if seconds in args.clips:
                results["clips"][f"{seconds:g} s"] = clip_section(
                    clip, frames, args.fps, args.task, repeats, "full", KINDS
                )
            if seconds == args.heavy_clip:
                results["clips"][f"{seconds:g} s heavy"] = clip_section(
                    clip, frames, args.fps, args.task, args.heavy_repeats, "heavy", KINDS
                )
            if "roll" not in results:
                results["roll"] = run("roll", clip, args.task, "full")
        if args.minutes:
            results["memory"] = memory_section(args.video, list(args.minutes), args.task, folder)
    results["elapsed_s"] = round((datetime.now(UTC) - started).total_seconds(), 1)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    print(f"\nwritten: {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
