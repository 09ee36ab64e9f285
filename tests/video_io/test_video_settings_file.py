"""The shipped video/settings.yaml loads, validated, with the documented values."""

from __future__ import annotations

from hipfirst.video_io.settings import video_settings


def test_it_loads_the_shipped_settings_once() -> None:
    settings = video_settings()

    assert video_settings() is settings  # cached
    assert settings.version == 2
    assert (settings.filter.cutoff_hz, settings.filter.order) == (6.0, 4)
    assert (settings.quality.max_frontal_yaw_deg, settings.quality.min_side_on_yaw_deg) == (
        20.0,
        65.0,
    )
    assert settings.quality.min_landmark_visibility == 0.5
    assert settings.events.min_hold_s == 0.5
    assert settings.tracking.reacquire_for_s == 1.5
