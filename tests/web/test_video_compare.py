"""Video comparison a clinician can trust (issue 11, item 7): key frames and videos side by
side at the same size, each clip's quality warnings, no verdict on change when either clip
is doubtful, picker entries named by date, task, side and file name and never alike."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re
import uuid
from pathlib import Path
from typing import Any

from PIL import Image

from clinic_world import World
from hipfirst.storage.files import analysis_dir
from hipfirst.storage.models import JobStatus, VideoAnalysis

LAB_SUMMARY = (
    Path(__file__).resolve().parents[1] / "io" / "data" / "lab-single-leg-stance-summary.json"
)
WHEN = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)


def lab_summary() -> dict[str, Any]:
    """The real summary of the lab video: oblique view, so quality doubtful."""
    summary: dict[str, Any] = json.loads(LAB_SUMMARY.read_text("utf-8"))
    return summary


def sound(summary: dict[str, Any], fppa_left: float) -> dict[str, Any]:
    """The same summary as if filmed front-on: quality passed, the FPPA valid."""
    fixed = copy.deepcopy(summary)
    fixed["quality"]["valid"] = True
    fixed["quality"]["warnings"] = []
    entry = fixed["per_side"]["left"]["fppa_deg"]
    entry.update(mean=fppa_left, valid=True, reason="")
    entry["measurement_error"] = {
        "smallest_detectable_difference": {
            "measure_id": "fppa_sdd",
            "value": 8.93,
            "unit": "deg",
            "status": "published",
            "sources": ["munro_2012"],
            "description": "a change of 8.93 deg (MDC)",
        }
    }
    return fixed


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def analysis(
    world: World, summary: dict[str, Any], when: dt.datetime, name: str, size: tuple[int, int]
) -> int:
    patient_id = world.patients["pat"].id
    with world.db() as db:
        row = VideoAnalysis(
            patient_id=patient_id,
            upload_name=f"{uuid.uuid4().hex}.mp4",
            original_name=name,
            task="single-leg-stance",
            side="auto",
            status=JobStatus.done,
            summary_json=summary,
            created_at=when,
        )
        db.add(row)
        db.flush()
        row.output_dir = f"patients/{patient_id}/analyses/{row.id}"
        db.commit()
        analysis_id = row.id
    folder = analysis_dir(world.settings.data_dir, patient_id, analysis_id)
    folder.mkdir(parents=True)
    (folder / "keyframes.png").write_bytes(png(*size))
    (folder / "annotated.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    return analysis_id


def compare(world: World, before: int, after: int) -> str:
    url = f"/patients/{world.patients['pat'].id}/videos/compare?before={before}&after={after}"
    response = world.client("alice").get(url)
    assert response.status_code == 200, response.text
    return response.text


def test_it_gives_no_verdict_between_two_doubtful_clips(world: World) -> None:
    first = analysis(world, lab_summary(), WHEN, "lab.mp4", (1200, 700))
    later = lab_summary()
    later["per_side"]["left"]["fppa_deg"]["mean"] = 17.7  # +35.5°: the example
    second = analysis(world, later, WHEN + dt.timedelta(days=14), "lab.mp4", (1200, 700))
    page = compare(world, first, second)
    assert "larger than the measurement error" not in page
    assert "No verdict on change:" in page and "the before clip and the after clip" in page
    row = page.split('id="change-knee-valgus-fppa-left"')[1].split("</tr>")[0]
    assert "+35.5°" in row and "not judged: the before clip is doubtful (the body is turned" in row
    # each clip's warnings, beside its own pictures
    for which in ("before", "after"):
        clip = page.split(f'id="clip-{which}"')[1].split("</section>")[0]
        assert "Quality: doubtful" in clip
        assert "<li>the body is turned about 38° from the camera (oblique view" in clip
        assert (
            'class="result same-scale" src="/patients/' in clip and "/files/keyframes.png" in clip
        )
        assert "<video" in clip and "/files/annotated.mp4" in clip
    assert "The key-frame pictures are the same size, so they are at the same scale." in page


def test_it_judges_the_change_when_both_clips_are_sound(world: World) -> None:
    first = analysis(world, sound(lab_summary(), 14.0), WHEN, "before.mp4", (1200, 700))
    second = analysis(
        world, sound(lab_summary(), 3.0), WHEN + dt.timedelta(days=30), "after.mp4", (1200, 700)
    )
    page = compare(world, first, second)
    row = page.split('id="change-knee-valgus-fppa-left"')[1].split("</tr>")[0]
    assert "−11.0°" in row or "-11.0°" in row
    assert "larger than the measurement error" in row
    assert 'href="/references#ref-munro_2012"' in row  # the source as a link, not an id
    assert "No verdict on change" not in page
    # the right side stays doubtful in both (oblique in the real summary): not judged
    right = page.split('id="change-knee-valgus-fppa-right"')[1].split("</tr>")[0]
    assert "not judged: the before value is not valid (camera view is oblique" in right


def test_it_says_when_the_pictures_are_not_at_the_same_scale(world: World) -> None:
    first = analysis(world, lab_summary(), WHEN, "a.mp4", (1200, 700))
    second = analysis(world, lab_summary(), WHEN + dt.timedelta(days=1), "b.mp4", (800, 600))
    page = compare(world, first, second)
    assert "The key-frame pictures differ in size, so equal widths are not the same scale." in page


def test_it_names_every_entry_of_the_picker_differently(world: World) -> None:
    twins = [analysis(world, lab_summary(), WHEN, "lab.mp4", (1200, 700)) for _ in range(2)]
    other = analysis(world, lab_summary(), WHEN + dt.timedelta(days=2), "week-2.mp4", (1200, 700))
    page = world.client("pat").get(f"/patients/{world.patients['pat'].id}/videos/compare").text
    picker = page.split('id="f-before"')[1].split("</select>")[0]
    entries = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', picker)
    labels = [label for _, label in entries]
    assert len(labels) == 3 and len(set(labels)) == 3
    by_id = dict(entries)
    assert (
        by_id[str(other)] == "2026-11-05 09:30 · single-leg stance · left leg (found) · week-2.mp4"
    )
    for twin in twins:  # same time and file: told apart by their analysis number
        assert by_id[str(twin)] == (
            f"2026-11-03 09:30 · single-leg stance · left leg (found) · lab.mp4 · analysis {twin}"
        )
    assert '<optgroup label="Single-leg stance">' in picker
