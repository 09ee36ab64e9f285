"""Write the harness results as ``docs/validation.md`` (method, limits, figures, date, commit)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

LABELS = {
    "pelvic_drop_deg_left": "pelvic drop, stance (left) leg",
    "trunk_lean_deg_left": "trunk lean, stance (left) leg",
    "hip_adduction_deg_left": "hip adduction, left (stance) limb",
    "hip_adduction_deg_right": "hip adduction, right (swing) limb",
    "knee_flexion_deg_left": "knee flexion, left (stance) limb",
    "knee_flexion_deg_right": "knee flexion, right (swing) limb",
    "knee_bend_2d_deg_left": "2D knee bend as knee flexion, left (withheld)",
    "knee_bend_2d_deg_right": "2D knee bend as knee flexion, right (withheld)",
}

REFERENCE_ROWS = (
    ("metric", "reference"),
    ("---", "---"),
    (
        "pelvic drop",
        "tilt of the pelvis's left–right axis against horizontal, rebuilt from the inverse "
        "kinematics' `pelvis_tilt`, `pelvis_list`, `pelvis_rotation` (body-fixed Z-X-Y); "
        "+ = swing side lower",
    ),
    (
        "trunk lean",
        "−(sum of the lumbar side-bending angles + pelvic obliquity): the trunk's lateral "
        "inclination against vertical; + = towards the stance side",
    ),
    ("hip adduction", "`hip_adduction_l/r` of the inverse kinematics; + = adduction"),
    ("knee flexion", "`knee_angle_l/r` of the inverse kinematics; + = flexion"),
    ("FPPA", "none: the model's knee has one degree of freedom (no valgus)"),
)

METHOD = """\
## Method

The reference is the 4-camera reconstruction of the same trial
(`../shared/data/reference/pose2sim-balance-trial/`, Pose2Sim demo, 60 fps): OpenPose BODY_25B
keypoints triangulated from four calibrated cameras, Butterworth-filtered, then OpenSim inverse
kinematics. The shared video is its camera 1 (about 48° from the subject's front). Reference row
*i* lines up with video frame *i* + 1 (equal timestamps). The harness runs the real
`hipfirst analyze --task single-leg-stance --no-video` and reads `frames.csv` and `summary.json`.

Reference angles, in hipfirst's sign conventions (`docs/video.md`):

{reference_table}

Frames compared: those where the swing (right) foot's lower toe point is more than 2 cm above
its standing height in the reference (single-leg support) and hipfirst marks the frame valid.
Bias = mean(hipfirst − reference); RMSE; Pearson's r. Knee flexion is reported only from a side
view, so in this oblique view its rows stay empty; the *2D knee bend* rows compute what would
have been shown (180° − the hip–knee–ankle angle of `frames.csv`'s landmarks) against the
reference's knee flexion: the reason it is withheld. Per hold: hipfirst's hold value (the mean
over the hold) against the reference mean over the same frames. Left/right labels: a valid
frame is swapped when hipfirst's left hip (knee, ankle) lies nearer the right keypoint of the
reference projected into camera 1 (its calibration) than the left one.
"""

LIMITS = """\
## Limits

- **Markerless reference.** The reference is itself estimated from video (OpenPose + inverse
  kinematics), not from skin markers; its two estimates of pelvic obliquity and trunk lean
  (inverse kinematics vs the keypoint lines) disagree by the amounts in the last table.
- **One trial, one person, one view.** A man balancing on his left leg, filmed obliquely. The
  figures say how hipfirst does on this clip, not on every clinical video; a front-on view or a
  single-leg squat may do better or worse.
- **2D against 3D.** hipfirst measures angles in the image plane; in an oblique view a
  frontal-plane angle is partly a projection of sagittal motion, which is why the quality check
  marks this view doubtful.
- **Camera roll.** This camera's verticals lean 13.4° (its calibration; hipfirst estimates
  13.3° from the scene), yet its pelvis line reads level against the reference: at 48° from
  the front, perspective tilts horizontal lines as much as the roll. hipfirst therefore takes
  the roll out only from front-on views; turning this clip's picture by it would make the
  pelvic drop RMSE 11.7° instead of the figure above.
- **Timing** is lined up by timestamps (best offset about one frame).
- **Mirrored labels are not in this clip.** The model mirrored no frame of this oblique view
  (0 crossed, 0 repaired above); the front view in which it mirrored 33 frames is not among
  the shared data. The repair is tested on mirrors injected into this clip's real landmarks
  and into synthetic ones (`tests/video/test_video_real_landmarks.py`,
  `tests/video/test_video_label_swaps.py`: repaired angles equal the unmirrored ones).
- **The hold's edges** come from the foot landmarks' movement; the reference's come from a toe
  point 2 cm above the floor, so a few frames' difference at each edge is expected.
"""


def _number(value: Any, unit: str = "°") -> str:
    return "–" if value is None else f"{value:g}{unit}"


def _other_models(others: list[dict[str, Any]]) -> list[str]:
    """The same video through other pose models: the figures that chose the default."""
    if not others:
        return []
    lines = [
        "",
        "## Other pose models on the same video",
        "",
        "| model | metric | frames | bias | RMSE | r | swapped frames (hip) | holds left / right |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for other in others:
        sides = other.get("holds_per_side") or {"left": "–", "right": "–"}
        for key in ("pelvic_drop_deg_left", "trunk_lean_deg_left", "hip_adduction_deg_left"):
            stats = other["metrics"][key]
            lines.append(
                f"| `{other['model']}` | {LABELS.get(key, key)} | {stats['frames']} | "
                f"{_number(stats['bias_deg'])} | {_number(stats['rmse_deg'])} | "
                f"{_number(stats['r'], '')} | {other['labels']['swapped_frames']['hip']} | "
                f"{sides['left']} / {sides['right']} |"
            )
    lines += [
        "",
        "Regenerate with `--write-docs --also heavy`. Why the default is what it is: "
        "[video.md, Model](video.md#model).",
    ]
    return lines


def write_docs(
    results: dict[str, Any], path: Path, others: list[dict[str, Any]] | None = None
) -> None:
    """``docs/validation.md`` from a harness run; ``others``: runs with other pose models."""
    first, last = results["single_leg_frames"]
    lines = [
        "# Validation against a 3D reference",
        "",
        f"Run of {results['date']} on commit `{results['commit']}`, pose model "
        f"`{results['model']}`, video `{results['video']}`; single-leg support in video frames "
        f"{first}–{last}. Regenerate with `.venv/bin/python -m validation.harness --write-docs`; "
        "the test suite runs the same harness and fails when an RMSE grows more than 1° past "
        "`validation/record.json`.",
        "",
        "## Per-frame agreement over single-leg support",
        "",
        "| metric | frames | bias | RMSE | r | hipfirst calls it valid |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    validity = results.get("summary_validity", {})
    for key, stats in results["metrics"].items():
        metric = key.rsplit("_", 1)[0]
        valid = validity.get(metric) if key.endswith("_left") else None
        shown = "–" if valid is None else ("yes" if valid else "no (doubtful)")
        if key.startswith("knee_flexion_deg") and stats["frames"] == 0:
            shown = "not reported (not a side view)"
        elif key.startswith("knee_bend_2d"):
            shown = "withheld"
        lines.append(
            f"| {LABELS.get(key, key)} | {stats['frames']} | {_number(stats['bias_deg'])} | "
            f"{_number(stats['rmse_deg'])} | {_number(stats['r'], '')} | {shown} |"
        )
    per_side = results.get("holds_per_side")
    lines += ["", "## Holds hipfirst reports", ""]
    if per_side is not None:
        lines += [
            f"Holds on the left leg: {per_side['left']}; on the right leg: {per_side['right']} "
            "(the subject stands on his left leg only).",
            "",
        ]
    if not results["holds"]:
        lines.append("None.")
    for hold in results["holds"]:
        truth = (
            "the reference's stance leg"
            if hold["on_reference_stance_leg"]
            else "not the reference's stance leg: a false hold"
        )
        lines.append(
            f"- {hold['side']} leg, frames {hold['start_frame']}–{hold['end_frame']} ({truth}): "
            + "; ".join(
                f"{metric.replace('_deg', '').replace('_', ' ')} {_number(v['hipfirst'])} vs "
                f"{_number(v['reference'])} (error {_number(v['error'])})"
                for metric, v in hold["values"].items()
            )
        )
    labels = results["labels"]
    swapped = ", ".join(f"{joint} {count}" for joint, count in labels["swapped_frames"].items())
    repaired = labels["repaired_frames"]
    lines += [
        "",
        "## Left/right labels",
        "",
        f"Valid frames with crossed labels against the projected reference: {swapped} "
        f"(of {labels.get('valid_frames', '–')} valid frames). "
        + (
            "Frames hipfirst repaired: not recorded by this version."
            if repaired is None
            else f"Frames hipfirst repaired itself (`frames.csv` `left_right_repaired`): "
            f"{repaired}."
        ),
        "",
        "## The reference's own disagreement (inverse kinematics vs keypoint lines)",
        "",
        "| metric | frames | bias | RMSE | r |",
        "| --- | --- | --- | --- | --- |",
    ]
    for key, stats in results["reference_internal"].items():
        lines.append(
            f"| {LABELS.get(key, key)} | {stats['frames']} | {_number(stats['bias_deg'])} | "
            f"{_number(stats['rmse_deg'])} | {_number(stats['r'], '')} |"
        )
    lines += _other_models(others or [])
    table = "\n".join(f"| {metric} | {how} |" for metric, how in REFERENCE_ROWS)
    method = METHOD.replace("{reference_table}", table)
    path.write_text("\n".join([*lines, "", method, LIMITS]), "utf-8")
