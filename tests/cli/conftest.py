"""CLI test fixtures shared by every command's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hipfirst.cli.app import console, error_console


@pytest.fixture(autouse=True)
def wide_console() -> Iterator[None]:
    """Rich fixes the width when the console is created; widen it so lines never wrap."""
    saved = [(target, target._width) for target in (console, error_console)]
    for target, _ in saved:
        target.width = 300
    yield
    for target, width in saved:
        target._width = width
