"""The clinician's patient pages: list with status, create, timeline, export, delete, audit."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from clinic_world import World
from hipfirst.storage.files import analysis_dir, uploads_dir
from hipfirst.storage.models import (
    Assessment,
    AuditEntry,
    Job,
    Patient,
    Programme,
    SessionLog,
    VideoAnalysis,
)
from hipfirst.web.audit import REPEATED_VIEW_S

PLAN = {
    "kind": "plan",
    "current_phase": 2,
    "phases": [{"number": 1, "name": "Settle"}, {"number": 2, "name": "Build"}],
}
REPORT = {
    "screening": {"refer": True, "reasons": ["night pain"]},
    "hip_origin_suspected": {"suspected": True, "reasons": []},
}


def fill_record(world: World) -> dict[str, Any]:
    """Give Pat's record an assessment, a programme, three logs, a video with files and a job."""
    patient_id = world.patients["pat"].id
    with world.db() as db:
        db.add(
            Assessment(
                patient_id=patient_id,
                assessed_on=date(2026, 3, 2),
                exam_json={"version": 1},
                report_json=REPORT,
            )
        )
        db.add(Programme(patient_id=patient_id, version=1, plan_json=PLAN))
        for day, pain in ((3, 5), (5, 4), (7, 3)):
            db.add(
                SessionLog(
                    patient_id=patient_id,
                    performed_on=date(2026, 3, day),
                    exercise_id="side_lying_hip_abduction",
                    sets=3,
                    reps=12,
                    pain_during=pain,
                )
            )
        video = VideoAnalysis(
            patient_id=patient_id,
            upload_name="0f0f.mp4",
            original_name="squat.mp4",
            task="single-leg-squat",
            side="left",
        )
        db.add(video)
        db.flush()
        db.add(Job(kind="analyze_video", video_analysis_id=video.id))
        db.commit()
        video_id = video.id
    upload = uploads_dir(world.settings.data_dir, patient_id)
    upload.mkdir(parents=True)
    (upload / "0f0f.mp4").write_bytes(b"video bytes")
    results = analysis_dir(world.settings.data_dir, patient_id, video_id)
    results.mkdir(parents=True)
    (results / "summary.json").write_text('{"ok": true}', encoding="utf-8")
    return {"patient_id": patient_id, "video_id": video_id}


def test_it_lists_only_the_clinicians_own_patients_with_their_status(world: World) -> None:
    fill_record(world)
    page = world.client("alice").get("/patients")
    assert page.status_code == 200
    assert "Pat Patient" in page.text and "Quinn Other" not in page.text
    assert '<td data-label="Phase">phase 2: Build</td>' in page.text
    assert '<td data-label="Last session">2026-03-07</td>' in page.text
    assert '<td data-label="Pain">5 → 4 → 3</td>' in page.text
    assert "refer: night pain, hip origin suspected" in page.text


def test_it_says_in_words_what_a_new_patient_does_not_have_yet(world: World) -> None:
    alice = world.client("alice")
    listing = alice.get("/patients").text
    for words in ("no programme yet", "no sessions logged yet", "no pain scores yet"):
        assert words in listing
    timeline = alice.get(f"/patients/{world.patients['pat'].id}").text
    for words in (
        "No assessments recorded yet.",
        "No programme prescribed yet.",
        "No sessions logged yet.",
        "No videos analysed yet.",
    ):
        assert words in timeline


def test_it_invites_a_clinician_without_patients_to_create_one(world: World) -> None:
    with world.db() as db:
        db.delete(db.get_one(Patient, world.patients["pat"].id))
        db.commit()
    page = world.client("alice").get("/patients")
    assert "You have no patients yet." in page.text


def test_it_shows_the_timeline_of_a_record(world: World) -> None:
    fill_record(world)
    page = world.client("alice").get(f"/patients/{world.patients['pat'].id}").text
    assert "2026-03-02" in page
    assert "Version 1" in page
    assert (
        '<td data-label="Date">2026-03-07</td><td data-label="Exercise">side_lying_hip_abduction'
        '</td><td data-label="Sets × reps">3 × 12</td>'
    ) in page
    assert "single-leg-squat (left)</a> · queued" in page
    assert "Login: pat@example.org" in page


def test_it_creates_a_patient_linked_to_a_patient_account(world: World) -> None:
    with world.db() as db:
        db.delete(db.get_one(Patient, world.patients["pat"].id))
        db.commit()
    alice = world.client("alice")
    response = alice.submit(
        "/patients", {"display_name": "  Pat Again ", "login_email": "PAT@example.org"}
    )
    assert response.status_code == 303
    with world.db() as db:
        patient = db.scalar(select(Patient).where(Patient.display_name == "Pat Again"))
        assert patient is not None
        assert patient.clinician_id == world.users["alice"].id
        assert patient.user_id == world.users["pat"].id
    assert response.headers["location"] == f"/patients/{patient.id}"
    assert "Created the record of Pat Again." in alice.get(response.headers["location"]).text
    assert world.client("pat").get("/me").status_code == 200


def test_it_refuses_to_link_an_account_that_is_not_a_free_patient_account(world: World) -> None:
    alice = world.client("alice")
    for email, message in (
        (
            "bob@example.org",
            "no active patient account &#39;bob@example.org&#39;; ask an admin to create it "
            "first, or leave this empty",
        ),
        ("quinn@example.org", "quinn@example.org is already linked to another patient record"),
    ):
        response = alice.submit("/patients", {"display_name": "Zed", "login_email": email})
        assert response.status_code == 400
        assert message in response.text
        assert 'value="Zed"' in response.text


def test_it_requires_a_name(world: World) -> None:
    response = world.client("alice").submit("/patients", {"display_name": "   "})
    assert response.status_code == 400
    assert "must be 1 to 120 characters" in response.text


def test_it_exports_the_full_record_as_json(world: World) -> None:
    fill_record(world)
    response = world.client("alice").get(f"/patients/{world.patients['pat'].id}/export.json")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        f'attachment; filename="hipfirst-patient-{world.patients["pat"].id}.json"'
    )
    record = response.json()
    assert (record["format"], record["version"]) == ("hipfirst-patient-record", 1)
    assert record["patient"]["display_name"] == "Pat Patient"
    assert record["patient"]["login_email"] == "pat@example.org"
    assert record["assessments"][0]["report_json"] == REPORT
    assert record["programmes"][0]["plan_json"] == PLAN
    assert [log["pain_during"] for log in record["session_logs"]] == [5, 4, 3]
    assert record["video_analyses"][0]["status"] == "queued"
    assert record["audit_log"][-1]["what"] == "GET /patients/{patient_id}/export.json"


def test_it_exports_every_file_as_a_zip(world: World) -> None:
    ids = fill_record(world)
    response = world.client("alice").get(f"/patients/{ids['patient_id']}/export.zip")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        f"files/analyses/{ids['video_id']}/summary.json",
        "files/uploads/0f0f.mp4",
        "record.json",
    ]
    assert archive.read("files/uploads/0f0f.mp4") == b"video bytes"
    assert json.loads(archive.read("record.json"))["patient"]["id"] == ids["patient_id"]
    leftovers = list(world.settings.data_dir.glob("export-*.zip"))
    assert leftovers == []


def test_it_keeps_the_record_when_the_confirmation_is_wrong(world: World) -> None:
    ids = fill_record(world)
    alice = world.client("alice")
    url = f"/patients/{ids['patient_id']}/delete"
    assert "Type the patient&#39;s name to confirm" in alice.get(url).text
    response = alice.submit(url, {"confirm_name": "Pat"})
    assert response.status_code == 400
    assert "type the name exactly as shown: Pat Patient" in response.text
    assert 'value="Pat"' in response.text
    with world.db() as db:
        assert db.get(Patient, ids["patient_id"]) is not None


def test_it_deletes_a_patient_with_all_rows_and_files(world: World) -> None:
    ids = fill_record(world)
    alice = world.client("alice")
    response = alice.submit(
        f"/patients/{ids['patient_id']}/delete", {"confirm_name": "Pat Patient"}
    )
    assert (response.status_code, response.headers["location"]) == (303, "/patients")
    assert "Deleted Pat Patient with all their records and files." in alice.get("/patients").text
    with world.db() as db:
        for model in (Assessment, Programme, SessionLog, VideoAnalysis):
            count = db.scalar(
                select(func.count()).select_from(model).where(model.patient_id == ids["patient_id"])
            )
            assert count == 0, model.__name__
        assert db.scalar(select(func.count()).select_from(Job)) == 0
        assert db.get(Patient, world.patients["quinn"].id) is not None
        trail = db.scalars(
            select(AuditEntry.action).where(AuditEntry.patient_id == ids["patient_id"])
        ).all()
    assert trail[-1] == "delete"
    assert not (world.settings.data_dir / "patients" / str(ids["patient_id"])).exists()


def test_it_audits_who_viewed_and_changed_a_record(world: World) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    alice.get(f"/patients/{patient_id}")
    alice.submit(f"/patients/{patient_id}/delete", {"confirm_name": "wrong"})
    world.client("pat").get("/me")
    world.client("bob").get(f"/patients/{patient_id}")  # refused: audited as refused
    with world.db() as db:
        rows = db.scalars(
            select(AuditEntry).where(AuditEntry.patient_id == patient_id).order_by(AuditEntry.id)
        ).all()
    seen = [(row.user_id, row.action, row.what) for row in rows]
    assert seen == [
        (world.users["alice"].id, "view", "GET /patients/{patient_id}"),
        (world.users["alice"].id, "change", "POST /patients/{patient_id}/delete"),
        (world.users["pat"].id, "view", "GET /me"),
        (world.users["bob"].id, "refused", "GET /patients/{patient_id}"),
    ]
    assert all(row.ip == "testclient" and row.at is not None for row in rows)


def test_it_counts_a_burst_of_views_of_one_page_as_one_visit(world: World) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    for _ in range(3):  # e.g. a fragment polling for progress
        alice.get(f"/patients/{patient_id}")
    alice.get(f"/patients/{patient_id}/export.json")
    with world.db() as db:
        rows = db.scalars(select(AuditEntry.what).where(AuditEntry.patient_id == patient_id)).all()
        assert list(rows) == [
            "GET /patients/{patient_id}",
            "GET /patients/{patient_id}/export.json",
        ]
        # A visit that started longer ago than the window counts again.
        first = db.scalars(
            select(AuditEntry).where(AuditEntry.action == "view").order_by(AuditEntry.id)
        ).first()
        assert first is not None
        first.at = first.at - timedelta(seconds=REPEATED_VIEW_S + 1)
        db.commit()
    alice.get(f"/patients/{patient_id}")
    with world.db() as db:
        count = select(func.count()).where(AuditEntry.patient_id == patient_id)
        assert db.scalar(count) == 3


def test_it_shows_a_patient_their_own_overview(world: World) -> None:
    fill_record(world)
    page = world.client("pat").get("/me").text
    assert "Hello Pat Patient" in page
    assert "Saturday 7 March 2026: Side-lying hip abduction" in page  # names, never ids


def test_it_tells_a_patient_without_a_record_to_ask_their_clinician(world: World) -> None:
    with world.db() as db:
        db.get_one(Patient, world.patients["pat"].id).user_id = None
        db.commit()
    response = world.client("pat").get("/me")
    assert response.status_code == 404
    assert "Your account is not linked to a patient record yet. Ask your clinician." in (
        response.text
    )
