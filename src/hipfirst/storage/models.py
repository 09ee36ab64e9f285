"""The clinic database: typed SQLAlchemy 2 models, one class per table.

Clinical content (assessment format v1, engine reports, programme plans,
video summaries) is stored as JSON exactly as the engine reads and writes it,
so the database never re-encodes a clinical rule. Every row that belongs to a
patient hangs off ``patients`` with ``ON DELETE CASCADE``: deleting a patient
removes all of it in one statement (files are removed by the caller).

Times are timezone-aware UTC (:class:`UTCDateTime`); SQLite stores them naive
and we re-attach UTC on load.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Enum,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names, so Alembic migrations behave the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, timezone-aware UTC (the only clock the storage layer uses)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always returned timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use hipfirst.storage.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict[str, Any]: JSON}


class Role(enum.StrEnum):
    """What an account may do: clinicians treat, patients self-manage, admins manage accounts."""

    clinician = "clinician"
    patient = "patient"
    admin = "admin"


class JobStatus(enum.StrEnum):
    """Where a background job and the video analysis it runs stand (one enum for both rows).

    queued → running → done | failed | cancelled; a running job goes back to
    queued when the worker stops or dies (see :mod:`hipfirst.storage.jobs`).
    """

    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"
    cancelled = "cancelled"


ACTIVE_STATUSES = (JobStatus.queued, JobStatus.running)
"""A job or analysis in one of these may still change; the others are final."""


def _enum(kind: type[enum.StrEnum], name: str) -> Enum:
    # Stored as plain strings with a CHECK constraint: portable and readable in SQL.
    return Enum(
        kind,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Patient(Base):
    """A person under care: owned by exactly one clinician, optionally linked to a login."""

    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    display_name: Mapped[str] = mapped_column(String(120))
    notes: Mapped[str] = mapped_column(Text, default="")
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    diagnosis: Mapped[str] = mapped_column(String(200), default="")
    involved_side: Mapped[str | None] = mapped_column(String(10))
    """``left``, ``right`` or ``both``; None until recorded."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    clinician: Mapped[User] = relationship(foreign_keys=[clinician_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="patient",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Assessment.assessed_on",
    )
    programmes: Mapped[list[Programme]] = relationship(
        back_populates="patient",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Programme.version",
    )
    session_logs: Mapped[list[SessionLog]] = relationship(
        back_populates="patient",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SessionLog.performed_on",
    )
    questionnaire_responses: Mapped[list[QuestionnaireResponse]] = relationship(
        back_populates="patient",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="QuestionnaireResponse.completed_on",
    )
    video_analyses: Mapped[list[VideoAnalysis]] = relationship(
        back_populates="patient",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="VideoAnalysis.created_at",
    )


class Assessment(Base):
    """One assessment in format v1 (``exam_json``) and what the engine made of it."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    assessed_on: Mapped[date] = mapped_column(Date)
    exam_json: Mapped[dict[str, Any]]
    report_json: Mapped[dict[str, Any] | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    patient: Mapped[Patient] = relationship(back_populates="assessments")


class Programme(Base):
    """One version of a patient's plan; an edit adds a new version, so history is kept."""

    __tablename__ = "programmes"
    __table_args__ = (UniqueConstraint("patient_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    plan_json: Mapped[dict[str, Any]]
    change_note: Mapped[str] = mapped_column(Text, default="")
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    patient: Mapped[Patient] = relationship(back_populates="programmes")


class SessionLog(Base):
    """One exercise done on one day. Pain is the 0-10 numeric rating the patient gives."""

    __tablename__ = "session_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    performed_on: Mapped[date] = mapped_column(Date)
    exercise_id: Mapped[str] = mapped_column(String(80))
    sets: Mapped[int] = mapped_column(Integer)
    reps: Mapped[int] = mapped_column(Integer)
    load_kg: Mapped[float | None] = mapped_column(Float)
    pain_during: Mapped[int | None] = mapped_column(Integer)
    pain_next_morning: Mapped[int | None] = mapped_column(Integer)
    form_ok: Mapped[bool | None] = mapped_column(Boolean)
    effort: Mapped[int | None] = mapped_column(Integer)
    """How hard it felt, 0-10 (above the knowledge base's limit counts as fatigue)."""
    distance_km: Mapped[float | None] = mapped_column(Float)
    """The distance of a run (running steps only)."""
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]
    """When the entry was last edited (e.g. next-morning pain added the next day)."""

    patient: Mapped[Patient] = relationship(back_populates="session_logs")


class QuestionnaireResponse(Base):
    """A questionnaire (AKPS, LEFS, KOOS-PF) the patient or clinician filled in on a date.

    ``answers`` holds the item scores exactly as the assessment format writes them
    (``questionnaires.akps`` …), so the engine scores them with its own rules.
    """

    __tablename__ = "questionnaire_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    completed_on: Mapped[date] = mapped_column(Date)
    answers: Mapped[dict[str, Any]]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    patient: Mapped[Patient] = relationship(back_populates="questionnaire_responses")


class VideoAnalysis(Base):
    """An uploaded video and the state of its analysis.

    ``upload_name`` is generated (never the user's file name) and relative to
    the patient's upload folder; ``output_dir`` is relative to the data dir.
    ``progress`` runs from 0.0 to 1.0. ``person``: the subject the user chose among the
    candidates of ``summary_json["people"]`` (None: the analysis chooses);
    ``pose_model``: ``full`` or ``heavy`` (None: the default model). ``source``:
    ``upload`` or ``live`` (a live mirror take: landmarks from the browser, no video stored,
    ``upload_name`` a generated ``live-…`` name that names no file).
    """

    __tablename__ = "video_analyses"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    upload_name: Mapped[str] = mapped_column(String(100), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    task: Mapped[str] = mapped_column(String(40))
    side: Mapped[str] = mapped_column(String(10))
    # The CHECK constraint keeps its own name (ck_video_analyses_analysis_status).
    status: Mapped[JobStatus] = mapped_column(
        _enum(JobStatus, "analysis_status"), default=JobStatus.queued
    )
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str | None] = mapped_column(Text)
    summary_json: Mapped[dict[str, Any] | None]
    output_dir: Mapped[str | None] = mapped_column(String(255))
    person: Mapped[int | None] = mapped_column(Integer)
    pose_model: Mapped[str | None] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(10), default="upload", server_default="upload")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    patient: Mapped[Patient] = relationship(back_populates="video_analyses")


class Job(Base):
    """A unit of background work; the worker process claims queued rows in id order.

    ``attempts`` counts the starts that did not end in a clean stop; the queue
    gives a job up after :data:`hipfirst.storage.jobs.MAX_ATTEMPTS`.
    ``locked_by`` / ``locked_at`` are the lease of the claim that runs it (the
    worker's id with a random token; claimed or last heartbeat at): the analysis
    process writes only while the job still carries its token (see
    :mod:`hipfirst.storage.jobs`). ``error`` and ``finished_at`` are there for
    whoever inspects the queue in SQL; the page shows the analysis row.
    """

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[JobStatus] = mapped_column(
        _enum(JobStatus, "job_status"), default=JobStatus.queued, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    video_analysis_id: Mapped[int | None] = mapped_column(
        ForeignKey("video_analyses.id", ondelete="CASCADE"), index=True
    )
    locked_by: Mapped[str | None] = mapped_column(String(100))
    locked_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class AuditEntry(Base):
    """Who viewed, exported or changed which patient record, who signed in, what was refused.

    ``patient_id`` is deliberately not a foreign key: the trail outlives the
    record it describes (a deletion is itself audited). ``what`` is the route
    (``GET /patients/{patient_id}/videos/{analysis_id}/files/{name}``), ``target``
    the exact path asked for (which video, which file); ``action`` is one of
    :data:`hipfirst.storage.audit.ACTIONS`.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    patient_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(20))
    what: Mapped[str] = mapped_column(String(200))
    target: Mapped[str | None] = mapped_column(String(500))
    ip: Mapped[str | None] = mapped_column(String(64))


class WebSession(Base):
    """A signed-in browser: the cookie carries a random token, this row its SHA-256.

    Signing out deletes the row, so a copy of the cookie stops working too; a new
    password or a deactivation deletes every row of the account.
    """

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    ip: Mapped[str | None] = mapped_column(String(64))


class LoginAttempt(Base):
    """Failed sign-ins, counted per account and per address for rate limiting."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
