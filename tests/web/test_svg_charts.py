"""Progress charts as SVG (issue 11, item 8): one point per session day and measure, the
legend under the plot, readable sizes for a desktop and a phone, doubtful values shown
hollow with their reason (the lab video's FPPA), and the routes."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from clinic_world import World
from hipfirst.application.progress_charts import fppa_chart, pain_chart
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.storage.models import Assessment, JobStatus, Patient, SessionLog, VideoAnalysis
from hipfirst.web import svg_charts
from hipfirst.web.routes.charts import drawn

SVG = "{http://www.w3.org/2000/svg}"
LAB_SUMMARY = (
    Path(__file__).resolve().parents[1] / "io" / "data" / "lab-single-leg-stance-summary.json"
)
MARCH = dt.date(2026, 3, 2)


def points(svg: str) -> list[dict[str, str]]:
    root = ET.fromstring(svg)
    return [c.attrib for c in root.iter(f"{SVG}circle") if "data-series" in c.attrib]


def log(
    patient_id: int, day: dt.date, exercise: str, during: int, morning: int | None
) -> SessionLog:
    return SessionLog(
        patient_id=patient_id,
        performed_on=day,
        exercise_id=exercise,
        sets=2,
        reps=10,
        pain_during=during,
        pain_next_morning=morning,
        form_ok=True,
    )


def test_it_draws_one_point_per_session_day_the_highest_pain(
    world: World, kb: KnowledgeBase
) -> None:
    patient_id = world.patients["pat"].id
    with world.db() as db:
        db.add_all(
            [
                log(patient_id, MARCH, "clamshell", 2, 1),
                log(patient_id, MARCH, "bridge", 5, 3),  # same day: the highest counts
                log(patient_id, MARCH, "squat", 3, None),
                log(patient_id, MARCH + dt.timedelta(days=2), "clamshell", 1, None),
            ]
        )
        db.commit()
        chart = pain_chart(db.get_one(Patient, patient_id), kb)
    svg = svg_charts.render(drawn(chart))
    found = [(p["data-series"], p["data-date"], p["data-value"]) for p in points(svg)]
    assert found == [
        ("during the session", "2026-03-02", "5"),
        ("during the session", "2026-03-04", "1"),
        ("the next morning", "2026-03-02", "3"),  # a morning not rated is not drawn
    ]
    # one polyline per series with more than one point: no same-day zig-zag possible
    lines = ET.fromstring(svg).findall(f"{SVG}polyline")
    assert len(lines) == 1 and len(lines[0].attrib["points"].split()) == 2
    assert "top of the safe zone: 3/10 (secondary)" in svg


@pytest.mark.parametrize(("layout", "width"), [("wide", 720), ("narrow", 360)])
def test_it_keeps_the_legend_under_the_data_at_a_readable_size(layout: str, width: int) -> None:
    series = [
        svg_charts.Series(
            f"series {i}",
            [svg_charts.Point(MARCH + dt.timedelta(days=d), 50 + i + d) for d in (0, 3, 9)],
        )
        for i in range(5)
    ]
    chart = svg_charts.Chart("t", "%", series, empty="", reference=(90, "pass mark 90 %"))
    root = ET.fromstring(svg_charts.render(chart, layout))  # type: ignore[arg-type]
    assert root.attrib["width"] == str(width) and root.attrib["viewBox"].startswith(f"0 0 {width} ")
    lowest_point = max(
        float(c.attrib["cy"]) for c in root.iter(f"{SVG}circle") if "data-series" in c.attrib
    )
    legend = [
        t for t in root.iter(f"{SVG}text") if t.text and t.text.startswith(("series", "pass"))
    ]
    assert len(legend) == 6
    assert all(float(t.attrib["y"]) > lowest_point + 20 for t in legend)  # below the axis
    assert all(
        int(t.attrib["font-size"]) >= 12
        for t in root.iter(f"{SVG}text")
        if t.text and t.text.startswith("series")
    )
    assert all(float(t.attrib["x"]) < width for t in legend)  # wrapped inside the width
    assert "<style" not in svg_charts.render(chart) and "script" not in svg_charts.render(chart)


def test_it_says_so_when_there_is_nothing_to_draw() -> None:
    svg = svg_charts.render(
        svg_charts.Chart(
            "Pain", "/10", [svg_charts.Series("during", [])], empty="No sessions logged yet"
        )
    )
    assert "No sessions logged yet" in svg and points(svg) == []


def _lab_analysis(world: World, upload_name: str = "lab.mp4") -> None:
    summary = json.loads(LAB_SUMMARY.read_text("utf-8"))
    with world.db() as db:
        db.add(
            VideoAnalysis(
                patient_id=world.patients["pat"].id,
                upload_name=upload_name,
                original_name="lab-single-leg-balance-oblique.mp4",
                task="single-leg-stance",
                side="auto",
                status=JobStatus.done,
                summary_json=summary,
                output_dir="patients/1/analyses/1",
            )
        )
        db.commit()


def test_it_shows_the_lab_videos_fppa_as_doubtful_with_its_reason(world: World) -> None:
    _lab_analysis(world)
    with world.db() as db:
        chart = fppa_chart(db.get_one(Patient, world.patients["pat"].id))
    svg = svg_charts.render(drawn(chart), "narrow")
    assert "No valid FPPA" not in svg and "No FPPA" not in svg
    found = {(p["data-series"], p["data-value"], p["data-doubtful"]) for p in points(svg)}
    assert found == {
        ("left knee, single-leg stance", "-17.8", "true"),
        ("right knee, single-leg stance", "14.8", "true"),
    }
    text = " ".join(t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text"))
    assert "left: -17.8° is doubtful (camera view is oblique: frontal-plane angles are" in text
    assert "doubtful: shown hollow, not used" in text
    assert ET.fromstring(svg).findall(f"{SVG}polyline") == []  # doubtful points are not joined


def test_it_notes_two_alike_clips_of_one_day_once(world: World) -> None:
    """The same video analysed twice in a day: one point per side and one note each."""
    _lab_analysis(world)
    _lab_analysis(world, "lab-again.mp4")
    with world.db() as db:
        chart = fppa_chart(db.get_one(Patient, world.patients["pat"].id))
    assert [len(points) for points in chart.series.values()] == [1, 1]
    assert (
        len(chart.notes) == 2 and " single-leg stance, left: -17.8° is doubtful" in chart.notes[0]
    )


def test_it_serves_the_charts_to_the_patient_and_the_clinician(world: World) -> None:
    _lab_analysis(world)
    with world.db() as db:
        db.add(
            Assessment(
                patient_id=world.patients["pat"].id,
                assessed_on=MARCH,
                exam_json={},
                report_json={
                    "measures": {"akps": {"value": 70}, "hip_abduction_lsi_pct": {"value": 80}}
                },
            )
        )
        db.commit()
    base = f"/patients/{world.patients['pat'].id}/charts"
    for persona in ("pat", "alice"):
        client = world.client(persona)
        for name in ("pain", "questionnaires", "symmetry", "fppa"):
            response = client.get(f"{base}/{name}.svg?layout=narrow")
            assert response.status_code == 200, name
            assert response.headers["content-type"] == "image/svg+xml"
            assert ET.fromstring(response.text).attrib["width"] == "360"
    assert world.client("alice").get(f"{base}/nothing.svg").status_code == 404
    assert world.client("bob").get(f"{base}/pain.svg").status_code == 404
    questionnaires = world.client("pat").get(f"{base}/questionnaires.svg").text
    assert [(p["data-series"], p["data-value"]) for p in points(questionnaires)] == [
        ("AKPS (0–100)", "70")
    ]
    page = world.client("pat").get(f"/patients/{world.patients['pat'].id}/progress").text
    assert re.search(
        r'<source media="\(max-width: 40rem\)" srcset="[^"]+/charts/fppa.svg\?layout=narrow">', page
    )
