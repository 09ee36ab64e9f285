"""Storage test fixtures: the throw-away PostgreSQL server (see ``tests/postgres_server.py``)."""

from postgres_server import postgres_server, postgres_url

__all__ = ["postgres_server", "postgres_url"]
