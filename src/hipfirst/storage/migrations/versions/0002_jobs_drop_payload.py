"""jobs: drop payload (written, never read: video_analysis_id names the analysis)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 09:36:36.092846

``payload`` only ever held ``{"analysis_id": <video_analysis_id>}``, so the
downgrade writes exactly that back. On SQLite the batch mode copies the table
(SQLite cannot drop a column that an index or constraint might use); the
CHECK constraint of ``status``, the indexes and the foreign key are kept.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("payload")


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payload", sa.JSON(), nullable=True))
    jobs = sa.table(
        "jobs",
        sa.column("id", sa.Integer()),
        sa.column("video_analysis_id", sa.Integer()),
        sa.column("payload", sa.JSON()),
    )
    connection = op.get_bind()
    for job_id, analysis_id in connection.execute(sa.select(jobs.c.id, jobs.c.video_analysis_id)):
        connection.execute(
            jobs.update().where(jobs.c.id == job_id).values(payload={"analysis_id": analysis_id})
        )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.alter_column("payload", existing_type=sa.JSON(), nullable=False)
