"""A causal landmark filter for live frames: the One-Euro filter, on every coordinate at once.

The video pipeline filters a whole recording forward and backward (zero lag,
:mod:`hipfirst.video.signal`); a live frame must be filtered from the past alone. The
One-Euro filter (Casiez, Roussel & Vogel, "1€ Filter", CHI 2012) is an exponential
low-pass whose cut-off rises with the signal's speed::

    cutoff = min_cutoff_hz + beta * |speed|       (speed filtered at derivative_cutoff_hz)
    alpha  = 1 / (1 + 1 / (2π · cutoff · dt))     (dt: this frame's own interval, seconds)
    x̂_k    = alpha · x_k + (1 − alpha) · x̂_{k−1}

so a still pose is smoothed hard (jitter gone) and a fast one follows with little lag. It
takes each frame's real interval, as a browser's frame rate varies. Speeds are in torso
lengths per second (``scale_px`` is the torso length), so ``beta`` does not depend on the
image size. A landmark that goes missing keeps no state; after ``max_gap_s`` without the
person everything starts afresh.
"""

from __future__ import annotations

import math

import numpy as np

from hipfirst.video.settings import LiveSettings
from hipfirst.video.types import BoolArray, FloatArray


def smoothing_factor(cutoff_hz: FloatArray | float, dt_s: float) -> FloatArray:
    """The exponential filter's weight of the new sample for this cut-off and interval."""
    tau = 1.0 / (2.0 * math.pi * np.asarray(cutoff_hz, dtype=np.float64))
    return np.asarray(1.0 / (1.0 + tau / dt_s))


class OneEuroFilter:
    """One-Euro filter over arrays of a fixed shape (e.g. ``(33, 2)`` landmark pixels)."""

    def __init__(self, settings: LiveSettings) -> None:
        self._settings = settings
        self._value: FloatArray | None = None
        self._speed: FloatArray | None = None
        self._time_s = float("nan")

    def reset(self) -> None:
        """Forget the past (a new take, or the person was gone too long)."""
        self._value = self._speed = None
        self._time_s = float("nan")

    def update(self, time_s: float, values: FloatArray, scale_px: float) -> FloatArray:
        """The filtered values at ``time_s``; NaN entries stay NaN and lose their state.

        ``scale_px``: the length that makes speeds comparable (the torso, in pixels);
        a frame at or before the last one's time is returned as it is (no interval).
        """
        settings = self._settings
        values = np.asarray(values, dtype=np.float64)
        dt = time_s - self._time_s
        if self._value is None or not math.isfinite(dt) or dt > settings.max_gap_s:
            self.reset()
            self._value, self._speed = values.copy(), np.zeros_like(values)
            self._time_s = time_s
            return values.copy()
        if dt <= 0:
            return np.where(np.isfinite(self._value), self._value, values)
        seen: BoolArray = np.isfinite(values)
        had = np.isfinite(self._value)
        scale = scale_px if math.isfinite(scale_px) and scale_px > 0 else 1.0
        raw_speed = np.where(seen & had, (values - self._value) / dt / scale, 0.0)
        speed_alpha = smoothing_factor(settings.derivative_cutoff_hz, dt)
        previous = np.zeros_like(values) if self._speed is None else self._speed
        speed = speed_alpha * raw_speed + (1.0 - speed_alpha) * previous
        alpha = smoothing_factor(settings.min_cutoff_hz + settings.beta * np.abs(speed), dt)
        filtered = alpha * values + (1.0 - alpha) * self._value
        result = np.where(seen & had, filtered, values)  # new or missing: no history to use
        self._value, self._speed, self._time_s = result, np.where(seen, speed, 0.0), time_s
        return np.asarray(result.copy())
