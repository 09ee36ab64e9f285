"""Data types that flow between the video-analysis stages (and to the renderers).

Stages never mutate what they receive: they return new objects (``TimeSeries``
methods return copies). Coordinates are image pixels of the *displayed* frame
(after rotation metadata has been applied): x to the right, y downwards, origin
at the top-left corner. Times are seconds from the first decoded frame, taken
from the container's real timestamps (variable frame rate is common on phones).

Contract with the renderers and writers (:mod:`hipfirst.video_io`):
:class:`AnalysisResult` holds everything they need; frames are not kept in
memory, renderers re-decode with :func:`hipfirst.video_io.decode.iter_frames`
(``result.info.path``), and frame ``k`` of that iterator is row ``k`` of every
per-frame array here.

:class:`PoseEstimator` is the one interface to a pose model: the MediaPipe
backend (:mod:`hipfirst.video_io.pose`) and the scripted fake used in tests
(:mod:`hipfirst.video.scripted_pose`) both implement it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

from hipfirst.knowledge.vocabulary import Side, VideoMetric, VideoTask
from hipfirst.video.landmarks import N_LANDMARKS

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
ImageArray = npt.NDArray[np.uint8]
Progress = Callable[[float], None]
"""Receives the fraction of the work done, 0..1, never decreasing."""


def angle_key(metric: VideoMetric, side: Side) -> str:
    """Name of a per-side angle series in :attr:`TimeSeries.data`, e.g. ``fppa_deg_left``.

    ``side`` is the limb (FPPA, hip adduction, knee flexion) or the stance side
    (pelvic drop: the *other* side of the pelvis drops; trunk lean: towards it).
    """
    return f"{metric}_{side}"


@dataclass(frozen=True)
class VideoInfo:
    """Container metadata, with width/height as displayed (after rotation)."""

    path: Path
    file_name: str
    width: int
    height: int
    rotation: int  # degrees clockwise applied to the coded frames: 0, 90, 180 or 270
    fps: float  # mean frame rate from real timestamps (nominal when unknown)
    frame_count: int
    duration_s: float
    codec: str
    is_image: bool = False
    variable_frame_rate: bool = False
    coded_width: int = 0
    coded_height: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The ``video`` section of ``summary.json``."""
        return {
            "file_name": self.file_name,
            "width": self.width,
            "height": self.height,
            "rotation": self.rotation,
            "fps": round(self.fps, 3),
            "frame_count": self.frame_count,
            "duration_s": round(self.duration_s, 4),
            "codec": self.codec,
            "is_image": self.is_image,
            "variable_frame_rate": self.variable_frame_rate,
        }


@dataclass(frozen=True)
class Frame:
    """One decoded frame, upright (rotation applied), RGB, ``(height, width, 3)`` uint8."""

    index: int
    time_s: float
    image: ImageArray


@dataclass(frozen=True)
class PoseFrame:
    """The pose found in one frame; all-NaN ``xy`` and ``detected=False`` when none.

    ``xy`` is ``(33, 2)`` pixels in the displayed frame; ``visibility`` and
    ``presence`` are MediaPipe's per-landmark scores in 0..1 (NaN when none).
    ``world`` is the model's metric 3D estimate ``(33, 3)`` in metres, origin at
    the hip centre (None when the backend gives none); it is used only to judge
    the camera view (how far the pelvis is turned from the camera).
    """

    index: int
    time_s: float
    xy: FloatArray
    visibility: FloatArray
    presence: FloatArray
    detected: bool
    world: FloatArray | None = None

    @staticmethod
    def empty(index: int, time_s: float) -> PoseFrame:
        """A frame in which no person was found."""
        nan = np.full(N_LANDMARKS, np.nan)
        return PoseFrame(index, time_s, np.full((N_LANDMARKS, 2), np.nan), nan, nan.copy(), False)


class PoseEstimator(Protocol):
    """Finds one person's 33 BlazePose landmarks in a frame."""

    name: str

    def estimate(self, frame: Frame, size: tuple[int, int]) -> PoseFrame:
        """Landmarks of ``frame`` in pixels of a display of ``size`` = (width, height)."""
        ...

    def close(self) -> None:
        """Free the model."""
        ...


@dataclass(frozen=True)
class LandmarkTrack:
    """The pose model's output for every frame of one video: what the pure stages start from.

    ``time_s`` ``(n,)``: frame times in seconds; ``xy`` ``(n, 33, 2)``: pixels of
    the displayed frame, NaN where nobody was found; ``visibility`` ``(n, 33)``:
    the model's per-landmark confidence in 0..1; ``turned_deg`` ``(n,)``: how far
    the body is turned from the camera
    (:func:`hipfirst.video.quality.turned_from_camera`), None when the model gave
    no 3D landmarks.
    """

    time_s: FloatArray
    xy: FloatArray
    visibility: FloatArray
    turned_deg: FloatArray | None = None
    world: FloatArray | None = None
    """``(n, 33, 3)`` the model's metric 3D landmarks per frame (metres, hip-centred; NaN where
    nobody was found), for cues such as which way the person faces; None when not collected."""
    camera_roll: CameraRoll | None = None
    """How far the camera was rolled from level, estimated from the picture; None: not estimated."""


@dataclass(frozen=True)
class CameraRoll:
    """The camera's roll from level, in degrees, as estimated from the picture.

    Positive: the picture is rotated clockwise relative to the world (a true vertical
    appears tilted clockwise, i.e. leaning to the right at the top). ``source`` names
    the estimate (e.g. ``scene lines``); ``lines`` how many line segments it rests on;
    ``spread_deg`` their disagreement (a robust spread), so the caller can judge it.
    """

    degrees: float
    source: str
    lines: int = 0
    spread_deg: float | None = None


@dataclass(frozen=True)
class Event:
    """A moment in time: ``name`` such as ``peak``, ``initial_contact``, ``foot_contact``."""

    name: str
    index: int
    time_s: float
    side: Side | None = None


@dataclass(frozen=True)
class TimeSeries:
    """Per-frame arrays on one time base (kineticstoolkit-style), immutable by convention.

    ``data`` maps names to arrays whose first axis is time (``(n,)`` angles,
    ``(n, 33, 2)`` landmarks); ``valid`` marks frames whose values can be used.
    Methods return new series; arrays are copied, never modified in place.
    """

    time_s: FloatArray
    data: dict[str, npt.NDArray[Any]] = field(default_factory=dict)
    valid: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    events: tuple[Event, ...] = ()

    def __post_init__(self) -> None:
        n = self.time_s.shape[0]
        if self.valid.shape[0] != n:
            object.__setattr__(self, "valid", np.ones(n, dtype=bool))
        for name, values in self.data.items():
            if values.shape[0] != n:
                raise ValueError(f"series {name!r} has {values.shape[0]} rows, expected {n}")

    def __len__(self) -> int:
        return int(self.time_s.shape[0])

    def with_data(self, **arrays: npt.NDArray[Any]) -> TimeSeries:
        """A copy with arrays added or replaced."""
        data = {name: values.copy() for name, values in self.data.items()}
        data.update({name: np.array(values, copy=True) for name, values in arrays.items()})
        return replace(self, time_s=self.time_s.copy(), data=data, valid=self.valid.copy())

    def with_valid(self, valid: BoolArray) -> TimeSeries:
        """A copy with another valid mask."""
        return replace(self, valid=np.asarray(valid, dtype=bool).copy())

    def with_events(self, events: tuple[Event, ...]) -> TimeSeries:
        """A copy with these events (sorted by time)."""
        return replace(self, events=tuple(sorted(events, key=lambda event: event.index)))


RepKind = Literal["rep", "stance", "landing", "hold"]


@dataclass(frozen=True)
class RepEvent:
    """One repetition / stance phase / landing / hold, on one stance leg.

    Indices are frame rows; ``peak`` is the event at which values are read
    (deepest point, peak knee flexion, midstance, or the hold's worst frame).
    ``values`` holds the angles at the peak keyed by metric
    (:data:`~hipfirst.knowledge.vocabulary.VIDEO_METRICS`; None when not
    measurable); ``valid`` is False with a ``reason`` when tracking or quality
    made the rep doubtful (it is then shown but not averaged).
    """

    number: int
    side: Side
    kind: RepKind
    start_index: int
    peak_index: int
    end_index: int
    start_s: float
    peak_s: float
    end_s: float
    values: dict[str, float | None] = field(default_factory=dict)
    valid: bool = True
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        """One entry of ``summary.json`` ``reps``."""
        return {
            "number": self.number,
            "side": self.side,
            "kind": self.kind,
            "start_s": round(self.start_s, 4),
            "peak_s": round(self.peak_s, 4),
            "end_s": round(self.end_s, 4),
            "start_frame": self.start_index,
            "peak_frame": self.peak_index,
            "end_frame": self.end_index,
            "values": {
                name: (None if value is None else round(value, 2))
                for name, value in self.values.items()
            },
            "valid": self.valid,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class QualityCheck:
    """One quality metric: its value, whether it passed, and why not."""

    name: str
    value: float | int | str | bool | None
    valid: bool
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "valid": self.valid, "reason": self.reason}


@dataclass(frozen=True)
class QualityReport:
    """All quality checks; ``valid`` is False when the results should not be trusted."""

    valid: bool
    checks: tuple[QualityCheck, ...]
    warnings: tuple[str, ...] = ()

    def check(self, name: str) -> QualityCheck | None:
        """The check of this name, if it was made."""
        return next((check for check in self.checks if check.name == name), None)

    def as_dict(self) -> dict[str, Any]:
        """The ``quality`` section of ``summary.json``."""
        section: dict[str, Any] = {"valid": self.valid, "warnings": list(self.warnings)}
        section.update({check.name: check.as_dict() for check in self.checks})
        return section


@dataclass(frozen=True)
class AnalysisResult:
    """Everything a renderer needs after the analysis of one video.

    - ``series.time_s``: frame times; ``series.valid``: usable frames (tracked, same person);
    - ``series.data["landmarks_px"]``: filtered landmarks ``(n, 33, 2)`` in pixels (NaN = none);
    - ``series.data["landmarks_raw_px"]``: the model's unfiltered landmarks ``(n, 33, 2)``;
    - ``series.data["visibility"]``: ``(n, 33)`` per-landmark confidence;
    - ``series.data[angle_key(metric, side)]``: angle series in degrees (NaN = not measurable);
    - ``series.events``: task events; ``reps``: per-rep values;
    - ``thresholds``: ``{metric: threshold dict as in summary.json or None}`` per task;
    - ``summary``: the exact content written to ``summary.json``.
    """

    info: VideoInfo
    task: VideoTask
    series: TimeSeries
    reps: tuple[RepEvent, ...]
    quality: QualityReport
    summary: dict[str, Any]
    thresholds: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    stance_side: Side | None = None

    @property
    def landmarks_px(self) -> FloatArray:
        return np.asarray(self.series.data["landmarks_px"], dtype=np.float64)

    def angle(self, metric: VideoMetric, side: Side) -> FloatArray:
        """One angle series in degrees (NaN where not measurable)."""
        return np.asarray(self.series.data[angle_key(metric, side)], dtype=np.float64)


@dataclass(frozen=True)
class VideoSummary:
    """What :func:`hipfirst.application.video_analysis.analyze_video` returns.

    ``data`` is exactly the content of ``summary.json``; ``out_dir`` is where
    the files were written (None when no output directory was asked for).
    """

    data: dict[str, Any]
    result: AnalysisResult
    out_dir: Path | None = None

    @property
    def task(self) -> VideoTask:
        return self.result.task

    @property
    def quality_valid(self) -> bool:
        return bool(self.data["quality"]["valid"])
