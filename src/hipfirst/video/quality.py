"""Can the angles of this video be trusted? One check per concern, each with its reason.

Pure functions (no I/O). A failed check does not hide any value: the summary
still shows every number, marked doubtful with the reason. ``people`` only
warns (the performer is followed and the other person's frames excluded);
every other failed check makes the whole video's quality doubtful.

The camera view is judged from the pose model's 3D landmarks: the angle by
which the hip line and the shoulder line are turned out of the image plane
(0° = facing the camera or facing away, 90° = side-on). Without 3D landmarks
it falls back to the shoulder width relative to the torso height.
"""

from __future__ import annotations

import numpy as np

from hipfirst.knowledge.vocabulary import VideoTask
from hipfirst.video.landmarks import LOWER_BODY, Landmark
from hipfirst.video.settings import QualitySettings
from hipfirst.video.types import (
    BoolArray,
    FloatArray,
    QualityCheck,
    QualityReport,
    RepEvent,
    VideoInfo,
)

WARN_ONLY = frozenset({"people"})


def turned_from_camera(world: FloatArray) -> FloatArray:
    """Per frame, degrees by which hips and shoulders face away from the camera (0–90).

    ``world`` is ``(n, 33, 3)`` metric landmarks; the mean of the hip-line and
    shoulder-line angles between their x–z direction and the image x axis.
    """
    angles = []
    for left, right in (
        (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
        (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    ):
        line = world[:, left] - world[:, right]
        angles.append(np.degrees(np.arctan2(np.abs(line[:, 2]), np.abs(line[:, 0]))))
    return np.asarray(np.mean(angles, axis=0))


def width_ratio(xy: FloatArray) -> FloatArray:
    """Shoulder width / torso height per frame (about 0.7 front-on, near 0 side-on)."""
    shoulders = xy[:, Landmark.LEFT_SHOULDER] - xy[:, Landmark.RIGHT_SHOULDER]
    mid_shoulder = (xy[:, Landmark.LEFT_SHOULDER] + xy[:, Landmark.RIGHT_SHOULDER]) / 2
    mid_hip = (xy[:, Landmark.LEFT_HIP] + xy[:, Landmark.RIGHT_HIP]) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(
            np.linalg.norm(shoulders, axis=1) / np.linalg.norm(mid_shoulder - mid_hip, axis=1)
        )


def view_label(turned_deg: float, limit_deg: float) -> str:
    """``front-on``, ``oblique`` or ``side-on`` for a turn angle."""
    if turned_deg <= limit_deg:
        return "front-on"
    return "oblique" if turned_deg < 65.0 else "side-on"


def _median(values: FloatArray) -> float | None:
    finite = values[np.isfinite(values)]
    return float(np.median(finite)) if finite.size else None


def assess(
    *,
    info: VideoInfo,
    task: VideoTask,
    xy: FloatArray,
    visibility: FloatArray,
    selected: BoolArray,
    turned_deg: FloatArray | None,
    reps: tuple[RepEvent, ...],
    people_seen: int,
    decode_error: str,
    limits: QualitySettings,
) -> QualityReport:
    """All quality checks for one analysed video (arrays cover every frame)."""
    checks: list[QualityCheck] = []
    n = max(xy.shape[0], 1)

    checks.append(
        QualityCheck(
            "decoding",
            "complete" if not decode_error else "incomplete",
            not decode_error,
            f"the file looks truncated or corrupt: {decode_error}" if decode_error else "",
        )
    )

    if info.is_image:
        checks.append(QualityCheck("frame_rate", None, True, "a still image: no timing"))
    elif info.fps < limits.min_fps:
        checks.append(
            QualityCheck(
                "frame_rate",
                round(info.fps, 2),
                False,
                f"{info.fps:.1f} frames/s is below {limits.min_fps:g}; fast movements are missed",
            )
        )
    elif info.fps > limits.max_fps_for_realtime:
        checks.append(
            QualityCheck(
                "frame_rate",
                round(info.fps, 2),
                False,
                f"{info.fps:.0f} frames/s (slow motion?): if the clip was re-timed for playback, "
                "event times and cadence are stretched; angles are unaffected",
            )
        )
    else:
        checks.append(QualityCheck("frame_rate", round(info.fps, 2), True))

    fraction = float(np.sum(selected)) / n
    checks.append(
        QualityCheck(
            "tracking_fraction",
            round(fraction, 3),
            fraction >= limits.min_tracking_fraction,
            ""
            if fraction >= limits.min_tracking_fraction
            else f"the person was tracked in {fraction:.0%} of frames "
            f"(at least {limits.min_tracking_fraction:.0%} needed)",
        )
    )

    lower = [int(mark) for mark in LOWER_BODY]
    confidence = (
        float(np.nanmean(visibility[selected][:, lower])) if selected.any() else float("nan")
    )
    ok_confidence = bool(np.isfinite(confidence) and confidence >= limits.min_mean_visibility)
    checks.append(
        QualityCheck(
            "mean_confidence",
            round(confidence, 3) if np.isfinite(confidence) else None,
            ok_confidence,
            ""
            if ok_confidence
            else f"mean landmark confidence {confidence:.2f} is below "
            f"{limits.min_mean_visibility:g} (poor light, clothing or occlusion)",
        )
    )

    margin_x = info.width * limits.edge_margin_fraction
    margin_y = info.height * limits.edge_margin_fraction
    points = xy[:, lower]
    with np.errstate(invalid="ignore"):
        inside = (
            (points[..., 0] >= margin_x)
            & (points[..., 0] <= info.width - margin_x)
            & (points[..., 1] >= margin_y)
            & (points[..., 1] <= info.height - margin_y)
            & (visibility[:, lower] >= 0.5)
        )
    tracked_frames = int(np.sum(selected))
    out = int(np.sum(selected & ~np.all(inside, axis=1)))
    out_fraction = out / tracked_frames if tracked_frames else 1.0
    checks.append(
        QualityCheck(
            "fully_visible",
            round(1.0 - out_fraction, 3),
            out_fraction <= limits.max_out_of_frame_fraction,
            ""
            if out_fraction <= limits.max_out_of_frame_fraction
            else f"shoulders, hips, knees or ankles were outside the picture or hidden in "
            f"{out_fraction:.0%} of tracked frames; film the whole body",
        )
    )

    checks.extend(_view_checks(xy, selected, turned_deg, limits))

    needed = limits.min_valid_reps if task in _COUNTED else 1
    valid_reps = sum(1 for rep in reps if rep.valid)
    noun = _NOUN[task]
    checks.append(
        QualityCheck(
            "valid_reps",
            valid_reps,
            valid_reps >= needed,
            ""
            if valid_reps >= needed
            else f"{valid_reps} valid {noun} found, at least {needed} needed "
            f"for task {task.value!r}",
        )
    )

    checks.append(
        QualityCheck(
            "people",
            people_seen,
            people_seen <= 1,
            ""
            if people_seen <= 1
            else f"{people_seen} people were seen; the analysis follows the one performing "
            "the task and leaves out frames showing anyone else",
        )
    )
    if people_seen == 0:
        checks[-1] = QualityCheck("people", 0, False, "no person was found in the video")

    failed = [check for check in checks if not check.valid]
    valid = not any(check.name not in WARN_ONLY for check in failed)
    warnings = tuple(dict.fromkeys(check.reason for check in failed if check.reason))
    return QualityReport(valid, tuple(checks), warnings)


_COUNTED = frozenset({VideoTask.SINGLE_LEG_SQUAT, VideoTask.STEP_DOWN, VideoTask.RUNNING})
_NOUN = {
    VideoTask.SINGLE_LEG_SQUAT: "reps",
    VideoTask.STEP_DOWN: "reps",
    VideoTask.LANDING: "landings",
    VideoTask.RUNNING: "stance phases",
    VideoTask.SINGLE_LEG_STANCE: "single-leg holds",
}


def _view_checks(
    xy: FloatArray,
    selected: BoolArray,
    turned_deg: FloatArray | None,
    limits: QualitySettings,
) -> list[QualityCheck]:
    ratio = _median(width_ratio(xy[selected])) if selected.any() else None
    turned = None
    if turned_deg is not None and selected.any():
        turned = _median(turned_deg[selected])
    if turned is not None:
        label = view_label(turned, limits.max_frontal_yaw_deg)
        reason = (
            ""
            if label == "front-on"
            else f"the body is turned about {turned:.0f}° from the camera ({label} view, at most "
            f"{limits.max_frontal_yaw_deg:g}° for front-on); frontal-plane angles are distorted"
        )
    elif ratio is not None:
        label = "front-on" if ratio >= limits.min_frontal_width_ratio else "oblique"
        reason = (
            ""
            if label == "front-on"
            else f"shoulder width is {ratio:.2f} of torso height (at least "
            f"{limits.min_frontal_width_ratio:g} front-on); frontal-plane angles are distorted"
        )
    else:
        label, reason = "unknown", "no tracked frames to judge the camera view"
    return [
        QualityCheck("view", label, label == "front-on", reason),
        QualityCheck(
            "turned_from_camera_deg",
            None if turned is None else round(turned, 1),
            label == "front-on",
            reason,
        ),
        QualityCheck(
            "shoulder_width_ratio",
            None if ratio is None else round(ratio, 3),
            label == "front-on",
            reason,
        ),
    ]
