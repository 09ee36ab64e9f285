"""Clean landmark trajectories: outlier rejection, short-gap filling, zero-lag low-pass.

Pure functions on arrays (no I/O). :func:`smooth` and :func:`smooth_landmarks`
take the ``filter`` section of ``settings.yaml`` (:class:`FilterSettings`) as it
is; the building blocks take plain numbers. Order of operations per coordinate:

1. **Outliers**: a sample further than ``outlier_mad_factor`` robust standard
   deviations (MAD of the residuals or of the frame-to-frame steps, whichever
   is larger) from a 5-sample running median is removed (pose models
   occasionally snap a landmark to the wrong limb for one frame).
2. **Gaps** of at most ``max_gap_s`` are filled by linear interpolation in
   real time; longer gaps stay missing and split the signal.
3. **Low-pass**: Butterworth, applied forward and backward with
   :func:`scipy.signal.sosfiltfilt` so there is no phase lag. A forward-backward
   pass squares the magnitude response, so a filter of half the requested
   order is designed and its cut-off raised by Winter's correction
   ``1 / (2**(1/2) - 1)**(1/(2·n_half))`` so that the *combined* filter has the
   requested order and its −3 dB point at the requested cut-off. The cut-off is
   lowered when it would come too close to the Nyquist frequency (low frame
   rates): at most ``max_cutoff_fraction_of_nyquist`` × fs/2 after correction.
4. Variable frame rate: the samples are resampled to a uniform grid at the
   median frame rate, filtered, and read back at the original times.

Each contiguous run of samples is filtered separately; runs too short for the
filter's edge padding are filtered with a shorter padding, runs under 4
samples are left as they are.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import median_filter
from scipy.signal import butter, sosfiltfilt

from hipfirst.video.settings import FilterSettings
from hipfirst.video.types import BoolArray, FloatArray

FILTER_DESCRIPTION = "zero-lag Butterworth low-pass (sosfiltfilt)"
"""How ``summary.json`` ``processing.filter`` names the filter of :func:`lowpass`."""


def winter_correction(passes: int = 2, order: int = 2) -> float:
    """Factor by which ``passes`` passes of an ``order`` Butterworth lower the −3 dB point."""
    return float((2.0 ** (1.0 / passes) - 1.0) ** (1.0 / (2.0 * order)))


def effective_cutoff(cutoff_hz: float, fs_hz: float, order: int, max_fraction: float) -> float:
    """The cut-off actually used: the requested one, lowered to keep the design below Nyquist."""
    nyquist = fs_hz / 2.0
    design_factor = 1.0 / winter_correction(2, max(order // 2, 1))
    return float(min(cutoff_hz, max_fraction * nyquist / design_factor))


def _runs(finite: BoolArray) -> list[tuple[int, int]]:
    """Start/stop index pairs of consecutive True values."""
    padded = np.concatenate(([False], finite, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(edges[i]), int(edges[i + 1])) for i in range(0, edges.size, 2)]


def reject_outliers(values: FloatArray, k: float) -> FloatArray:
    """A copy with samples far from the running median set to NaN."""
    result = np.array(values, dtype=np.float64, copy=True)
    for start, stop in _runs(np.isfinite(result)):
        if stop - start < 5:
            continue
        segment = result[start:stop]
        residual = segment - median_filter(segment, size=5, mode="nearest")
        # robust noise scale: MAD of the residuals, or of the frame-to-frame steps when the
        # running median reproduces most samples exactly (MAD 0 on smooth data)
        mad = float(np.median(np.abs(residual - np.median(residual)))) * 1.4826
        step = float(np.median(np.abs(np.diff(segment)))) * 1.4826 / np.sqrt(2.0)
        scale = max(mad, step)
        if scale <= 0:
            continue
        segment[np.abs(residual) > k * scale] = np.nan
    return result


def fill_gaps(values: FloatArray, time_s: FloatArray, max_gap_s: float) -> FloatArray:
    """A copy with interior NaN runs lasting at most ``max_gap_s`` linearly interpolated."""
    result = np.array(values, dtype=np.float64, copy=True)
    finite = np.isfinite(result)
    if finite.sum() < 2:
        return result
    for start, stop in _runs(~finite):
        if start == 0 or stop == result.size:
            continue
        if time_s[stop] - time_s[start - 1] <= max_gap_s + 1e-9:
            result[start:stop] = np.interp(
                time_s[start:stop], time_s[[start - 1, stop]], result[[start - 1, stop]]
            )
    return result


def lowpass(values: FloatArray, fs_hz: float, cutoff_hz: float, order: int) -> FloatArray:
    """Zero-lag Butterworth low-pass of a uniformly sampled signal; NaN runs are kept."""
    result = np.array(values, dtype=np.float64, copy=True)
    half = max(order // 2, 1)
    design_hz = cutoff_hz / winter_correction(2, half)
    wn = design_hz / (fs_hz / 2.0)
    if not 0 < wn < 1:
        raise ValueError(f"cut-off {cutoff_hz} Hz is not below Nyquist ({fs_hz / 2} Hz)")
    sos = butter(half, wn, btype="low", output="sos")
    default_pad = 3 * (2 * sos.shape[0] + 1)
    for start, stop in _runs(np.isfinite(result)):
        length = stop - start
        if length < 4:
            continue
        result[start:stop] = sosfiltfilt(
            sos, result[start:stop], padlen=min(default_pad, length - 1)
        )
    return result


def is_uniform(time_s: FloatArray, tolerance: float = 0.1) -> bool:
    """True when every frame interval is within ``tolerance`` of the median."""
    if time_s.size < 3:
        return True
    steps = np.diff(time_s)
    median = float(np.median(steps))
    return bool(np.all(np.abs(steps - median) <= tolerance * median))


def smooth(values: FloatArray, time_s: FloatArray, settings: FilterSettings) -> FloatArray:
    """Outliers removed, short gaps filled, low-pass filtered; on real (possibly VFR) times."""
    cleaned = fill_gaps(
        reject_outliers(values, settings.outlier_mad_factor), time_s, settings.max_gap_s
    )
    if time_s.size < 4:
        return cleaned
    order = settings.order
    fs = 1.0 / float(np.median(np.diff(time_s)))
    cutoff = effective_cutoff(
        settings.cutoff_hz, fs, order, settings.max_cutoff_fraction_of_nyquist
    )
    if is_uniform(time_s):
        return lowpass(cleaned, fs, cutoff, order)
    grid = np.arange(time_s[0], time_s[-1] + 0.5 / fs, 1.0 / fs)
    finite = np.isfinite(cleaned)
    on_grid = np.interp(grid, time_s[finite], cleaned[finite])
    # keep long gaps missing on the grid too
    missing = np.interp(grid, time_s, (~finite).astype(np.float64)) > 0
    on_grid[missing] = np.nan
    filtered = lowpass(on_grid, fs, cutoff, order)
    ok = np.isfinite(filtered)
    result = np.full_like(cleaned, np.nan)
    if ok.sum() >= 2:
        result[finite] = np.interp(time_s[finite], grid[ok], filtered[ok])
    return result


def smooth_landmarks(
    xy: FloatArray, usable: BoolArray, time_s: FloatArray, settings: FilterSettings
) -> FloatArray:
    """Filter every landmark coordinate of ``xy`` ``(n, 33, 2)``; unusable samples start as NaN."""
    source = np.array(xy, dtype=np.float64, copy=True)
    source[~usable] = np.nan
    result = np.full_like(source, np.nan)
    for landmark in range(source.shape[1]):
        for axis in range(2):
            result[:, landmark, axis] = smooth(source[:, landmark, axis], time_s, settings)
    return result
