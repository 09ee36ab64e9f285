"""Tables for the analysis pages, built from ``summary.json`` (pure: no I/O, no web).

Every threshold and measurement error comes from the summary, which took them
from the knowledge base with their status and sources; nothing clinical is
decided here except "is the change larger than the error the summary gives".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

METRIC_LABELS = {
    "fppa_deg": "Knee valgus (FPPA)",
    "hip_adduction_deg": "Hip adduction",
    "pelvic_drop_deg": "Pelvic drop",
    "trunk_lean_deg": "Trunk lean",
    "knee_flexion_deg": "Knee flexion",
}
SIDES = ("left", "right")
# Which measurement error a change is compared with, in order of preference.
CHANGE_ERRORS = ("smallest_detectable_difference", "between_day")


@dataclass(frozen=True)
class Reference:
    """A knowledge-base number as the summary quotes it: value, status and sources."""

    text: str
    status: str
    sources: tuple[str, ...]

    @property
    def label(self) -> str:
        source = ", ".join(self.sources) or "no source"
        return f"{self.text} ({self.status}; {source})"


@dataclass(frozen=True)
class MetricRow:
    """One angle on one side: the measured mean and how it compares with its flag."""

    metric: str
    label: str
    side: str
    value: str
    valid: bool
    reason: str
    threshold: Reference | None
    threshold_note: str
    verdict: str


@dataclass(frozen=True)
class ChangeRow:
    """One angle on one side in two analyses, and whether the change exceeds the error.

    ``doubtful`` says why the change is not judged (a clip failed its quality check, or
    the angle itself is marked not valid in either clip); the verdict then says so and
    never calls the change real.
    """

    label: str
    side: str
    before: str
    after: str
    change: float | None
    error: Reference | None
    verdict: str
    doubtful: str = ""

    @property
    def judged(self) -> bool:
        return not self.doubtful


def clip_doubt(summary: dict[str, Any], entry: dict[str, Any], which: str) -> str:
    """Why one clip's angle cannot carry a verdict ("" when it can): its quality check
    failed, or the angle is marked not valid (with the summary's reason)."""
    quality = summary.get("quality") or {}
    if quality.get("valid") is False:
        warnings = (
            "; ".join(str(w) for w in quality.get("warnings") or []) or "quality check failed"
        )
        return f"the {which} clip is doubtful ({warnings})"
    if not entry.get("valid"):
        return f"the {which} value is not valid ({entry.get('reason') or 'no reason given'})"
    return ""


def _reference(measure: Any) -> Reference | None:
    if not isinstance(measure, dict):
        return None
    return Reference(
        text=str(measure.get("description") or measure.get("value")),
        status=str(measure.get("status", "unconfirmed")),
        sources=tuple(str(source) for source in measure.get("sources", [])),
    )


def _value(entry: dict[str, Any]) -> str:
    mean = entry.get("mean")
    if mean is None:
        return "not measured"
    text = f"{mean:.1f}°"
    if entry.get("sd") is not None:
        text += f" ± {entry['sd']:.1f}"
    return f"{text} (n={entry.get('n', 0)})"


def _verdict(entry: dict[str, Any]) -> str:
    flagged = entry.get("flagged")
    if flagged is True:
        return "beyond the flag"
    if flagged is False:
        return "within the flag"
    return "no comparison"


def metric_rows(summary: dict[str, Any]) -> list[MetricRow]:
    """Per-side metrics vs thresholds, in a fixed order (missing metrics are skipped)."""
    per_side = summary.get("per_side") or {}
    rows = []
    for metric, label in METRIC_LABELS.items():
        for side in SIDES:
            entry = (per_side.get(side) or {}).get(metric)
            if not isinstance(entry, dict):
                continue
            rows.append(
                MetricRow(
                    metric=metric,
                    label=label,
                    side=side,
                    value=_value(entry),
                    valid=bool(entry.get("valid")),
                    reason=str(entry.get("reason") or ""),
                    threshold=_reference(entry.get("threshold")),
                    threshold_note=str(entry.get("threshold_note") or ""),
                    verdict=_verdict(entry),
                )
            )
    return rows


def quality_warnings(summary: dict[str, Any]) -> list[str]:
    quality = summary.get("quality") or {}
    return [str(warning) for warning in quality.get("warnings", [])]


def _change_error(entry: dict[str, Any]) -> tuple[Reference | None, float | None]:
    errors = entry.get("measurement_error") or {}
    for key in CHANGE_ERRORS:
        measure = errors.get(key)
        if isinstance(measure, dict) and isinstance(measure.get("value"), int | float):
            return _reference(measure), float(measure["value"])
    return None, None


def change_rows(before: dict[str, Any], after: dict[str, Any]) -> list[ChangeRow]:
    """Before/after table: the change (after − before) against the measurement error,
    judged only when both clips and both values are sound (:func:`clip_doubt`)."""
    rows = []
    for metric, label in METRIC_LABELS.items():
        for side in SIDES:
            old = ((before.get("per_side") or {}).get(side) or {}).get(metric)
            new = ((after.get("per_side") or {}).get(side) or {}).get(metric)
            if not isinstance(old, dict) or not isinstance(new, dict):
                continue
            change = None
            if old.get("mean") is not None and new.get("mean") is not None:
                change = round(float(new["mean"]) - float(old["mean"]), 2)
            error, limit = _change_error(new)
            doubt = clip_doubt(before, old, "before") or clip_doubt(after, new, "after")
            if change is None:
                verdict = "not measured in both"
            elif doubt:
                verdict = f"not judged: {doubt}"
            elif limit is None:
                verdict = "no published measurement error to compare with"
            elif abs(change) > limit:
                verdict = "larger than the measurement error"
            else:
                verdict = "within the measurement error (may be noise)"
            rows.append(
                ChangeRow(label, side, _value(old), _value(new), change, error, verdict, doubt)
            )
    return rows
