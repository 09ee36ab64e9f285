"""Fixtures of the video I/O tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from synthetic_result import write_counting_video


@pytest.fixture
def video(tmp_path: Path) -> Path:
    """A 45-frame 320x240 H.264 clip at 30 frames/s whose frame k has red = 5 k."""
    return write_counting_video(tmp_path / "clip.mp4")
