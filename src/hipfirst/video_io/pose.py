"""The MediaPipe pose model behind :class:`~hipfirst.video.types.PoseEstimator`.

:class:`MediaPipePose` runs BlazePose through ``mp.solutions.pose`` of the pinned
``mediapipe==0.10.21`` wheel in tracking (video) mode: the landmarks of one frame
seed the region of interest of the next, and person detection re-runs only when
tracking is lost. Two landmark models (:data:`POSE_MODELS`):

* ``full`` (``model_complexity=1``): inside the wheel;
* ``heavy`` (``model_complexity=2``): ``pose_landmark_heavy.tflite`` from the npm
  package ``@mediapipe/pose`` (pinned, integrity-checked), which ``scripts/setup.sh``
  places beside the wheel's full model (that package's ``pose_landmark_full.tflite``
  is byte-identical to the wheel's). MediaPipe would *download* a missing model
  file at run time, so :func:`check_model` refuses ``heavy`` before the model is
  made when the file is missing or not the pinned one. Nothing is downloaded at
  run time.

Which one is the default, and why: ``docs/video.md`` (Model). The pure stages only
know the :class:`~hipfirst.video.types.PoseEstimator` protocol, and tests replay
known landmarks with :class:`~hipfirst.video.scripted_pose.ScriptedPose`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np

from hipfirst.errors import AnalysisError, FieldError, InputValidationError
from hipfirst.knowledge.vocabulary import DEFAULT_POSE_MODEL, POSE_MODEL_NAMES, PoseModelName
from hipfirst.video.types import Frame, ImageArray, PoseFrame

PoseModel = PoseModelName
POSE_MODEL_CHOICES: tuple[str, ...] = POSE_MODEL_NAMES
DETECTOR_FILE = "pose_detection/pose_detection.tflite"
"""The person detector both landmark models share (under ``mediapipe/modules/``)."""


@dataclass(frozen=True)
class ModelSpec:
    """One BlazePose landmark model: its MediaPipe complexity and its file."""

    complexity: int
    file: str
    """Path under ``mediapipe/modules/``."""
    label: str
    sha256: str
    source: str


POSE_MODELS: dict[str, ModelSpec] = {
    "full": ModelSpec(
        1,
        "pose_landmark/pose_landmark_full.tflite",
        "BlazePose GHUM 3D full",
        "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
        "the mediapipe 0.10.21 wheel",
    ),
    "heavy": ModelSpec(
        2,
        "pose_landmark/pose_landmark_heavy.tflite",
        "BlazePose GHUM 3D heavy",
        "59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe",
        "npm @mediapipe/pose 0.5.1675469404 (scripts/setup.sh)",
    ),
}


def modules_dir() -> Path | None:
    """The wheel's ``mediapipe/modules`` folder, located without importing mediapipe."""
    spec = find_spec("mediapipe")  # located, not imported: importing costs seconds
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "modules"


@cache
def _file_digest(path: Path, size: int, mtime_ns: int) -> str:
    """sha256 of a model file, once per process per version of the file."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def check_model(model: object) -> PoseModel:
    """``model`` as a :data:`PoseModel`, its file present and the pinned one; else refused.

    Checked before MediaPipe is asked for it: MediaPipe would try to download a
    missing file. Raises :class:`~hipfirst.errors.InputValidationError` (field
    ``model``) naming the allowed values, the missing file and how to install it.
    """
    if model not in POSE_MODELS:
        allowed = ", ".join(POSE_MODEL_CHOICES)
        raise InputValidationError(
            "analyze", [FieldError("model", f"unknown pose model; allowed: {allowed}", model)]
        )
    spec = POSE_MODELS[str(model)]
    modules = modules_dir()
    path = None if modules is None else modules / spec.file
    if path is None or not path.is_file():
        raise InputValidationError(
            "analyze",
            [
                FieldError(
                    "model",
                    f"the {model} pose model is not installed ({Path(spec.file).name} is missing "
                    f"from mediapipe/modules; it comes from {spec.source}): run "
                    "`bash scripts/setup.sh` to install it, or use --model full",
                    model,
                )
            ],
        )
    stat = path.stat()
    if _file_digest(path, stat.st_size, stat.st_mtime_ns) != spec.sha256:
        raise InputValidationError(
            "analyze",
            [
                FieldError(
                    "model",
                    f"the {model} pose model file {str(path)!r} is not the pinned one (its "
                    "sha256 differs; a partial copy?): run `bash scripts/setup.sh` again",
                    model,
                )
            ],
        )
    return model  # type: ignore[return-value]  # one of POSE_MODELS' keys, checked above


def installed_models() -> list[str]:
    """The pose models whose file is present (not checked against its hash)."""
    modules = modules_dir()
    if modules is None:
        return []
    return [name for name, spec in POSE_MODELS.items() if (modules / spec.file).is_file()]


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


def load_mediapipe() -> Any:
    """Import MediaPipe (a second or two, once per process); AnalysisError when it fails."""
    try:
        import mediapipe as mp
    except ImportError as error:  # pragma: no cover - mediapipe is a pinned dependency
        raise AnalysisError(f"the pose model is not installed: {error}") from None
    return mp


class MediaPipePose:
    """BlazePose via ``mp.solutions.pose`` (tracking mode unless ``static``).

    ``model``: ``full`` or ``heavy`` (:data:`POSE_MODELS`), checked by :func:`check_model`.
    """

    def __init__(
        self, *, static: bool = False, min_confidence: float = 0.5, model: str = "full"
    ) -> None:
        chosen = check_model(model)
        mp = load_mediapipe()
        self.name = f"mediapipe-blazepose-{chosen}"
        self.model = chosen
        self._pose = mp.solutions.pose.Pose(
            static_image_mode=static,
            model_complexity=POSE_MODELS[chosen].complexity,
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


def model_versions(model: str = DEFAULT_POSE_MODEL) -> dict[str, Any]:
    """Versions of the pose model and the libraries, for ``summary.json`` ``software``.

    ``software.pose_model`` names the landmark model used (``model``: ``full`` or
    ``heavy``), its MediaPipe complexity and its files.
    """
    versions: dict[str, Any] = {}
    for package in ("hipfirst", "mediapipe", "numpy", "scipy", "opencv-python-headless", "av"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    spec = POSE_MODELS.get(model, POSE_MODELS[DEFAULT_POSE_MODEL])
    modules = modules_dir()
    files = [
        Path(relative).name
        for relative in (DETECTOR_FILE, spec.file)
        if modules is not None and (modules / relative).is_file()
    ]
    versions["pose_model"] = {
        "name": spec.label,
        "model": model if model in POSE_MODELS else DEFAULT_POSE_MODEL,
        "complexity": spec.complexity,
        "files": files,
    }
    return versions
