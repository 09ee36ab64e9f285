"""The MediaPipe pose model behind :class:`~hipfirst.video.types.PoseEstimator`.

:class:`MediaPipePose` runs BlazePose (full model, ``model_complexity=1``)
from the pinned ``mediapipe==0.10.21`` wheel in tracking (video) mode: the
landmarks of one frame seed the region of interest of the next, and person
detection re-runs only when tracking is lost. Only complexity 1 ships inside
the wheel; 0 and 2 would try to download a model, so they are never used.
Nothing is downloaded at run time.

Another model can be added beside it: the pure stages only know the
:class:`~hipfirst.video.types.PoseEstimator` protocol, and tests replay known
landmarks with :class:`~hipfirst.video.scripted_pose.ScriptedPose`.
"""

from __future__ import annotations

from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np

from hipfirst.errors import AnalysisError
from hipfirst.video.types import Frame, ImageArray, PoseFrame

MODEL_FILES = (
    "pose_detection/pose_detection.tflite",
    "pose_landmark/pose_landmark_full.tflite",
)
"""The model files inside the mediapipe wheel (under ``mediapipe/modules/``)."""


def _to_pose_frame(
    landmarks: Any, index: int, time_s: float, size: tuple[int, int], world: Any = None
) -> PoseFrame:
    if landmarks is None:
        return PoseFrame.empty(index, time_s)
    width, height = size
    points = landmarks.landmark
    xy = np.array([[point.x * width, point.y * height] for point in points], dtype=np.float64)
    visibility = np.array([point.visibility for point in points], dtype=np.float64)
    presence = np.array([point.presence for point in points], dtype=np.float64)
    world_xyz = None
    if world is not None:
        world_xyz = np.array([[p.x, p.y, p.z] for p in world.landmark], dtype=np.float64)
    return PoseFrame(index, time_s, xy, visibility, presence, True, world_xyz)


class MediaPipePose:
    """BlazePose full model via ``mp.solutions.pose`` (tracking mode unless ``static``)."""

    def __init__(self, *, static: bool = False, min_confidence: float = 0.5) -> None:
        try:
            import mediapipe as mp
        except ImportError as error:  # pragma: no cover - mediapipe is a pinned dependency
            raise AnalysisError(f"the pose model is not installed: {error}") from None
        self.name = "mediapipe-blazepose-full"
        self._pose = mp.solutions.pose.Pose(
            static_image_mode=static,
            model_complexity=1,
            smooth_landmarks=False,  # our own zero-lag filter runs later
            enable_segmentation=False,
            min_detection_confidence=min_confidence,
            min_tracking_confidence=min_confidence,
        )

    def estimate(self, frame: Frame, size: tuple[int, int]) -> PoseFrame:
        image: ImageArray = frame.image
        if not image.flags.c_contiguous:
            image = np.ascontiguousarray(image)
        results = self._pose.process(image)
        return _to_pose_frame(
            results.pose_landmarks,
            frame.index,
            frame.time_s,
            size,
            results.pose_world_landmarks,
        )

    def close(self) -> None:
        self._pose.close()

    def __enter__(self) -> MediaPipePose:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def model_versions() -> dict[str, Any]:
    """Versions of the pose model and the libraries, for ``summary.json`` ``software``."""
    versions: dict[str, Any] = {}
    for package in ("hipfirst", "mediapipe", "numpy", "scipy", "opencv-python-headless", "av"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    files: list[str] = []
    spec = find_spec("mediapipe")  # located, not imported: importing costs seconds
    if spec is not None and spec.origin is not None:
        modules = Path(spec.origin).parent / "modules"
        files = [relative for relative in MODEL_FILES if (modules / relative).is_file()]
    versions["pose_model"] = {
        "name": "BlazePose GHUM 3D full",
        "complexity": 1,
        "files": [Path(relative).name for relative in files],
    }
    return versions
