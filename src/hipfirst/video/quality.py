"""Can the angles of this video be trusted? One check per concern, each with its reason.

Pure functions (no I/O): each check is a small function of the
:class:`QualityInputs` it needs and of the ``quality`` section of
``settings.yaml`` (:class:`~hipfirst.video.settings.QualitySettings`), which
holds every number they compare with. A failed check does not hide any value:
the summary still shows every number, marked doubtful with the reason.
``people`` only warns (the performer is followed and the other person's
frames excluded); every other failed check makes the whole video's quality
doubtful.

The camera view is judged from the pose model's 3D landmarks: the angle by
which the hip line and the shoulder line are turned out of the image plane
(0° = facing the camera or facing away, 90° = side-on). Without 3D landmarks
it falls back to the shoulder width relative to the torso height.
"""

from __future__ import annotations

from dataclasses import dataclass

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

WARN_ONLY = frozenset({"people", "subject", "facing"})
"""Checks whose failure is a warning only: the video's quality stays valid (unless nobody
was found at all: see :func:`verdict`)."""
DOUBT_EVERY_METRIC = frozenset(
    {"tracking_fraction", "fully_visible", "decoding", "task_fit", "left_right_repaired"}
)
"""Checks whose failure makes every metric of the summary doubtful (with its reason)."""
DOUBT_FRONTAL = frozenset({"camera_roll_deg", "upright"})
"""Checks whose failure makes the frontal-plane metrics doubtful (with its reason)."""

COUNTED_TASKS = frozenset({VideoTask.SINGLE_LEG_SQUAT, VideoTask.STEP_DOWN, VideoTask.RUNNING})
"""Tasks that need ``min_valid_reps`` valid events; the others need one."""
EVENT_NOUNS = {
    VideoTask.SINGLE_LEG_SQUAT: "reps",
    VideoTask.STEP_DOWN: "reps",
    VideoTask.LANDING: "landings",
    VideoTask.RUNNING: "stance phases",
    VideoTask.SINGLE_LEG_STANCE: "single-leg holds",
}
"""What a task's events are called in the messages."""

_LOWER = [int(mark) for mark in LOWER_BODY]
NOBODY = "no person was found in the video"


@dataclass(frozen=True)
class QualityInputs:
    """What the checks look at; every array has one row per frame of the video.

    ``xy`` ``(n, 33, 2)``: the model's unfiltered landmarks of the selected
    person in pixels (NaN elsewhere); ``visibility`` ``(n, 33)`` in 0..1;
    ``selected``: the frames showing the performer; ``turned_deg``: per frame,
    degrees by which the body is turned from the camera (:func:`turned_from_camera`),
    None without 3D landmarks; ``people_seen``: people found in the video;
    ``decode_error``: why decoding stopped early ("" when it did not); ``extra``: the
    checks other stages made (labels, camera roll, posture, task fit, subject), listed
    before ``people``.
    """

    info: VideoInfo
    task: VideoTask
    xy: FloatArray
    visibility: FloatArray
    selected: BoolArray
    turned_deg: FloatArray | None
    reps: tuple[RepEvent, ...]
    people_seen: int
    decode_error: str
    extra: tuple[QualityCheck, ...] = ()


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


def view_label(turned_deg: float, settings: QualitySettings) -> str:
    """``front-on``, ``oblique`` or ``side-on`` for a turn angle in degrees."""
    if turned_deg <= settings.max_frontal_yaw_deg:
        return "front-on"
    return "oblique" if turned_deg < settings.min_side_on_yaw_deg else "side-on"


def _median(values: FloatArray) -> float | None:
    finite = values[np.isfinite(values)]
    return float(np.median(finite)) if finite.size else None


def decoding_check(decode_error: str) -> QualityCheck:
    """Was every frame of the file read?"""
    return QualityCheck(
        "decoding",
        "complete" if not decode_error else "incomplete",
        not decode_error,
        f"the file looks truncated or corrupt: {decode_error}" if decode_error else "",
    )


def frame_rate_check(info: VideoInfo, settings: QualitySettings) -> QualityCheck:
    """Fast enough to see the movement, and not slow motion (re-timed clips stretch times)."""
    if info.is_image:
        return QualityCheck("frame_rate", None, True, "a still image: no timing")
    fps = round(info.fps, 2)
    if info.fps < settings.min_fps:
        return QualityCheck(
            "frame_rate",
            fps,
            False,
            f"{info.fps:.1f} frames/s is below {settings.min_fps:g}; fast movements are missed",
        )
    if info.fps > settings.max_fps_for_realtime:
        return QualityCheck(
            "frame_rate",
            fps,
            False,
            f"{info.fps:.0f} frames/s (slow motion?): if the clip was re-timed for playback, "
            "event times and cadence are stretched; angles are unaffected",
        )
    return QualityCheck("frame_rate", fps, True)


def tracking_check(selected: BoolArray, settings: QualitySettings) -> QualityCheck:
    """In what fraction of all frames the performer was tracked."""
    fraction = float(np.sum(selected)) / max(selected.shape[0], 1)
    enough = fraction >= settings.min_tracking_fraction
    return QualityCheck(
        "tracking_fraction",
        round(fraction, 3),
        enough,
        ""
        if enough
        else f"the person was tracked in {fraction:.0%} of frames "
        f"(at least {settings.min_tracking_fraction:.0%} needed)",
    )


def confidence_check(
    visibility: FloatArray, selected: BoolArray, settings: QualitySettings
) -> QualityCheck:
    """The model's mean confidence in the lower-body landmarks over the tracked frames."""
    if not selected.any():
        return QualityCheck("mean_confidence", None, False, NOBODY)
    confidence = float(np.nanmean(visibility[selected][:, _LOWER]))
    enough = bool(np.isfinite(confidence) and confidence >= settings.min_mean_visibility)
    return QualityCheck(
        "mean_confidence",
        round(confidence, 3) if np.isfinite(confidence) else None,
        enough,
        ""
        if enough
        else f"mean landmark confidence {confidence:.2f} is below "
        f"{settings.min_mean_visibility:g} (poor light, clothing or occlusion)",
    )


def in_picture_check(inputs: QualityInputs, settings: QualitySettings) -> QualityCheck:
    """How often the lower body was inside the picture (off the edges) and seen."""
    info = inputs.info
    margin_x = info.width * settings.edge_margin_fraction
    margin_y = info.height * settings.edge_margin_fraction
    points = inputs.xy[:, _LOWER]
    with np.errstate(invalid="ignore"):
        inside = (
            (points[..., 0] >= margin_x)
            & (points[..., 0] <= info.width - margin_x)
            & (points[..., 1] >= margin_y)
            & (points[..., 1] <= info.height - margin_y)
            & (inputs.visibility[:, _LOWER] >= settings.min_landmark_visibility)
        )
    selected = inputs.selected
    tracked_frames = int(np.sum(selected))
    out = int(np.sum(selected & ~np.all(inside, axis=1)))
    out_fraction = out / tracked_frames if tracked_frames else 1.0
    seen = out_fraction <= settings.max_out_of_frame_fraction
    return QualityCheck(
        "fully_visible",
        round(1.0 - out_fraction, 3),
        seen,
        ""
        if seen
        else f"shoulders, hips, knees or ankles were outside the picture or hidden in "
        f"{out_fraction:.0%} of tracked frames; film the whole body",
    )


def view_checks(
    xy: FloatArray,
    selected: BoolArray,
    turned_deg: FloatArray | None,
    settings: QualitySettings,
) -> list[QualityCheck]:
    """Is the camera front-on? The view, the body's turn and the shoulder width behind it."""
    ratio = _median(width_ratio(xy[selected])) if selected.any() else None
    turned = None
    if turned_deg is not None and selected.any():
        turned = _median(turned_deg[selected])
    if turned is not None:
        label = view_label(turned, settings)
        reason = (
            ""
            if label == "front-on"
            else f"the body is turned about {turned:.0f}° from the camera ({label} view, at most "
            f"{settings.max_frontal_yaw_deg:g}° for front-on); frontal-plane angles are distorted"
        )
    elif ratio is not None:
        label = "front-on" if ratio >= settings.min_frontal_width_ratio else "oblique"
        reason = (
            ""
            if label == "front-on"
            else f"shoulder width is {ratio:.2f} of torso height (at least "
            f"{settings.min_frontal_width_ratio:g} front-on); frontal-plane angles are distorted"
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


def reps_check(
    task: VideoTask, reps: tuple[RepEvent, ...], settings: QualitySettings
) -> QualityCheck:
    """Enough valid reps (stance phases, landings, holds) for a mean."""
    needed = settings.min_valid_reps if task in COUNTED_TASKS else 1
    valid_reps = sum(1 for rep in reps if rep.valid)
    return QualityCheck(
        "valid_reps",
        valid_reps,
        valid_reps >= needed,
        ""
        if valid_reps >= needed
        else f"{valid_reps} valid {EVENT_NOUNS[task]} found, at least {needed} needed "
        f"for task {task.value!r}",
    )


def people_check(people_seen: int) -> QualityCheck:
    """Nobody at all, one person, or others too (then a warning only, see :data:`WARN_ONLY`)."""
    if people_seen == 0:
        return QualityCheck("people", 0, False, NOBODY)
    return QualityCheck(
        "people",
        people_seen,
        people_seen <= 1,
        ""
        if people_seen <= 1
        else f"{people_seen} people were seen; the analysis follows the one performing "
        "the task and leaves out frames showing anyone else",
    )


def verdict(checks: list[QualityCheck]) -> QualityReport:
    """Valid unless a check other than a warning failed, or nobody was found; each reason
    listed once, "no person was found" first when it applies (nothing else then matters)."""
    failed = [check for check in checks if not check.valid]
    nobody = any(check.name == "people" and check.value == 0 for check in checks)
    valid = not nobody and not any(check.name not in WARN_ONLY for check in failed)
    reasons = [check.reason for check in failed if check.reason]
    if nobody:
        reasons = [NOBODY]
    warnings = tuple(dict.fromkeys(reasons))
    return QualityReport(valid, tuple(checks), warnings)


def assess(inputs: QualityInputs, settings: QualitySettings) -> QualityReport:
    """All quality checks for one analysed video, in the order ``summary.json`` lists them."""
    return verdict(
        [
            decoding_check(inputs.decode_error),
            frame_rate_check(inputs.info, settings),
            tracking_check(inputs.selected, settings),
            confidence_check(inputs.visibility, inputs.selected, settings),
            in_picture_check(inputs, settings),
            *view_checks(inputs.xy, inputs.selected, inputs.turned_deg, settings),
            reps_check(inputs.task, inputs.reps, settings),
            *inputs.extra,
            people_check(inputs.people_seen),
        ]
    )
