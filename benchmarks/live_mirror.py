"""The live mirror's server cost per frame, against baselines measured in the same run.

The browser runs the pose model; the server, per frame, validates the message
(:func:`hipfirst.web.mirror_messages.parse_message`), converts it, runs
:meth:`hipfirst.video.live_session.LiveSession.add` (swap tracker, One-Euro filter,
angles, messages; the events over the take every 0.5 s of take time) and serialises the
answer. This measures that per frame on a take of the real pose model's landmarks of the
shared lab video, looped forwards and backwards to ``--seconds`` at ``--fps``, and, in the
same run and on the same frames:

* ``batch``: the whole-video stages (:func:`hipfirst.video.analysis.analyze_landmarks`)
  per frame: what an uploaded video costs after its pose model;
* ``model``: the Python BlazePose full model per frame on the lab video's frames: the part
  the live mirror moves to the browser.

From the live cost it reports how many live sessions one core serves at 30, 15 and 5
frames per second (1000 ms ÷ (cost per frame × rate)), both for the mean frame and for the
last tenth of the take (the event detection grows with the take's length).

Usage::

    .venv/bin/python benchmarks/live_mirror.py                   # 60 s take at 30 fps, ~1 min
    .venv/bin/python benchmarks/live_mirror.py --seconds 300 --repeats 3

Writes ``benchmarks/results/live_latest.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from hipfirst.knowledge.loader import knowledge_base
from hipfirst.knowledge.vocabulary import VideoTask
from hipfirst.settings import DEFAULT_SHARED_DATA
from hipfirst.video.analysis import analyze_landmarks
from hipfirst.video.live_session import LiveSession
from hipfirst.video.types import LandmarkTrack, VideoInfo
from hipfirst.video_io.settings import video_settings
from hipfirst.web.mirror_messages import parse_message
from hipfirst.web.mirror_socket import live_frame

RESULTS = Path(__file__).resolve().parent / "results" / "live_latest.json"
LAB = "lab-single-leg-balance-oblique.mp4"


def model_landmarks(video: Path) -> tuple[VideoInfo, LandmarkTrack, float]:
    """The Python pose model's landmarks of ``video`` and its cost per frame in ms."""
    from hipfirst.video.quality import turned_from_camera
    from hipfirst.video_io.decode import DecodeReport, iter_frames, model_size, probe
    from hipfirst.video_io.pose import MediaPipePose

    info = probe(video)
    frames = list(iter_frames(video, info=info, size=model_size(info), report=DecodeReport()))
    xy, visibility, world = [], [], []
    with MediaPipePose() as model:
        model.estimate(frames[0], (info.width, info.height))  # warm-up
        start = time.perf_counter()
        for frame in frames:
            pose = model.estimate(frame, (info.width, info.height))
            xy.append(pose.xy)
            visibility.append(pose.visibility)
            world.append(pose.world if pose.world is not None else np.full((33, 3), np.nan))
        per_frame = 1000 * (time.perf_counter() - start) / len(frames)
    worlds = np.stack(world)
    times = np.array([frame.time_s for frame in frames])
    track = LandmarkTrack(
        times, np.stack(xy), np.stack(visibility), turned_from_camera(worlds), worlds
    )
    return info, track, per_frame


def looped(track: LandmarkTrack, seconds: float, fps: float) -> LandmarkTrack:
    """The frames forwards then backwards, again and again, at ``fps`` for ``seconds``."""
    n = track.time_s.size
    cycle = np.concatenate([np.arange(n), np.arange(n - 2, 0, -1)])
    order = cycle[np.arange(int(seconds * fps)) % cycle.size]
    world = None if track.world is None else track.world[order]
    turned = None if track.turned_deg is None else track.turned_deg[order]
    return LandmarkTrack(
        np.arange(order.size) / fps, track.xy[order], track.visibility[order], turned, world
    )


def browser_messages(track: LandmarkTrack, size: tuple[int, int]) -> list[str]:
    """The JSON text the page would send for each frame."""
    width, height = size
    texts = []
    for k in range(track.time_s.size):
        marks = [
            [float(x) / width, float(y) / height, 0.0, float(v)]
            for (x, y), v in zip(track.xy[k], track.visibility[k], strict=True)
        ]
        world = None if track.world is None else track.world[k].tolist()
        texts.append(
            json.dumps(
                {
                    "type": "frame",
                    "t": 1000 * float(track.time_s[k]),
                    "w": width,
                    "h": height,
                    "landmarks": marks,
                    "world": world,
                    "brightness": 0.5,
                }
            )
        )
    return texts


def live_run(texts: list[str], kb: Any) -> list[float]:
    """Milliseconds per frame of one take: parse, convert, add, answer."""
    session = LiveSession(VideoTask.SINGLE_LEG_STANCE, "left", kb=kb, settings=video_settings())
    costs = []
    for text in texts:
        start = time.perf_counter()
        frame = live_frame(parse_message(text))  # type: ignore[arg-type]
        json.dumps(session.add(frame).as_message())
        costs.append(1000 * (time.perf_counter() - start))
    return costs


def batch_run(info: VideoInfo, track: LandmarkTrack, kb: Any) -> float:
    """Milliseconds per frame of the whole-video stages on the same frames."""
    start = time.perf_counter()
    analyze_landmarks(
        info,
        VideoTask.SINGLE_LEG_STANCE,
        track,
        kb=kb,
        settings=video_settings(),
        software={},
        side="left",
    )
    return 1000 * (time.perf_counter() - start) / track.time_s.size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--video", type=Path, default=DEFAULT_SHARED_DATA / "videos" / LAB)
    args = parser.parse_args()
    kb = knowledge_base()
    info, lab, model_ms = model_landmarks(args.video)
    take = looped(lab, args.seconds, args.fps)
    texts = browser_messages(take, (info.width, info.height))
    live = min((live_run(texts, kb) for _ in range(args.repeats)), key=sum)
    batch_ms = min(batch_run(info, take, kb) for _ in range(args.repeats))
    mean_ms = float(np.mean(live))
    tail_ms = float(np.mean(live[-max(1, len(live) // 10) :]))
    result: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpu": platform.processor() or "?"},
        "take": {"seconds": args.seconds, "fps": args.fps, "frames": len(live)},
        "live_ms_per_frame": round(mean_ms, 3),
        "live_ms_per_frame_last_tenth": round(tail_ms, 3),
        "live_ms_per_frame_p95": round(float(np.percentile(live, 95)), 3),
        "batch_stages_ms_per_frame": round(batch_ms, 3),
        "python_pose_model_ms_per_frame": round(model_ms, 3),
        "live_over_batch": round(mean_ms / batch_ms, 2),
        "live_over_model": round(mean_ms / model_ms, 3),
        "sessions_per_core": {
            f"{rate:g}_fps": {
                "mean": int(1000 / (mean_ms * rate)),
                "late_in_take": int(1000 / (tail_ms * rate)),
            }
            for rate in (30.0, 15.0, 5.0)
        },
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
