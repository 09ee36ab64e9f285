"""Every face blurred in the pictures hipfirst writes, bystanders' too (issue 9 item 6).

On the shared outdoor video (the subject on a wall, a woman walking past below) the
real analysis writes ``annotated.mp4``; the faces are then located independently in
the *source* frames (the detector on a 4× enlarged crop around where the woman is,
the subject's nose from the pose model) and the same regions of the output must have
lost their detail: the variance of the Laplacian (edges) drops at least tenfold.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import mediapipe as mp
import numpy as np
import pytest

from hipfirst.application.video_analysis import analyze_video
from hipfirst.video.landmarks import Landmark
from hipfirst.video.types import VideoSummary
from hipfirst.video_io.decode import iter_frames
from hipfirst.video_io.faces import (
    FaceFinder,
    blur,
    blur_still,
    faces_at,
    private_frames,
    tiles,
)
from hipfirst.video_io.render import output_size

OUTDOOR = "outdoor-walk-balance-2people.mp4"
WOMAN_NEAR = {  # frame: (x0, y0, x1, y1) of a 120 px window around her head, 1280x720 pixels
    40: (1060, 350, 1180, 470),
    44: (1040, 350, 1160, 470),
    150: (320, 330, 440, 450),
}
Box = tuple[int, int, int, int]
DETAILED = 100.0
"""A region with less Laplacian variance has too little detail to measure a blur by (the
subject's head seen from afar against the sky: 50-80; a sharp face: hundreds)."""


def detail(image: np.ndarray, box: Box) -> float:
    """Variance of the Laplacian of a region: high for a sharp face, near 0 when blurred."""
    x0, y0, x1, y1 = box
    grey = cv2.cvtColor(np.ascontiguousarray(image[y0:y1, x0:x1]), cv2.COLOR_RGB2GRAY)
    return float(cv2.Laplacian(grey.astype(np.float64), cv2.CV_64F).var())


def face_in_window(image: np.ndarray, window: Box) -> Box:
    """The face in ``window``, found on a 4× enlargement (not how the pipeline looks)."""
    x0, y0, x1, y1 = window
    crop = cv2.resize(np.ascontiguousarray(image[y0:y1, x0:x1]), ((x1 - x0) * 4, (y1 - y0) * 4))
    with mp.solutions.face_detection.FaceDetection(model_selection=1) as detector:
        found = detector.process(crop).detections
    assert found, f"no face in the window {window}"
    rel = found[0].location_data.relative_bounding_box
    width, height = x1 - x0, y1 - y0
    return (
        int(x0 + rel.xmin * width),
        int(y0 + rel.ymin * height),
        int(x0 + (rel.xmin + rel.width) * width),
        int(y0 + (rel.ymin + rel.height) * height),
    )


@pytest.fixture(scope="module")
def outdoor_run(shared_videos: Path, tmp_path_factory: pytest.TempPathFactory) -> VideoSummary:
    out = tmp_path_factory.mktemp("faces") / "out"
    return analyze_video(shared_videos / OUTDOOR, task="single-leg-stance", out_dir=out)


@pytest.fixture(scope="module")
def frames(outdoor_run: VideoSummary, shared_videos: Path) -> dict[str, dict[int, np.ndarray]]:
    assert outdoor_run.out_dir is not None
    size = output_size(outdoor_run.result.info.width, outdoor_run.result.info.height)
    source = {f.index: f.image for f in iter_frames(shared_videos / OUTDOOR, size=size)}
    written = {f.index: f.image for f in iter_frames(outdoor_run.out_dir / "annotated.mp4")}
    return {"source": source, "written": written}


@pytest.mark.video
@pytest.mark.parametrize("index", sorted(WOMAN_NEAR))
def test_the_bystanders_face_is_blurred(
    frames: dict[str, dict[int, np.ndarray]], index: int
) -> None:
    face = face_in_window(frames["source"][index], WOMAN_NEAR[index])
    before, after = detail(frames["source"][index], face), detail(frames["written"][index], face)
    assert before > 100  # a sharp face in the source
    assert after < before / 10


@pytest.mark.video
def test_the_subjects_face_is_blurred_in_every_frame_the_model_saw_it(
    outdoor_run: VideoSummary, shared_videos: Path
) -> None:
    """The blurring stage on the real frames with the real landmarks, before the overlay
    (whose panel and limbs drawn across a face would add edges back to the region)."""
    info = outdoor_run.result.info
    size = output_size(info.width, info.height)
    scale = size[0] / info.width
    raw = outdoor_run.result.series.data["landmarks_raw_px"]

    def subject(index: int) -> np.ndarray | None:
        return None if not np.isfinite(raw[index]).any() else raw[index] * scale

    checked = blurred = 0
    with FaceFinder() as finder:
        source = iter_frames(shared_videos / OUTDOOR, size=size)
        originals = iter_frames(shared_videos / OUTDOOR, size=size)
        for frame, original in zip(private_frames(source, finder, subject), originals, strict=True):
            xy = raw[frame.index]
            nose, ears = xy[Landmark.NOSE], xy[[Landmark.LEFT_EAR, Landmark.RIGHT_EAR]]
            if not (np.all(np.isfinite(nose)) and np.all(np.isfinite(ears))):
                continue
            half = max(4, int(0.5 * scale * float(np.linalg.norm(ears[0] - ears[1]))))
            x, y = (nose * scale).astype(int)
            box = (x - half, y - half, x + half, y + half)
            if min(box) < 0 or box[2] > size[0] or box[3] > size[1]:
                continue
            before = detail(original.image, box)
            if before < DETAILED:  # a head too small or dark to measure a loss of detail
                continue
            checked += 1
            blurred += detail(frame.image, box) < before / 10
    assert checked > 30
    assert blurred == checked


@pytest.mark.video
def test_a_key_frame_is_blurred_the_same_way(frames: dict[str, dict[int, np.ndarray]]) -> None:
    image = frames["source"][44].copy()
    face = face_in_window(image, WOMAN_NEAR[44])
    before = detail(image, face)
    with FaceFinder() as finder:
        blur_still(image, None, finder)
    assert detail(image, face) < before / 10


def test_blurring_removes_the_detail_of_a_region_and_nothing_else() -> None:
    rng = np.random.default_rng(3)
    image = rng.integers(0, 255, (200, 300, 3), dtype=np.uint8)
    original = image.copy()
    blur(image, [(100, 50, 180, 150)])
    assert detail(image, (100, 50, 180, 150)) < detail(original, (100, 50, 180, 150)) / 100
    outside = np.ones(image.shape[:2], dtype=bool)
    outside[50:150, 100:180] = False
    assert np.array_equal(image[outside], original[outside])


def test_tiles_cover_the_frame_with_overlap() -> None:
    covered = np.zeros((720, 1280), dtype=int)
    for x0, y0, x1, y1 in tiles(1280, 720):
        assert (x1 - x0, y1 - y0) == (320, 320)
        covered[y0:y1, x0:x1] += 1
    assert covered.min() >= 1


def test_a_face_seen_in_two_samples_is_followed_between_them() -> None:
    seen = [(0.0, [(100, 100, 140, 140)]), (0.2, [(140, 100, 180, 140)])]
    assert faces_at(0.1, seen, (640, 480)) == [(120, 100, 160, 140), (120, 100, 160, 140)]


def test_a_face_seen_once_is_blurred_in_a_box_growing_with_the_time_from_it() -> None:
    seen = [(0.0, [(100, 100, 140, 140)]), (0.2, [])]
    near, far = faces_at(0.05, seen, (640, 480)), faces_at(0.35, seen, (640, 480))
    assert near == [(96, 96, 144, 144)]  # 2 face sizes a second: 0.1 of 40 px a side
    assert far == [(72, 72, 168, 168)]
    assert faces_at(0.5, seen, (640, 480)) == []  # past the hold: gone
