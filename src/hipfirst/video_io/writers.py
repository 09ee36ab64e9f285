"""Write the files of one analysis into its folder, all or nothing.

``summary.json`` and ``frames.csv`` are written here, ``landmarks.trc`` by
:mod:`~hipfirst.video_io.trc`, the video and the figures by
:mod:`~hipfirst.video_io.render`; their content is built by the pure stages
(:mod:`hipfirst.video.summary`). :func:`write_outputs` writes everything to a
staging folder beside the results (:mod:`~hipfirst.video_io.output_folder`)
and moves it into place only when everything succeeded, so a failed run leaves
no partial results and an earlier run's results stay intact until then.
``summary.json`` is written last: its presence marks a complete run.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from hipfirst.knowledge.vocabulary import SIDES, VIDEO_METRICS, OutputFile
from hipfirst.video.landmarks import LANDMARK_NAMES, LOWER_BODY
from hipfirst.video.types import AnalysisResult, Progress, angle_key
from hipfirst.video_io.output_folder import Staging, open_staging, output_error
from hipfirst.video_io.trc import write_trc


def _clean(value: Any) -> Any:
    """JSON-safe: NaN/inf become null, numpy scalars become Python numbers."""
    if isinstance(value, dict):
        return {str(key): _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_summary(summary: dict[str, Any], folder: Path) -> Path:
    """``summary.json`` (UTF-8, indented, NaN written as null)."""
    path = folder / OutputFile.SUMMARY
    path.write_text(
        json.dumps(_clean(summary), indent=2, ensure_ascii=False, allow_nan=False) + "\n",
        encoding="utf-8",
    )
    return path


REPAIRED_COLUMN = "left_right_repaired"
"""``frames.csv``: 1 where the pose model's mirrored left/right labels were undone."""


def frame_columns() -> list[str]:
    """Header of ``frames.csv``."""
    columns = ["frame", "time_s", "valid", "person_tracked", "mean_confidence"]
    for mark in LOWER_BODY:
        name = mark.name.lower()
        columns += [f"{name}_x_px", f"{name}_y_px", f"{name}_visibility"]
    columns += [angle_key(metric, side) for metric in VIDEO_METRICS for side in SIDES]
    columns.append(REPAIRED_COLUMN)
    return columns


def _number(value: float, digits: int) -> str:
    return "" if not math.isfinite(value) else f"{value:.{digits}f}"


def write_frames(result: AnalysisResult, folder: Path) -> Path:
    """``frames.csv``: one row per frame, filtered landmarks, confidences, every angle."""
    path = folder / OutputFile.FRAMES
    series = result.series
    xy = result.landmarks_px
    visibility = np.asarray(series.data["visibility"], dtype=np.float64)
    tracked = np.asarray(series.data["person_tracked"], dtype=bool)
    repaired = np.asarray(
        series.data.get(REPAIRED_COLUMN, np.zeros(len(series), dtype=bool)), dtype=bool
    )
    lower = [int(mark) for mark in LOWER_BODY]
    angles = {
        angle_key(metric, side): result.angle(metric, side)
        for metric in VIDEO_METRICS
        for side in SIDES
    }
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(frame_columns())
        for row in range(len(series)):
            vis = visibility[row, lower]
            confidence = float(np.nanmean(vis)) if np.isfinite(vis).any() else math.nan
            cells = [
                str(row),
                f"{series.time_s[row]:.4f}",
                str(int(series.valid[row])),
                str(int(tracked[row])),
                _number(confidence, 3),
            ]
            for mark in lower:
                cells += [
                    _number(float(xy[row, mark, 0]), 2),
                    _number(float(xy[row, mark, 1]), 2),
                    _number(float(visibility[row, mark]), 3),
                ]
            cells += [_number(float(values[row]), 2) for values in angles.values()]
            cells.append(str(int(repaired[row])))
            writer.writerow(cells)
    return path


def write_landmarks(result: AnalysisResult, folder: Path) -> Path | None:
    """``landmarks.trc`` of the filtered landmarks; None when the times cannot make one
    (a still image, or times that do not increase)."""
    time_s = result.series.time_s
    if len(result.series) < 2 or not np.all(np.diff(time_s) > 0):
        return None
    xy = result.landmarks_px
    return write_trc(
        folder / OutputFile.LANDMARKS,
        time_s,
        {name: xy[:, index] for index, name in enumerate(LANDMARK_NAMES)},
    )


def write_outputs(
    result: AnalysisResult,
    out_dir: Path,
    *,
    make_video: bool,
    progress: Progress,
    start: float,
    staging: Staging | None = None,
) -> Path:
    """Every output file, written to a staging folder then moved into place; returns the folder.

    ``progress`` receives the overall fraction done, from ``start`` to 1, while
    the video and figures are rendered (``make_video``: with ``annotated.mp4``).
    ``staging``: the folder :func:`~hipfirst.video_io.output_folder.open_staging`
    prepared before the model ran (made here when None). An ``OSError`` becomes a
    clear message (:func:`~hipfirst.video_io.output_folder.output_error`).
    """
    # imported here: the renderers load Matplotlib, which only this step needs
    from hipfirst.video_io.render import render_outputs

    if staging is None:
        staging = open_staging(out_dir)
    folder = staging.folder
    try:
        write_frames(result, folder)
        write_landmarks(result, folder)
        render_outputs(
            result,
            result.info.path,
            folder,
            make_video=make_video,
            progress=lambda fraction: progress(start + (1.0 - start) * fraction),
        )
        write_summary(result.summary, folder)  # last: its presence marks a complete run
    except OSError as error:
        staging.discard()
        raise output_error(error, staging.out_dir) from None
    except BaseException:
        staging.discard()
        raise
    staging.commit()
    return staging.out_dir
