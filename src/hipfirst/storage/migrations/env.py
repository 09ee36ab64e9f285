"""Alembic environment: runs on the engine handed over by ``hipfirst.storage.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from hipfirst.storage.models import Base

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - only reachable through a bare alembic CLI
    raise RuntimeError("run migrations through `hipfirst db upgrade`, not the alembic command")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
