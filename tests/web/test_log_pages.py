"""The patient's pages: today's exercises, the session log form, charts, the explanation."""

from __future__ import annotations

import datetime as dt

import pytest
from clinic import TODAY, error_next_to, example_form, save_assessment, value_of, with_programme
from matplotlib.figure import Figure
from sqlalchemy import select

from clinic_world import World
from hipfirst.application.records import stored_plan
from hipfirst.errors import InputValidationError
from hipfirst.io.session_log import parse_session_log
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.storage.models import JobStatus, Programme, SessionLog, VideoAnalysis
from hipfirst.web import charts

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def first_exercise(world: World) -> tuple[str, str, list[str]]:
    with world.db() as db:
        programme = db.scalars(select(Programme)).one()
        plan = stored_plan(programme, knowledge_base())
    assert plan is not None
    exercise = plan.phases[0].exercises[0]
    return exercise.id, exercise.name, exercise.cues


def test_it_shows_todays_exercises_with_cues_and_dosage(world: World) -> None:
    with_programme(world, world.client("alice"))
    exercise_id, name, cues = first_exercise(world)
    pat = world.client("pat")

    page = pat.get(f"/patients/{world.patients['pat'].id}/today").text.replace("&#39;", "'")

    assert f'<section class="card exercise" id="today-{exercise_id}">' in page
    assert f"<h2>{name}</h2>" in page
    assert all(f"<li>{cue}</li>" in page for cue in cues)
    assert "times a week" in page


def test_it_stores_a_logged_session(world: World) -> None:
    with_programme(world, world.client("alice"))
    exercise_id, _, _ = first_exercise(world)
    pat = world.client("pat")
    patient_id = world.patients["pat"].id
    yesterday = TODAY - dt.timedelta(days=1)

    response = pat.submit(
        f"/patients/{patient_id}/logs",
        {
            "date": yesterday.isoformat(),
            "exercise_id": exercise_id,
            "sets": "3",
            "reps": "12",
            "load": "2.5 kg",
            "pain_during": "3",
            "pain_next_morning": "2",
            "form_ok": "no",
            "notes": "knee ached on the last set",
        },
    )

    assert response.status_code == 303
    page = pat.get(response.headers["location"]).text
    assert f"<td>{yesterday.isoformat()}</td><td>{exercise_id}</td><td>3 × 12</td>" in page
    assert "<td>knee ached on the last set</td>" in page
    with world.db() as db:
        log = db.scalars(select(SessionLog)).one()
        assert (log.performed_on, log.exercise_id, log.sets, log.reps, log.load_kg) == (
            yesterday,
            exercise_id,
            3,
            12,
            2.5,
        )
        assert (log.pain_during, log.pain_next_morning, log.form_ok, log.notes) == (
            3,
            2,
            False,
            "knee ached on the last set",
        )


def test_it_shows_errors_next_to_fields_with_the_session_log_rules(world: World) -> None:
    pat = world.client("pat")
    row = {
        "date": "2026-13-01",
        "exercise_id": "clamshel",
        "sets": "2.5",
        "reps": "10",
        "load": "heavy",
        "pain_during": "12",
        "pain_next_morning": "4.5",
        "form_ok": "",
        "notes": "typed by hand",
    }

    response = pat.submit(f"/patients/{world.patients['pat'].id}/logs", row)

    assert response.status_code == 400
    page = response.text
    with pytest.raises(InputValidationError) as rules:
        parse_session_log([row], "session log", knowledge_base())
    for problem in rules.value.errors:
        field = problem.location.split(", ")[1]
        shown = f" (got {problem.value!r})" if problem.value not in (None, "") else ""
        assert error_next_to(page, field) == problem.message + shown
    assert error_next_to(page, "form_ok") == "required field is missing"
    assert error_next_to(page, "load") == (
        "must be a number of kg between 0 and 500, or empty for body weight (got 'heavy')"
    )
    assert error_next_to(page, "pain_next_morning") == (
        "must be a whole number between 0 and 10 (whole points) (got '4.5')"
    )
    assert value_of(page, "sets") == "2.5"
    assert value_of(page, "notes") == "typed by hand"
    assert value_of(page, "date") == "2026-13-01"
    with world.db() as db:
        assert db.scalars(select(SessionLog)).all() == []


EXAMPLE_DAY = dt.date(2026, 11, 20)
"""The date of the example assessment."""


def drawn_lines(figure: Figure) -> dict[str, tuple[list[object], list[float]]]:
    [axes] = figure.axes
    return {
        str(line.get_label()): (list(line.get_xdata()), [float(y) for y in line.get_ydata()])
        for line in axes.get_lines()
    }


@pytest.fixture
def figures(monkeypatch: pytest.MonkeyPatch) -> list[Figure]:
    """Every figure a chart route renders, in order (the PNG is still rendered and sent)."""
    rendered: list[Figure] = []
    real_png = charts.png

    def spy(figure: Figure) -> bytes:
        rendered.append(figure)
        return real_png(figure)

    monkeypatch.setattr(charts, "png", spy)
    return rendered


def test_it_draws_the_records_of_the_patient_on_each_chart(
    world: World, figures: list[Figure]
) -> None:
    alice = world.client("alice")
    with_programme(world, alice)  # the example assessment: AKPS 85, LEFS 57, five LSIs
    exercise_id, _, _ = first_exercise(world)
    patient_id = world.patients["pat"].id
    pat = world.client("pat")
    for days_ago, pain in ((6, 4), (3, 3), (0, 1)):
        response = pat.submit(
            f"/patients/{patient_id}/logs",
            {
                "date": (TODAY - dt.timedelta(days=days_ago)).isoformat(),
                "exercise_id": exercise_id,
                "sets": "2",
                "reps": "10",
                "pain_during": str(pain),
                "pain_next_morning": str(max(pain - 1, 0)),
                "form_ok": "yes",
            },
        )
        assert response.status_code == 303
    with world.db() as db:
        db.add(
            VideoAnalysis(
                patient_id=patient_id,
                upload_name="a.mp4",
                original_name="squat.mp4",
                task="single-leg-squat",
                side="right",
                status=JobStatus.done,
                output_dir="analyses/1",
                summary_json={
                    "schema": "hipfirst.video-summary/1",
                    "task": "single-leg-squat",
                    "per_side": {
                        "right": {"fppa_deg": {"mean": 14.0, "valid": True}},
                        "left": {"fppa_deg": {"mean": 30.0, "valid": False}},  # doubtful
                    },
                },
            )
        )
        db.commit()

    for client in (pat, alice):
        for chart in ("pain", "questionnaires", "symmetry", "fppa"):
            response = client.get(f"/patients/{patient_id}/charts/{chart}.png")
            assert response.status_code == 200
            assert response.headers["content-type"] == "image/png"
            assert response.content.startswith(PNG_SIGNATURE)
    pain, questionnaires, symmetry, fppa = figures[:4]
    days = [TODAY - dt.timedelta(days=6), TODAY - dt.timedelta(days=3), TODAY]
    assert pain.axes[0].get_title() == "Pain (0–10)"
    assert drawn_lines(pain) == {
        "during": (days, [4.0, 3.0, 1.0]),
        "next morning": (days, [3.0, 2.0, 0.0]),
    }
    assert questionnaires.axes[0].get_title() == "Questionnaires per assessment"
    assert drawn_lines(questionnaires) == {
        "AKPS (0–100)": ([EXAMPLE_DAY], [85.0]),
        "LEFS (0–80)": ([EXAMPLE_DAY], [57.0]),
    }
    assert symmetry.axes[0].get_title() == "Limb symmetry index per assessment"
    reference = "Strength limb symmetry index pass mark: 90 % (borrowed)"
    lsi = drawn_lines(symmetry)
    assert lsi[reference][1] == [90.0, 90.0]
    assert {name: values for name, (_, values) in lsi.items() if name != reference} == {
        "hip abduction": [75.0],
        "hip external rotation": [80.0],
        "hip extension": [95.45],
        "knee extension": [94.29],
        "y balance composite": [96.15],
    }
    assert fppa.axes[0].get_title() == "Frontal plane projection angle (video)"
    assert drawn_lines(fppa) == {"right (single-leg-squat)": ([TODAY], [14.0])}
    assert [figure.axes[0].get_title() for figure in figures[4:]] == [
        figure.axes[0].get_title() for figure in figures[:4]
    ]  # the clinician sees the same charts


def test_it_draws_empty_charts_that_say_so(world: World, figures: list[Figure]) -> None:
    pat = world.client("pat")
    for chart in ("pain", "questionnaires", "symmetry", "fppa"):
        response = pat.get(f"/patients/{world.patients['pat'].id}/charts/{chart}.png")
        assert response.status_code == 200
        assert response.content.startswith(PNG_SIGNATURE)
    said = [[text.get_text() for text in figure.axes[0].texts] for figure in figures]
    assert said == [
        ["No sessions logged yet"],
        ["No scored questionnaire yet"],
        ["No strength or balance symmetry measured yet"],
        ["No valid FPPA from a finished video analysis yet"],
    ]
    assert all(not figure.axes[0].get_lines() for figure in figures)


def test_it_explains_the_kinetic_chain_in_plain_words(world: World) -> None:
    alice = world.client("alice")
    patient_id = world.patients["pat"].id
    save_assessment(alice, patient_id, example_form())
    explanation = knowledge_base().contributor("hip_abductor_weakness").patient_explanation
    pat = world.client("pat")

    page = pat.get(f"/patients/{patient_id}/progress").text.replace("&#39;", "'")

    assert "From your assessment of 2026-11-20." in page
    assert "<h3>Hip abductor weakness (right)</h3>" in page
    assert f"<p>{explanation}</p>" in page
    for chart in ("pain", "questionnaires", "symmetry", "fppa"):
        assert f'src="/patients/{patient_id}/charts/{chart}.png"' in page


def test_it_lets_the_clinician_see_the_patients_logs_but_not_another_patients(
    world: World,
) -> None:
    alice = world.client("alice")
    with_programme(world, alice)
    exercise_id, _, _ = first_exercise(world)
    patient_id = world.patients["pat"].id
    pat = world.client("pat")
    pat.submit(
        f"/patients/{patient_id}/logs",
        {
            "date": TODAY.isoformat(),
            "exercise_id": exercise_id,
            "sets": "2",
            "reps": "10",
            "pain_during": "2",
            "form_ok": "yes",
            "notes": "felt fine",
        },
    )
    assert "<td>felt fine</td>" in alice.get(f"/patients/{patient_id}/logs").text
    quinn = world.client("quinn")
    assert quinn.get(f"/patients/{patient_id}/logs").status_code == 404
    assert quinn.get(f"/patients/{patient_id}/charts/pain.png").status_code == 404


def test_it_refuses_a_session_dated_after_today_next_to_the_date(world: World) -> None:
    with_programme(world, world.client("alice"))
    exercise_id, _, _ = first_exercise(world)
    pat = world.client("pat")
    patient_id = world.patients["pat"].id
    tomorrow = TODAY + dt.timedelta(days=1)
    response = pat.submit(
        f"/patients/{patient_id}/logs",
        {
            "date": tomorrow.isoformat(),
            "exercise_id": exercise_id,
            "sets": "3",
            "reps": "12",
            "pain_during": "2",
            "form_ok": "yes",
        },
    )
    assert response.status_code == 400
    assert error_next_to(response.text, "date") == (
        f"must not be after today ({TODAY.isoformat()}): a session is logged after it happens "
        f"(got '{tomorrow.isoformat()}')"
    )
    with world.db() as db:
        assert db.scalars(select(SessionLog)).all() == []
