"""Draw the analysis onto one video frame: skeleton, angle readouts, rep counter, peak marker.

Pure drawing on an RGB ``uint8`` array with OpenCV primitives (no file or
decoder access), so ``render.py`` can stream frame by frame. Landmarks are
pixels of the displayed frame (see :mod:`hipfirst.video.types`); ``scale``
maps them to the drawn image when the output is resized. OpenCV's fonts have
no degree sign, so units are written ``deg``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from hipfirst.knowledge.vocabulary import SIDES, Side, VideoMetric
from hipfirst.video.landmarks import POSE_CONNECTIONS, Landmark
from hipfirst.video.types import AnalysisResult, FloatArray, ImageArray, RepEvent, angle_key

Colour = tuple[int, int, int]

SIDE_COLOURS: dict[Side, Colour] = {"left": (255, 140, 0), "right": (0, 150, 255)}
"""RGB colour of each side of the body, shared with the plots (orange left, blue right)."""
CENTRE_COLOUR: Colour = (235, 235, 235)
PEAK_COLOUR: Colour = (230, 30, 60)
TEXT_COLOUR: Colour = (255, 255, 255)
PANEL_COLOUR: Colour = (20, 20, 20)

READOUT_METRICS: tuple[tuple[VideoMetric, str], ...] = (
    ("fppa_deg", "FPPA (valgus +)"),
    ("hip_adduction_deg", "Hip adduction"),
    ("pelvic_drop_deg", "Pelvic drop"),
    ("trunk_lean_deg", "Trunk lean"),
    ("knee_flexion_deg", "Knee flexion"),
)
"""Angles shown on every frame, in this order, with their on-screen labels."""

PEAK_MARK_S = 0.25
"""How long (s) either side of a rep's peak frame the peak marker stays visible."""

_FONT = cv2.FONT_HERSHEY_SIMPLEX


@dataclass(frozen=True)
class FrameLabels:
    """What the overlay says on one frame (computed from the result, drawn by :func:`draw`)."""

    readouts: tuple[str, ...]
    rep_counter: str
    peak: str | None
    quality_note: str | None


def side_of(landmark: Landmark) -> Side | None:
    """``left``/``right`` for a limb landmark, None for the shoulder/hip cross bars."""
    name = landmark.name
    if name.startswith("LEFT_"):
        return "left"
    if name.startswith("RIGHT_"):
        return "right"
    return None


def format_angle(value: float | None) -> str:
    """``12.3`` or ``--`` when not measurable."""
    if value is None or not math.isfinite(value):
        return "--"
    return f"{value:.1f}"


def frame_labels(result: AnalysisResult, index: int) -> FrameLabels:
    """The readouts, rep counter and peak marker text for frame row ``index``."""
    readouts: list[str] = []
    for metric, label in READOUT_METRICS:
        values = [_value_at(result, metric, side, index) for side in SIDES]
        if all(value is None for value in values):
            continue
        left, right = (format_angle(value) for value in values)
        readouts.append(f"{label}: L {left} R {right} deg")
    time_s = float(result.series.time_s[index])
    return FrameLabels(
        readouts=tuple(readouts),
        rep_counter=rep_counter(result.reps, index),
        peak=_peak_text(result, time_s),
        quality_note=None if result.quality.valid else "Quality doubtful: see summary",
    )


def rep_counter(reps: tuple[RepEvent, ...], index: int) -> str:
    """``Rep 2/5 (left)`` while inside a rep, ``Reps done 2/5`` between reps, ``Reps 0`` if none."""
    total = len(reps)
    if total == 0:
        return "Reps: none detected"
    for position, rep in enumerate(reps, start=1):
        if rep.start_index <= index <= rep.end_index:
            return f"{_kind_label(rep)} {position}/{total} ({rep.side})"
    done = sum(1 for rep in reps if rep.end_index < index)
    return f"{_kind_label(reps[0])}s done {done}/{total}"


def draw(image: ImageArray, xy: FloatArray, labels: FrameLabels, *, scale: float = 1.0) -> None:
    """Draw skeleton and labels onto ``image`` in place; ``xy`` is ``(33, 2)`` source pixels."""
    height = image.shape[0]
    unit = max(0.35, min(image.shape[:2]) / 720.0)  # sizes follow the frame's short side
    thickness = max(1, round(3 * unit))
    points = xy * scale
    for start, end in POSE_CONNECTIONS:
        a, b = points[start], points[end]
        if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
            continue
        side = side_of(start) if side_of(start) == side_of(end) else None
        colour = SIDE_COLOURS[side] if side else CENTRE_COLOUR
        cv2.line(image, _pt(a), _pt(b), colour, thickness, cv2.LINE_AA)
    for landmark in Landmark:
        point = points[landmark]
        if landmark < Landmark.LEFT_SHOULDER or not np.all(np.isfinite(point)):
            continue
        side = side_of(landmark)
        colour = SIDE_COLOURS[side] if side else CENTRE_COLOUR
        cv2.circle(image, _pt(point), thickness + 2, colour, -1, cv2.LINE_AA)

    lines = [labels.rep_counter, *labels.readouts]
    if labels.quality_note:
        lines.append(labels.quality_note)
    _text_panel(image, lines, origin=(round(10 * unit), round(10 * unit)), unit=unit)
    if labels.peak:
        border = max(4, round(8 * unit))
        inset = border // 2  # the line is centred on the rectangle: keep it all inside
        corner = (image.shape[1] - 1 - inset, height - 1 - inset)
        cv2.rectangle(image, (inset, inset), corner, PEAK_COLOUR, border)
        _text_panel(
            image,
            [labels.peak],
            origin=(round(10 * unit), height - round(60 * unit)),
            unit=unit,
            background=PEAK_COLOUR,
        )


def _value_at(result: AnalysisResult, metric: VideoMetric, side: Side, index: int) -> float | None:
    series = result.series.data.get(angle_key(metric, side))
    if series is None:
        return None
    value = float(series[index])
    return value if math.isfinite(value) else None


def _kind_label(rep: RepEvent) -> str:
    return {"rep": "Rep", "stance": "Step", "landing": "Landing", "hold": "Hold"}[rep.kind]


def _peak_text(result: AnalysisResult, time_s: float) -> str | None:
    for position, rep in enumerate(result.reps, start=1):
        if abs(time_s - rep.peak_s) <= PEAK_MARK_S:
            fppa = _value_at(result, "fppa_deg", rep.side, rep.peak_index)
            if fppa is None:
                fppa = rep.values.get("fppa_deg")
            reading = f": FPPA {format_angle(fppa)} deg" if fppa is not None else ""
            return f"PEAK {_kind_label(rep).lower()} {position} ({rep.side}){reading}"
    return None


def _text_panel(
    image: ImageArray,
    lines: list[str],
    *,
    origin: tuple[int, int],
    unit: float,
    background: Colour = PANEL_COLOUR,
) -> None:
    """Lines of text on a filled box, readable on any background."""
    font_scale = 0.7 * unit
    weight = max(1, round(1.5 * unit))
    sizes = [cv2.getTextSize(line, _FONT, font_scale, weight)[0] for line in lines]
    line_height = max(height for _, height in sizes) + round(10 * unit)
    pad = round(8 * unit)
    width = max(width for width, _ in sizes) + 2 * pad
    x, y = origin
    box_bottom = y + line_height * len(lines) + pad
    cv2.rectangle(image, (x, y), (x + width, box_bottom), background, -1)
    for row, line in enumerate(lines, start=1):
        baseline = y + row * line_height
        cv2.putText(
            image, line, (x + pad, baseline), _FONT, font_scale, TEXT_COLOUR, weight, cv2.LINE_AA
        )


def _pt(point: FloatArray) -> tuple[int, int]:
    return round(float(point[0])), round(float(point[1]))
