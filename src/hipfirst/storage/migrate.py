"""Alembic, configured from code: no alembic.ini is needed at run time.

The migration scripts ship inside the package (``storage/migrations``).
``upgrade`` brings a database to the newest revision; ``check_current``
refuses to serve a database whose schema is behind (or ahead of) the code.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from hipfirst.errors import HipfirstError, SchemaOutOfDateError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config for the packaged migrations, run on ``engine`` when given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest migration this code ships."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise HipfirstError("no database migrations found in the hipfirst package")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_empty(engine: Engine) -> bool:
    """True when the database has no tables at all (a fresh file or schema)."""
    with engine.connect() as connection:
        return not inspect(connection).get_table_names()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (default: the newest)."""
    current = current_revision(engine)
    if current is not None and current not in known_revisions():
        raise SchemaOutOfDateError(_unknown(engine, current))
    command.upgrade(alembic_config(engine), revision)


def known_revisions() -> set[str]:
    """Every revision this code ships."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _unknown(engine: Engine, current: str) -> str:
    return (
        f"the database {_url(engine)} is at revision {current}, which this version of "
        "hipfirst does not know: it was probably written by a newer hipfirst. Run that "
        "version, or restore a backup made with this one."
    )


def downgrade(engine: Engine, revision: str) -> None:
    """Undo migrations down to ``revision`` (``"base"`` empties the database)."""
    command.downgrade(alembic_config(engine), revision)


def check_current(engine: Engine) -> None:
    """Raise :class:`SchemaOutOfDateError` unless the database is at the newest revision."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if current is not None and current not in known_revisions():
        raise SchemaOutOfDateError(_unknown(engine, current))
    state = (
        "has no hipfirst schema yet"
        if current is None
        else f"is at revision {current}, older than this version of hipfirst needs ({head})"
    )
    raise SchemaOutOfDateError(
        f"the database {_url(engine)} {state}. Run `hipfirst db upgrade` (with the same "
        "--data-dir or DATABASE_URL), then start again."
    )
