"""Persistence for the clinic web app: models, engine set-up, migrations and file layout."""

from hipfirst.storage.database import make_engine, make_sessionmaker, sqlite_url
from hipfirst.storage.models import utcnow

__all__ = ["make_engine", "make_sessionmaker", "sqlite_url", "utcnow"]
