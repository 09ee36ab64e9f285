"""Fixtures for the web app: a fresh data dir and real SQLite database per test, and personae.

The personae are described in ``tests/clinic_world.py``; the throw-away
PostgreSQL server is in ``tests/postgres_server.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_world import World, build_world, close_world, make_settings
from hipfirst.settings import Settings
from postgres_server import postgres_server, postgres_url

__all__ = ["postgres_server", "postgres_url"]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    """Migrated database with the five personae and two patient records."""
    world = build_world(settings)
    yield world
    close_world(world)
