"""Camera roll from the scene's vertical lines (issue 9 item 3, the estimate).

Analytic first (synthetic pictures of leaning lines), then the shared videos turned by
known angles: rotated copies written with OpenCV + PyAV (no rotation metadata), cropped
to the largest upright rectangle inside so no black corner adds a straight edge, and run
through the real pose loop. The lab camera's own roll comes from its calibration
(``../shared/data/reference/pose2sim-balance-trial/calibration.toml``).
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from hipfirst.application.pose_loop import track_video
from hipfirst.video.types import Frame
from hipfirst.video_io.camera_roll import RollSampler, roll_of
from hipfirst.video_io.decode import iter_frames, probe
from hipfirst.video_io.settings import video_settings

LAB = "lab-single-leg-balance-oblique.mp4"
OUTDOOR = "outdoor-walk-balance-2people.mp4"
ANGLES = (5.0, -5.0, 10.0, -10.0, 20.0, -20.0)
TOLERANCE_DEG = 2.0


def lab_roll_from_calibration(shared_videos: Path) -> float:
    """The lean of the world's vertical at camera 1's principal point (Z-up world, OpenCV)."""
    path = shared_videos.parent / "reference" / "pose2sim-balance-trial" / "calibration.toml"
    camera = tomllib.loads(path.read_text("utf-8"))["cam_01"]
    rotation, _ = cv2.Rodrigues(np.array(camera["rotation"], dtype=np.float64))
    matrix = np.array(camera["matrix"], dtype=np.float64)
    up = matrix @ rotation @ np.array([0.0, 0.0, 1.0])
    principal = matrix[:2, 2]
    direction = up[:2] - principal * up[2]  # image motion of a point moving up, at the centre
    return math.degrees(math.atan2(direction[0], -direction[1]))


def rotate_and_crop(image: np.ndarray, clockwise_deg: float) -> np.ndarray:
    """``image`` turned clockwise, cut to the largest centred rectangle of its aspect inside."""
    height, width = image.shape[:2]
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), -clockwise_deg, 1.0)
    turned = cv2.warpAffine(image, turn, (width, height), flags=cv2.INTER_LINEAR)
    angle = math.radians(abs(clockwise_deg))
    short, long = sorted((width, height))
    scale = 1.0 / (math.cos(angle) + (long / short) * math.sin(angle))
    crop_w, crop_h = int(width * scale) // 2 * 2, int(height * scale) // 2 * 2
    x0, y0 = (width - crop_w) // 2, (height - crop_h) // 2
    return np.ascontiguousarray(turned[y0 : y0 + crop_h, x0 : x0 + crop_w])


def write_rotated(source: Path, target: Path, clockwise_deg: float, frames: int) -> Path:
    info = probe(source)
    with av.open(str(target), "w") as container:
        stream = container.add_stream("libx264", rate=round(info.fps), options={"crf": "18"})
        for frame in iter_frames(source, info=info):
            if frame.index >= frames:
                break
            image = rotate_and_crop(frame.image, clockwise_deg)
            if frame.index == 0:
                stream.width, stream.height = image.shape[1], image.shape[0]
                stream.pix_fmt = "yuv420p"
            container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        container.mux(stream.encode(None))
    return target


def estimated_roll(path: Path) -> float:
    info = probe(path)
    tracked = track_video(
        path, info, settings=video_settings().tracking, progress=lambda _f: None, share=1.0
    )
    roll = tracked.track.camera_roll
    assert roll is not None, f"no roll estimate for {path.name}"
    assert roll.source == "scene lines" and roll.lines >= 4
    return roll.degrees


def lines_picture(lean_deg: float, size: tuple[int, int] = (640, 480)) -> np.ndarray:
    """Dark vertical bars on grey, all leaning ``lean_deg`` (top to the right positive)."""
    width, height = size
    image = np.full((height, width, 3), 180, dtype=np.uint8)
    dx = math.tan(math.radians(lean_deg)) * (height - 20)  # over the bars' own height
    for x in range(60, width - 40, 70):
        bottom = (int(x - dx / 2), height - 10)
        top = (int(x + dx / 2), 10)
        cv2.line(image, bottom, top, (30, 30, 30), 6)
    return image


@pytest.mark.parametrize("lean", [-15.0, 0.0, 7.5, 30.0])
def test_it_reads_the_lean_of_parallel_verticals(lean: float) -> None:
    sampler = RollSampler(0.0)  # a still picture: its one frame is sampled
    sampler.visit(Frame(0, 0.0, lines_picture(lean)), None)
    roll = sampler.result(None)
    assert roll is not None
    assert roll.degrees == pytest.approx(lean, abs=0.5)


def test_it_gives_no_estimate_without_straight_lines() -> None:
    rng = np.random.default_rng(1)
    noise = cv2.GaussianBlur(rng.integers(0, 255, (480, 640, 3), dtype=np.uint8), (9, 9), 3)
    sampler = RollSampler(0.0)
    sampler.visit(Frame(0, 0.0, np.ascontiguousarray(noise)), None)
    assert sampler.result(None) is None


def test_a_vanishing_point_above_or_below_gives_the_same_sign() -> None:
    centre = (320.0, 240.0)
    # the vertical's image through the centre leans 10° right at the top, whichever end
    # the vanishing point is at (camera tilted up: above; tilted down: below)
    lean = math.radians(10)
    above = np.array([centre[0] + 3000 * math.sin(lean), centre[1] - 3000 * math.cos(lean), 1.0])
    below = np.array([centre[0] - 3000 * math.sin(lean), centre[1] + 3000 * math.cos(lean), 1.0])
    at_infinity = np.array([math.sin(lean), -math.cos(lean), 0.0])
    for point in (above, below, at_infinity, -at_infinity):
        assert roll_of(point, (640, 480)) == pytest.approx(10.0, abs=1e-6)


@pytest.fixture(scope="module")
def rolled(shared_videos: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Estimated roll of each shared video, as filmed (0) and turned by each angle."""
    folder = tmp_path_factory.mktemp("rolled")
    found: dict[str, dict[float, float]] = {}
    for name, frames in ((LAB, 60), (OUTDOOR, 60)):
        found[name] = {}
        for angle in (0.0, *ANGLES):
            copy = write_rotated(
                shared_videos / name, folder / f"{angle:+.0f}-{name}", angle, frames
            )
            found[name][angle] = estimated_roll(copy)
            copy.unlink()
    return found


@pytest.mark.video
def test_it_finds_the_lab_cameras_own_roll_from_its_calibration(
    rolled: dict[str, dict], shared_videos: Path
) -> None:
    truth = lab_roll_from_calibration(shared_videos)
    assert truth == pytest.approx(13.4, abs=0.1)  # the camera is visibly askew (and looks down)
    assert rolled[LAB][0.0] == pytest.approx(truth, abs=TOLERANCE_DEG)


@pytest.mark.video
@pytest.mark.parametrize("angle", ANGLES)
def test_it_finds_a_known_extra_roll_within_2_degrees(
    rolled: dict[str, dict], shared_videos: Path, angle: float
) -> None:
    truth = lab_roll_from_calibration(shared_videos)
    assert rolled[LAB][angle] == pytest.approx(truth + angle, abs=TOLERANCE_DEG)
    outdoor = rolled[OUTDOOR]
    assert outdoor[angle] - outdoor[0.0] == pytest.approx(angle, abs=TOLERANCE_DEG)
    assert abs(outdoor[0.0]) < 4.0  # buildings and a wall: a nearly level phone
