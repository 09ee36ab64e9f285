"""The frames of one live take so far, in arrays that grow (pure; used by the live session).

Rows are frames in arrival order. Per frame it keeps what the browser sent (pixels,
visibility, 3D landmarks; NaN where nobody was found), the labels after the swap repair,
the causally filtered landmarks, whether the frame is valid (labels resolved, upright)
and how far the body is turned from the camera. Capacity doubles as needed, so adding a
frame costs O(1) on average and reading the take gives views, not copies.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from hipfirst.video.landmarks import N_LANDMARKS
from hipfirst.video.quality import turned_from_camera
from hipfirst.video.types import BoolArray, FloatArray, LandmarkTrack

START_CAPACITY = 256


class _Sent(Protocol):
    @property
    def xy(self) -> FloatArray | None: ...
    @property
    def visibility(self) -> FloatArray | None: ...
    @property
    def world(self) -> FloatArray | None: ...


class TakeBuffer:
    """Growing per-frame arrays of one take (module doc)."""

    def __init__(self) -> None:
        self._n = 0
        self._size: tuple[int, int] | None = None
        self._alloc(START_CAPACITY)

    def _alloc(self, capacity: int) -> None:
        old = self.__dict__.get("_arrays")
        fresh = {
            "time": np.full(capacity, np.nan),
            "raw": np.full((capacity, N_LANDMARKS, 2), np.nan),
            "visibility": np.full((capacity, N_LANDMARKS), np.nan),
            "world": np.full((capacity, N_LANDMARKS, 3), np.nan),
            "repaired": np.full((capacity, N_LANDMARKS, 2), np.nan),
            "filtered": np.full((capacity, N_LANDMARKS, 2), np.nan),
            "valid": np.zeros(capacity, dtype=bool),
            "tracked": np.zeros(capacity, dtype=bool),
            "turned": np.full(capacity, np.nan),
        }
        if old is not None:
            for name, values in fresh.items():
                values[: self._n] = old[name][: self._n]
        self._arrays: dict[str, npt.NDArray[Any]] = fresh

    def __len__(self) -> int:
        return self._n

    def _next_row(self, size: tuple[int, int]) -> int:
        if self._size is None:
            self._size = size
        if self._n == self._arrays["time"].shape[0]:
            self._alloc(2 * self._n)
        row = self._n
        self._n += 1
        return row

    def append_nobody(self, time_s: float, size: tuple[int, int]) -> None:
        """A frame in which the model found nobody."""
        row = self._next_row(size)
        self._arrays["time"][row] = time_s

    def append(
        self,
        time_s: float,
        size: tuple[int, int],
        sent: _Sent,
        repaired: FloatArray,
        filtered: FloatArray,
        valid: bool,
        turned_deg: float,
    ) -> None:
        """A frame with a person: as sent, repaired, filtered, valid, turned (degrees)."""
        row = self._next_row(size)
        arrays = self._arrays
        arrays["time"][row] = time_s
        if sent.xy is not None:
            arrays["raw"][row] = sent.xy
        if sent.visibility is not None:
            arrays["visibility"][row] = sent.visibility
        if sent.world is not None:
            arrays["world"][row] = sent.world
        arrays["repaired"][row] = repaired
        arrays["filtered"][row] = filtered
        arrays["valid"][row] = valid
        arrays["tracked"][row] = True
        arrays["turned"][row] = turned_deg

    def last_time(self) -> float:
        return float(self._arrays["time"][self._n - 1])

    def size(self) -> tuple[int, int]:
        """(width, height) of the first frame; (0, 0) before any."""
        return self._size or (0, 0)

    def _view(self, name: str) -> npt.NDArray[Any]:
        return self._arrays[name][: self._n]

    def times(self) -> FloatArray:
        return np.asarray(self._view("time"))

    def filtered(self) -> FloatArray:
        return np.asarray(self._view("filtered"))

    def repaired(self) -> FloatArray:
        return np.asarray(self._view("repaired"))

    def valid(self) -> BoolArray:
        return np.asarray(self._view("valid"))

    def tracked(self) -> BoolArray:
        return np.asarray(self._view("tracked"))

    def turned(self) -> FloatArray:
        return np.asarray(self._view("turned"))

    def track(self) -> LandmarkTrack:
        """The take as sent (copies), the form the whole-video stages start from."""
        world = self._view("world").copy()
        has_world = bool(np.isfinite(world).any())
        times = self._view("time").copy()
        return LandmarkTrack(
            time_s=times - times[0] if times.size else times,  # from the first frame, as a video's
            xy=self._view("raw").copy(),
            visibility=self._view("visibility").copy(),
            turned_deg=turned_from_camera(world) if has_world else None,
            world=world if has_world else None,
        )
