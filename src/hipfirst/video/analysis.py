"""Every stage after the pose model, on the landmarks of one video (pure: no I/O, no model).

The stages run in this order:

1. the subject among the tracked people, and the people count
   (:mod:`~hipfirst.video.person`, :mod:`~hipfirst.video.subject`);
2. the left/right labels tracked and repaired (:mod:`~hipfirst.video.label_swaps`);
3. limbs that jump marked unseen (:mod:`~hipfirst.video.plausibility`);
4. filtering of the subject's landmarks (:mod:`~hipfirst.video.signal`);
5. the camera's roll taken out (from a front-on view only) and upright frames found
   (:mod:`~hipfirst.video.camera_level`, :mod:`~hipfirst.video.posture`);
6. foot contacts and task events (:mod:`~hipfirst.video.contacts`,
   :mod:`~hipfirst.video.events`), the level-standing pelvis baseline and every angle
   (:mod:`~hipfirst.video.kinematics`); knee flexion only from a side view;
7. per-rep values, quality checks (:mod:`~hipfirst.video.quality`, with the label,
   roll, posture and task-fit checks) and the ``summary.json`` document
   (:mod:`~hipfirst.video.summary`).

A frame is *valid* when it shows the subject, its labels were resolved and the person is
upright in it; only valid frames give values. The caller (the pose loop in
:mod:`hipfirst.application.video_analysis`, or a test) passes the knowledge base and the
video settings; nothing is loaded here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import SIDES, Sex, SideChoice, VideoTask
from hipfirst.video import events, kinematics, quality, summary
from hipfirst.video.camera_level import level, roll_check, standing_trunk_tilt
from hipfirst.video.label_swaps import LabelRepair, repair_labels
from hipfirst.video.person import people_tracked
from hipfirst.video.plausibility import implausible_landmarks
from hipfirst.video.posture import facing_check, upright_check, upright_frames
from hipfirst.video.settings import FilterSettings, VideoSettings
from hipfirst.video.signal import smooth_landmarks
from hipfirst.video.subject import choose_subject, subject_check
from hipfirst.video.task_fit import task_fit_check
from hipfirst.video.types import (
    AnalysisResult,
    BoolArray,
    FloatArray,
    LandmarkTrack,
    QualityCheck,
    TimeSeries,
    VideoInfo,
    angle_key,
)

ROLL_LIMIT = "camera_roll_frontal_limit"
"""Knowledge-base measure: past this camera roll the frontal-plane angles are doubtful."""


def _filtered(
    xy: FloatArray,
    visibility: FloatArray,
    time_s: FloatArray,
    usable_frames: BoolArray,
    settings: FilterSettings,
) -> FloatArray:
    """The subject's landmarks, filtered; other frames and unseen landmarks start missing.

    Fewer than 4 frames (a still image) are kept as they are, masked the same way.
    """
    visible = np.nan_to_num(visibility, nan=0.0) >= settings.min_visibility
    usable = usable_frames[:, None] & visible
    if time_s.shape[0] >= 4:
        return smooth_landmarks(xy, usable, time_s, settings)
    return np.where(usable[..., None], xy, np.nan)


def label_check(
    labels: LabelRepair, selected: BoolArray, max_unresolved_fraction: float
) -> QualityCheck:
    """``left_right_repaired``: frames whose mirrored labels were undone, and unresolved ones.

    Doubtful when more than ``max_unresolved_fraction`` of the tracked frames stay unresolved
    (settings ``labels``); those frames are invalid either way.
    """
    repaired = int((labels.repaired & selected).sum())
    unresolved = int((labels.unresolved & selected).sum())
    tracked = max(int(selected.sum()), 1)
    if unresolved == 0:
        return QualityCheck("left_right_repaired", repaired, True)
    too_many = unresolved > max_unresolved_fraction * tracked
    return QualityCheck(
        "left_right_repaired",
        repaired,
        not too_many,
        f"in {unresolved} frame(s) the pose model's left and right could not be told apart "
        "from the frames around them; they are left out"
        + (f" (more than {max_unresolved_fraction:.0%} of the tracked frames)" if too_many else ""),
    )


def analyze_landmarks(
    info: VideoInfo,
    task: VideoTask,
    track: LandmarkTrack,
    *,
    kb: KnowledgeBase,
    settings: VideoSettings,
    software: Mapping[str, Any],
    side: SideChoice = "auto",
    sex: Sex | None = None,
    people_counted: int = 0,
    decode_error: str = "",
    person: int | None = None,
) -> AnalysisResult:
    """Analyse the landmarks of one video of ``task``; the result holds the summary document.

    ``side``: the stance leg asked for (``auto``: found from the movement);
    ``sex``: selects the sex-specific thresholds; ``people_counted``: people
    found by the re-detection during the pose loop, the tracked one included (0 when it
    did not run); ``decode_error``: why decoding stopped early ("" when it did not);
    ``software``: versions reported in ``summary.json``; ``person``: the candidate id
    (``summary.json`` ``people.candidates``) to analyse, None to choose automatically.
    """
    time_s = track.time_s
    size = (info.width, info.height)
    subject = choose_subject(track, task, size, settings, person=person)
    selection = subject.selection
    selected = selection.selected
    tracked_people = people_tracked(selection, time_s)
    people_seen = max(tracked_people, people_counted) if selection.identities else 0
    labels = repair_labels(
        time_s, track.xy, track.visibility, track.world, selected, settings.labels
    )
    jumped = implausible_landmarks(labels.xy, time_s, selected, settings.plausibility)
    visibility = np.where(jumped, 0.0, labels.visibility)
    views = quality.view_checks(labels.xy, selected, track.turned_deg, settings.quality)
    view = str(views[0].value)
    # Turning the picture by the verticals' roll levels horizontal lines only when the body's
    # frontal plane faces the camera; at an angle, perspective tilts the pelvis line by as
    # much again (the lab video: verticals rolled 13°, the pelvis line level), so the roll is
    # reported but not corrected (those angles are doubtful from the view anyway).
    roll = track.camera_roll if view == "front-on" else None
    levelled_raw = level(labels.xy, roll, size)
    upright = upright_frames(levelled_raw, settings.posture)
    valid = selected & ~labels.unresolved & upright
    xy = _filtered(labels.xy, visibility, time_s, valid, settings.filter)
    xy_level = level(xy, roll, size)
    found = events.detect(
        task,
        xy_level,
        time_s,
        valid,
        side,
        settings.events,
        settings.contacts,
        frontal=view == "front-on",
    )
    baseline = kinematics.pelvis_baseline(
        xy_level, found.baseline, settings.events.baseline_max_drift_deg
    )
    angles = kinematics.all_angles(xy_level, baseline)
    for name in list(angles):
        angles[name] = np.where(valid, angles[name], np.nan)
    if view != "side-on":
        for leg in SIDES:  # from the front or at an angle the knee's bend is not flexion
            angles[angle_key("knee_flexion_deg", leg)] = np.full(time_s.shape, np.nan)
    reps = summary.with_values(angles, found.reps)
    checks = [
        label_check(labels, selected, settings.labels.max_unresolved_fraction),
        facing_check(labels.world, selected),
        roll_check(
            track.camera_roll,
            # only a resting stance (the one the pelvis baseline accepted) says where up is
            standing_trunk_tilt(xy_level, found.baseline) if baseline else None,
            kb.measure(ROLL_LIMIT),
            settings.posture.roll_crosscheck_deg,
            corrected=roll is not None,
        ),
        upright_check(levelled_raw, selected, settings.posture),
        task_fit_check(task, found, bool(selected.any())),
        subject_check(subject),
    ]
    report = quality.assess(
        quality.QualityInputs(
            info=info,
            task=task,
            xy=np.where(selected[:, None, None], labels.xy, np.nan),
            visibility=labels.visibility,
            selected=selected,
            turned_deg=track.turned_deg,
            reps=reps,
            people_seen=people_seen,
            decode_error=decode_error,
            extra=tuple(checks),
        ),
        settings.quality,
    )
    fit = report.check("task_fit")
    if fit is not None and not fit.valid:
        found = replace(found, cadence_spm=None)  # a cadence of something that is not running
    series = TimeSeries(
        time_s=time_s.copy(),
        data={
            "landmarks_px": xy,
            "landmarks_raw_px": labels.xy.copy(),
            "visibility": labels.visibility.copy(),
            "person_tracked": selected.copy(),
            "person_identity": selection.identity.copy(),
            "left_right_repaired": (labels.repaired & selected).copy(),
            "left_right_unresolved": (labels.unresolved & selected).copy(),
            **angles,
        },
        valid=valid.copy(),
        events=found.events,
    )
    document = summary.summary_document(
        summary.SummaryInputs(
            info=info,
            task=task,
            side_requested=side,
            sex=sex,
            time_s=time_s,
            selection=selection,
            people_seen=people_seen,
            events=found,
            pelvis_baseline_deg=baseline,
            reps=reps,
            quality=report,
            people=subject.people_section(),
        ),
        kb,
        settings,
        software,
    )
    per_side = document["per_side"][SIDES[0]]  # a threshold is the same for both sides
    return AnalysisResult(
        info=info,
        task=task,
        series=series,
        reps=reps,
        quality=report,
        summary=document,
        thresholds={metric: per_side[metric]["threshold"] for metric in per_side},
        stance_side=found.stance_side,
    )
