"""The two figures of a video analysis, drawn with Matplotlib's object API (Agg, no pyplot).

* ``angles.png``: every angle over time, left and right, with the reps shaded,
  their peak frames marked and the knowledge-base threshold drawn as a band
  (its source and evidence status in the legend).
* ``keyframes.png``: for each side, the frame of that side's worst rep (the
  highest FPPA at the rep's deepest point), side by side, with the FPPA lines
  (hip–knee, knee–ankle) and the angle written on it.

Figures are built with :class:`matplotlib.figure.Figure`, which renders with
Agg and never opens a window or touches global pyplot state, so this is safe
in worker processes and tests.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from hipfirst.knowledge.loader import knowledge_base
from hipfirst.knowledge.vocabulary import SIDES, Side, VideoMetric
from hipfirst.video.landmarks import LOWER_BODY, Landmark
from hipfirst.video.types import (
    AnalysisResult,
    BoolArray,
    FloatArray,
    ImageArray,
    RepEvent,
    angle_key,
)
from hipfirst.video_io.overlay import SIDE_COLOURS

DPI = 100
ANGLES_SIZE_PX = (1200, 1000)
"""Width and height of ``angles.png`` in pixels."""
KEYFRAMES_SIZE_PX = (1200, 700)
"""Width and height of ``keyframes.png`` in pixels."""

PLOTTED_METRICS: tuple[tuple[VideoMetric, str], ...] = (
    ("fppa_deg", "FPPA (deg, valgus +)"),
    ("hip_adduction_deg", "Hip adduction (deg)"),
    ("pelvic_drop_deg", "Pelvic drop (deg)"),
    ("trunk_lean_deg", "Trunk lean (deg)"),
)
"""One panel each in ``angles.png``, top to bottom."""

_SIDE_RGB = {side: tuple(channel / 255 for channel in SIDE_COLOURS[side]) for side in SIDES}
_BAND_COLOUR = (0.85, 0.1, 0.2)
_CROP_MARGIN = 0.35
"""Margin around the lower-body landmarks when a key frame is cropped (fraction of the box)."""


@dataclass(frozen=True)
class KeyframeChoice:
    """The frame shown for one side: which rep (None when no rep), frame row and FPPA there.

    ``fppa_deg`` is the angle at the frame drawn; ``rep_fppa_deg`` is the rep's
    own value used to rank the reps (the same, except for a hold, whose value
    is its mean).
    """

    side: Side
    index: int
    rep: RepEvent | None
    rep_position: int | None
    fppa_deg: float | None
    rep_fppa_deg: float | None = None


def choose_keyframes(result: AnalysisResult) -> dict[Side, KeyframeChoice]:
    """For each side, the deepest frame of its worst rep (highest FPPA at the peak).

    Valid reps are preferred; a side with only doubtful reps still gets one (it is
    shown, not hidden). Without any rep on a side, the frame of the highest
    valid FPPA of that leg is used; a side with no measurable FPPA is left out.
    """
    chosen: dict[Side, KeyframeChoice] = {}
    for side in SIDES:
        reps = [(pos, rep) for pos, rep in enumerate(result.reps, start=1) if rep.side == side]
        pool = [(pos, rep) for pos, rep in reps if rep.valid] or reps
        if pool:
            pos, rep = max(pool, key=lambda item: _rep_fppa(result, item[1], -math.inf))
            ranked = _rep_fppa(result, rep, math.nan)
            at_frame = _frame_fppa(result, side, rep.peak_index)
            chosen[side] = KeyframeChoice(
                side,
                rep.peak_index,
                rep,
                pos,
                at_frame if at_frame is not None else _finite(ranked),
                _finite(ranked),
            )
            continue
        key = angle_key("fppa_deg", side)
        if key not in result.series.data:
            continue
        series = np.where(result.series.valid, result.angle("fppa_deg", side), np.nan)
        if np.all(np.isnan(series)):
            continue
        index = int(np.nanargmax(series))
        chosen[side] = KeyframeChoice(side, index, None, None, float(series[index]))
    return chosen


def threshold_band(
    threshold: dict[str, Any] | None, cite: Callable[[str], str] = str
) -> tuple[float, str, str] | None:
    """``(value, direction, legend label)`` of a ``summary.json`` threshold, None if unusable.

    ``cite`` turns a source id into its label (``Herrington 2014``); the
    evidence status is always part of the label.
    """
    if not threshold:
        return None
    value = threshold.get("value")
    direction = threshold.get("direction", "above")
    if not isinstance(value, int | float) or direction not in ("above", "below"):
        return None
    sign = ">" if direction == "above" else "<"
    sources = threshold.get("sources") or threshold.get("source") or []
    if isinstance(sources, str):
        sources = [sources]
    cited = ", ".join(cite(str(source)) for source in sources)
    status = threshold.get("status", "")
    detail = "; ".join(part for part in (cited, str(status)) if part)
    label = f"flag {sign} {value:g} deg" + (f" ({detail})" if detail else "")
    return float(value), direction, label


def reference_label(reference_id: str) -> str:
    """``Herrington 2014`` for ``herrington_2014``, from the knowledge base."""
    return knowledge_base().reference(reference_id).short()


def plot_angles(result: AnalysisResult, path: Path) -> Path:
    """Write ``angles.png``: angles over time with reps, peaks and threshold bands."""
    return _save(angles_figure(result), path)


def angles_figure(result: AnalysisResult, cite: Callable[[str], str] = reference_label) -> Figure:
    """The figure of ``angles.png``: one panel per metric of :data:`PLOTTED_METRICS`.

    Each panel draws the left and right series (labelled ``left``/``right``),
    shades the frames not tracked, marks each rep (span, peak line, its
    number) and draws the threshold as a dashed line and band labelled with
    its sources (``cite``) and status.
    """
    figure = _figure(ANGLES_SIZE_PX)
    figure.subplots_adjust(left=0.07, right=0.985, top=0.95, bottom=0.055, hspace=0.12)
    axes = figure.subplots(len(PLOTTED_METRICS), 1, sharex=True)
    time_s = result.series.time_s
    for (metric, label), ax in zip(PLOTTED_METRICS, axes, strict=True):
        plotted = False
        for side in SIDES:
            key = angle_key(metric, side)
            if key not in result.series.data:
                continue
            values = result.angle(metric, side)
            ax.plot(time_s, values, color=_SIDE_RGB[side], linewidth=1.4, label=side)
            plotted = plotted or bool(np.any(np.isfinite(values)))
        _shade_invalid(ax, time_s, result.series.valid)
        _mark_reps(ax, result.reps)
        band = threshold_band(result.thresholds.get(metric), cite=cite)
        if band is not None:
            value, direction, band_label = band
            ax.axhline(value, color=_BAND_COLOUR, linewidth=1.0, linestyle="--")
            low, high = ax.get_ylim()
            top, bottom = max(high, value + 1.0), min(low, value - 1.0)
            span = (value, top) if direction == "above" else (bottom, value)
            ax.axhspan(*span, color=_BAND_COLOUR, alpha=0.08, label=band_label)
            ax.set_ylim(min(low, value - 1.0), max(high, value + 1.0))
        if not plotted:
            ax.text(0.5, 0.5, "not measurable", transform=ax.transAxes, ha="center", va="center")
        ax.set_ylabel(label)
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper right", fontsize=8)
    axes[-1].set_xlabel("time (s)")
    if len(time_s):
        axes[-1].set_xlim(float(time_s[0]), max(float(time_s[-1]), float(time_s[0]) + 1e-3))
    figure.suptitle(_title(result), fontsize=12)
    return figure


def plot_keyframes(
    result: AnalysisResult,
    choices: dict[Side, KeyframeChoice],
    images: dict[int, ImageArray],
    path: Path,
) -> Path:
    """Write ``keyframes.png`` from the chosen frames (``images`` by frame row, RGB, any scale)."""
    return _save(keyframes_figure(result, choices, images), path)


def keyframes_figure(
    result: AnalysisResult,
    choices: dict[Side, KeyframeChoice],
    images: dict[int, ImageArray],
) -> Figure:
    """The figure of ``keyframes.png``: one panel per side, left then right.

    A panel shows its chosen frame cropped around the lower body, the thigh
    and shank lines with the thigh continued past the knee, the FPPA at that
    frame, and a title naming the rep, the frame row and its time; a side
    without a chosen frame says so.
    """
    figure = _figure(KEYFRAMES_SIZE_PX)
    figure.subplots_adjust(left=0.01, right=0.99, top=0.86, bottom=0.01, wspace=0.04)
    axes = figure.subplots(1, len(SIDES))
    for side, ax in zip(SIDES, axes, strict=True):
        ax.set_axis_off()
        choice = choices.get(side)
        if choice is None or choice.index not in images:
            ax.set_title(f"{side.capitalize()} leg", fontsize=11)
            ax.text(0.5, 0.5, "no rep on this side", ha="center", va="center")
            continue
        _draw_keyframe(ax, result, choice, images[choice.index])
    figure.suptitle(f"{_title(result)}: worst rep of each side at its deepest frame", fontsize=12)
    return figure


def _draw_keyframe(
    ax: Axes, result: AnalysisResult, choice: KeyframeChoice, image: ImageArray
) -> None:
    # The image may be the annotated video's smaller frame: scale the landmarks to it.
    xy = result.landmarks_px[choice.index] * (image.shape[1] / result.info.width)
    x0, y0, x1, y1 = crop_box(xy, image.shape[1], image.shape[0])
    ax.imshow(image[y0:y1, x0:x1], extent=(x0, x1, y1, y0))
    side_name = choice.side.upper()
    hip, knee, ankle = (xy[Landmark[f"{side_name}_{joint}"]] for joint in ("HIP", "KNEE", "ANKLE"))
    colour = _SIDE_RGB[choice.side]
    if np.all(np.isfinite([hip, knee, ankle])):
        ax.plot([hip[0], knee[0]], [hip[1], knee[1]], color=colour, linewidth=3)
        ax.plot([knee[0], ankle[0]], [knee[1], ankle[1]], color=colour, linewidth=3)
        ax.plot(*zip(hip, knee, ankle, strict=True), "o", color="white", markersize=5)
        # Continue the thigh line past the knee: the FPPA is the angle between it and the shank.
        extension = knee + (knee - hip) * (
            np.linalg.norm(ankle - knee) / max(float(np.linalg.norm(knee - hip)), 1e-9)
        )
        ax.plot(
            [knee[0], extension[0]], [knee[1], extension[1]], "--", color="white", linewidth=1.5
        )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y1, y0)
    reading = "FPPA not measurable" if choice.fppa_deg is None else f"FPPA {choice.fppa_deg:.1f}°"
    ax.text(
        0.02,
        0.02,
        reading,
        transform=ax.transAxes,
        color="white",
        fontsize=13,
        fontweight="bold",
        va="bottom",
        bbox={"facecolor": colour, "alpha": 0.85, "edgecolor": "none"},
    )
    time_s = float(result.series.time_s[choice.index])
    if choice.rep is None:
        what = "highest FPPA (no rep detected)"
    else:
        doubt = "" if choice.rep.valid else f", doubtful: {choice.rep.reason}"
        mean = ""
        if choice.rep.kind == "hold" and choice.rep_fppa_deg is not None:
            mean = f", mean FPPA {choice.rep_fppa_deg:.1f}° over the hold"
        what = f"{choice.rep.kind} {choice.rep_position}{mean}{doubt}"
    ax.set_title(
        f"{choice.side.capitalize()} leg: {what}\nframe {choice.index}, {time_s:.2f} s", fontsize=10
    )


def crop_box(xy: FloatArray, width: int, height: int) -> tuple[int, int, int, int]:
    """Pixel box around the lower body with a margin, clamped to the frame (whole frame if none):
    the part of a key frame the figure shows."""
    points = xy[list(LOWER_BODY)]
    points = points[np.all(np.isfinite(points), axis=1)]
    if len(points) == 0:
        return 0, 0, width, height
    low, high = points.min(axis=0), points.max(axis=0)
    size = np.maximum(high - low, 20.0)
    margin = size * _CROP_MARGIN
    x0, y0 = np.floor(low - margin).astype(int)
    x1, y1 = np.ceil(high + margin).astype(int)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(width, x1), min(height, y1)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return 0, 0, width, height
    return int(x0), int(y0), int(x1), int(y1)


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _frame_fppa(result: AnalysisResult, side: Side, index: int) -> float | None:
    series = result.series.data.get(angle_key("fppa_deg", side))
    return None if series is None else _finite(float(series[index]))


def _rep_fppa(result: AnalysisResult, rep: RepEvent, missing: float) -> float:
    value = rep.values.get("fppa_deg")
    if value is None:
        key = angle_key("fppa_deg", rep.side)
        if key in result.series.data:
            value = float(result.series.data[key][rep.peak_index])
    if value is None or not math.isfinite(value):
        return missing
    return float(value)


def _shade_invalid(ax: Axes, time_s: FloatArray, valid: BoolArray) -> None:
    if len(time_s) == 0 or bool(np.all(valid)):
        return
    ax.fill_between(
        time_s,
        0,
        1,
        where=~valid,
        transform=ax.get_xaxis_transform(),
        color="0.6",
        alpha=0.25,
        step="mid",
        label="not tracked / doubtful",
    )


def _mark_reps(ax: Axes, reps: tuple[RepEvent, ...]) -> None:
    for position, rep in enumerate(reps, start=1):
        colour = _SIDE_RGB[rep.side]
        ax.axvspan(rep.start_s, rep.end_s, color=colour, alpha=0.07)
        ax.axvline(rep.peak_s, color=colour, linewidth=1.0, linestyle=":" if not rep.valid else "-")
        ax.text(
            rep.peak_s,
            1.0,
            str(position),
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=7,
            color=colour,
        )


def _title(result: AnalysisResult) -> str:
    quality = "" if result.quality.valid else " (quality doubtful)"
    return f"{result.info.file_name}, {result.task.value}{quality}"


def _figure(size_px: tuple[int, int]) -> Figure:
    """A figure of exactly ``size_px``; margins are fixed by each plot (an automatic layout
    engine would draw the whole figure twice, doubling the cost)."""
    return Figure(figsize=(size_px[0] / DPI, size_px[1] / DPI), dpi=DPI)


def _save(figure: Figure, path: Path) -> Path:
    """Save as PNG at exactly the figure size, renamed into place when complete."""
    partial = path.with_name(path.name + ".part")
    # zlib level 1: a third faster to write than the default 6, 12% larger
    figure.savefig(partial, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    partial.replace(path)
    return path
