"""Filters on analytic signals: pass-band kept, stop-band removed, no lag, gaps and outliers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipfirst.video.settings import FilterSettings
from hipfirst.video.signal import (
    effective_cutoff,
    fill_gaps,
    lowpass,
    reject_outliers,
    smooth,
    smooth_landmarks,
    winter_correction,
)

FS = 60.0


def filtering(max_gap_s: float = 0.2) -> FilterSettings:
    """The ``filter`` section as shipped (6 Hz, 4th order), with a chosen longest gap."""
    return FilterSettings(
        cutoff_hz=6.0,
        order=4,
        max_cutoff_fraction_of_nyquist=0.8,
        max_gap_s=max_gap_s,
        outlier_mad_factor=6.0,
        min_visibility=0.3,
    )


def sine(freq: float, seconds: float = 4.0, fs: float = FS) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(0, seconds, 1 / fs)
    return t, np.sin(2 * np.pi * freq * t)


def amplitude(values: np.ndarray) -> float:
    middle = values[len(values) // 4 : -len(values) // 4]  # away from the edges
    return float(np.max(np.abs(middle)))


def test_it_keeps_a_slow_movement_and_removes_fast_jitter() -> None:
    _, slow = sine(1.0)
    _, fast = sine(20.0)
    assert amplitude(lowpass(slow, FS, 6.0, 4)) == pytest.approx(1.0, abs=0.01)
    assert amplitude(lowpass(fast, FS, 6.0, 4)) < 0.02


def test_it_puts_minus_3_db_at_the_cutoff_for_the_combined_forward_backward_filter() -> None:
    _, at_cutoff = sine(6.0, seconds=10.0)
    assert amplitude(lowpass(at_cutoff, FS, 6.0, 4)) == pytest.approx(1 / np.sqrt(2), abs=0.03)


def test_it_uses_winters_correction_for_two_passes_of_a_second_order_filter() -> None:
    # (2**0.5 - 1)**(1/4), Winter's 0.802
    assert winter_correction(2, 2) == pytest.approx(0.8022, abs=1e-4)


def test_it_adds_no_phase_lag() -> None:
    # one smooth bump (a squat's descent and rise) peaking at t = 2 s
    t = np.arange(0, 4, 1 / FS)
    bump = np.exp(-(((t - 2.0) / 0.3) ** 2))
    filtered = lowpass(bump, FS, 6.0, 4)
    assert t[np.argmax(filtered)] == pytest.approx(2.0, abs=1e-9)


def test_it_lowers_the_cutoff_below_nyquist_at_low_frame_rates() -> None:
    assert effective_cutoff(6.0, 60.0, 4, 0.8) == 6.0
    # 10 frames/s: Nyquist 5 Hz; the designed cut-off (cut-off / 0.802) must stay under 4 Hz
    used = effective_cutoff(6.0, 10.0, 4, 0.8)
    assert used == pytest.approx(0.8 * 5.0 * winter_correction(2, 2), abs=1e-9)
    _, slow = sine(0.5, seconds=10.0, fs=10.0)
    assert np.all(np.isfinite(lowpass(slow, 10.0, used, 4)))


def test_it_refuses_a_cutoff_at_or_above_nyquist() -> None:
    with pytest.raises(ValueError, match="not below Nyquist"):
        lowpass(np.zeros(50), 10.0, 6.0, 4)


def test_it_fills_short_gaps_and_leaves_long_ones() -> None:
    t = np.arange(20) / 10.0  # 10 frames/s
    values = t * 2.0
    values[3:5] = np.nan  # 0.3 s between known neighbours: filled
    values[10:15] = np.nan  # 0.6 s: left missing
    filled = fill_gaps(values, t, max_gap_s=0.3)
    assert filled[3] == pytest.approx(0.6)
    assert filled[4] == pytest.approx(0.8)
    assert np.isnan(filled[10:15]).all()


def test_it_does_not_extrapolate_at_the_edges() -> None:
    t = np.arange(10) / 10.0
    values = np.arange(10.0)
    values[:2] = np.nan
    assert np.isnan(fill_gaps(values, t, 1.0)[:2]).all()


def test_it_rejects_a_one_frame_spike() -> None:
    rng = np.random.default_rng(1)
    values = np.sin(np.linspace(0, 3, 100)) + rng.normal(0, 0.01, 100)
    values[40] += 5.0
    cleaned = reject_outliers(values, 6.0)
    assert np.isnan(cleaned[40])
    assert np.isfinite(np.delete(cleaned, 40)).sum() >= 97


def test_it_filters_each_run_between_long_gaps_separately() -> None:
    t, slow = sine(1.0)
    slow[100:140] = np.nan
    result = smooth(slow, t, filtering(max_gap_s=0.1))
    assert np.isnan(result[100:140]).all()
    assert np.allclose(result[:100][10:-10], slow[:100][10:-10], atol=0.02)


def test_it_filters_variable_frame_rate_on_the_real_timestamps() -> None:
    rng = np.random.default_rng(3)
    steps = rng.choice([1 / 30, 1 / 24, 1 / 60], size=200)
    t = np.concatenate(([0.0], np.cumsum(steps)))
    slow = np.sin(2 * np.pi * 0.8 * t)
    result = smooth(slow, t, filtering(max_gap_s=0.2))
    assert np.allclose(result[20:-20], slow[20:-20], atol=0.03)


def test_it_leaves_unusable_landmarks_out_before_filtering() -> None:
    t = np.arange(30) / 30.0
    xy = np.ones((30, 33, 2)) * 100.0
    usable = np.ones((30, 33), dtype=bool)
    usable[:, 5] = False
    result = smooth_landmarks(xy, usable, t, filtering())
    assert np.isnan(result[:, 5]).all()
    assert np.allclose(result[:, 0], 100.0)


@settings(max_examples=30, deadline=None)
@given(
    offset=st.floats(min_value=-1000, max_value=1000),
    fs=st.sampled_from([24.0, 30.0, 60.0, 120.0, 240.0]),
)
def test_it_keeps_a_constant_signal_constant_at_any_frame_rate(offset: float, fs: float) -> None:
    t = np.arange(0, 2.0, 1 / fs)
    result = smooth(np.full(t.size, offset), t, filtering())
    assert np.allclose(result, offset, atol=1e-6 * max(1.0, abs(offset)))
