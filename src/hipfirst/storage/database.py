"""Engine and session set-up for SQLite (default) and PostgreSQL (by URL).

SQLite runs in WAL mode (readers never block the writer, so the web app and
the worker process can share the file) with foreign keys enforced, set on
every new connection because SQLite forgets both per connection. JSON columns
are written as strict JSON (:func:`strict_json`): a NaN in a report or summary is
refused at the write, never stored as a bare ``NaN`` that other readers reject.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from hipfirst.errors import DatabaseUrlError

SUPPORTED_SCHEMES = ("sqlite", "postgresql+psycopg")
strict_json = partial(json.dumps, allow_nan=False)
"""How JSON columns are serialised (``NaN``/``Infinity`` raise ``ValueError``)."""


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    scheme = url.split("://", 1)[0]
    if scheme not in SUPPORTED_SCHEMES:
        raise DatabaseUrlError(
            f"DATABASE_URL: unsupported scheme {scheme!r}; use one of "
            + ", ".join(f"{s}://…" for s in SUPPORTED_SCHEMES)
        )
    if scheme == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30}, json_serializer=strict_json)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, json_serializer=strict_json)


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (for rendering)."""
    return sessionmaker(engine, expire_on_commit=False)
