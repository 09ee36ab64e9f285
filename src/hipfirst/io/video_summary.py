"""Read a ``hipfirst analyze`` ``summary.json`` into :class:`VideoMetrics`.

Contract (written by the video engine): ``schema`` =
``hipfirst.video-summary/1``, ``task``, ``per_side.{left,right}.{METRIC}``
with ``mean/sd/n/valid/reason/flagged/threshold`` and ``quality.{valid,
warnings}``. Other keys are ignored so the video engine can add fields.

The numbers are checked as strictly as an assessment's: a mean or SD must be a
finite angle (at most :data:`MAX_ANGLE_DEG` degrees; NaN, infinity or 1e308 is a
broken summary, never evidence), ``n`` a whole number of repetitions from 0, and a
metric marked valid must have a mean.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hipfirst.core.assessment import field_errors
from hipfirst.core.video_metrics import VideoMetrics
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.io.text_file import MEGABYTE, decode_json, read_text_file
from hipfirst.knowledge.vocabulary import FRONTAL_METRICS, SUMMARY_SCHEMA

MAX_SUMMARY_BYTES = 5 * MEGABYTE
"""A summary is a few kilobytes; anything above 5 MB is the wrong file."""
MAX_ANGLE_DEG = 180.0
"""Every metric is an angle in degrees; no mean or SD of one can exceed 180."""
MAX_REPETITIONS = 100_000
"""An ``n`` above this is not a count of repetitions in one video."""


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _metric_errors(where: str, metric: dict[str, Any]) -> list[FieldError]:
    """What is wrong with one metric summary (empty when it can be used)."""
    problems: list[FieldError] = []
    for key, low in (("mean", -MAX_ANGLE_DEG), ("sd", 0.0)):
        value = metric.get(key)
        if value is None:
            continue
        if not _is_number(value) or not (math.isfinite(value) and low <= value <= MAX_ANGLE_DEG):
            problems.append(
                FieldError(
                    f"{where}.{key}",
                    f"must be a finite angle from {low:g} to {MAX_ANGLE_DEG:g} degrees, or null",
                    value,
                )
            )
    n = metric.get("n", 0)
    if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= MAX_REPETITIONS:
        problems.append(
            FieldError(f"{where}.n", f"must be a whole number from 0 to {MAX_REPETITIONS:,}", n)
        )
    for key in ("valid", "flagged"):
        if key in metric and not isinstance(metric[key], bool | None):
            problems.append(FieldError(f"{where}.{key}", "must be true or false", metric[key]))
    if metric.get("valid") is True and metric.get("mean") is None:
        problems.append(FieldError(f"{where}.valid", "a valid metric needs a mean"))
    return problems


def read_video_summary(path: Path, field: str = "video summary") -> VideoMetrics:
    """Parse one summary file; ``field`` names where it was referenced (for messages)."""
    if not path.is_file():
        raise InputValidationError(
            str(path), [FieldError(field, f"video summary file not found: {path}")]
        )
    text = read_text_file(
        path,
        what="a video summary",
        content="UTF-8 JSON",
        expected="a video summary from 'hipfirst analyze'",
        max_bytes=MAX_SUMMARY_BYTES,
    )
    return parse_video_summary(decode_json(path, text), str(path))


def parse_video_summary(document: object, source: str) -> VideoMetrics:
    """Validate a decoded summary; unknown metrics and keys are ignored."""
    if not isinstance(document, dict):
        raise InputValidationError(source, [FieldError("(top level)", "must be a JSON object")])
    schema = document.get("schema")
    if schema != SUMMARY_SCHEMA:
        raise InputValidationError(
            source, [FieldError("schema", f"must be {SUMMARY_SCHEMA!r}", schema)]
        )
    per_side_raw = document.get("per_side") or {}
    per_side: dict[str, dict[str, Any]] = {}
    problems: list[FieldError] = []
    if isinstance(per_side_raw, dict):
        for side in ("left", "right"):
            metrics = per_side_raw.get(side)
            if isinstance(metrics, dict):
                per_side[side] = {k: v for k, v in metrics.items() if k in FRONTAL_METRICS}
                for name, metric in per_side[side].items():
                    if isinstance(metric, dict):
                        problems.extend(_metric_errors(f"per_side.{side}.{name}", metric))
    if problems:
        raise InputValidationError(source, problems)
    quality = document.get("quality") or {}
    data = {
        "source": source,
        "task": document.get("task"),
        "per_side": per_side,
        "quality_valid": quality.get("valid", True) if isinstance(quality, dict) else True,
        "warnings": quality.get("warnings", []) if isinstance(quality, dict) else [],
        "cadence_steps_per_min": document.get("cadence_steps_per_min"),
    }
    try:
        return VideoMetrics.model_validate(data)
    except ValidationError as error:
        raise InputValidationError(source, field_errors(error)) from None
