"""The patient's pages: today's exercises, the session log form, charts, the explanation."""

from __future__ import annotations

import datetime as dt

import pytest
from clinic import (
    TODAY,
    backdate_programme,
    error_next_to,
    example_form,
    save_assessment,
    session_form,
    value_of,
    with_programme,
)
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


def phase_one(world: World) -> list[tuple[str, str]]:
    """(id, name) of the phase-1 exercises of Pat's programme."""
    with world.db() as db:
        plan = stored_plan(db.scalars(select(Programme)).one(), knowledge_base())
    assert plan is not None
    return [(e.id, e.name) for e in plan.phases[0].exercises]


def test_it_logs_todays_exercises_in_one_form_with_the_dosage_prefilled(world: World) -> None:
    with_programme(world, world.client("alice"))
    backdate_programme(world, 3)
    exercises = phase_one(world)
    (first, first_name), (second, second_name) = exercises[:2]
    pat = world.client("pat")
    patient_id = world.patients["pat"].id
    yesterday = TODAY - dt.timedelta(days=1)

    page = pat.get(f"/patients/{patient_id}/logs").text
    assert page.count('class="session-exercise') == len(exercises)
    assert value_of(page, "date") == TODAY.isoformat()
    with world.db() as db:
        plan = stored_plan(db.scalars(select(Programme)).one(), knowledge_base())
    assert plan is not None
    planned = plan.phases[0].exercises[0]
    assert value_of(page, f"{first}.sets") == str(planned.sets)
    assert value_of(page, f"{first}.reps") == str(planned.reps or planned.hold_s)
    assert f"<legend>{first_name}</legend>" in page
    assert "Knee pain during (0–10)" in page and "How hard it felt (0–10)" in page
    assert f'name="{first}.done"' in page

    form = session_form(
        yesterday,
        **{
            first: {
                "sets": "3",
                "reps": "12",
                "load": "2.5",
                "pain_during": "3",
                "pain_next_morning": "2",
                "effort": "6",
                "form_ok": "no",
                "notes": "knee ached on the last set",
            },
            second: {"sets": "2", "reps": "10", "pain_during": "1", "form_ok": "yes"},
        },
    )
    form[f"{exercises[2][0]}.sets"] = "2"  # prefilled but not ticked: not logged
    response = pat.submit(f"/patients/{patient_id}/logs", form)

    assert response.status_code == 303
    page = pat.get(response.headers["location"]).text.replace("&#34;", '"')
    assert f"Logged 2 exercises for {yesterday:%A} {yesterday.day} {yesterday:%B %Y}." in page
    assert f"<strong>{first_name}</strong>" in page and f"<strong>{second_name}</strong>" in page
    assert first not in page.split('id="log-list"')[1].split("/logs/")[0]  # names, never ids
    assert "<span>3 sets × 12 reps</span>" in page and "<span>2.5 kg</span>" in page
    assert "<span>pain during 3/10</span>" in page and "<span>effort 6/10</span>" in page
    assert "<span>next morning not given yet</span>" in page
    with world.db() as db:
        logs = db.scalars(select(SessionLog).order_by(SessionLog.id)).all()
        assert [
            (
                log.performed_on,
                log.exercise_id,
                log.sets,
                log.reps,
                log.load_kg,
                log.pain_during,
                log.pain_next_morning,
                log.effort,
                log.form_ok,
                log.notes,
            )
            for log in logs
        ] == [
            (yesterday, first, 3, 12, 2.5, 3, 2, 6, False, "knee ached on the last set"),
            (yesterday, second, 2, 10, None, 1, None, None, True, ""),
        ]


def test_it_shows_errors_next_to_fields_with_the_session_log_rules(world: World) -> None:
    with_programme(world, world.client("alice"))
    (first, _), (second, _), (third, _) = phase_one(world)[:3]
    pat = world.client("pat")
    row = {
        "sets": "2.5",
        "reps": "10",
        "load": "heavy",
        "pain_during": "12",
        "pain_next_morning": "4.5",
        "effort": "11",
        "form_ok": "",
        "notes": "typed by hand",
    }
    form = session_form(dt.date(2026, 13, 1) if False else TODAY, **{first: row})
    form["date"] = "2026-13-01"
    form[f"{second}.pain_during"] = "2"  # typed but not ticked

    response = pat.submit(f"/patients/{world.patients['pat'].id}/logs", form)

    assert response.status_code == 400
    page = response.text
    with pytest.raises(InputValidationError) as rules:
        parse_session_log(
            [{"date": "2026-13-01", "exercise_id": first, **row}], "session log", knowledge_base()
        )
    for problem in rules.value.errors:
        field = problem.location.split(", ")[1]
        shown = f" (got {problem.value!r})" if problem.value not in (None, "") else ""
        name = "date" if field == "date" else f"{first}.{field}"
        assert error_next_to(page, name) == problem.message + shown
    assert error_next_to(page, f"{first}.form_ok") == "required field is missing"
    assert error_next_to(page, f"{first}.effort") == "must be between 0 and 10 (got 11)"
    halves = session_form(TODAY, **{first: {**row, "effort": "6.5", "form_ok": "yes"}})
    halves["date"] = TODAY.isoformat()
    half = pat.submit(f"/patients/{world.patients['pat'].id}/logs", halves)
    assert error_next_to(half.text, f"{first}.effort") == (
        "must be a whole number between 0 and 10 (whole points) (got '6.5')"
    )
    assert error_next_to(page, f"{first}.load") == (
        "must be a number of kg between 0 and 500, or empty for body weight (got 'heavy')"
    )
    assert error_next_to(page, f"{first}.pain_next_morning") == (
        "must be a whole number between 0 and 10 (whole points) (got '4.5')"
    )
    assert error_next_to(page, f"{second}.done") == (
        "tick Done to save this exercise, or clear what you typed"
    )
    assert f'name="{third}.done"' in page
    assert value_of(page, f"{first}.sets") == "2.5"
    assert value_of(page, f"{first}.notes") == "typed by hand"
    assert value_of(page, "date") == "2026-13-01"
    with world.db() as db:
        assert db.scalars(select(SessionLog)).all() == []


def test_it_asks_for_at_least_one_ticked_exercise(world: World) -> None:
    with_programme(world, world.client("alice"))
    response = world.client("pat").submit(
        f"/patients/{world.patients['pat'].id}/logs", {"date": TODAY.isoformat()}
    )
    assert response.status_code == 400
    assert (
        '<p class="error" id="e-exercises">tick Done beside at least one exercise you did</p>'
        in (response.text)
    )


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
    backdate_programme(world, 7)
    exercise_id, _, _ = first_exercise(world)
    patient_id = world.patients["pat"].id
    pat = world.client("pat")
    for days_ago, pain in ((6, 4), (3, 3), (0, 1)):
        row = {"sets": "2", "reps": "10", "pain_during": str(pain), "form_ok": "yes"}
        row["pain_next_morning"] = str(max(pain - 1, 0))
        day = TODAY - dt.timedelta(days=days_ago)
        response = pat.submit(
            f"/patients/{patient_id}/logs", session_form(day, **{exercise_id: row})
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
    row = {"sets": "2", "reps": "10", "pain_during": "2", "form_ok": "yes", "notes": "felt fine"}
    response = pat.submit(f"/patients/{patient_id}/logs", session_form(TODAY, **{exercise_id: row}))
    assert response.status_code == 303
    assert "“felt fine”" in alice.get(f"/patients/{patient_id}/logs").text
    quinn = world.client("quinn")
    assert quinn.get(f"/patients/{patient_id}/logs").status_code == 404
    assert quinn.get(f"/patients/{patient_id}/charts/pain.png").status_code == 404


def test_it_refuses_a_session_after_today_or_before_the_programme_began(world: World) -> None:
    with_programme(world, world.client("alice"))
    backdate_programme(world, 2)
    exercise_id, _, _ = first_exercise(world)
    pat = world.client("pat")
    patient_id = world.patients["pat"].id
    row = {"sets": "3", "reps": "12", "pain_during": "2", "form_ok": "yes"}
    began = TODAY - dt.timedelta(days=2)
    for day, message in (
        (
            TODAY + dt.timedelta(days=1),
            f"must not be after today ({TODAY.isoformat()}): a session is logged after it happens",
        ),
        (
            dt.date(1900, 1, 1),
            f"must not be before your programme began ({began.isoformat()}): sessions are "
            "logged from the day it started",
        ),
    ):
        response = pat.submit(
            f"/patients/{patient_id}/logs", session_form(day, **{exercise_id: row})
        )
        assert response.status_code == 400
        assert error_next_to(response.text, "date") == f"{message} (got '{day.isoformat()}')"
    accepted = pat.submit(f"/patients/{patient_id}/logs", session_form(began, **{exercise_id: row}))
    assert accepted.status_code == 303
    with world.db() as db:
        assert [log.performed_on for log in db.scalars(select(SessionLog))] == [began]


def test_it_lets_a_logged_exercise_be_edited_next_day(world: World) -> None:
    with_programme(world, world.client("alice"))
    backdate_programme(world, 3)
    exercise_id, name, _ = first_exercise(world)
    pat = world.client("pat")
    patient_id = world.patients["pat"].id
    yesterday = TODAY - dt.timedelta(days=1)
    row = {"sets": "2", "reps": "12", "pain_during": "2", "form_ok": "yes"}
    pat.submit(f"/patients/{patient_id}/logs", session_form(yesterday, **{exercise_id: row}))
    with world.db() as db:
        log_id = db.scalars(select(SessionLog)).one().id

    page = pat.get(f"/patients/{patient_id}/logs/{log_id}").text
    assert f"<h1>Edit {name}</h1>" in page
    assert value_of(page, "reps") == "12" and value_of(page, "pain_next_morning") == ""
    edited = {"date": yesterday.isoformat(), **row, "pain_next_morning": "1", "effort": "4"}
    bad = pat.submit(f"/patients/{patient_id}/logs/{log_id}", {**edited, "effort": "ten"})
    assert bad.status_code == 400
    assert error_next_to(bad.text, "effort") == "must be between 0 and 10 (got 'ten')"
    saved = pat.submit(f"/patients/{patient_id}/logs/{log_id}", edited)
    assert saved.status_code == 303
    with world.db() as db:
        log = db.get(SessionLog, log_id)
        assert log is not None
        assert (log.pain_next_morning, log.effort, log.reps, log.performed_on) == (
            1,
            4,
            12,
            yesterday,
        )
        assert log.updated_at is not None
    listed = pat.get(f"/patients/{patient_id}/logs").text
    assert (
        "<span>next morning 1/10</span>" in listed and '<span class="meta">edited</span>' in listed
    )
    # another patient's entry cannot be reached through one's own record
    quinn = world.client("quinn")
    assert quinn.get(f"/patients/{world.patients['quinn'].id}/logs/{log_id}").status_code == 404
    assert quinn.get(f"/patients/{patient_id}/logs/{log_id}").status_code == 404


def test_it_adds_next_morning_pain_to_a_whole_session(world: World) -> None:
    with_programme(world, world.client("alice"))
    backdate_programme(world, 3)
    (first, _), (second, _) = phase_one(world)[:2]
    pat = world.client("pat")
    patient_id = world.patients["pat"].id
    yesterday = TODAY - dt.timedelta(days=1)
    row = {"sets": "2", "reps": "12", "pain_during": "2", "form_ok": "yes"}
    pat.submit(
        f"/patients/{patient_id}/logs",
        session_form(yesterday, **{first: row, second: {**row, "pain_next_morning": "3"}}),
    )
    pat.submit(f"/patients/{patient_id}/logs", session_form(TODAY, **{first: row}))
    page = pat.get(f"/patients/{patient_id}/logs").text
    assert page.count(f'action="/patients/{patient_id}/logs/next-morning"') == 1  # not today
    url = f"/patients/{patient_id}/logs/next-morning"

    bad = pat.submit(url, {"date": yesterday.isoformat(), "pain_next_morning": "eleven"})
    assert bad.status_code == 400
    assert "pain_next_morning: must be a whole number between 0 and 10" not in bad.text
    assert "must be a whole number between 0 and 10 (got &#39;eleven&#39;)" in bad.text
    early = pat.submit(url, {"date": TODAY.isoformat(), "pain_next_morning": "1"})
    assert early.status_code == 400
    assert "is today or later: add next-morning pain from tomorrow" in early.text
    assert (
        pat.submit(url, {"date": yesterday.isoformat(), "pain_next_morning": "1"}).status_code
        == 303
    )
    with world.db() as db:
        logs = {
            (log.exercise_id, log.performed_on): log.pain_next_morning
            for log in db.scalars(select(SessionLog))
        }
    assert logs == {(first, yesterday): 1, (second, yesterday): 3, (first, TODAY): None}
