"""Reading ``hipfirst analyze`` summaries into VideoMetrics."""

from __future__ import annotations

import pytest

from hipfirst.errors import InputValidationError
from hipfirst.io.video_summary import parse_video_summary


def test_it_keeps_known_metrics_and_quality() -> None:
    metrics = parse_video_summary(
        {
            "schema": "hipfirst.video-summary/1",
            "task": "running",
            "per_side": {"right": {"pelvic_drop_deg": {"mean": 6.5, "n": 12, "valid": True}}},
            "quality": {"valid": False, "warnings": ["oblique camera"]},
        },
        "s.json",
    )
    assert metrics.per_side["right"]["pelvic_drop_deg"].mean == 6.5
    assert metrics.per_side["right"]["pelvic_drop_deg"].threshold is None
    assert metrics.quality_valid is False
    assert metrics.warnings == ["oblique camera"]


def test_it_names_a_wrong_task() -> None:
    with pytest.raises(
        InputValidationError,
        match=r"s.json: 1 error\n  - task: must be one of: single-leg-squat, step-down, landing, "
        r"running, single-leg-stance \(got 'swimming'\)",
    ):
        parse_video_summary({"schema": "hipfirst.video-summary/1", "task": "swimming"}, "s.json")


def test_it_refuses_a_non_object() -> None:
    with pytest.raises(InputValidationError, match=r"\(top level\): must be a JSON object"):
        parse_video_summary([1], "s.json")
