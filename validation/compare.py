"""Agreement statistics between hipfirst's per-frame angles and the 3D reference.

Over the frames both have a value: bias (mean of hipfirst − reference), RMSE and
Pearson's r, in degrees (r unitless). A metric with fewer than ``MIN_FRAMES``
common frames gets no statistics (None), never a number computed from noise.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
MIN_FRAMES = 10


@dataclass(frozen=True)
class Agreement:
    frames: int
    bias_deg: float | None
    rmse_deg: float | None
    r: float | None

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "frames": self.frames,
            "bias_deg": self.bias_deg,
            "rmse_deg": self.rmse_deg,
            "r": self.r,
        }


def agreement(measured: FloatArray, reference: FloatArray) -> Agreement:
    """Bias, RMSE and r over the frames where both are finite."""
    both = np.isfinite(measured) & np.isfinite(reference)
    count = int(both.sum())
    if count < MIN_FRAMES:
        return Agreement(count, None, None, None)
    error = measured[both] - reference[both]
    spread = float(np.std(measured[both])) * float(np.std(reference[both]))
    r = float(np.corrcoef(measured[both], reference[both])[0, 1]) if spread > 0 else None
    return Agreement(
        count,
        round(float(error.mean()), 2),
        round(float(math.sqrt(float(np.mean(error**2)))), 2),
        None if r is None else round(r, 3),
    )


@dataclass(frozen=True)
class Frames:
    """The columns of a ``frames.csv`` as float arrays (empty cells are NaN)."""

    columns: dict[str, FloatArray]

    def __getitem__(self, name: str) -> FloatArray:
        return self.columns[name]

    def __contains__(self, name: object) -> bool:
        return name in self.columns


def read_frames_csv(path: Path) -> Frames:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        return Frames({})
    names = list(rows[0])
    columns = {
        name: np.array(
            [float(row[name]) if row[name] not in ("", None) else np.nan for row in rows]
        )
        for name in names
    }
    return Frames(columns)
