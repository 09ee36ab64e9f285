"""The streaming part of an analysis: every frame once through the pose model, nothing kept.

:func:`track_video` decodes the frames ahead in a background thread
(:mod:`~hipfirst.video_io.read_ahead`) and feeds them to the MediaPipe model
wrapped in the subject follower (:class:`~hipfirst.video.follow.SubjectFollower`).
Beside the model, and off its critical path:

* the people counter (:class:`~hipfirst.video.person.PeopleCounter`) looks for
  anyone else every few seconds, on a frame handed to a background thread, so
  the model never waits for the second detector (:class:`_CountInBackground`);
* the camera-roll sampler (:class:`~hipfirst.video_io.camera_roll.RollSampler`)
  finds the scene's line segments on a few downscaled frames, in its own thread.

What is kept per frame: the 2D landmarks, their visibility, the model's 3D
landmarks and how far the body is turned from the camera, i.e. a few hundred
numbers; the frames themselves are dropped as soon as the model has seen them.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hipfirst.video.follow import SubjectFollower
from hipfirst.video.person import PeopleCounter
from hipfirst.video.quality import turned_from_camera
from hipfirst.video.settings import TrackingSettings
from hipfirst.video.types import (
    FloatArray,
    Frame,
    LandmarkTrack,
    PoseEstimator,
    Progress,
    VideoInfo,
)
from hipfirst.video_io.camera_roll import RollSampler, body_axis_lean_deg
from hipfirst.video_io.decode import DecodeReport, iter_frames, model_size
from hipfirst.video_io.pose import MediaPipePose
from hipfirst.video_io.read_ahead import read_ahead

_NO_WORLD = np.full((33, 3), np.nan)


@dataclass
class _Collected:
    """Per-frame landmark arrays gathered while streaming (a few numbers per frame)."""

    time_s: list[float] = field(default_factory=list)
    xy: list[FloatArray] = field(default_factory=list)
    visibility: list[FloatArray] = field(default_factory=list)
    world: list[FloatArray] = field(default_factory=list)
    turned_deg: list[float] = field(default_factory=list)
    has_world: bool = True


@dataclass(frozen=True)
class TrackedVideo:
    """What the pose loop found: the landmark track, how decoding went, people counted."""

    track: LandmarkTrack
    report: DecodeReport
    people_counted: int
    """1 + others found by the people counter; 0 when it did not run (scripted model, image)."""


class _CountInBackground:
    """The people counter, fed from the pose loop but run in a thread of its own.

    The pose loop only hands over a frame when the counter is due (every
    ``recount_every_s``); the second detector then runs while the tracking model
    works on the next frames. At most one frame waits; the loop blocks only if a
    check is still running two checks later (never at 2 s apart), so the frames
    checked, and the count, are the same on every run.
    """

    def __init__(self, make_detector: Callable[[], PoseEstimator], every_s: float) -> None:
        self._make_detector = make_detector
        self._every_s = every_s
        self._next_s = 0.0
        self._others_seen = 0
        self._jobs: queue.Queue[tuple[Frame, FloatArray, tuple[int, int]] | None] = queue.Queue(1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="hipfirst-people", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        """Make the second model here (its start-up overlaps the tracking), then count."""
        detector = None
        try:
            detector = self._make_detector()
            counter = PeopleCounter(detector, self._every_s)
            while (job := self._jobs.get()) is not None:
                counter.visit(*job)
            self._others_seen = counter.others_seen
        except BaseException as error:  # reported by finish()
            self._error = error
            while self._jobs.get() is not None:  # let the loop finish handing over
                pass
        finally:
            if detector is not None:
                detector.close()

    def visit(self, frame: Frame, xy_model: FloatArray | None, size: tuple[int, int]) -> None:
        if xy_model is None or frame.time_s < self._next_s:
            return
        self._jobs.put((frame, xy_model, size))
        self._next_s = frame.time_s + self._every_s

    def finish(self) -> int:
        """Wait for the last check; the number of people counted (1 + others seen)."""
        self._jobs.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        return 1 + self._others_seen


def _following_model(settings: TrackingSettings, model: str) -> SubjectFollower:
    """The tracking model, wrapped so that a drift onto someone else is undone (follow.py)."""
    return SubjectFollower(MediaPipePose(model=model), lambda: MediaPipePose(model=model), settings)


def track_video(
    path: Path,
    info: VideoInfo,
    *,
    settings: TrackingSettings,
    estimator: PoseEstimator | None = None,
    model: str = "full",
    progress: Progress,
    share: float,
) -> TrackedVideo:
    """Run the pose model over every frame of ``path``; progress runs from 0 to ``share``.

    ``estimator`` replaces the MediaPipe model (tests; then no people are
    counted); ``model``: the MediaPipe landmark model otherwise (``full`` or
    ``heavy``). The people counter always uses the full model: it only counts.
    """
    own_model = estimator is None
    tracker: PoseEstimator = estimator or _following_model(settings, model)
    counter: _CountInBackground | None = None
    roll = RollSampler(0.0 if info.is_image else info.duration_s)
    report = DecodeReport()
    try:
        if own_model and not info.is_image:
            counter = _CountInBackground(
                lambda: MediaPipePose(static=True), settings.recount_every_s
            )
        collected = _stream(path, info, tracker, counter, roll, report, progress, share)
        people = counter.finish() if counter is not None else 0
        counter = None
    except BaseException:
        roll.close()
        raise
    finally:
        if counter is not None:  # the loop failed: stop the counter, keep the first error
            with contextlib.suppress(Exception):
                counter.finish()
        if own_model:
            tracker.close()
    if not collected.xy:
        roll.close()
        return TrackedVideo(_empty_track(), report, people)
    xy = np.stack(collected.xy)
    track = LandmarkTrack(
        time_s=np.asarray(collected.time_s, dtype=np.float64),
        xy=xy,
        visibility=np.stack(collected.visibility),
        turned_deg=np.asarray(collected.turned_deg) if collected.has_world else None,
        world=np.stack(collected.world) if collected.has_world else None,
        camera_roll=roll.result(body_axis_lean_deg(xy)),
    )
    return TrackedVideo(track, report, people)


def _empty_track() -> LandmarkTrack:
    return LandmarkTrack(time_s=np.zeros(0), xy=np.zeros((0, 33, 2)), visibility=np.zeros((0, 33)))


def _stream(
    path: Path,
    info: VideoInfo,
    estimator: PoseEstimator,
    counter: _CountInBackground | None,
    roll: RollSampler,
    report: DecodeReport,
    progress: Progress,
    share: float,
) -> _Collected:
    collected = _Collected()
    size = model_size(info)
    display = (info.width, info.height)
    scale = np.array([size[0] / info.width, size[1] / info.height])
    total = max(info.frame_count, 1)
    frames = iter_frames(path, info=info, size=size, report=report)
    for frame in read_ahead(frames):
        pose = estimator.estimate(frame, display)
        collected.time_s.append(frame.time_s)
        collected.xy.append(pose.xy)
        collected.visibility.append(pose.visibility)
        if pose.world is None and pose.detected:
            collected.has_world = False
        turned = np.nan
        if pose.world is not None:
            turned = float(turned_from_camera(pose.world[None])[0])
        collected.world.append(pose.world if pose.world is not None else _NO_WORLD)
        collected.turned_deg.append(turned)
        in_frame = pose.xy * scale if pose.detected else None
        if counter is not None:
            counter.visit(frame, in_frame, size)
        roll.visit(frame, in_frame)
        if frame.index % 5 == 0:
            progress(min(share, share * (frame.index + 1) / total))
    return collected
