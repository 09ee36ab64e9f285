"""Choosing the patient among the people an analysis found (issue 9 item 6, the web side).

The summary's ``people`` section (written by the pure stages) is set by hand here;
its real values come from the subject scoring. A choice queues the same analysis
again with that person, as a new job; the earlier results stay on the page (and on
disk) until the new run has succeeded.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from clinic_world import World
from hipfirst.storage.files import analysis_dir
from hipfirst.storage.models import Job, JobStatus, VideoAnalysis

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def people(*, ambiguous: bool = True) -> dict[str, Any]:
    return {
        "candidates": [
            {
                "id": 0,
                "frames": 180,
                "frame": 40,
                "box_px": [400, 50, 560, 340],
                "score": 0.51,
                "reason": "on one leg, still",
            },
            {
                "id": 1,
                "frames": 120,
                "frame": 150,
                "box_px": [290, 360, 450, 700],
                "score": 0.49,
                "reason": "walking past",
            },
        ],
        "chosen": 0,
        "ambiguous": ambiguous,
        "how": "single-leg support and continuity",
    }


def finished(world: World, summary: dict[str, Any]) -> VideoAnalysis:
    """A done analysis of Pat's with ``summary`` and its files on disk."""
    patient_id = world.patients["pat"].id
    with world.db() as db:
        row = VideoAnalysis(
            patient_id=patient_id,
            upload_name="b2b8d0f4a1c34f0e9d7a6b5c4d3e2f10.mp4",
            original_name="balance.mp4",
            task="single-leg-stance",
            side="auto",
            status=JobStatus.done,
            progress=1.0,
            summary_json=summary,
            uploaded_by_id=world.users["alice"].id,
        )
        db.add(row)
        db.flush()
        folder = analysis_dir(world.settings.data_dir, patient_id, row.id)
        row.output_dir = folder.relative_to(world.settings.data_dir).as_posix()
        db.commit()
        db.refresh(row)
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text("{}")
    (folder / "keyframes.png").write_bytes(PNG)
    if "people" in summary:
        (folder / "people.png").write_bytes(PNG)
    return row


def summary_of(candidates: dict[str, Any] | None) -> dict[str, Any]:
    document: dict[str, Any] = {"per_side": {"left": {}, "right": {}}, "quality": {"warnings": []}}
    if candidates is not None:
        document["people"] = candidates
    return document


def base(world: World, analysis: VideoAnalysis) -> str:
    return f"/patients/{world.patients['pat'].id}/videos/{analysis.id}"


def jobs_of(world: World, analysis: VideoAnalysis) -> list[Job]:
    with world.db() as db:
        query = select(Job).where(Job.video_analysis_id == analysis.id).order_by(Job.id)
        return list(db.scalars(query).all())


def row(world: World, analysis: VideoAnalysis) -> VideoAnalysis:
    with world.db() as db:
        found = db.get(VideoAnalysis, analysis.id)
        assert found is not None
        return found


@pytest.mark.parametrize("persona", ["alice", "pat"])
def test_it_asks_who_the_patient_is_when_two_people_could_be(world: World, persona: str) -> None:
    analysis = finished(world, summary_of(people()))
    page = world.client(persona).get(base(world, analysis)).text
    assert "Who is the patient?" in page
    assert "Two or more people could be the patient" in page
    assert f'<img class="result" src="{base(world, analysis)}/files/people.png"' in page
    assert page.count('name="person" value="0"') == 2  # over the picture, and in the list
    assert page.count('name="person" value="1"') == 2
    assert "seen in 120 frames: walking past" in page
    assert page.count('class="people-column"') == 2  # one column per person over the picture


def test_it_offers_a_different_person_even_when_the_choice_was_clear(world: World) -> None:
    analysis = finished(world, summary_of(people(ambiguous=False)))
    page = world.client("alice").get(base(world, analysis)).text
    assert "hipfirst measured person 0 (single-leg support and continuity)" in page
    assert "Two or more people could be the patient" not in page


def test_it_shows_no_choice_without_candidates(world: World) -> None:
    analysis = finished(world, summary_of(None))  # a summary from before subject scoring
    assert "Who is the patient?" not in world.client("alice").get(base(world, analysis)).text


def test_choosing_a_person_queues_the_same_upload_again_and_keeps_the_results(
    world: World,
) -> None:
    analysis = finished(world, summary_of(people()))
    alice = world.client("alice")

    response = alice.submit(f"{base(world, analysis)}/person", {"person": "1"})

    assert (response.status_code, response.headers["location"]) == (303, base(world, analysis))
    now = row(world, analysis)
    assert (now.status, now.person, now.progress) == (JobStatus.queued, 1, 0.0)
    assert now.summary_json == analysis.summary_json  # the earlier results, until the new run
    assert now.upload_name == analysis.upload_name and now.output_dir == analysis.output_dir
    [job] = jobs_of(world, analysis)
    assert (job.status, job.kind) == (JobStatus.queued, "video_analysis")
    page = alice.get(base(world, analysis)).text
    assert "The video is analysed again with person 1 as the patient" in page
    assert "with person 1 as the patient. The results below are from the earlier" in page
    assert f'hx-get="{base(world, analysis)}/progress?earlier=1"' in page
    assert "Earlier results" in page and "/files/keyframes.png" in page
    assert "Who is the patient?" not in page  # no second choice while this one runs


def test_a_poll_reloads_the_page_when_the_re_analysis_has_ended(world: World) -> None:
    analysis = finished(world, summary_of(people()))
    alice = world.client("alice")
    alice.submit(f"{base(world, analysis)}/person", {"person": "1"})
    polled = alice.get(
        f"{base(world, analysis)}/progress?earlier=1", headers={"HX-Request": "true"}
    )
    assert "HX-Refresh" not in polled.headers  # still queued
    with world.db() as db:
        running = db.get(VideoAnalysis, analysis.id)
        assert running is not None
        running.status, running.error = JobStatus.failed, "the disk is full"
        db.commit()
    polled = alice.get(
        f"{base(world, analysis)}/progress?earlier=1", headers={"HX-Request": "true"}
    )
    assert polled.headers["HX-Refresh"] == "true"
    page = alice.get(base(world, analysis)).text
    assert "The analysis failed" in page and "the disk is full" in page
    assert "Earlier results" in page  # a failed re-analysis leaves them as they were


def test_it_refuses_someone_who_is_not_a_candidate(world: World) -> None:
    analysis = finished(world, summary_of(people()))
    alice = world.client("alice")
    for value in ("7", "-1", "one", ""):
        alice.submit(f"{base(world, analysis)}/person", {"person": value})
        assert row(world, analysis).status is JobStatus.done
    page = alice.get(base(world, analysis)).text
    assert "choose one of the people found (candidates: 0, 1)" in page
    assert jobs_of(world, analysis) == []


def test_it_refuses_a_second_choice_while_one_runs(world: World) -> None:
    analysis = finished(world, summary_of(people()))
    alice = world.client("alice")
    alice.submit(f"{base(world, analysis)}/person", {"person": "1"})
    alice.submit(f"{base(world, analysis)}/person", {"person": "0"})
    assert row(world, analysis).person == 1
    assert len(jobs_of(world, analysis)) == 1
    assert "wait until the analysis running now has ended" in alice.get(base(world, analysis)).text


@pytest.mark.parametrize("persona", ["bob", "quinn"])
def test_no_one_else_can_choose_for_this_patient(world: World, persona: str) -> None:
    analysis = finished(world, summary_of(people()))
    response = world.client(persona).submit(f"{base(world, analysis)}/person", {"person": "1"})
    assert response.status_code in (403, 404)
    assert row(world, analysis).status is JobStatus.done
    assert jobs_of(world, analysis) == []


def test_the_people_figure_is_served_to_the_patient_and_their_clinician(world: World) -> None:
    analysis = finished(world, summary_of(people()))
    for persona in ("alice", "pat"):
        response = world.client(persona).get(f"{base(world, analysis)}/files/people.png")
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/png"
    assert world.client("bob").get(f"{base(world, analysis)}/files/people.png").status_code == 404
