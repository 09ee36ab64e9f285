"""Write 2D landmark trajectories as an OpenSim / Sports2D ``.trc`` marker file.

The ``.trc`` ("track row column") format is plain tab-separated text:

* line 1: ``PathFileType	4	(X/Y/Z)	<file name>``;
* lines 2-3: the header keys ``DataRate CameraRate NumFrames NumMarkers Units
  OrigDataRate OrigDataStartFrame OrigNumFrames`` and their values;
* line 4: ``Frame#	Time`` then each marker name followed by two empty cells
  (a name spans its X, Y and Z columns);
* line 5: ``X1 Y1 Z1 X2 Y2 Z2 …`` under the markers;
* a blank line, then one row per frame: frame number (from 1), time in
  seconds, then X, Y, Z of each marker.

Conventions of this writer (stated in every file's header row ``Units``):

* **Units are image pixels** (``px``), not metres: a single phone camera is not
  calibrated, so no metric scale is claimed.
* **Y points up**, as in Sports2D's pixel files: ``Y = -y_image``, where
  ``y_image`` grows downwards from the top edge of the frame. Negate Y again to
  get back to image coordinates. X is the image column, unchanged.
* **Z is 0**: the analysis is 2D, in the image plane.
* A frame where a landmark is missing (NaN) has empty X, Y and Z cells, which
  OpenSim reads as a gap.
* ``DataRate`` is the nominal frame rate (from the real timestamps when not
  given); the ``Time`` column keeps the real timestamps, so a variable frame
  rate video is not silently resampled.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_HEADER_KEYS = (
    "DataRate",
    "CameraRate",
    "NumFrames",
    "NumMarkers",
    "Units",
    "OrigDataRate",
    "OrigDataStartFrame",
    "OrigNumFrames",
)


def nominal_rate_hz(times_s: npt.ArrayLike) -> float:
    """Frames per second implied by real timestamps: 1 / median frame interval.

    The median ignores the odd long or short interval of a variable frame rate
    phone video. Needs at least two strictly increasing timestamps.
    """
    times = np.asarray(times_s, dtype=np.float64)
    if times.ndim != 1 or times.size < 2:
        raise ValueError(
            f"times_s: need at least 2 timestamps to infer a frame rate (got {times.size}); "
            "pass data_rate_hz for a single frame"
        )
    step = float(np.median(np.diff(times)))
    if not step > 0:
        raise ValueError(f"times_s: the median frame interval must be > 0 s (got {step})")
    return 1.0 / step


def write_trc(
    path: Path,
    times_s: npt.ArrayLike,
    landmarks_px: Mapping[str, npt.ArrayLike],
    *,
    units: str = "px",
    data_rate_hz: float | None = None,
    y_up: bool = True,
    decimals: int = 3,
) -> Path:
    """Write ``landmarks_px`` (name → array of shape (n, 2), image x/y) to ``path``.

    ``times_s`` holds the n frame timestamps in seconds (finite, strictly
    increasing). With ``y_up`` (the default, as Sports2D) the written Y is the
    negated image y. ``decimals`` digits are kept (pixels: 3 is far below the
    pose model's precision). The file is written next to ``path`` and renamed
    into place at the end, so a crash never leaves a half-written ``.trc``.
    Returns ``path``.
    """
    times = np.asarray(times_s, dtype=np.float64)
    markers = _check_markers(landmarks_px, times)
    _check_times(times)
    rate = data_rate_hz if data_rate_hz is not None else nominal_rate_hz(times)
    if not (math.isfinite(rate) and rate > 0):
        raise ValueError(f"data_rate_hz: must be a finite number > 0 (got {rate})")
    if not units or any(char.isspace() for char in units):
        raise ValueError(f"units: must be one word such as 'px' (got {units!r})")

    n_frames = times.size
    names = list(markers)
    header_values = (
        _number(rate, 6),
        _number(rate, 6),
        str(n_frames),
        str(len(names)),
        units,
        _number(rate, 6),
        "1",
        str(n_frames),
    )
    lines = [
        f"PathFileType\t4\t(X/Y/Z)\t{Path(path).name}",
        "\t".join(_HEADER_KEYS),
        "\t".join(header_values),
        "\t".join(["Frame#", "Time", *(f"{name}\t\t" for name in names)]).rstrip("\t"),
        "\t\t" + "\t".join(f"X{i}\tY{i}\tZ{i}" for i in range(1, len(names) + 1)),
        "",
    ]
    lines.extend(_data_rows(times, [markers[name] for name in names], y_up, decimals))

    target = Path(path)
    partial = target.with_name(target.name + ".part")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    partial.replace(target)
    return target


def _data_rows(
    times: FloatArray, markers: list[FloatArray], y_up: bool, decimals: int
) -> list[str]:
    """One text row per frame, formatted row-wise by ``%`` (fast for long videos).

    A marker missing in a frame (either coordinate NaN) becomes three empty
    cells. Values are rounded first and ``+ 0.0`` turns ``-0.0`` into ``0.0``, so
    no ``-0.000`` appears.
    """
    xy = np.stack(markers, axis=1)  # (n, markers, 2)
    xy = xy * np.array([1.0, -1.0 if y_up else 1.0])
    missing = ~np.all(np.isfinite(xy), axis=2)
    xy[missing] = np.nan
    xy = np.round(xy, decimals) + 0.0
    xyz = np.concatenate([xy, np.zeros((*xy.shape[:2], 1))], axis=2).reshape(len(times), -1)
    marker_cells = f"%.{decimals}f\t%.{decimals}f\t%d"
    row_format = "\t".join(["%d", "%.6f", *([marker_cells] * len(markers))])
    frame_numbers = np.arange(1, len(times) + 1)
    stamps = np.round(times, 6) + 0.0
    gap = "nan\tnan\t0"
    rows = []
    for number, stamp, values in zip(frame_numbers, stamps, xyz, strict=True):
        row = row_format % (number, stamp, *values)
        rows.append(row.replace(gap, "\t\t") if "nan" in row else row)
    return rows


def _check_times(times: FloatArray) -> None:
    if times.ndim != 1 or times.size == 0:
        raise ValueError(f"times_s: need a 1-D array with at least one time (got {times.shape})")
    if not np.all(np.isfinite(times)):
        raise ValueError("times_s: every timestamp must be finite (found NaN or inf)")
    if times.size > 1 and not np.all(np.diff(times) > 0):
        raise ValueError("times_s: timestamps must be strictly increasing")


def _check_markers(
    landmarks_px: Mapping[str, npt.ArrayLike], times: FloatArray
) -> dict[str, FloatArray]:
    if not landmarks_px:
        raise ValueError("landmarks_px: give at least one marker")
    markers: dict[str, FloatArray] = {}
    for name, values in landmarks_px.items():
        if not name or any(char.isspace() for char in name):
            raise ValueError(f"landmarks_px: marker names must be one word (got {name!r})")
        array = np.asarray(values, dtype=np.float64)
        if array.shape != (times.size, 2):
            raise ValueError(
                f"landmarks_px[{name!r}]: expected shape ({times.size}, 2) "
                f"to match times_s (got {array.shape})"
            )
        markers[name] = array
    return markers


def _number(value: float, decimals: int) -> str:
    """Fixed-point text without a useless ``-0.000``."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text
