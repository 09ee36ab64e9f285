"""Save a live mirror take to the patient's record as a live analysis (atomic).

The take's landmarks, as the browser sent them, go through the whole-video stages
(:func:`hipfirst.video.analysis.analyze_landmarks`: the same ones an uploaded video's
landmarks go through), so the saved ``summary.json`` has the same form as an upload's and
the comparison page can set one against the other. The outputs are the landmark-only ones:
``summary.json``, ``frames.csv`` (per-frame landmarks and angles) and ``landmarks.trc``;
no video or picture exists.

Atomic: the files are written to a staging folder, and the ``VideoAnalysis`` row
(``source = live``) is committed only once they are in place; any failure removes the
staging folder and rolls the row back, and the take stays in memory so the page can try
the save again (nothing of it is lost).
"""

from __future__ import annotations

import secrets
import shutil
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from hipfirst.application.live_takes import LiveTake
from hipfirst.errors import AnalysisError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.settings import Settings
from hipfirst.storage.files import analysis_dir
from hipfirst.storage.models import JobStatus, Patient, User, VideoAnalysis, utcnow
from hipfirst.video.analysis import analyze_landmarks
from hipfirst.video.types import AnalysisResult, VideoInfo
from hipfirst.video_io.output_folder import open_staging, output_error
from hipfirst.video_io.settings import video_settings
from hipfirst.video_io.writers import write_frames, write_landmarks, write_summary

LIVE_SOURCE = "live"
LIVE_FILE_NAME = "live mirror take"
BROWSER_RUNTIME = "@mediapipe/pose 0.5.1675469404"
"""The npm package the page runs (pinned in ``requirements/npm/package-lock.json``)."""
BROWSER_MODELS = {"lite": 0, "full": 1}
"""The landmark models the page may choose, with MediaPipe's model complexity."""


def take_info(take: LiveTake) -> VideoInfo:
    """The take described as a video: the browser's image size, its real frame rate."""
    track = take.session.track()
    width, height = take.session.image_size()
    n = int(track.time_s.size)
    duration = float(track.time_s[-1] - track.time_s[0]) if n > 1 else 0.0
    fps = (n - 1) / duration if duration > 0 else 0.0
    steps = np.diff(track.time_s)
    variable = bool(steps.size > 2 and np.std(steps) > 0.1 * np.mean(steps))
    return VideoInfo(
        path=Path(LIVE_FILE_NAME),
        file_name=LIVE_FILE_NAME,
        width=width,
        height=height,
        rotation=0,
        fps=fps,
        frame_count=n,
        duration_s=duration,
        codec="none (landmarks from the browser, no video)",
        variable_frame_rate=variable,
    )


def software(model: str) -> dict[str, Any]:
    """``summary.json`` ``software`` of a live take: the browser's model, this server's code."""
    versions: dict[str, Any] = {}
    for package in ("hipfirst", "numpy", "scipy"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    versions["pose_model"] = {
        "name": f"BlazePose GHUM 3D {model} (in the browser, {BROWSER_RUNTIME})",
        "model": model,
        "complexity": BROWSER_MODELS.get(model),
        "files": [f"pose_landmark_{model}.tflite"],
    }
    return versions


def analyse_take(take: LiveTake, kb: KnowledgeBase) -> AnalysisResult:
    """The whole-take analysis of the landmarks received (the same stages as an upload's)."""
    session = take.session
    if session.frames < 2:
        raise AnalysisError(
            f"this take has {session.frames} frame(s); at least 2 are needed to save it — "
            "press Start, move, then Stop"
        )
    return analyze_landmarks(
        take_info(take),
        session.task,
        session.track(),
        kb=kb,
        settings=video_settings(),
        software=software(take.model),
        side=session.side,
    )


def save_take(
    db: Session,
    settings: Settings,
    patient: Patient,
    user: User,
    take: LiveTake,
    kb: KnowledgeBase,
) -> VideoAnalysis:
    """Store the take in ``patient``'s record; returns the committed live analysis."""
    result = analyse_take(take, kb)
    session = take.session
    analysis = VideoAnalysis(
        patient_id=patient.id,
        upload_name=f"live-{secrets.token_hex(12)}",
        original_name=LIVE_FILE_NAME,
        task=session.task.value,
        side=session.side,
        status=JobStatus.done,
        progress=1.0,
        pose_model=None,
        source=LIVE_SOURCE,
        uploaded_by_id=user.id,
        started_at=utcnow(),
    )
    db.add(analysis)
    out_dir: Path | None = None
    try:
        db.flush()  # the id names the folder
        out_dir = analysis_dir(settings.data_dir, patient.id, analysis.id)
        staging = open_staging(out_dir)
        try:
            write_frames(result, staging.folder)
            write_landmarks(result, staging.folder)
            write_summary(result.summary, staging.folder)  # last: marks a complete folder
        except OSError as error:
            staging.discard()
            raise output_error(error, out_dir) from None
        except BaseException:
            staging.discard()
            raise
        staging.commit()
        analysis.summary_json = result.summary
        analysis.output_dir = out_dir.relative_to(settings.data_dir).as_posix()
        analysis.finished_at = utcnow()
        db.commit()
    except BaseException:
        db.rollback()
        if out_dir is not None:  # the folder of a row never committed names nothing
            shutil.rmtree(out_dir, ignore_errors=True)
        raise
    take.saved_analysis_id = analysis.id
    return analysis
