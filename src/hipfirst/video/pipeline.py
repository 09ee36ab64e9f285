"""Run the whole analysis of one video and write its outputs (the Python API).

:func:`analyze_video` decodes and runs the pose model frame by frame (nothing
but the landmarks is kept, so memory does not grow with the number of
frames beyond a few numbers per frame), then runs the pure stages on the
landmark arrays: person selection, filtering, angles, events, quality,
summary. Outputs go to a temporary sibling folder first and are moved into
place only when everything succeeded, so a failed run leaves no partial
results and an earlier run's results stay intact until then.
"""

from __future__ import annotations

import contextlib
import importlib
import shutil
import threading
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from hipfirst.errors import AnalysisError, FieldError, InputValidationError
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.knowledge.vocabulary import (
    OUTPUT_FILES,
    SEXES,
    SIDE_CHOICES,
    SUMMARY_SCHEMA,
    OutputFile,
    Sex,
    SideChoice,
    VideoTask,
)
from hipfirst.video import events as task_events
from hipfirst.video import kinematics, quality, summary
from hipfirst.video.follow import SubjectFollower
from hipfirst.video.person import PeopleCounter, people_tracked, select_person
from hipfirst.video.settings import VideoSettings
from hipfirst.video.signal import effective_cutoff, smooth_landmarks
from hipfirst.video.types import (
    AnalysisResult,
    FloatArray,
    PoseEstimator,
    TimeSeries,
    VideoInfo,
    VideoSummary,
)
from hipfirst.video_io.decode import DecodeReport, final_info, iter_frames, model_size, probe
from hipfirst.video_io.pose import MediaPipePose, model_versions
from hipfirst.video_io.read_ahead import read_ahead
from hipfirst.video_io.settings import video_settings
from hipfirst.video_io.writers import write_frames, write_summary

Progress = Callable[[float], None]
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
        errors.append(FieldError("side", "allowed: left, right, auto", side))
    if sex is not None and sex not in SEXES:
        errors.append(FieldError("sex", "allowed: female, male (or leave out)", sex))
    if errors:
        raise InputValidationError("analyze", errors)


class _Collected:
    """Per-frame landmark arrays gathered while streaming (a few numbers per frame)."""

    def __init__(self) -> None:
        self.time_s: list[float] = []
        self.xy: list[FloatArray] = []
        self.visibility: list[FloatArray] = []
        self.turned_deg: list[float] = []  # from the 3D landmarks, reduced at once to one number
        self.has_world = True


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
        if pose.world is not None:
            turned = float(quality.turned_from_camera(pose.world[None])[0])
        collected.turned_deg.append(turned)
        if counter is not None:
            counter.visit(frame, pose.xy * scale if pose.detected else None, size)
        if frame.index % 5 == 0:
            progress(min(share, share * (frame.index + 1) / total))
    return collected


def analyze_landmarks(
    info: VideoInfo,
    task: VideoTask,
    time_s: FloatArray,
    xy_raw: FloatArray,
    visibility: FloatArray,
    *,
    turned_deg: FloatArray | None = None,
    side: SideChoice = "auto",
    sex: Sex | None = None,
    people_counted: int = 0,
    decode_error: str = "",
    settings: VideoSettings | None = None,
) -> AnalysisResult:
    """Every stage after the pose model, on landmark arrays (no I/O, no model).

    ``turned_deg``: per frame, how far the body is turned from the camera
    (:func:`hipfirst.video.quality.turned_from_camera`), when 3D landmarks exist.
    """
    settings = settings or video_settings()
    kb = knowledge_base()
    n = time_s.shape[0]
    selection = select_person(xy_raw, time_s, (info.width, info.height), settings.tracking)
    selected = selection.selected
    people_seen = max(people_tracked(selection, time_s), people_counted)

    flt = settings.filter
    usable = selected[:, None] & (np.nan_to_num(visibility, nan=0.0) >= flt.min_visibility)
    if n >= 4:
        xy = smooth_landmarks(xy_raw, usable, time_s, flt)
    else:
        xy = np.where(usable[..., None], xy_raw, np.nan)

    found = task_events.detect(task, xy, time_s, selected, side, settings.events)
    baseline = kinematics.pelvis_baseline(xy, found.baseline)
    angles = kinematics.all_angles(xy, baseline)
    reps = summary.with_values(angles, found.reps)

    report = quality.assess(
        quality.QualityInputs(
            info=info,
            task=task,
            xy=np.where(selected[:, None, None], xy_raw, np.nan),
            visibility=visibility,
            selected=selected,
            turned_deg=turned_deg,
            reps=reps,
            people_seen=people_seen,
            decode_error=decode_error,
        ),
        settings.quality,
    )
    series = TimeSeries(
        time_s=time_s.copy(),
        data={
            "landmarks_px": xy,
            "landmarks_raw_px": xy_raw.copy(),
            "visibility": visibility.copy(),
            "person_tracked": selected.copy(),
            "person_identity": selection.identity.copy(),
            **angles,
        },
        valid=selected.copy(),
        events=found.events,
    )
    per_side = summary.per_side(reps, task, report, kb, sex, settings.quality.min_valid_reps)
    thresholds = {metric: per_side["left"][metric]["threshold"] for metric in per_side["left"]}
    fs = 1.0 / float(np.median(np.diff(time_s))) if n >= 2 else 0.0
    document: dict[str, Any] = {
        "schema": SUMMARY_SCHEMA,
        "task": task.value,
        "side_requested": side,
        "sex": sex,
        "stance_side": found.stance_side,
        "video": info.as_dict(),
        "quality": report.as_dict(),
        "per_side": per_side,
        "reps": [rep.as_dict() for rep in reps],
        "left_right_difference": summary.left_right_difference(per_side),
        "cadence_steps_per_min": None if found.cadence_spm is None else round(found.cadence_spm, 1),
        "pelvic_drop_reference": (
            f"level standing ({int(found.baseline.sum())} frames)"
            if baseline
            else "image horizontal (no level double-leg standing found)"
        ),
        "conventions": summary.SIGN_CONVENTIONS,
        "processing": {
            "settings_version": settings.version,
            "filter": "zero-lag Butterworth low-pass (sosfiltfilt)",
            "filter_order": flt.order,
            "cutoff_hz_requested": flt.cutoff_hz,
            "cutoff_hz_used": round(
                effective_cutoff(flt.cutoff_hz, fs, flt.order, flt.max_cutoff_fraction_of_nyquist),
                3,
            )
            if fs > 0
            else None,
            "max_gap_filled_s": flt.max_gap_s,
            "identity_jumps_at_frames": list(selection.jumps),
        },
        "software": model_versions(),
        "people_seen": people_seen,
        "tracking_fraction": round(selection.tracking_fraction, 4),
    }
    return AnalysisResult(
        info=info,
        task=task,
        series=series,
        reps=reps,
        quality=report,
        summary=document,
        thresholds=thresholds,
        stance_side=found.stance_side,
    )


def _prepare_target(out_dir: Path) -> None:
    """Refuse to replace a folder that holds anything but an earlier analysis."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputValidationError(
            "analyze", [FieldError("out", "must be a folder, not a file", str(out_dir))]
        )
    if out_dir.is_dir():
        foreign = sorted(
            entry.name for entry in out_dir.iterdir() if entry.name not in OUTPUT_FILES
        )
        if foreign:
            raise InputValidationError(
                "analyze",
                [
                    FieldError(
                        "out",
                        "folder holds other files ("
                        + ", ".join(foreign[:5])
                        + "); give a new or empty folder, or one from an earlier analysis",
                        str(out_dir),
                    )
                ],
            )


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` with ``staging`` (renames on one filesystem)."""
    if out_dir.exists():
        retired = out_dir.with_name(f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}")
        out_dir.rename(retired)
        try:
            staging.rename(out_dir)
        except OSError:
            retired.rename(out_dir)
            raise
        shutil.rmtree(retired, ignore_errors=True)
    else:
        staging.rename(out_dir)


def write_outputs(
    result: AnalysisResult,
    out_dir: Path,
    *,
    make_video: bool,
    progress: Progress,
    start: float,
) -> None:
    """All output files, written to a temporary sibling folder then moved into place."""
    from hipfirst.video.landmarks import LANDMARK_NAMES
    from hipfirst.video_io.render import render_outputs
    from hipfirst.video_io.trc import write_trc

    out_dir = out_dir.absolute()
    _prepare_target(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.with_name(f".{out_dir.name}.tmp-{uuid.uuid4().hex[:8]}")
    staging.mkdir()
    try:
        write_frames(result, staging)
        if len(result.series) >= 2 and np.all(np.diff(result.series.time_s) > 0):
            xy = result.landmarks_px
            write_trc(
                staging / OutputFile.LANDMARKS,
                result.series.time_s,
                {name: xy[:, index] for index, name in enumerate(LANDMARK_NAMES)},
            )
        render_outputs(
            result,
            result.info.path,
            staging,
            make_video=make_video,
            progress=lambda fraction: progress(start + (1.0 - start) * fraction),
        )
        write_summary(result.summary, staging)  # last: its presence marks a complete run
        _swap_into_place(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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


def _following_model() -> SubjectFollower:
    """The tracking model, wrapped so that a drift onto someone else is undone (follow.py)."""
    return SubjectFollower(MediaPipePose(), MediaPipePose, video_settings().tracking)


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
        _prepare_target(Path(out_dir).absolute())
    report_progress = progress or (lambda _fraction: None)
    info = probe(path)
    if display_name:
        info = replace(info, file_name=Path(display_name).name or info.file_name)
    share = POSE_SHARE if (out_dir is not None) else 0.98
    if out_dir is not None:
        _import_in_background("hipfirst.video_io.render")
    report = DecodeReport()
    own_model = estimator is None
    model: PoseEstimator = estimator or _following_model()
    counter = None
    detector: PoseEstimator | None = None
    try:
        if own_model and not info.is_image:
            detector = MediaPipePose(static=True)
            counter = PeopleCounter(detector, video_settings().tracking.recount_every_s)
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
    turned = np.asarray(collected.turned_deg) if collected.has_world else None
    result = analyze_landmarks(
        info,
        chosen,
        np.asarray(collected.time_s, dtype=np.float64),
        np.stack(collected.xy),
        np.stack(collected.visibility),
        turned_deg=turned,
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


__all__ = ["analyze_landmarks", "analyze_video", "parse_task"]
