"""Progress charts as SVG: ``GET /patients/{patient_id}/charts/{chart_name}.svg``.

``chart_name`` is ``pain``, ``questionnaires``, ``symmetry`` or ``fppa``; ``?layout=narrow``
draws it for a phone (the progress page picks it with ``<picture>``). The data and
its words come from :mod:`hipfirst.application.progress_charts`, the drawing from
:mod:`hipfirst.web.svg_charts`. The patient and their clinician may see them. (The
PNG charts of the same names stay at their documented URLs.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from hipfirst.application import progress_charts as data
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.storage.models import Patient
from hipfirst.web import svg_charts
from hipfirst.web.deps import PatientRecord

router = APIRouter(prefix="/patients/{patient_id}/charts")

SVG = "image/svg+xml"
CHARTS: dict[str, Callable[[Patient], data.ChartData]] = {
    "pain": lambda patient: data.pain_chart(patient, knowledge_base()),
    "questionnaires": data.questionnaire_chart,
    "symmetry": lambda patient: data.symmetry_chart(patient, knowledge_base()),
    "fppa": data.fppa_chart,
}


def drawn(found: data.ChartData) -> svg_charts.Chart:
    """The chart data as the SVG drawer takes it."""
    return svg_charts.Chart(
        title=found.title,
        unit=found.unit,
        series=[svg_charts.Series(name, list(points)) for name, points in found.series.items()],
        empty=found.empty,
        low=found.low,
        high=found.high,
        reference=found.reference,
        notes=found.notes,
    )


@router.get("/{chart_name}.svg")
def chart(
    chart_name: str,
    patient: PatientRecord,
    layout: Annotated[str, Query(max_length=10)] = "wide",
) -> Response:
    make = CHARTS.get(chart_name)
    if make is None:
        raise HTTPException(status_code=404, detail="No such chart.")
    shape: svg_charts.Layout = "narrow" if layout == "narrow" else "wide"
    svg = svg_charts.render(drawn(make(patient)), shape)
    return Response(svg, media_type=SVG, headers={"Cache-Control": "private, no-store"})
