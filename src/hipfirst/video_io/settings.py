"""Read and validate the video pipeline's processing parameters (``video/settings.yaml``)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml
from pydantic import ValidationError

from hipfirst.errors import KnowledgeBaseError
from hipfirst.video.settings import VideoSettings


@cache
def video_settings() -> VideoSettings:
    """The validated settings shipped with hipfirst (cached)."""
    text = resources.files("hipfirst.video").joinpath("settings.yaml").read_text("utf-8")
    try:
        return VideoSettings.model_validate(yaml.safe_load(text))
    except (ValidationError, yaml.YAMLError) as error:
        raise KnowledgeBaseError(f"video/settings.yaml: {error}") from None
