"""Analyse one video and write its outputs: the use case behind ``hipfirst analyze``.

:func:`analyze_video` checks the options, probes the file, then runs the pose
loop: frames are decoded ahead in a background thread
(:mod:`~hipfirst.video_io.read_ahead`) and fed to the MediaPipe model wrapped
in the subject follower (:class:`~hipfirst.video.follow.SubjectFollower`), while
a people counter (:class:`~hipfirst.video.person.PeopleCounter`) looks for
anyone else every few seconds. Nothing but the landmarks is kept, so memory
does not grow with the number of frames beyond a few numbers per frame. The
pure stages (:func:`hipfirst.video.analysis.analyze_landmarks`) then run on the
landmark arrays with the knowledge base and the video settings, and the
writers (:func:`hipfirst.video_io.writers.write_outputs`) put every file into
place at once.
"""

from __future__ import annotations

import contextlib
import importlib
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np

from hipfirst.errors import AnalysisError, FieldError, InputValidationError
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.knowledge.vocabulary import SEXES, SIDE_CHOICES, Sex, SideChoice, VideoTask
from hipfirst.video.analysis import analyze_landmarks
from hipfirst.video.follow import SubjectFollower
from hipfirst.video.landmarks import N_LANDMARKS
from hipfirst.video.person import PeopleCounter
from hipfirst.video.quality import turned_from_camera
from hipfirst.video.settings import TrackingSettings
from hipfirst.video.types import (
    FloatArray,
    LandmarkTrack,
    PoseEstimator,
    Progress,
    VideoInfo,
    VideoSummary,
)
from hipfirst.video_io.decode import DecodeReport, final_info, iter_frames, model_size, probe
from hipfirst.video_io.pose import MediaPipePose, model_versions
from hipfirst.video_io.read_ahead import read_ahead
from hipfirst.video_io.settings import video_settings
from hipfirst.video_io.writers import check_output_folder, write_outputs

POSE_SHARE = 0.75  # progress fraction given to decoding + pose when a video is rendered


def parse_task(value: object) -> VideoTask:
    """A :class:`VideoTask` from its CLI spelling, or a field error naming the allowed values."""
    if isinstance(value, VideoTask):
        return value
    try:
        return VideoTask(str(value))
    except ValueError:
        allowed = ", ".join(task.value for task in VideoTask)
        raise InputValidationError(
            "analyze", [FieldError("task", f"unknown task; allowed: {allowed}", value)]
        ) from None


def _check_options(side: object, sex: object) -> None:
    errors = []
    if side not in SIDE_CHOICES:
        errors.append(FieldError("side", "allowed: " + ", ".join(SIDE_CHOICES), side))
    if sex is not None and sex not in SEXES:
        errors.append(FieldError("sex", "allowed: " + ", ".join(SEXES) + " (or leave out)", sex))
    if errors:
        raise InputValidationError("analyze", errors)


class _Collected:
    """Per-frame landmark arrays gathered while streaming (a few numbers per frame)."""

    def __init__(self) -> None:
        self.time_s: list[float] = []
        self.xy: list[FloatArray] = []
        self.visibility: list[FloatArray] = []
        self.turned_deg: list[float] = []  # from the 3D landmarks, reduced at once to one number
        self.world: list[FloatArray] = []  # the 3D landmarks (99 numbers a frame), for facing cues
        self.has_world = True

    def track(self) -> LandmarkTrack:
        """The landmarks as the pure stages take them."""
        return LandmarkTrack(
            time_s=np.asarray(self.time_s, dtype=np.float64),
            xy=np.stack(self.xy),
            visibility=np.stack(self.visibility),
            turned_deg=np.asarray(self.turned_deg) if self.has_world else None,
            world=np.stack(self.world) if self.has_world and self.world else None,
        )


def _run_pose(
    path: Path,
    info: VideoInfo,
    estimator: PoseEstimator,
    counter: PeopleCounter | None,
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
        world = np.full((N_LANDMARKS, 3), np.nan)
        if pose.world is not None:
            turned = float(turned_from_camera(pose.world[None])[0])
            world = pose.world
        collected.turned_deg.append(turned)
        collected.world.append(world)
        if counter is not None:
            counter.visit(frame, pose.xy * scale if pose.detected else None, size)
        if frame.index % 5 == 0:
            progress(min(share, share * (frame.index + 1) / total))
    return collected


def _import_in_background(module: str) -> None:
    """Start importing ``module`` in a thread, so its import time overlaps the pose loop.

    The plotting side imports Matplotlib (~0.5 s) that only the outputs need;
    the pose model leaves a core free while it runs. A later ``import`` of the
    same module waits for this one (Python's import lock); a failure here is
    left for that import to report.
    """

    def load() -> None:
        with contextlib.suppress(ImportError):
            importlib.import_module(module)

    threading.Thread(target=load, name="hipfirst-preload", daemon=True).start()


def _following_model(settings: TrackingSettings) -> SubjectFollower:
    """The tracking model, wrapped so that a drift onto someone else is undone (follow.py)."""
    return SubjectFollower(MediaPipePose(), MediaPipePose, settings)


def analyze_video(
    path: Path,
    *,
    task: VideoTask | str,
    side: SideChoice = "auto",
    out_dir: Path | None = None,
    make_video: bool = True,
    progress: Progress | None = None,
    sex: Sex | None = None,
    estimator: PoseEstimator | None = None,
    display_name: str | None = None,
) -> VideoSummary:
    """Analyse one video (or still image) of ``task``; write outputs to ``out_dir`` if given.

    ``progress`` receives the fraction done (0..1). ``sex`` selects the
    sex-specific landing thresholds (and the women-only squat flag).
    ``estimator`` replaces the MediaPipe model (tests); the people count by
    masked re-detection runs only with the real model. ``display_name``: the
    file name to show in the outputs (figure titles, ``summary.json``) when
    ``path`` has a generated name, e.g. the name a web upload came with.
    Raises :class:`~hipfirst.errors.InputError` for unusable input.
    """
    chosen = parse_task(task)
    _check_options(side, sex)
    path = Path(path)
    if out_dir is not None:
        check_output_folder(Path(out_dir).absolute())
    report_progress = progress or (lambda _fraction: None)
    info = probe(path)
    if display_name:
        info = replace(info, file_name=Path(display_name).name or info.file_name)
    share = POSE_SHARE if (out_dir is not None) else 0.98
    if out_dir is not None:
        _import_in_background("hipfirst.video_io.render")
    settings = video_settings()
    report = DecodeReport()
    own_model = estimator is None
    model: PoseEstimator = estimator or _following_model(settings.tracking)
    counter = None
    detector: PoseEstimator | None = None
    try:
        if own_model and not info.is_image:
            detector = MediaPipePose(static=True)
            counter = PeopleCounter(detector, settings.tracking.recount_every_s)
        collected = _run_pose(path, info, model, counter, report, report_progress, share)
    finally:
        if own_model:
            model.close()
        if detector is not None:
            detector.close()
    expected = info.frame_count
    if not report.error and not info.is_image and report.frames < 0.9 * expected:
        report.error = f"only {report.frames} of the {expected} frames in the header could be read"
    info = final_info(info, report)
    if not collected.xy:
        raise AnalysisError(f"no frames could be read from {path.name!r}")
    result = analyze_landmarks(
        info,
        chosen,
        collected.track(),
        kb=knowledge_base(),
        settings=settings,
        software=model_versions(),
        side=side,
        sex=sex,
        people_counted=(1 + counter.others_seen) if counter is not None else 0,
        decode_error=report.error,
    )
    if out_dir is not None:
        write_outputs(
            result, Path(out_dir), make_video=make_video, progress=report_progress, start=share
        )
    report_progress(1.0)
    return VideoSummary(result.summary, result, None if out_dir is None else Path(out_dir))
