"""The shape of video/settings.yaml: unknown keys and values out of range are refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hipfirst.video.settings import (
    ContactSettings,
    EventSettings,
    LabelSettings,
    PlausibilitySettings,
    PostureSettings,
    QualitySettings,
)

EVENTS = {
    "min_rep_depth_fraction": 0.08,
    "min_rep_duration_s": 0.4,
    "foot_lift_fraction": 0.05,
    "min_stance_s": 0.08,
    "max_stance_s": 0.5,
    "min_hold_s": 0.5,
    "baseline_max_drift_deg": 2.0,
}


def test_it_refuses_an_unknown_key() -> None:
    with pytest.raises(ValidationError, match=r"min_hold\n  Extra inputs are not permitted"):
        EventSettings.model_validate({**EVENTS, "min_hold": 0.5})


def test_it_refuses_a_value_out_of_range() -> None:
    with pytest.raises(
        ValidationError, match=r"min_rep_duration_s\n  Input should be greater than 0"
    ):
        EventSettings.model_validate({**EVENTS, "min_rep_duration_s": 0})


def test_it_has_no_default_for_any_number() -> None:
    # every number is in settings.yaml, never repeated here as a default
    sections = (
        EventSettings,
        QualitySettings,
        ContactSettings,
        LabelSettings,
        PlausibilitySettings,
        PostureSettings,
    )
    for section in sections:
        assert all(field.is_required() for field in section.model_fields.values())


def test_it_refuses_a_label_margin_the_evidence_can_never_reach() -> None:
    # the continuity evidence runs from -2 to 2: a margin of 2 or more would decide nothing
    with pytest.raises(ValidationError, match=r"decide_margin\n  Input should be less than 2"):
        LabelSettings.model_validate(
            {
                "min_pair_separation": 0.12,
                "decide_margin": 2.0,
                "max_gap_s": 0.25,
                "max_twist_deg": 100.0,
            }
        )
