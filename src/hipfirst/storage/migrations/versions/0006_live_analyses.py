"""video_analyses.source: an uploaded video or a live mirror take

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 14:00:00

``source`` says where an analysis's landmarks came from: ``upload`` (the worker ran the pose
model on an uploaded video) or ``live`` (the browser ran it during a live mirror take and sent
the landmarks; no video was ever stored). Existing rows are uploads (server default), so the
downgrade only drops the column; a downgrade with live rows in the table keeps them as rows
whose stored name points at no upload.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("video_analyses", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=10), nullable=False, server_default="upload")
        )


def downgrade() -> None:
    with op.batch_alter_table("video_analyses", schema=None) as batch_op:
        batch_op.drop_column("source")
