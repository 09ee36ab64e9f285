"""Demo data for a fresh installation: three accounts and one patient with real records.

``seed_demo`` runs once, on the first start of ``hipfirst serve`` with an
empty database. It creates an admin, a clinician and a patient account with
random passwords (written to ``<data_dir>/demo-logins.txt``, mode 0600, and
printed at each start), a patient record, and then fills that record through
the real engines, each in its own hook:

* :func:`seed_assessment`: ``examples/runner-anterior-knee-pain.yaml`` read by
  ``io.assessment_file``, then ``core.reasoning.assess`` and
  ``core.prescription.prescribe``;
* :func:`seed_video`: the first shared test video through
  ``video.analyze_video``.

A hook whose input is not there says so and is skipped; nothing here
invents clinical content.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from hipfirst.application.video_analysis import analyze_video
from hipfirst.core.prescription import prescribe
from hipfirst.core.reasoning import assess
from hipfirst.errors import HipfirstError
from hipfirst.io.assessment_file import load_assessment_file
from hipfirst.io.plan_file import plan_to_json
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.settings import Settings
from hipfirst.storage.database import make_sessionmaker
from hipfirst.storage.files import analysis_dir, generated_upload_name, uploads_dir
from hipfirst.storage.models import (
    AnalysisStatus,
    Assessment,
    Patient,
    Programme,
    Role,
    User,
    VideoAnalysis,
    utcnow,
)
from hipfirst.web.passwords import hash_password

REPO_ROOT = Path(__file__).resolve().parents[3]
EXAMPLE_ASSESSMENT = REPO_ROOT / "examples" / "runner-anterior-knee-pain.yaml"
LOGINS_FILE = "demo-logins.txt"
DEMO_VIDEO = "lab-single-leg-balance-oblique.mp4"
DEMO_VIDEO_TASK = "single-leg-stance"

Progress = Callable[[str], object]


def shared_videos_dir() -> Path:
    """``$HIPFIRST_SHARED_DATA/videos``, else ``../shared/data/videos`` beside the repository."""
    shared = os.environ.get("HIPFIRST_SHARED_DATA")
    return (Path(shared) if shared else REPO_ROOT.parent / "shared" / "data") / "videos"


def seed_demo(
    settings: Settings,
    engine: Engine,
    *,
    videos_dir: Path | None = None,
    progress: Progress = lambda _message: None,
) -> list[str]:
    """Create the demo accounts and patient; returns one line per thing done or skipped."""
    done: list[str] = []
    logins: list[str] = []
    with make_sessionmaker(engine)() as db:
        accounts = {}
        for role, email, name in (
            (Role.admin, "admin@demo.hipfirst.local", "Demo Admin"),
            (Role.clinician, "clinician@demo.hipfirst.local", "Demo Clinician"),
            (Role.patient, "patient@demo.hipfirst.local", "Demo Runner"),
        ):
            password = secrets.token_urlsafe(12)
            user = User(email=email, name=name, role=role, password_hash=hash_password(password))
            db.add(user)
            accounts[role] = user
            logins.append(f"{role.value:<9} {email}  password: {password}")
        db.flush()
        patient = Patient(
            clinician_id=accounts[Role.clinician].id,
            user_id=accounts[Role.patient].id,
            display_name="Demo Runner",
            notes="Demo record created on first start.",
        )
        db.add(patient)
        db.commit()
        done.append("Created demo accounts and the patient record 'Demo Runner'.")
        for hook in (seed_assessment, seed_video):
            progress(f"Seeding: {hook.__name__.removeprefix('seed_')}…")
            done.append(hook(db, settings, patient, accounts[Role.clinician], videos_dir))
            db.commit()
    _write_logins(settings.data_dir, logins)
    return done


def demo_logins(settings: Settings) -> list[str]:
    """The demo logins written on first start (empty when there are none)."""
    path = settings.data_dir / LOGINS_FILE
    return path.read_text(encoding="utf-8").splitlines() if path.is_file() else []


def _write_logins(data_dir: Path, lines: list[str]) -> None:
    path = data_dir / LOGINS_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def seed_assessment(
    db: Session, settings: Settings, patient: Patient, clinician: User, _videos: Path | None
) -> str:
    """The example assessment, its engine report and the programme prescribed from it."""
    if not EXAMPLE_ASSESSMENT.is_file():
        return f"Skipped the demo assessment: {EXAMPLE_ASSESSMENT} does not exist."
    kb = knowledge_base()
    loaded = load_assessment_file(EXAMPLE_ASSESSMENT)
    report = assess(loaded.assessment, kb, loaded.video)
    row = Assessment(
        patient_id=patient.id,
        assessed_on=loaded.assessment.date,
        exam_json=loaded.assessment.model_dump(mode="json", exclude_none=True),
        report_json=report.to_json(),
        created_by_id=clinician.id,
    )
    db.add(row)
    db.flush()
    plan = prescribe(loaded.assessment, report, kb)
    db.add(
        Programme(
            patient_id=patient.id,
            version=1,
            plan_json=plan_to_json(plan),
            change_note="Generated from the first assessment.",
            assessment_id=row.id,
            created_by_id=clinician.id,
        )
    )
    what = "a referral" if plan.kind == "referral" else "the programme prescribed from it"
    return f"Stored the demo assessment ({EXAMPLE_ASSESSMENT.name}) with its report and {what}."


def seed_video(
    db: Session, settings: Settings, patient: Patient, clinician: User, videos: Path | None
) -> str:
    """One real video analysed by the pipeline (skipped when the shared videos are absent)."""
    source = (videos if videos is not None else shared_videos_dir()) / DEMO_VIDEO
    if not source.is_file():
        return f"Skipped the demo video: {source} not found."
    upload = uploads_dir(settings.data_dir, patient.id)
    upload.mkdir(parents=True, exist_ok=True)
    name = generated_upload_name(source.suffix.lower())
    (upload / name).write_bytes(source.read_bytes())
    video = VideoAnalysis(
        patient_id=patient.id,
        upload_name=name,
        original_name=source.name,
        task=DEMO_VIDEO_TASK,
        side="auto",
        status=AnalysisStatus.running,
        uploaded_by_id=clinician.id,
        started_at=utcnow(),
    )
    db.add(video)
    db.flush()
    out_dir = analysis_dir(settings.data_dir, patient.id, video.id)
    try:
        summary = analyze_video(upload / name, task=DEMO_VIDEO_TASK, side="auto", out_dir=out_dir)
    except HipfirstError as error:  # kept as a failed analysis; the server still starts
        video.status = AnalysisStatus.failed
        video.error = str(error)
        video.finished_at = utcnow()
        return f"The demo video analysis failed: {error}"
    video.summary_json = summary.data
    video.output_dir = out_dir.relative_to(settings.data_dir).as_posix()
    video.status = AnalysisStatus.done
    video.progress = 1.0
    video.finished_at = utcnow()
    return f"Analysed the demo video {source.name}."
