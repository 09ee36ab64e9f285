"""The visual outputs written together: annotated.mp4, keyframes.png and angles.png.

A tiny synthetic video (``synthetic_result.py``: frame k has red = 5 k) and a
hand-built AnalysisResult with known reps, then one real analysis of the lab
video. What each figure draws is tested in ``test_plots.py``; here: which
files are written, the video's encoding and timing, and that the key frames
in the saved figure are the chosen ones.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from matplotlib.image import imread
from synthetic_result import (
    FPPA_THRESHOLD,
    FPS,
    HEIGHT,
    N_FRAMES,
    RED_STEP,
    REPS,
    WIDTH,
    make_result,
)

from hipfirst.application.video_analysis import analyze_video
from hipfirst.video.types import AnalysisResult, VideoSummary
from hipfirst.video_io.decode import iter_frames
from hipfirst.video_io.framegrab import grab_frames
from hipfirst.video_io.plots import (
    ANGLES_SIZE_PX,
    KEYFRAMES_SIZE_PX,
    angles_figure,
    choose_keyframes,
    keyframes_figure,
)
from hipfirst.video_io.render import output_size, render_outputs


def test_it_writes_all_three_outputs(tmp_path: Path, video: Path) -> None:
    result = make_result(video, REPS, thresholds={"fppa_deg": FPPA_THRESHOLD})
    seen: list[float] = []

    paths = render_outputs(result, video, tmp_path / "out", progress=seen.append)

    assert [path.name for path in paths] == ["annotated.mp4", "keyframes.png", "angles.png"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "angles.png",
        "annotated.mp4",
        "keyframes.png",
    ]
    assert seen == sorted(seen)
    assert seen[-1] == 1.0


def test_it_encodes_an_annotated_video_a_browser_can_play(tmp_path: Path, video: Path) -> None:
    result = make_result(video, REPS)
    render_outputs(result, video, tmp_path)

    with av.open(str(tmp_path / "annotated.mp4")) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        frames = list(container.decode(stream))
        times = [float(frame.time) for frame in frames if frame.time is not None]
    assert len(frames) == N_FRAMES
    assert (frames[0].width, frames[0].height) == (WIDTH, HEIGHT)
    assert frames[0].format.name == "yuv420p"
    np.testing.assert_allclose(np.diff(times), 1 / FPS, atol=1e-3)
    assert times[-1] - times[0] == pytest.approx((N_FRAMES - 1) / FPS, abs=1e-3)
    # The overlay changed the pictures: a peak frame has a red border, the source has none.
    peak = frames[18].to_ndarray(format="rgb24")
    assert peak[2, WIDTH // 2, 0] > 180
    assert peak[2, WIDTH // 2, 2] < 100


def test_it_leaves_out_the_video_when_asked(tmp_path: Path, video: Path) -> None:
    paths = render_outputs(make_result(video, REPS), video, tmp_path, make_video=False)

    assert [path.name for path in paths] == ["keyframes.png", "angles.png"]
    assert not (tmp_path / "annotated.mp4").exists()


@pytest.mark.parametrize(
    ("name", "size"), [("keyframes.png", KEYFRAMES_SIZE_PX), ("angles.png", ANGLES_SIZE_PX)]
)
def test_it_saves_the_figures_at_the_stated_size(
    tmp_path: Path, video: Path, name: str, size: tuple[int, int]
) -> None:
    result = make_result(video, REPS, thresholds={"fppa_deg": FPPA_THRESHOLD})
    render_outputs(result, video, tmp_path, make_video=False)

    image = imread(tmp_path / name)
    assert image.shape[:2] == (size[1], size[0])


def test_it_shows_the_frame_of_the_worst_rep_in_keyframes_png(tmp_path: Path, video: Path) -> None:
    # Rep 2 (left) is at frame 18, rep 4 (right) at frame 36: red 90 and 180 of 255.
    render_outputs(make_result(video, REPS), video, tmp_path, make_video=False)

    image = (imread(tmp_path / "keyframes.png")[..., :3] * 255).round()
    left_half, right_half = image[:, : image.shape[1] // 2], image[:, image.shape[1] // 2 :]
    for half, frame in ((left_half, 18), (right_half, 36)):
        bluish = half[(np.abs(half[..., 2] - 128) < 12) & (half[..., 1] < 20)]
        assert len(bluish) > 1000  # the synthetic frame is on this half
        assert round(float(np.median(bluish[:, 0])) / RED_STEP) == frame


def test_it_caps_the_video_size_and_keeps_it_even() -> None:
    assert output_size(1920, 1080) == (1280, 720)
    assert output_size(1080, 1920) == (720, 1280)
    assert output_size(642, 482) == (642, 482)
    assert output_size(3840, 2160) == (1280, 720)


@pytest.fixture(scope="module")
def lab_run(shared_videos: Path, tmp_path_factory: pytest.TempPathFactory) -> VideoSummary:
    """One real analysis of the lab video with every output (the pose model runs once)."""
    out = tmp_path_factory.mktemp("lab") / "out"
    video = shared_videos / "lab-single-leg-balance-oblique.mp4"
    return analyze_video(video, task="single-leg-stance", out_dir=out, make_video=True)


@pytest.mark.video
def test_it_renders_a_real_analysis(lab_run: VideoSummary) -> None:
    assert lab_run.out_dir is not None
    result = lab_run.result
    with av.open(str(lab_run.out_dir / "annotated.mp4")) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        frames = sum(1 for _ in container.decode(stream))
        size = (stream.width, stream.height)
        time_base = stream.time_base or 0
        duration = float(stream.duration * time_base) if stream.duration else 0.0
    # Every analysed frame is in the video; the 1080x1920 source is capped at 720x1280.
    assert frames == len(result.series) == result.info.frame_count
    assert size == output_size(result.info.width, result.info.height) == (720, 1280)
    assert duration == pytest.approx(result.info.duration_s, abs=2 / result.info.fps)
    for name, expected in (("keyframes.png", KEYFRAMES_SIZE_PX), ("angles.png", ANGLES_SIZE_PX)):
        image = imread(lab_run.out_dir / name)
        assert image.shape[:2] == (expected[1], expected[0])


@pytest.mark.video
def test_it_draws_the_real_holds_and_angles(lab_run: VideoSummary) -> None:
    result = lab_run.result
    title = "lab-single-leg-balance-oblique.mp4, single-leg-stance (quality doubtful)"
    angles = angles_figure(result)
    assert angles.get_suptitle() == title
    fppa = {line.get_label(): line for line in angles.axes[0].get_lines()}
    np.testing.assert_array_equal(fppa["left"].get_ydata(), result.angle("fppa_deg", "left"))
    peaks = [text.get_text() for text in angles.axes[0].texts]
    assert peaks == [str(number) for number in range(1, len(result.reps) + 1)]
    choices = choose_keyframes(result)
    keyframes = keyframes_figure(result, choices, {choices["left"].index: _frame(result)})
    assert keyframes.get_suptitle() == f"{title}: worst rep of each side at its deepest frame"
    assert keyframes.axes[0].get_title().startswith("Left leg: hold ")


@pytest.mark.video
def test_it_picks_real_key_frames_from_the_reps(lab_run: VideoSummary) -> None:
    result = lab_run.result
    choices = choose_keyframes(result)

    for side, choice in choices.items():
        side_reps = [rep for rep in result.reps if rep.side == side]
        if side_reps:
            assert choice.rep in side_reps
            assert choice.index == choice.rep.peak_index
    # The frame fetched by seeking is the frame the pose model saw at that row.
    indices = {choice.index for choice in choices.values()}
    grabbed = grab_frames(
        result.info.path, result.info, {i: result.series.time_s[i] for i in indices}
    )
    decoded = {
        frame.index: frame.image
        for frame in iter_frames(result.info.path, info=result.info)
        if frame.index in indices
    }
    assert grabbed.keys() == decoded.keys()
    for index, image in grabbed.items():
        np.testing.assert_array_equal(image, decoded[index])


def _frame(result: AnalysisResult) -> np.ndarray:
    """A frame of the result's size (the key-frame panel only needs its shape here)."""
    return np.zeros((result.info.height, result.info.width, 3), dtype=np.uint8)
