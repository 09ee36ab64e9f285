"""The ``summary.json`` document: per-rep values, per-side mean ± SD against the knowledge base.

Pure (no I/O): :func:`summary_document` takes what the stages found
(:class:`SummaryInputs`), the knowledge base and the settings, and returns the
exact content of ``summary.json`` (:data:`~hipfirst.knowledge.vocabulary.SUMMARY_SCHEMA`);
:mod:`hipfirst.video_io.writers` writes it. Every threshold comes from
the knowledge base (``measures/video.yaml``) with its status and sources;
none is validated, and the status says so. A value is never hidden: a doubtful
metric keeps its mean and says why it is doubtful (``valid: false``).

Which value a rep contributes: at the peak frame (deepest point of a squat or
step-down, peak of a landing, midstance in running); for a single-leg hold,
the mean over the whole hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Measure
from hipfirst.knowledge.vocabulary import (
    FRONTAL_METRICS,
    SIDES,
    SUMMARY_SCHEMA,
    VIDEO_METRICS,
    Sex,
    Side,
    SideChoice,
    VideoMetric,
    VideoTask,
)
from hipfirst.video.events import TaskEvents
from hipfirst.video.person import TrackSelection
from hipfirst.video.quality import DOUBT_EVERY_METRIC, DOUBT_FRONTAL
from hipfirst.video.settings import VideoSettings
from hipfirst.video.signal import FILTER_DESCRIPTION, effective_cutoff
from hipfirst.video.types import (
    BoolArray,
    FloatArray,
    QualityReport,
    RepEvent,
    VideoInfo,
    angle_key,
)

SIGN_CONVENTIONS: dict[str, str] = {
    "coordinates": "image pixels of the upright frame: x to the right, y downwards",
    "fppa_deg": "180° minus the hip–knee–ankle angle; positive = knee medial to the hip–ankle "
    "line (valgus), negative = varus; medial is taken towards the other hip, so left and right "
    "legs and front or back views share one sign",
    "hip_adduction_deg": "femur (hip→knee) against the perpendicular to the hip–hip line; "
    "positive = knee towards the midline (adduction)",
    "pelvic_drop_deg": "hip–hip line against the horizontal for a stance leg; positive = the "
    "other (swing) side lower (contralateral pelvic drop); minus the level-standing baseline "
    "when one was found",
    "trunk_lean_deg": "mid-hip→mid-shoulder line against the vertical; positive = towards the "
    "stance side (ipsilateral lean)",
    "knee_flexion_deg": "180° minus the hip–knee–ankle angle, unsigned; reported only when the "
    "camera sees the leg side-on (a flexion angle only there)",
    "per_side": "'left'/'right' is the stance leg for pelvis and trunk, the limb otherwise; "
    "always the person's own sides, from the front or from behind",
    "gravity": "horizontal and vertical are gravity's: the landmarks are turned upright by the "
    "camera's estimated roll (quality.camera_roll_deg) before any angle is read",
}


def _threshold_id(task: VideoTask, metric: str, sex: Sex | None) -> tuple[str | None, str]:
    """Knowledge-base measure id for a flag, or None with the reason there is none."""
    if task is VideoTask.SINGLE_LEG_SQUAT:
        if metric == "fppa_deg":
            if sex == "male":
                return None, "no single-leg-squat FPPA flag is published for men"
            return "fppa_sls_flag_female", (
                "derived from women; sex not given" if sex is None else ""
            )
        ids = {
            "pelvic_drop_deg": "sls_pelvic_drop_flag",
            "hip_adduction_deg": "sls_hip_adduction_flag",
            "trunk_lean_deg": "sls_trunk_lean_flag",
        }
        if metric in ids:
            return ids[metric], ""
        return None, "no threshold for this angle"
    if task is VideoTask.LANDING and metric == "fppa_deg":
        if sex is None:
            return None, "landing flags are sex-specific: give the sex to compare"
        return f"fppa_drop_jump_flag_{sex}", ""
    if task is VideoTask.RUNNING and metric == "pelvic_drop_deg":
        return None, "reported as a continuous value: no running cut-off is published"
    return None, f"no threshold for this angle in task {task.value!r}"


HARNESS_SOURCE = "hipfirst_validation_2026"
"""The knowledge base's id for hipfirst's own validation against a 3D reference."""
HARNESS_ERRORS: dict[str, str] = {
    "pelvic_drop_deg": "pelvic_drop_rmse_lab_oblique",
    "hip_adduction_deg": "hip_adduction_rmse_lab_oblique",
    "trunk_lean_deg": "trunk_lean_rmse_lab_oblique",
    "knee_flexion_deg": "knee_flexion_rmse_lab_oblique",
}
"""Per metric, the error the validation harness measured (``measures/video.yaml``)."""


def basis(measure: Measure) -> str:
    """Where a number comes from, in words: a published study or hipfirst's own harness."""
    if HARNESS_SOURCE in measure.sources:
        return "derived from hipfirst's validation harness (docs/validation.md)"
    return "published study" if measure.status.value == "published" else measure.status.value


def measure_dict(measure: Measure) -> dict[str, Any]:
    """A knowledge-base measure as shown in ``summary.json``."""
    return {
        "measure_id": measure.id,
        "value": measure.value,
        "low": measure.low,
        "high": measure.high,
        "unit": measure.unit,
        "direction": measure.direction,
        "status": measure.status.value,
        "sources": list(measure.sources),
        "description": measure.describe(),
        "basis": basis(measure),
    }


def measurement_error(kb: KnowledgeBase, task: VideoTask, metric: str) -> dict[str, Any]:
    """What error to expect for this angle, from the knowledge base: published studies
    first, then what hipfirst's validation harness measured (each entry says which)."""
    error: dict[str, Any] = {}
    if task is VideoTask.RUNNING:
        error["between_day"] = measure_dict(kb.measure("running_2d_between_day_error"))
    elif metric == "fppa_deg":
        error["sem"] = measure_dict(kb.measure("fppa_sem"))
        error["smallest_detectable_difference"] = measure_dict(kb.measure("fppa_sdd"))
        if task is VideoTask.SINGLE_LEG_SQUAT:
            error["sem_single_leg_squat"] = measure_dict(kb.measure("fppa_sem_sls"))
    if metric in HARNESS_ERRORS:
        error["against_3d_reference"] = measure_dict(kb.measure(HARNESS_ERRORS[metric]))
    if not any(entry["status"] == "published" for entry in error.values()):
        error["note"] = "no published 2D measurement error for this angle and task"
    return error


def rep_value(series: Mapping[str, FloatArray], rep: RepEvent, metric: VideoMetric) -> float | None:
    """The rep's value of one metric on its own side (see module doc)."""
    values = series[angle_key(metric, rep.side)]
    if rep.kind == "hold":
        window = values[rep.start_index : rep.end_index + 1]
        window = window[np.isfinite(window)]
        return float(np.mean(window)) if window.size else None
    value = float(values[rep.peak_index])
    return value if np.isfinite(value) else None


def with_values(
    series: Mapping[str, FloatArray], reps: tuple[RepEvent, ...]
) -> tuple[RepEvent, ...]:
    """Copies of the reps with their values at the event filled in."""
    return tuple(
        replace(rep, values={metric: rep_value(series, rep, metric) for metric in VIDEO_METRICS})
        for rep in reps
    )


def metric_summary(
    values: list[float],
    metric: str,
    task: VideoTask,
    quality: QualityReport,
    kb: KnowledgeBase,
    sex: Sex | None,
    min_reps: int,
) -> dict[str, Any]:
    """``M`` of the contract: mean, SD, n, validity, flag and threshold for one side."""
    n = len(values)
    mean = float(np.mean(values)) if n else None
    sd = float(np.std(values, ddof=1)) if n >= 2 else None
    reasons: list[str] = []
    view = quality.check("view")
    front_on = view is not None and view.valid
    withheld = metric == "knee_flexion_deg" and (view is None or view.value != "side-on")
    if withheld:
        pass  # the values were withheld on purpose: the view says why (below)
    elif n == 0:
        reasons.append("no valid rep on this side")
    elif n < min_reps:
        reasons.append(f"only {n} valid value(s); {min_reps} or more give a steadier mean")
    if metric in FRONTAL_METRICS and not front_on and view is not None:
        reasons.append(f"camera view is {view.value}: frontal-plane angles are distorted")
    if withheld:
        reasons.append(
            "knee flexion is measured only from a side view"
            + ("" if view is None else f" (this one is {view.value})")
            + ": from the front or at an angle the knee's bend is not its flexion"
        )
    doubting = DOUBT_EVERY_METRIC | (DOUBT_FRONTAL if metric in FRONTAL_METRICS else frozenset())
    reasons.extend(
        check.reason for check in quality.checks if not check.valid and check.name in doubting
    )
    threshold_id, threshold_note = _threshold_id(task, metric, sex)
    threshold = measure_dict(kb.measure(threshold_id)) if threshold_id else None
    flagged: bool | None = None
    if threshold is not None and mean is not None:
        bar = float(threshold["value"])
        flagged = mean > bar if threshold["direction"] == "above" else mean < bar
    summary: dict[str, Any] = {
        "mean": None if mean is None else round(mean, 2),
        "sd": None if sd is None else round(sd, 2),
        "n": n,
        "valid": not reasons,
        "reason": "; ".join(dict.fromkeys(reasons)),
        "flagged": flagged,
        "threshold": threshold,
        "threshold_note": threshold_note,
        "measurement_error": measurement_error(kb, task, metric),
    }
    if task is VideoTask.RUNNING and metric == "pelvic_drop_deg":
        summary["association"] = measure_dict(kb.measure("running_cpd_odds_ratio"))
    return summary


def per_side(
    reps: tuple[RepEvent, ...],
    task: VideoTask,
    quality: QualityReport,
    kb: KnowledgeBase,
    sex: Sex | None,
    min_reps: int,
) -> dict[str, dict[str, Any]]:
    """The ``per_side`` section: every metric for the left and the right stance leg/limb."""
    section: dict[str, dict[str, Any]] = {}
    for side in SIDES:
        mine = [rep for rep in reps if rep.side == side and rep.valid]
        section[side] = {}
        for metric in VIDEO_METRICS:
            values = [v for rep in mine if (v := rep.values.get(metric)) is not None]
            needed = min_reps if task in (VideoTask.SINGLE_LEG_SQUAT, VideoTask.STEP_DOWN) else 1
            section[side][metric] = metric_summary(values, metric, task, quality, kb, sex, needed)
    return section


def left_right_difference(section: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Left minus right mean per metric (None unless both sides have a mean)."""
    result: dict[str, Any] = {}
    for metric in VIDEO_METRICS:
        left = section["left"][metric]["mean"]
        right = section["right"][metric]["mean"]
        difference = None if left is None or right is None else round(left - right, 2)
        result[metric] = {
            "left_minus_right": difference,
            "abs": None if difference is None else abs(difference),
        }
    result["note"] = (
        "healthy people move symmetrically (herrington_2010); no validated side-difference "
        "cut-off exists, and differences within the measurement error may be noise"
    )
    return result


@dataclass(frozen=True)
class SummaryInputs:
    """What the stages found in one video: everything :func:`summary_document` reports.

    ``side_requested`` and ``sex`` are what the user asked for; ``time_s`` the
    frame times; ``pelvis_baseline_deg`` the level-standing pelvic obliquity per
    stance side (empty when no level standing was found); ``reps`` carry their
    values (:func:`with_values`); ``people`` the candidates and the choice
    (:meth:`hipfirst.video.subject.Subject.people_section`).
    """

    info: VideoInfo
    task: VideoTask
    side_requested: SideChoice
    sex: Sex | None
    time_s: FloatArray
    selection: TrackSelection
    people_seen: int
    events: TaskEvents
    pelvis_baseline_deg: Mapping[Side, float]
    reps: tuple[RepEvent, ...]
    quality: QualityReport
    people: Mapping[str, Any] | None = None


NO_PEOPLE: dict[str, Any] = {
    "candidates": [],
    "chosen": None,
    "ambiguous": False,
    "how": "automatic",
}
"""The ``people`` section when nobody was tracked."""


def pelvic_drop_reference(level: BoolArray, baseline_deg: Mapping[Side, float]) -> str:
    """What pelvic drop is measured against: level standing when found, else the image."""
    if baseline_deg:
        return f"level standing ({int(level.sum())} frames)"
    if level.any():
        return "image horizontal (the pelvis was still moving while both feet were down)"
    return "image horizontal (no level double-leg standing found)"


def processing_section(
    settings: VideoSettings, time_s: FloatArray, identity_jumps: tuple[int, ...]
) -> dict[str, Any]:
    """The ``processing`` section: settings version, filter as requested and as used."""
    flt = settings.filter
    fs = 1.0 / float(np.median(np.diff(time_s))) if time_s.shape[0] >= 2 else 0.0
    used = (
        round(effective_cutoff(flt.cutoff_hz, fs, flt.order, flt.max_cutoff_fraction_of_nyquist), 3)
        if fs > 0
        else None
    )
    return {
        "settings_version": settings.version,
        "filter": FILTER_DESCRIPTION,
        "filter_order": flt.order,
        "cutoff_hz_requested": flt.cutoff_hz,
        "cutoff_hz_used": used,
        "max_gap_filled_s": flt.max_gap_s,
        "identity_jumps_at_frames": list(identity_jumps),
    }


def summary_document(
    inputs: SummaryInputs,
    kb: KnowledgeBase,
    settings: VideoSettings,
    software: Mapping[str, Any],
) -> dict[str, Any]:
    """The content of ``summary.json``, keys in the documented order (``docs/video.md``).

    ``software``: the versions of the pose model and libraries
    (:func:`hipfirst.video_io.pose.model_versions`), reported as given.
    """
    found = inputs.events
    sides = per_side(
        inputs.reps, inputs.task, inputs.quality, kb, inputs.sex, settings.quality.min_valid_reps
    )
    return {
        "schema": SUMMARY_SCHEMA,
        "task": inputs.task.value,
        "side_requested": inputs.side_requested,
        "sex": inputs.sex,
        "stance_side": found.stance_side,
        "video": inputs.info.as_dict(),
        "quality": inputs.quality.as_dict(),
        "per_side": sides,
        "reps": [rep.as_dict() for rep in inputs.reps],
        "left_right_difference": left_right_difference(sides),
        "cadence_steps_per_min": None if found.cadence_spm is None else round(found.cadence_spm, 1),
        "pelvic_drop_reference": pelvic_drop_reference(found.baseline, inputs.pelvis_baseline_deg),
        "conventions": SIGN_CONVENTIONS,
        "processing": processing_section(settings, inputs.time_s, inputs.selection.jumps),
        "software": dict(software),
        "people_seen": inputs.people_seen,
        "tracking_fraction": round(inputs.selection.tracking_fraction, 4),
        "people": dict(inputs.people) if inputs.people is not None else dict(NO_PEOPLE),
    }
