"""Every stage after the pose model, on the landmarks of one video (pure: no I/O, no model).

The stages run in this order: person selection (:mod:`~hipfirst.video.person`)
and the people count, filtering of the performer's landmarks
(:mod:`~hipfirst.video.signal`), task events (:mod:`~hipfirst.video.events`),
the level-standing pelvis baseline and every angle
(:mod:`~hipfirst.video.kinematics`), per-rep values, quality checks
(:mod:`~hipfirst.video.quality`) and the ``summary.json`` document
(:mod:`~hipfirst.video.summary`). The caller (the pose loop in
:mod:`hipfirst.application.video_analysis`, or a test) passes the knowledge base and the
video settings; nothing is loaded here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import SIDES, Sex, SideChoice, VideoTask
from hipfirst.video import events, kinematics, quality, summary
from hipfirst.video.person import people_tracked, select_person
from hipfirst.video.settings import FilterSettings, VideoSettings
from hipfirst.video.signal import smooth_landmarks
from hipfirst.video.types import (
    AnalysisResult,
    BoolArray,
    FloatArray,
    LandmarkTrack,
    TimeSeries,
    VideoInfo,
)


def _filtered(track: LandmarkTrack, selected: BoolArray, settings: FilterSettings) -> FloatArray:
    """The performer's landmarks, filtered; others' frames and unseen landmarks start missing.

    Fewer than 4 frames (a still image) are kept as they are, masked the same way.
    """
    visible = np.nan_to_num(track.visibility, nan=0.0) >= settings.min_visibility
    usable = selected[:, None] & visible
    if track.time_s.shape[0] >= 4:
        return smooth_landmarks(track.xy, usable, track.time_s, settings)
    return np.where(usable[..., None], track.xy, np.nan)


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
) -> AnalysisResult:
    """Analyse the landmarks of one video of ``task``; the result holds the summary document.

    ``side``: the stance leg asked for (``auto``: found from the movement);
    ``sex``: selects the sex-specific thresholds; ``people_counted``: people
    found by the re-detection during the pose loop (0 when it did not run);
    ``decode_error``: why decoding stopped early ("" when it did not);
    ``software``: versions reported in ``summary.json``.
    """
    time_s = track.time_s
    selection = select_person(track.xy, time_s, (info.width, info.height), settings.tracking)
    selected = selection.selected
    people_seen = max(people_tracked(selection, time_s), people_counted)
    xy = _filtered(track, selected, settings.filter)
    found = events.detect(task, xy, time_s, selected, side, settings.events)
    baseline = kinematics.pelvis_baseline(xy, found.baseline)
    angles = kinematics.all_angles(xy, baseline)
    reps = summary.with_values(angles, found.reps)
    report = quality.assess(
        quality.QualityInputs(
            info=info,
            task=task,
            xy=np.where(selected[:, None, None], track.xy, np.nan),
            visibility=track.visibility,
            selected=selected,
            turned_deg=track.turned_deg,
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
            "landmarks_raw_px": track.xy.copy(),
            "visibility": track.visibility.copy(),
            "person_tracked": selected.copy(),
            "person_identity": selection.identity.copy(),
            **angles,
        },
        valid=selected.copy(),
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
