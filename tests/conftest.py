"""Shared fixtures: where the real test data lives (``../shared/data`` beside the repo)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.loader import knowledge_base

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("HIPFIRST_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
VIDEOS = SHARED_DATA / "videos"


@pytest.fixture(scope="session")
def shared_videos() -> Path:
    """Folder of real test videos; CI has it too, so a missing folder is an error, not a skip."""
    if not VIDEOS.is_dir():
        pytest.fail(f"test videos not found at {VIDEOS}; set HIPFIRST_SHARED_DATA")
    return VIDEOS


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The shipped knowledge base, loaded and validated once for the whole run."""
    return knowledge_base()
