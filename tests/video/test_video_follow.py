"""Re-acquiring the subject after the tracker drifts onto someone else (video/follow.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipfirst.video.follow import SubjectFollower, crop_box, from_crop, scale_box
from hipfirst.video.person import continues, hip_centre
from hipfirst.video.settings import TrackingSettings
from hipfirst.video.types import Frame, PoseFrame
from video_skeleton import skeleton

FS = 30.0
SIZE = (640, 400)
TRACKING = TrackingSettings(
    max_jump_torso_per_frame=0.6,
    max_jump_torso_per_s=6.0,
    max_scale_ratio=1.6,
    recount_every_s=2.0,
    reacquire_margin=0.5,
    reacquire_for_s=1.5,
)


def person(x: float, y: float) -> np.ndarray:
    """A small skeleton (torso 50 px) with its hip centre at (x, y)."""
    return skeleton(centre=(0.0, 0.0)) * 0.2 + np.array([x, y])


def coded_image() -> np.ndarray:
    """Each pixel holds its own coordinates, so a crop knows where it was cut from."""
    ys, xs = np.mgrid[0 : SIZE[1], 0 : SIZE[0]]
    return np.stack([xs % 256, xs // 256 * 16 + ys // 256, ys % 256], axis=-1).astype(np.uint8)


def origin_of(image: np.ndarray) -> tuple[int, int]:
    r, g, b = (int(value) for value in image[0, 0])
    return r + (g // 16) * 256, b + (g % 16) * 256


def pose(index: int, xy: np.ndarray) -> PoseFrame:
    ones = np.ones(xy.shape[0])
    return PoseFrame(index, index / FS, xy, ones, ones.copy(), True)


class Tracker:
    """Full-frame stand-in: the subject, except frames in ``drift`` show the passer-by."""

    def __init__(self, subject: np.ndarray, passer_by: np.ndarray, drift: range) -> None:
        self.name = "stand-in"
        self.subject, self.passer_by, self.drift = subject, passer_by, drift
        self.closed = False

    def estimate(self, frame: Frame, size: tuple[int, int]) -> PoseFrame:
        source = self.passer_by if frame.index in self.drift else self.subject
        return pose(frame.index, source[frame.index].copy())

    def close(self) -> None:
        self.closed = True


class CropModel:
    """Crop stand-in: finds the subject if its hip centre lies inside the crop, in crop pixels."""

    def __init__(self, subject: np.ndarray) -> None:
        self.name = "crop"
        self.subject = subject
        self.seen: list[tuple[int, int, int, int]] = []
        self.closed = False

    def estimate(self, frame: Frame, size: tuple[int, int]) -> PoseFrame:
        x0, y0 = origin_of(frame.image)
        self.seen.append((x0, y0, size[0], size[1]))
        assert size == (frame.image.shape[1], frame.image.shape[0])
        xy = self.subject[frame.index]
        centre = hip_centre(xy[None])[0]
        if not (x0 <= centre[0] < x0 + size[0] and y0 <= centre[1] < y0 + size[1]):
            return PoseFrame.empty(frame.index, frame.time_s)
        return pose(frame.index, xy - np.array([x0, y0]))

    def close(self) -> None:
        self.closed = True


def run(follower: SubjectFollower, frames: int) -> np.ndarray:
    image = coded_image()
    return np.stack([follower.estimate(Frame(k, k / FS, image), SIZE).xy for k in range(frames)])


def test_it_grows_the_landmark_box_by_the_margin_and_clips_it_to_the_frame() -> None:
    xy = np.array([[100.0, 50.0], [140.0, 150.0], [np.nan, np.nan]])
    # box 100..140 x 50..150, larger side 100, margin 0.5 -> 50 px on every side
    assert crop_box(xy, (640, 400), 0.5) == (50, 0, 190, 200)
    assert crop_box(xy, (160, 400), 0.5) == (50, 0, 160, 200)
    assert crop_box(np.full((3, 2), np.nan), (640, 400), 0.5) is None


def test_it_maps_crop_pixels_back_to_the_frame_and_between_picture_sizes() -> None:
    assert from_crop(np.array([[10.0, 20.0]]), (50, 0, 190, 200)).tolist() == [[60.0, 20.0]]
    assert scale_box((50, 0, 190, 200), (0.5, 0.5), (320, 200)) == (25, 0, 95, 100)


def test_it_judges_continuity_by_hip_speed_and_torso_scale() -> None:
    here = person(300.0, 200.0)
    # torso 50 px: one frame allows (0.6 + 6 / 30) * 50 = 40 px
    assert continues(here, 0.0, person(339.0, 200.0), 1 / FS, TRACKING)
    assert not continues(here, 0.0, person(341.0, 200.0), 1 / FS, TRACKING)
    bigger = skeleton(centre=(0.0, 0.0)) * 0.4 + np.array([300.0, 200.0])  # torso doubled
    assert not continues(here, 0.0, bigger, 1 / FS, TRACKING)
    assert not continues(here, 0.0, np.full_like(here, np.nan), 1 / FS, TRACKING)


@given(st.floats(-300.0, 300.0), st.floats(-150.0, 150.0))
def test_it_maps_back_exactly_what_it_cropped(dx: float, dy: float) -> None:
    xy = person(320.0 + dx, 200.0 + dy)
    box = crop_box(xy, SIZE, 0.5)
    assert box is not None
    assert 0 <= box[0] < box[2] <= SIZE[0] and 0 <= box[1] < box[3] <= SIZE[1]
    inside = np.all(xy >= [box[0], box[1]]) and np.all(xy <= [box[2], box[3]])
    if inside:
        assert np.allclose(from_crop(xy - [box[0], box[1]], box), xy)


def test_it_finds_the_subject_in_a_crop_while_the_tracker_follows_the_passer_by() -> None:
    subject = np.stack([person(300.0 + 2 * k, 150.0) for k in range(60)])
    passer_by = np.stack([person(80.0 + k, 330.0) for k in range(60)])
    crop = CropModel(subject)
    built: list[CropModel] = []

    def make() -> CropModel:
        built.append(crop)
        return crop

    main = Tracker(subject, passer_by, range(30, 45))
    follower = SubjectFollower(main, make, TRACKING)
    xy = run(follower, 60)
    assert np.allclose(xy, subject)  # every frame is the subject, none the passer-by
    assert (follower.recoveries, follower.recovered) == (1, 15)
    assert len(built) == 1 and len(crop.seen) == 15
    assert crop.closed  # recovery ended when the tracker came back at frame 45
    follower.close()
    assert main.closed


def test_it_never_runs_the_crop_model_while_the_tracker_stays_on_the_subject() -> None:
    subject = np.stack([person(300.0 + 2 * k, 150.0) for k in range(40)])

    def make() -> CropModel:
        raise AssertionError("no drift, no crop model")

    follower = SubjectFollower(Tracker(subject, subject, range(0)), make, TRACKING)
    assert np.allclose(run(follower, 40), subject)
    assert follower.recoveries == 0


def test_it_keeps_the_tracker_output_when_the_crop_finds_nobody_and_gives_up_later() -> None:
    subject = np.stack([person(60.0, 60.0) for _ in range(120)])
    subject[20:] = np.nan  # the subject left the picture
    # the passer-by stays out of reach: > 600 px away, at most (0.6 + 6 * 1.5) * 50 = 480 allowed
    passer_by = np.stack([person(600.0 - 0.2 * k, 330.0) for k in range(120)])
    crop = CropModel(subject)
    follower = SubjectFollower(Tracker(subject, passer_by, range(20, 120)), lambda: crop, TRACKING)
    xy = run(follower, 120)
    assert np.allclose(xy[20:], passer_by[20:])  # shown as found, the selection excludes it
    # looked for 1.5 s after the last good frame (19): frames 20..64, then stopped
    assert [seen[0] for seen in crop.seen] == [crop.seen[0][0]] * 45
    assert crop.closed


@pytest.mark.parametrize("margin", [0.0, 0.5, 2.0])
def test_it_keeps_the_crop_inside_the_frame_at_the_edges(margin: float) -> None:
    xy = person(5.0, 395.0)
    box = crop_box(xy, SIZE, margin)
    assert box is not None
    assert box[0] == 0 and box[3] == SIZE[1]
