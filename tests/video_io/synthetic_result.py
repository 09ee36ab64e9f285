"""A tiny synthetic video and a hand-built AnalysisResult around it, for the renderer tests.

The video is written with PyAV; each frame's red level encodes its index
(``RED_STEP * index``) so the frames a renderer picked can be recognised after
lossy compression (:func:`red_index`). The result has known angles and reps.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from hipfirst.knowledge.vocabulary import Side, VideoTask
from hipfirst.video.landmarks import N_LANDMARKS, Landmark
from hipfirst.video.types import AnalysisResult, QualityReport, RepEvent, TimeSeries, angle_key
from hipfirst.video_io.decode import probe

WIDTH, HEIGHT, FPS, N_FRAMES = 320, 240, 30, 45
RED_STEP = 5


def write_counting_video(path: Path, n_frames: int = N_FRAMES, *, gop: int = 250) -> Path:
    """H.264 clip: frame k is a flat colour with red = RED_STEP * k; a key frame every gop."""
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=FPS, options={"g": str(gop), "bf": "2"})
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        for index in range(n_frames):
            image = np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8)
            image[..., 0] = RED_STEP * index
            image[..., 2] = 128
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def standing_landmarks(n: int) -> npt.NDArray[np.float64]:
    """A front-on stick figure (person's left on the image right), knees drifting inwards."""
    xy = np.full((n, N_LANDMARKS, 2), np.nan)
    drift = 6 * np.sin(np.linspace(0, 3 * np.pi, n))
    points = {
        Landmark.LEFT_SHOULDER: (185, 60),
        Landmark.RIGHT_SHOULDER: (135, 60),
        Landmark.LEFT_HIP: (178, 120),
        Landmark.RIGHT_HIP: (142, 120),
        Landmark.LEFT_KNEE: (180, 170),
        Landmark.RIGHT_KNEE: (140, 170),
        Landmark.LEFT_ANKLE: (182, 220),
        Landmark.RIGHT_ANKLE: (138, 220),
    }
    for landmark, (x, y) in points.items():
        xy[:, landmark, 0] = x
        xy[:, landmark, 1] = y
    xy[:, Landmark.LEFT_KNEE, 0] -= drift
    xy[:, Landmark.RIGHT_KNEE, 0] += drift
    return xy


def rep(number: int, side: Side, start: int, peak: int, end: int, fppa: float | None) -> RepEvent:
    return RepEvent(
        number=number,
        side=side,
        kind="rep",
        start_index=start,
        peak_index=peak,
        end_index=end,
        start_s=start / FPS,
        peak_s=peak / FPS,
        end_s=end / FPS,
        values={"fppa_deg": fppa, "hip_adduction_deg": 5.0},
    )


def make_result(
    video: Path,
    reps: tuple[RepEvent, ...],
    *,
    quality_valid: bool = True,
    thresholds: dict[str, dict[str, object] | None] | None = None,
) -> AnalysisResult:
    info = probe(video)
    n = info.frame_count
    time_s = np.arange(n) / FPS
    data: dict[str, npt.NDArray[np.float64]] = {"landmarks_px": standing_landmarks(n)}
    for index, metric in enumerate(("fppa_deg", "hip_adduction_deg", "pelvic_drop_deg")):
        for sign, side in ((1, "left"), (-1, "right")):
            data[angle_key(metric, side)] = 5 + index + sign * 4 * np.sin(time_s * 3)  # type: ignore[arg-type]
    data[angle_key("trunk_lean_deg", "left")] = np.full(n, np.nan)
    data[angle_key("trunk_lean_deg", "right")] = np.full(n, np.nan)
    data[angle_key("knee_flexion_deg", "left")] = np.full(n, np.nan)
    data[angle_key("knee_flexion_deg", "right")] = np.full(n, np.nan)
    for event in reps:  # the series agrees with the reps' values at their peaks
        if event.values.get("fppa_deg") is not None:
            data[angle_key("fppa_deg", event.side)][event.peak_index] = event.values["fppa_deg"]
    valid = np.ones(n, dtype=bool)
    valid[40:] = False
    data["visibility"] = np.full((n, N_LANDMARKS), 0.9)
    data["person_tracked"] = valid.copy()
    return AnalysisResult(
        info=info,
        task=VideoTask.SINGLE_LEG_SQUAT,
        series=TimeSeries(time_s=time_s, data=dict(data), valid=valid),
        reps=reps,
        quality=QualityReport(valid=quality_valid, checks=()),
        summary={},
        thresholds=dict(thresholds or {}),
    )


REPS = (
    rep(1, "left", 0, 5, 10, fppa=10.0),
    rep(2, "left", 11, 18, 22, fppa=18.5),
    rep(3, "right", 23, 27, 30, fppa=7.0),
    rep(4, "right", 31, 36, 39, fppa=12.0),
)
FPPA_THRESHOLD = {
    "value": 13.5,
    "direction": "above",
    "status": "published",
    "sources": ["herrington_2014"],
}


def red_index(image: npt.NDArray[np.uint8]) -> int:
    """Which synthetic frame an image is, from its median red level."""
    return round(float(np.median(image[..., 0])) / RED_STEP)
