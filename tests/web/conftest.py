"""Fixtures for the web app: a fresh data dir and real SQLite database per test, and personae.

The personae are described in ``webtest.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from webtest import World, build_world, close_world, make_settings

from hipfirst.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    """Migrated database with the five personae and two patient records."""
    world = build_world(settings)
    yield world
    close_world(world)
