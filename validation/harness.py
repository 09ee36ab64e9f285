"""Validation harness: hipfirst's angles on the shared lab video against the 3D reference.

Runs ``hipfirst analyze`` (the real command, real pose model) on camera 1 of the
reference trial and compares, over the frames where the subject stands on one leg
(``reference.swing_foot_off``) and hipfirst marks the frame valid:

* per metric and side: bias, RMSE and r against the reference angle;
* per hold hipfirst reports: its value (the hold mean) against the reference mean
  over the same frames;
* left/right labels: valid frames where hipfirst's hips, knees or ankles are crossed
  against the reference projected into the camera (a mirrored frame shown as valid),
  and the frames hipfirst itself says it repaired (``frames.csv`` column
  :data:`REPAIRED_COLUMN`);
* how many holds hipfirst reports on each leg (the subject stands on his left leg only);
* the 2D knee bend hipfirst withholds as knee flexion in this oblique view
  (:data:`WITHHELD`), against the reference's knee flexion;
* the reference's own disagreement (inverse kinematics vs triangulated keypoints).

Usage::

    .venv/bin/python -m validation.harness                # print the results as JSON
    .venv/bin/python -m validation.harness --write-docs   # also rewrite docs/validation.md
    .venv/bin/python -m validation.harness --record       # also make them the figures of record

The figures of record (``validation/record.json``) are what the test suite holds
hipfirst to: an RMSE may not grow past its record by more than 1°.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from validation import reference as ref
from validation.camera import load_camera, swapped_frames
from validation.compare import FloatArray, Frames, agreement, read_frames_csv
from validation.report import write_docs

ROOT = Path(__file__).resolve().parent.parent
RECORD = Path(__file__).resolve().parent / "record.json"
TASK = "single-leg-stance"
REPAIRED_COLUMN = "left_right_repaired"
"""``frames.csv`` column (0/1) marking frames whose left/right labels hipfirst repaired."""
COMPARED = (
    "pelvic_drop_deg_left",
    "trunk_lean_deg_left",
    "hip_adduction_deg_left",
    "hip_adduction_deg_right",
    "knee_flexion_deg_left",
    "knee_flexion_deg_right",
)
"""Columns compared: pelvic drop and trunk lean for the stance (left) leg, hip adduction and
knee flexion for both limbs. FPPA has no reference (the model's knee has no valgus)."""
JOINTS = ("hip", "knee", "ankle")
WITHHELD = ("knee_bend_2d_deg_left", "knee_bend_2d_deg_right")
"""What hipfirst would report as knee flexion from this oblique view if it did not withhold
it: the 2D bend of the hip-knee-ankle landmarks in ``frames.csv``, against the reference's
knee flexion. It stays in the harness as the reason knee flexion is withheld."""


def run_analysis(video: Path, out: Path, extra: list[str]) -> None:
    """The real ``hipfirst analyze`` of this environment, without the annotated video."""
    command = Path(sys.executable).parent / "hipfirst"
    args = [str(command), "analyze", str(video), "--task", TASK, "--out", str(out), "--no-video"]
    subprocess.run([*args, *extra], check=True, capture_output=True, text=True)


def _on_reference_frames(frames: Frames, reference: ref.ReferenceAngles, column: str) -> FloatArray:
    """hipfirst's ``column`` at the reference's frames (NaN where hipfirst is not valid)."""
    values = np.full(reference.frames.shape, np.nan)
    if column not in frames:
        return values
    index = frames["frame"].astype(int)
    valid = frames["valid"] == 1
    lookup = {int(f): float(v) for f, v, ok in zip(index, frames[column], valid, strict=True) if ok}
    for position, frame in enumerate(reference.frames):
        values[position] = lookup.get(int(frame), np.nan)
    return values


def knee_bend_2d(frames: Frames, side: str) -> FloatArray:
    """180° − the hip-knee-ankle angle of ``frames.csv``'s landmarks, unsigned, degrees."""

    def point(joint: str) -> FloatArray:
        return np.stack([frames[f"{side}_{joint}_x_px"], frames[f"{side}_{joint}_y_px"]], axis=1)

    thigh = point("knee") - point("hip")
    shank = point("ankle") - point("knee")
    cross = thigh[:, 0] * shank[:, 1] - thigh[:, 1] * shank[:, 0]
    return np.asarray(np.degrees(np.abs(np.arctan2(cross, (thigh * shank).sum(axis=1)))))


def _metrics(frames: Frames, reference: ref.ReferenceAngles) -> dict[str, Any]:
    support = reference.single_leg
    results: dict[str, Any] = {}
    columns = dict(frames.columns)
    for side in ("left", "right"):
        columns[f"knee_bend_2d_deg_{side}"] = knee_bend_2d(frames, side)
    with_bend = Frames(columns)
    for column in (*COMPARED, *WITHHELD):
        measured = np.where(support, _on_reference_frames(with_bend, reference, column), np.nan)
        key = column.replace("knee_bend_2d_deg", "knee_flexion_deg")
        results[column] = agreement(measured, reference.angles[key]).as_dict()
    return results


def _holds(summary: dict[str, Any], reference: ref.ReferenceAngles) -> list[dict[str, Any]]:
    holds = []
    for rep in summary.get("reps", []):
        if rep.get("kind") != "hold":
            continue
        side = rep["side"]
        rows = (reference.frames >= rep["start_frame"]) & (reference.frames <= rep["end_frame"])
        values: dict[str, Any] = {}
        for metric in ("pelvic_drop_deg", "trunk_lean_deg", "hip_adduction_deg"):
            key = f"{metric}_{side}"
            measured = (rep.get("values") or {}).get(metric)
            expected = float(np.mean(reference.angles[key][rows])) if rows.any() else None
            error = None if measured is None or expected is None else round(measured - expected, 2)
            values[metric] = {
                "hipfirst": measured,
                "reference": None if expected is None else round(expected, 2),
                "error": error,
            }
        holds.append(
            {
                "side": side,
                "start_frame": rep["start_frame"],
                "end_frame": rep["end_frame"],
                "on_reference_stance_leg": side == ref.STANCE,
                "values": values,
            }
        )
    return holds


def _labels(frames: Frames, reference: ref.ReferenceAngles) -> dict[str, Any]:
    markers = ref.load_markers()
    camera = load_camera(ref.REFERENCE_DIR / "calibration.toml")
    names = {"hip": "Hip", "knee": "Knee", "ankle": "Ankle"}
    swapped: dict[str, int] = {}
    for joint in JOINTS:
        points = {}
        for side, prefix in (("left", "L"), ("right", "R")):
            xy = np.stack(
                [
                    _on_reference_frames(frames, reference, f"{side}_{joint}_x_px"),
                    _on_reference_frames(frames, reference, f"{side}_{joint}_y_px"),
                ],
                axis=1,
            )
            points[side] = (xy, camera.project(markers[prefix + names[joint]]))
        crossed = swapped_frames(
            points["left"][0], points["right"][0], points["left"][1], points["right"][1]
        )
        swapped[joint] = int(crossed.sum())
    repaired = int(np.nansum(frames[REPAIRED_COLUMN])) if REPAIRED_COLUMN in frames else None
    valid = int(np.nansum(frames["valid"]))
    return {"swapped_frames": swapped, "repaired_frames": repaired, "valid_frames": valid}


def _reference_internal(reference: ref.ReferenceAngles) -> dict[str, Any]:
    support = reference.single_leg
    return {
        key: agreement(
            np.where(support, reference.keypoint_angles[key], np.nan), reference.angles[key]
        ).as_dict()
        for key in reference.keypoint_angles
    }


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def evaluate(out: Path, *, model: str | None = None) -> dict[str, Any]:
    """Analyse the lab video into ``out`` and compare it with the reference."""
    extra = ["--model", model] if model else []
    run_analysis(ref.VIDEO, out, extra)
    frames = read_frames_csv(out / "frames.csv")
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    reference = ref.load_reference()
    first, last = reference.window()
    return {
        "date": dt.date.today().isoformat(),
        "commit": _commit(),
        "model": model or (summary.get("processing") or {}).get("pose_model", "full"),
        "video": ref.VIDEO.name,
        "single_leg_frames": [first, last],
        "metrics": _metrics(frames, reference),
        "holds": _holds(summary, reference),
        "holds_per_side": {
            side: sum(
                1
                for rep in summary.get("reps", [])
                if rep.get("kind") == "hold" and rep["side"] == side
            )
            for side in ("left", "right")
        },
        "labels": _labels(frames, reference),
        "reference_internal": _reference_internal(reference),
        "summary_validity": {
            metric: (summary.get("per_side", {}).get(ref.STANCE, {}).get(metric) or {}).get("valid")
            for metric in (
                "pelvic_drop_deg",
                "trunk_lean_deg",
                "hip_adduction_deg",
                "knee_flexion_deg",
            )
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--model", choices=["full", "heavy"], help="pose model (default: hipfirst's)"
    )
    parser.add_argument("--write-docs", action="store_true", help="rewrite docs/validation.md")
    parser.add_argument("--record", action="store_true", help="store as the figures of record")
    parser.add_argument(
        "--also",
        choices=["full", "heavy"],
        action="append",
        default=[],
        help="run the harness with this pose model too and add it to the docs (repeatable)",
    )
    options = parser.parse_args(argv)
    others = []
    with tempfile.TemporaryDirectory(prefix="hipfirst-validation-") as folder:
        results = evaluate(Path(folder) / "out", model=options.model)
        for number, model in enumerate(options.also):
            others.append(evaluate(Path(folder) / f"also-{number}", model=model))
    print(json.dumps(results, indent=2))
    if options.record:
        RECORD.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    if options.write_docs:
        write_docs(results, ROOT / "docs" / "validation.md", others)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
