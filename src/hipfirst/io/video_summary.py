"""Read a ``hipfirst analyze`` ``summary.json`` into :class:`VideoMetrics`.

Contract (written by the video engine): ``schema`` =
``hipfirst.video-summary/1``, ``task``, ``per_side.{left,right}.{METRIC}``
with ``mean/sd/n/valid/reason/flagged/threshold`` and ``quality.{valid,
warnings}``. Other keys are ignored so the video engine can add fields.
"""

from __future__ import annotations

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
    if isinstance(per_side_raw, dict):
        for side in ("left", "right"):
            metrics = per_side_raw.get(side)
            if isinstance(metrics, dict):
                per_side[side] = {k: v for k, v in metrics.items() if k in FRONTAL_METRICS}
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
