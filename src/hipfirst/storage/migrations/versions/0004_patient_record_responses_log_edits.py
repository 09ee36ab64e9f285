"""patient record details, patient-completed questionnaires, editable session logs

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 12:10:00

``patients`` gains date of birth, contact, diagnosis and involved side (all
optional, so existing records stay valid). ``questionnaire_responses`` holds the
AKPS, LEFS and KOOS-PF a patient (or clinician) fills in, one dated row each.
``session_logs`` gains the effort rating and run distance the progression rules
read, and ``updated_at`` for an entry edited later (next-morning pain). The
downgrade drops them all: the new details and responses are lost.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("date_of_birth", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("contact_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("contact_phone", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("diagnosis", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("involved_side", sa.String(length=10), nullable=True))
    with op.batch_alter_table("session_logs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("effort", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("distance_km", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "questionnaire_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_questionnaire_responses_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
            name=op.f("fk_questionnaire_responses_submitted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_responses")),
    )
    with op.batch_alter_table("questionnaire_responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questionnaire_responses_patient_id"), ["patient_id"])


def downgrade() -> None:
    with op.batch_alter_table("questionnaire_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questionnaire_responses_patient_id"))
    op.drop_table("questionnaire_responses")
    with op.batch_alter_table("session_logs", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("distance_km")
        batch_op.drop_column("effort")
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_column("involved_side")
        batch_op.drop_column("diagnosis")
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("contact_email")
        batch_op.drop_column("date_of_birth")
