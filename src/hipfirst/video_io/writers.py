"""Write ``summary.json`` and ``frames.csv`` (I/O edge; the content is built elsewhere)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from hipfirst.knowledge.vocabulary import SIDES, VIDEO_METRICS, OutputFile
from hipfirst.video.landmarks import LOWER_BODY
from hipfirst.video.types import AnalysisResult, angle_key


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


def frame_columns() -> list[str]:
    """Header of ``frames.csv``."""
    columns = ["frame", "time_s", "valid", "person_tracked", "mean_confidence"]
    for mark in LOWER_BODY:
        name = mark.name.lower()
        columns += [f"{name}_x_px", f"{name}_y_px", f"{name}_visibility"]
    columns += [angle_key(metric, side) for metric in VIDEO_METRICS for side in SIDES]
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
            writer.writerow(cells)
    return path
