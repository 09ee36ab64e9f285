"""The data of the progress charts: one point per session (or assessment, or analysis day)
and measure, and honest words for what could not be drawn.

* **Pain**: the highest pain during, and the highest the next morning, of each session
  day (the worst counts, as progression judges it), with the top of the safe zone.
* **Questionnaires** and **symmetry**: one point per assessment day (the later record
  of a day wins), with the symmetry pass mark.
* **FPPA**: each side's mean per finished analysis day. A value the analysis marked
  doubtful (an oblique view, a failed quality check) is drawn hollow with its reason,
  never hidden and never counted as valid; an analysis without any FPPA says so.

The web edge turns a :class:`~hipfirst.web.svg_charts.Chart` into SVG; the numbers
and words are decided here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from hipfirst.errors import InputValidationError
from hipfirst.io.video_summary import parse_video_summary
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import SIDES, VIDEO_TASK_NAMES
from hipfirst.storage.models import JobStatus, Patient, SessionLog

SAFE_ZONE = "pain_zone_safe"
LSI_PASS = "strength_lsi_pass"
LSI_SUFFIX = "_lsi_pct"
QUESTIONNAIRES = {"akps": "AKPS (0–100)", "lefs": "LEFS (0–80)", "koos_pf": "KOOS-PF (0–100)"}


@dataclass(frozen=True)
class ChartPoint:
    day: dt.date
    value: float
    doubtful: bool = False
    note: str = ""


@dataclass(frozen=True)
class ChartData:
    """Series by name (points in date order), the y range, a reference line, notes."""

    title: str
    unit: str
    series: dict[str, list[ChartPoint]]
    empty: str
    low: float | None = None
    high: float | None = None
    reference: tuple[float, str] | None = None
    notes: list[str] = field(default_factory=list)


def _highest_per_day(
    logs: Iterable[SessionLog], value: Callable[[SessionLog], int | None]
) -> list[ChartPoint]:
    highest: dict[dt.date, int] = {}
    for log in logs:
        found = value(log)
        if found is not None:
            highest[log.performed_on] = max(highest.get(log.performed_on, found), found)
    return [ChartPoint(day, float(v)) for day, v in sorted(highest.items())]


def pain_chart(patient: Patient, kb: KnowledgeBase) -> ChartData:
    """The highest pain during and the next morning of each session day (0–10)."""
    safe = kb.measure(SAFE_ZONE)
    assert safe.high is not None  # a range always has both ends
    logs = patient.session_logs
    return ChartData(
        title="Pain: the highest of each session day (0–10)",
        unit="/10",
        series={
            "during the session": _highest_per_day(logs, lambda log: log.pain_during),
            "the next morning": _highest_per_day(logs, lambda log: log.pain_next_morning),
        },
        empty="No sessions logged yet",
        low=0,
        high=10,
        reference=(safe.high, f"top of the safe zone: {safe.high:g}/10 ({safe.status})"),
    )


def _per_assessment(
    patient: Patient, name_of: Callable[[str], str | None]
) -> dict[str, list[ChartPoint]]:
    """One point per assessment day and measure (a later record of the same day wins)."""
    by_day: dict[str, dict[dt.date, float]] = {}
    for assessment in sorted(patient.assessments, key=lambda a: (a.assessed_on, a.id)):
        for key, measure in ((assessment.report_json or {}).get("measures") or {}).items():
            name = name_of(key)
            value = measure.get("value") if isinstance(measure, dict) else None
            doubtful = isinstance(measure, dict) and measure.get("doubtful")
            if name is not None and isinstance(value, int | float) and not doubtful:
                by_day.setdefault(name, {})[assessment.assessed_on] = float(value)
    return {
        name: [ChartPoint(day, value) for day, value in sorted(days.items())]
        for name, days in by_day.items()
    }


def questionnaire_chart(patient: Patient) -> ChartData:
    return ChartData(
        title="Questionnaires per assessment (higher is better)",
        unit="points",
        series=_per_assessment(patient, QUESTIONNAIRES.get),
        empty="No scored questionnaire yet",
        low=0,
        high=100,
    )


def _lsi_name(key: str) -> str | None:
    if key.endswith(LSI_SUFFIX):
        return key.removesuffix(LSI_SUFFIX).replace("_", " ")
    return None


def symmetry_chart(patient: Patient, kb: KnowledgeBase) -> ChartData:
    target = kb.measure(LSI_PASS)
    assert target.value is not None  # a threshold always has a value
    return ChartData(
        title="Limb symmetry index per assessment",
        unit="%",
        series=_per_assessment(patient, _lsi_name),
        empty="No strength or balance symmetry measured yet",
        reference=(target.value, f"pass mark {target.value:g} % ({target.status})"),
    )


def fppa_chart(patient: Patient) -> ChartData:
    """Each side's FPPA mean per analysis day; doubtful values hollow, with their reason."""
    series: dict[str, dict[dt.date, ChartPoint]] = {}
    notes: list[str] = []
    finished = [
        a
        for a in sorted(patient.video_analyses, key=lambda a: (a.created_at, a.id))
        if a.status is JobStatus.done and a.summary_json
    ]
    for analysis in finished:
        day = analysis.created_at.date()
        task = VIDEO_TASK_NAMES.get(analysis.task, analysis.task)
        try:
            metrics = parse_video_summary(analysis.summary_json or {}, f"analysis {analysis.id}")
        except InputValidationError:
            notes.append(f"{day.isoformat()} {task}: the summary cannot be read")
            continue
        measured = False
        for side in SIDES:
            fppa = metrics.per_side.get(side, {}).get("fppa_deg")
            if fppa is None or fppa.mean is None:
                continue
            measured = True
            usable = fppa.valid and metrics.quality_valid
            reason = (
                fppa.reason or "; ".join(metrics.warnings) or "the video's quality check failed"
            )
            point = ChartPoint(day, round(fppa.mean, 1), not usable, "" if usable else reason)
            name = f"{side} knee, {task}"
            earlier = series.setdefault(name, {}).get(day)
            if earlier is None or earlier.doubtful or not point.doubtful:
                series[name][day] = point
            if not usable:
                notes.append(
                    f"{day.isoformat()} {task}, {side}: {fppa.mean:.1f}° is doubtful ({reason})"
                )
        if not measured:
            notes.append(f"{day.isoformat()} {task}: no FPPA measured")
    empty = "No finished video analysis yet" if not finished else "No FPPA measured yet"
    return ChartData(
        title="Knee angle on video (frontal plane projection angle)",
        unit="°",
        series={name: [p for _, p in sorted(days.items())] for name, days in series.items()},
        empty=empty,
        notes=list(dict.fromkeys(notes)),  # two alike clips on one day: one note
    )
