"""video_analyses: the person chosen and the pose model (re-analysis with another subject)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:00:00

``person``: the candidate (``summary.json`` ``people``) the user chose as the subject,
NULL while the analysis chooses by itself. ``pose_model``: the BlazePose model the
analysis runs with (``full``/``heavy``), set from the settings when it is queued;
NULL on rows from before this revision means the default model. Both nullable, so
existing rows need no value and the downgrade only drops them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("video_analyses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pose_model", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("video_analyses", schema=None) as batch_op:
        batch_op.drop_column("pose_model")
        batch_op.drop_column("person")
