"""Analyse one video and write its outputs: the use case behind ``hipfirst analyze``.

:func:`analyze_video` checks the options and the output location (so a bad
``--out`` is found before the pose model runs), probes the file, prepares the
staging folder, then runs the pose loop (:func:`~hipfirst.application.pose_loop.track_video`:
decoding ahead, the model with its subject follower, the people counter and
the camera-roll estimate beside it). The pure stages
(:func:`hipfirst.video.analysis.analyze_landmarks`) then run on the landmark
arrays with the knowledge base and the video settings, and the writers
(:func:`hipfirst.video_io.writers.write_outputs`) put every file into place at once.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from hipfirst.application.pose_loop import track_video
from hipfirst.errors import AnalysisError, FieldError, InputValidationError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.knowledge.vocabulary import (
    DEFAULT_POSE_MODEL,
    SEXES,
    SIDE_CHOICES,
    Sex,
    SideChoice,
    VideoTask,
)
from hipfirst.video.types import (
    AnalysisResult,
    PoseEstimator,
    Progress,
    VideoInfo,
    VideoSummary,
)
from hipfirst.video_io.decode import final_info, probe
from hipfirst.video_io.output_folder import (
    Staging,
    check_output_folder,
    needed_bytes,
    open_staging,
    resolve_out,
)
from hipfirst.video_io.pose import check_model, model_versions
from hipfirst.video_io.settings import video_settings
from hipfirst.video_io.writers import write_outputs

_Loaded = TypeVar("_Loaded")
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


def _check_options(side: object, sex: object, person: object) -> None:
    errors = []
    if side not in SIDE_CHOICES:
        errors.append(FieldError("side", "allowed: " + ", ".join(SIDE_CHOICES), side))
    if sex is not None and sex not in SEXES:
        errors.append(FieldError("sex", "allowed: " + ", ".join(SEXES) + " (or leave out)", sex))
    if person is not None and (
        isinstance(person, bool) or not isinstance(person, int) or person < 0
    ):
        errors.append(
            FieldError("person", "a candidate's number from summary.json people (0, 1, …)", person)
        )
    if errors:
        raise InputValidationError("analyze", errors)


def _in_background(load: Callable[[], _Loaded]) -> Future[_Loaded]:
    """Run ``load`` in a thread now; its result (or error) when asked for, later."""
    done: Future[_Loaded] = Future()

    def run() -> None:
        try:
            done.set_result(load())
        except BaseException as error:
            done.set_exception(error)

    threading.Thread(target=run, name="hipfirst-preload", daemon=True).start()
    return done


def _pure_stages() -> Callable[..., AnalysisResult]:
    """:func:`hipfirst.video.analysis.analyze_landmarks`, imported when first needed.

    Its import brings SciPy (about 0.9 s), which :func:`analyze_video` starts in a
    thread so that it overlaps the pose loop instead of delaying the first frame.
    """
    from hipfirst.video.analysis import analyze_landmarks

    return analyze_landmarks


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
    model: str | None = None,
    person: int | None = None,
) -> VideoSummary:
    """Analyse one video (or still image) of ``task``; write outputs to ``out_dir`` if given.

    ``progress`` receives the fraction done (0..1). ``sex`` selects the
    sex-specific landing thresholds (and the women-only squat flag).
    ``estimator`` replaces the MediaPipe model (tests); the people count by
    masked re-detection runs only with the real model. ``display_name``: the
    file name to show in the outputs (figure titles, ``summary.json``) when
    ``path`` has a generated name, e.g. the name a web upload came with.
    ``model``: the pose model, ``full`` or ``heavy`` (None: the default,
    :data:`~hipfirst.video_io.pose.DEFAULT_POSE_MODEL`). ``person``: the subject
    chosen among the candidates an earlier run listed (``summary.json`` ``people``);
    None lets the analysis choose. ``out_dir`` may be a symbolic link to a folder
    (followed: ``VideoSummary.out_dir`` is the folder it points to).
    Raises :class:`~hipfirst.errors.InputError` for unusable input, before the
    model runs; :class:`~hipfirst.errors.AnalysisError` (``permanent=False``)
    for a full disk.
    """
    chosen = parse_task(task)
    _check_options(side, sex, person)
    _import_in_background("hipfirst.video.analysis")  # SciPy (~0.9 s): read while the model runs
    if person is not None and "person" not in inspect.signature(_pure_stages()).parameters:
        # the subject scoring of the pure stages (issue 9) takes the choice; until it is in
        # this build, say so instead of failing inside the analysis
        raise InputValidationError(
            "analyze",
            [FieldError("person", "choosing the subject is not in this build yet", person)],
        )
    pose_model = check_model(model or DEFAULT_POSE_MODEL)
    path = Path(path)
    if out_dir is not None:
        check_output_folder(resolve_out(Path(out_dir))[0])  # no side effects yet
    report_progress = progress or (lambda _fraction: None)
    info = probe(path)
    if display_name:
        info = replace(info, file_name=Path(display_name).name or info.file_name)
    staging: Staging | None = None
    kb = _in_background(knowledge_base)  # read while the model runs
    try:  # the staging folder goes again with any failure or interrupt
        if out_dir is not None:
            needed = needed_bytes(info.frame_count, info.duration_s, make_video=make_video)
            staging = open_staging(Path(out_dir), needed=needed)
            _import_in_background("hipfirst.video_io.render")
        return _analyse(
            info,
            chosen,
            side=side,
            sex=sex,
            estimator=estimator,
            pose_model=pose_model,
            person=person,
            staging=staging,
            make_video=make_video,
            progress=report_progress,
            kb=kb,
        )
    except BaseException:
        if staging is not None:
            staging.discard()
        raise


def _analyse(
    info: VideoInfo,
    task: VideoTask,
    *,
    side: SideChoice,
    sex: Sex | None,
    estimator: PoseEstimator | None,
    pose_model: str,
    person: int | None,
    staging: Staging | None,
    make_video: bool,
    progress: Progress,
    kb: Future[KnowledgeBase],
) -> VideoSummary:
    settings = video_settings()
    share = POSE_SHARE if staging is not None else 0.98
    tracked = track_video(
        info.path,
        info,
        settings=settings.tracking,
        estimator=estimator,
        model=pose_model,
        progress=progress,
        share=share,
    )
    report = tracked.report
    expected = info.frame_count
    if not report.error and not info.is_image and report.frames < 0.9 * expected:
        report.error = f"only {report.frames} of the {expected} frames in the header could be read"
    info = final_info(info, report)
    if tracked.track.time_s.size == 0:
        raise AnalysisError(f"no frames could be read from {info.path.name!r}")
    choice: dict[str, Any] = {} if person is None else {"person": person}
    result = _pure_stages()(
        info,
        task,
        tracked.track,
        kb=kb.result(),
        settings=settings,
        software=model_versions(pose_model),
        side=side,
        sex=sex,
        people_counted=tracked.people_counted,
        decode_error=report.error,
        **choice,
    )
    out = None
    if staging is not None:
        out = write_outputs(
            result,
            staging.out_dir,
            make_video=make_video,
            progress=progress,
            start=share,
            staging=staging,
        )
    progress(1.0)
    return VideoSummary(result.summary, result, out)
