"""Video pages: upload validation (by content, size limit), queueing, progress, cancel, compare.

The real analysis by the worker is in ``tests/worker/test_worker.py``, the
stored copy and its type by content in ``tests/storage/test_uploads.py``; here
the analyses stay queued or are given a summary by hand.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from clinic_world import CSRF_INPUT, Client, World, make_settings
from hipfirst.settings import Settings
from hipfirst.storage.files import uploads_dir
from hipfirst.storage.models import Job, JobStatus, VideoAnalysis
from hipfirst.web.video_view import change_rows, metric_rows

LAB_VIDEO = "lab-single-leg-balance-oblique.mp4"
MB = 1024 * 1024
NOT_ANALYSABLE = (
    "&#39;clip.mp4&#39; is not a file hipfirst can analyse; allowed: a video (MP4, MOV, M4V, "
    "WebM, MKV or AVI) or a still image (JPEG or PNG), recognised by the file&#39;s content"
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A 1 MB upload limit, so the size guard can be tested with small files."""
    return make_settings(tmp_path, max_upload_bytes=MB)


def upload(
    client: Client, patient_id: int, content: bytes, name: str, task: str, side: str = "auto"
) -> Any:
    return client.post(
        f"/patients/{patient_id}/videos",
        data={"task": task, "side": side, "csrf_token": client.csrf()},
        files={"video": (name, content, "video/mp4")},
        follow_redirects=False,
    )


def stored_files(world: World, patient_key: str = "pat") -> list[Path]:
    folder = uploads_dir(world.settings.data_dir, world.patients[patient_key].id)
    return sorted(folder.iterdir()) if folder.is_dir() else []


def analyses(world: World) -> list[VideoAnalysis]:
    with world.db() as db:
        return list(db.scalars(select(VideoAnalysis).order_by(VideoAnalysis.id)).all())


def test_it_refuses_a_text_file_named_like_a_video(world: World) -> None:
    alice = world.client("alice")
    response = upload(
        alice, world.patients["pat"].id, b"just some words\n" * 10, "clip.mp4", "step-down"
    )
    assert response.status_code == 400
    assert NOT_ANALYSABLE in response.text
    assert 'id="e-video"' in response.text
    # what the user chose is kept
    assert '<option value="step-down" selected>' in response.text
    assert analyses(world) == []
    assert stored_files(world) == []


def test_it_names_every_bad_choice_together(world: World) -> None:
    pat = world.client("pat")
    response = upload(pat, world.patients["pat"].id, b"", "clip.mp4", "jumping", "middle")
    assert response.status_code == 400
    assert (
        "choose the movement filmed (&#39;jumping&#39; is not one of: single-leg-squat, "
        "step-down, landing, running, single-leg-stance)" in response.text
    )
    assert "choose left, right or auto (&#39;middle&#39; is not one of these)" in response.text
    assert analyses(world) == []


def test_it_refuses_an_empty_file(world: World) -> None:
    response = upload(world.client("pat"), world.patients["pat"].id, b"", "clip.mp4", "landing")
    assert response.status_code == 400
    assert "the file is empty; choose a video or photo to upload" in response.text


def test_it_refuses_an_upload_over_the_limit_and_keeps_no_file(world: World) -> None:
    too_big = b"\x00\x00\x00\x18ftypisom" + b"\x00" * (MB + MB // 2)
    response = upload(
        world.client("alice"), world.patients["pat"].id, too_big, "big.mp4", "running"
    )
    assert response.status_code == 413
    assert response.text == "Upload too large: the limit is 1 MB."
    assert analyses(world) == []
    assert stored_files(world) == []


def test_it_queues_a_good_upload_under_a_generated_name(world: World, shared_videos: Path) -> None:
    content = (shared_videos / LAB_VIDEO).read_bytes()
    pat_id = world.patients["pat"].id
    response = upload(world.client("pat"), pat_id, content, "My Video.MOV", "single-leg-stance")
    [analysis] = analyses(world)
    assert response.status_code == 303
    assert response.headers["location"] == f"/patients/{pat_id}/videos/{analysis.id}"
    assert analysis.status is JobStatus.queued
    assert analysis.original_name == "My Video.MOV"
    assert analysis.uploaded_by_id == world.users["pat"].id
    # the suffix follows the content (an MP4), not the name the browser sent
    assert analysis.upload_name.endswith(".mp4") and len(analysis.upload_name) == 36
    [stored] = stored_files(world)
    assert stored.name == analysis.upload_name
    assert stored.read_bytes() == content
    with world.db() as db:
        [job] = db.scalars(select(Job)).all()
    assert (job.status, job.video_analysis_id, job.kind) == (
        JobStatus.queued,
        analysis.id,
        "video_analysis",
    )


def queued_analysis(world: World) -> VideoAnalysis:
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 100
    response = upload(world.client("alice"), world.patients["pat"].id, jpeg, "photo.jpg", "landing")
    assert response.status_code == 303
    return analyses(world)[-1]


def test_it_polls_for_progress_until_the_analysis_ends(world: World) -> None:
    analysis = queued_analysis(world)
    base = f"/patients/{world.patients['pat'].id}/videos/{analysis.id}"
    pat = world.client("pat")
    page = pat.get(base)
    assert page.status_code == 200
    assert "Video uploaded. The analysis is queued" not in page.text  # flash went to Alice
    assert f'hx-get="{base}/progress" hx-trigger="load delay:1s" hx-swap="outerHTML"' in page.text
    assert "Waiting for the analysis to start" in page.text
    with world.db() as db:
        row = db.get(VideoAnalysis, analysis.id)
        assert row is not None
        row.status, row.progress = JobStatus.running, 0.426
        db.commit()
    fragment = pat.get(f"{base}/progress", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section class="card" id="analysis" hx-get=')
    assert '<progress max="100" value="43">' in fragment.text
    assert "running · 43 %" in fragment.text
    assert "<html" not in fragment.text
    with world.db() as db:
        row = db.get(VideoAnalysis, analysis.id)
        assert row is not None
        row.status, row.error = JobStatus.failed, "file 'photo.jpg' is not a readable image"
        db.commit()
    fragment = pat.get(f"{base}/progress", headers={"HX-Request": "true"})
    assert "hx-get" not in fragment.text  # polling stops
    assert "The analysis failed" in fragment.text
    assert "file &#39;photo.jpg&#39; is not a readable image" in fragment.text
    assert "The uploaded video and all earlier results are kept." in fragment.text


def test_it_cancels_a_queued_analysis_and_keeps_the_upload(world: World) -> None:
    analysis = queued_analysis(world)
    base = f"/patients/{world.patients['pat'].id}/videos/{analysis.id}"
    alice = world.client("alice")
    response = alice.submit(f"{base}/cancel")
    assert (response.status_code, response.headers["location"]) == (303, base)
    page = alice.get(base)
    assert "Analysis cancelled. The uploaded video is kept." in page.text
    assert "The analysis was cancelled" in page.text
    with world.db() as db:
        row = db.get(VideoAnalysis, analysis.id)
        [job] = db.scalars(select(Job)).all()
    assert row is not None and row.status is JobStatus.cancelled
    assert job.status is JobStatus.cancelled
    assert [path.name for path in stored_files(world)] == [analysis.upload_name]
    again = alice.submit(f"{base}/cancel")
    assert again.status_code == 303
    assert "This analysis had already ended (cancelled)." in alice.get(base).text


def test_it_hides_other_patients_analyses(world: World) -> None:
    analysis = queued_analysis(world)
    quinn_id = world.patients["quinn"].id
    bob = world.client("bob")
    # Bob's own patient id with Pat's analysis id: no such analysis for that patient.
    assert bob.get(f"/patients/{quinn_id}/videos/{analysis.id}").status_code == 404
    assert bob.get(f"/patients/{world.patients['pat'].id}/videos/{analysis.id}").status_code == 404


def test_it_shows_the_upload_form_with_the_camera_input(world: World) -> None:
    page = world.client("pat").get(f"/patients/{world.patients['pat'].id}/videos/new")
    assert (
        '<input id="f-video" name="video" type="file" accept="video/*,image/*" '
        'capture="environment"' in page.text
    )
    assert 'enctype="multipart/form-data"' in page.text
    # the form carries this session's token (a macro imported without context would not)
    assert CSRF_INPUT.search(page.text) is not None
    assert 'name="csrf_token" value=""' not in page.text


def summary_with(means: dict[tuple[str, str], float | None]) -> dict[str, Any]:
    """A minimal summary: FPPA with the published SDD (8.93°), pelvic drop without an error."""
    sdd = {
        "measure_id": "fppa_sdd",
        "value": 8.93,
        "description": "8.93 deg",
        "status": "published",
        "sources": ["munro_2012"],
    }
    threshold = {
        "measure_id": "sls_pelvic_drop_flag",
        "value": 5.0,
        "description": "> 5 deg",
        "status": "borrowed",
        "sources": ["herrington_2014"],
    }
    per_side: dict[str, Any] = {"left": {}, "right": {}}
    for (side, metric), mean in means.items():
        per_side[side][metric] = {
            "mean": mean,
            "sd": None,
            "n": 3,
            "valid": True,
            "reason": "",
            "flagged": None if mean is None else mean > 5.0,
            "threshold": threshold if metric == "pelvic_drop_deg" else None,
            "threshold_note": "" if metric == "pelvic_drop_deg" else "no threshold",
            "measurement_error": {"smallest_detectable_difference": sdd}
            if metric == "fppa_deg"
            else {"note": "none published"},
        }
    return {"per_side": per_side, "quality": {"warnings": []}}


def test_it_judges_a_change_against_the_smallest_detectable_difference() -> None:
    before = summary_with(
        {("left", "fppa_deg"): 12.0, ("right", "fppa_deg"): 8.0, ("left", "pelvic_drop_deg"): 7.0}
    )
    after = copy.deepcopy(before)
    after["per_side"]["left"]["fppa_deg"]["mean"] = 2.5  # 12.0 → 2.5: −9.5°, beyond 8.93°
    after["per_side"]["right"]["fppa_deg"]["mean"] = 0.0  # 8.0 → 0.0: −8.0°, within 8.93°
    after["per_side"]["left"]["pelvic_drop_deg"]["mean"] = 3.0
    rows = {(row.label, row.side): row for row in change_rows(before, after)}
    left, right = rows[("Knee valgus (FPPA)", "left")], rows[("Knee valgus (FPPA)", "right")]
    assert (left.change, left.verdict) == (-9.5, "larger than the measurement error")
    assert (right.change, right.verdict) == (-8.0, "within the measurement error (may be noise)")
    assert left.error is not None and left.error.label == "8.93 deg (published; munro_2012)"
    drop = rows[("Pelvic drop", "left")]
    assert (drop.change, drop.verdict) == (-4.0, "no published measurement error to compare with")


def test_it_lists_each_side_with_its_threshold_status_and_source() -> None:
    rows = metric_rows(
        summary_with({("left", "pelvic_drop_deg"): 7.0, ("right", "pelvic_drop_deg"): None})
    )
    assert [(row.side, row.value, row.verdict) for row in rows] == [
        ("left", "7.0° (n=3)", "beyond the flag"),
        ("right", "not measured", "no comparison"),
    ]
    assert rows[0].threshold is not None
    assert rows[0].threshold.label == "> 5 deg (borrowed; herrington_2014)"


def test_it_links_the_video_pages_from_the_timeline_and_the_overview(world: World) -> None:
    analysis = queued_analysis(world)
    pat_id = world.patients["pat"].id
    timeline = world.client("alice").get(f"/patients/{pat_id}").text
    overview = world.client("pat").get("/me").text
    for page in (timeline, overview):
        assert f'href="/patients/{pat_id}/videos/new"' in page
        assert f'href="/patients/{pat_id}/videos/{analysis.id}"' in page
