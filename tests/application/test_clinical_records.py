"""The clinical use cases on a real database: record an assessment, generate and change a
programme, log a session — what the web pages call, without HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy.orm import Session

from clinic_world import make_settings, migrated_engine
from hipfirst.application import programmes, session_logging, sessions
from hipfirst.application.assessments import record_assessment
from hipfirst.application.records import session_entries
from hipfirst.errors import FieldError, InputError, InputValidationError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.storage.database import make_sessionmaker
from hipfirst.storage.models import Patient, Role, SessionLog, User

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "runner-anterior-knee-pain.yaml"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Session]:
    engine = migrated_engine(make_settings(tmp_path))
    with make_sessionmaker(engine)() as session:
        yield session
    engine.dispose()


@pytest.fixture
def people(db: Session) -> tuple[User, Patient]:
    clinician = User(email="a@example.org", name="A", role=Role.clinician, password_hash="x")
    db.add(clinician)
    db.flush()
    patient = Patient(clinician_id=clinician.id, display_name="Runner")
    db.add(patient)
    db.commit()
    return clinician, patient


def _document() -> dict[str, object]:
    document = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    document.get("exam", {}).pop("video_analyses", None)  # file paths name no stored analysis
    return document


def test_it_records_an_assessment_with_the_engines_report(
    db: Session, people: tuple[User, Patient], kb: KnowledgeBase
) -> None:
    clinician, patient = people
    stored = record_assessment(db, patient, clinician, _document(), [], kb)
    assert stored.assessed_on == dt.date(2026, 11, 20)
    assert stored.report_json is not None
    assert stored.report_json["measures"]["hip_abduction_lsi_pct"]["value"] == 75.0


def test_it_refuses_a_document_with_every_problem_together(
    db: Session, people: tuple[User, Patient], kb: KnowledgeBase
) -> None:
    clinician, patient = people
    document = _document()
    document["patient"] = {**document["patient"], "age_years": 7}  # type: ignore[dict-item]
    edge = FieldError("exam.notes", "typed on the form", "x")
    with pytest.raises(InputValidationError) as raised:
        record_assessment(db, patient, clinician, document, [edge], kb)
    locations = [problem.location for problem in raised.value.errors]
    assert locations == ["exam.notes", "patient.age_years"]
    assert patient.assessments == []


def test_it_generates_version_1_then_refuses_an_edit_that_changes_nothing(
    db: Session, people: tuple[User, Patient], kb: KnowledgeBase
) -> None:
    clinician, patient = people
    stored = record_assessment(db, patient, clinician, _document(), [], kb)
    generated = programmes.generate(db, patient, clinician, str(stored.id), kb)
    assert generated.referral is None and generated.programme is not None
    assert generated.programme.version == 1
    assert generated.programme.change_note == "generated from the assessment of 2026-11-20"
    found = programmes.editable(patient, kb)
    assert found is not None
    programme, plan = found
    outcome = programmes.save_edit(db, patient, clinician, programme, plan, {}, kb)
    assert outcome.saved is None
    assert [str(problem) for problem in outcome.result.errors] == [
        "change_note: nothing was changed; change the programme or go back"
    ]


def test_it_names_an_assessment_id_that_is_not_this_patients(
    db: Session, people: tuple[User, Patient], kb: KnowledgeBase
) -> None:
    clinician, patient = people
    with pytest.raises(InputError, match=r"assessment_id: no assessment '42' of this patient"):
        programmes.generate(db, patient, clinician, "42", kb)


def test_accepting_nothing_changes_nothing(
    db: Session, people: tuple[User, Patient], kb: KnowledgeBase
) -> None:
    clinician, patient = people
    stored = record_assessment(db, patient, clinician, _document(), [], kb)
    programmes.generate(db, patient, clinician, str(stored.id), kb)
    with pytest.raises(InputError, match="Tick at least one suggestion"):
        programmes.accept_progression(db, patient, clinician, set(), advance_phase=False, kb=kb)
    assert [version.version for version in patient.programmes] == [1]


def test_it_logs_a_session_and_names_each_bad_field(
    db: Session, people: tuple[User, Patient], kb: KnowledgeBase
) -> None:
    clinician, patient = people
    stored = record_assessment(db, patient, clinician, _document(), [], kb)
    programmes.generate(db, patient, clinician, str(stored.id), kb)
    today = dt.date.today()
    good = {
        "date": today.isoformat(),
        "clamshell_band.done": "yes",
        "clamshell_band.sets": "2",
        "clamshell_band.reps": "12",
        "clamshell_band.pain_during": "3",
        "clamshell_band.form_ok": "yes",
    }
    [log] = session_logging.log_session(db, patient, good, kb, today)
    assert (log.exercise_id, log.pain_during, log.pain_next_morning, log.load_kg) == (
        "clamshell_band",
        3,
        None,
        None,
    )
    bad = {**good, "clamshell_band.pain_during": "3.5", "clamshell_band.load": "9000"}
    with pytest.raises(InputValidationError) as raised:
        session_logging.log_session(db, patient, bad, kb, today)
    assert [problem.location for problem in raised.value.errors] == [
        "clamshell_band.pain_during",
        "clamshell_band.load",
    ]
    assert len(patient.session_logs) == 1
    assert sessions.pain_points(patient) == [(today, 3.0, None)]


def test_effort_and_run_distance_from_the_web_log_reach_the_progression_rules(
    db: Session, people: tuple[User, Patient], kb: KnowledgeBase
) -> None:
    """A session at the mastery level but logged as exhausting (effort 9/10) is not mastery;
    the distance of a run is what the weekly-distance rule reads."""
    clinician, patient = people
    stored = record_assessment(db, patient, clinician, _document(), [], kb)
    programmes.generate(db, patient, clinician, str(stored.id), kb)
    patient.programmes[0].created_at -= dt.timedelta(days=5)
    db.commit()
    today = dt.date.today()
    for days_ago in (2, 1):
        form = {
            "date": (today - dt.timedelta(days=days_ago)).isoformat(),
            "clamshell_band.done": "yes",
            "clamshell_band.sets": "2",
            "clamshell_band.reps": "20",
            "clamshell_band.pain_during": "1",
            "clamshell_band.pain_next_morning": "1",
            "clamshell_band.effort": "9",
            "clamshell_band.form_ok": "yes",
        }
        session_logging.log_session(db, patient, form, kb, today)
    entries = session_entries(patient.session_logs)
    assert [entry.effort for entry in entries] == [9.0, 9.0]
    view = programmes.programme_view(patient, kb)
    assert view.progress is not None and view.plan is not None
    decision = next(d for d in view.progress.decisions if d.exercise_id == "clamshell_band")
    assert decision.decision == "hold"
    assert "effort 9/10" in " ".join(reason.text for reason in decision.reasons)

    run = SessionLog(
        patient=patient,
        performed_on=today,
        exercise_id="continuous_easy_running",
        sets=1,
        reps=20,
        pain_during=1,
        form_ok=True,
        distance_km=4.5,
    )
    db.add(run)
    db.commit()
    assert session_entries(patient.session_logs)[-1].distance_km == 4.5
