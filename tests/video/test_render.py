"""The visual outputs: annotated.mp4, keyframes.png and angles.png (synthetic and real video).

A tiny synthetic video is written with PyAV in tmp_path; each frame's red level
encodes its index (``RED_STEP * index``) so the frames a renderer picked can be
recognised after lossy compression. The AnalysisResult around it is built by
hand with known angles and reps.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
import pytest
from matplotlib.image import imread

from hipfirst.application.video_analysis import analyze_video
from hipfirst.knowledge.vocabulary import Side, VideoTask
from hipfirst.video.landmarks import N_LANDMARKS, Landmark
from hipfirst.video.types import (
    AnalysisResult,
    QualityReport,
    RepEvent,
    TimeSeries,
    VideoSummary,
    angle_key,
)
from hipfirst.video_io.decode import iter_frames, probe
from hipfirst.video_io.framegrab import grab_frames
from hipfirst.video_io.overlay import frame_labels, rep_counter
from hipfirst.video_io.plots import (
    ANGLES_SIZE_PX,
    KEYFRAMES_SIZE_PX,
    choose_keyframes,
    plot_keyframes,
    reference_label,
    threshold_band,
)
from hipfirst.video_io.render import output_size, render_outputs

WIDTH, HEIGHT, FPS, N_FRAMES = 320, 240, 30, 45
RED_STEP = 5


def write_video(path: Path, n_frames: int = N_FRAMES, *, gop: int = 250) -> Path:
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
    for event in reps:  # the series agrees with the reps' values at their peaks
        if event.values.get("fppa_deg") is not None:
            data[angle_key("fppa_deg", event.side)][event.peak_index] = event.values["fppa_deg"]
    valid = np.ones(n, dtype=bool)
    valid[40:] = False
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


@pytest.fixture
def video(tmp_path: Path) -> Path:
    return write_video(tmp_path / "clip.mp4")


def red_index(image: npt.NDArray[np.uint8]) -> int:
    """Which synthetic frame an image is, from its median red level."""
    return round(float(np.median(image[..., 0])) / RED_STEP)


def test_it_picks_the_worst_rep_of_each_side_at_its_deepest_frame(video: Path) -> None:
    choices = choose_keyframes(make_result(video, REPS))

    assert choices["left"].index == 18  # rep 2: FPPA 18.5 > 10.0
    assert choices["left"].rep_position == 2
    assert choices["left"].fppa_deg == 18.5
    assert choices["right"].index == 36  # rep 4: FPPA 12.0 > 7.0
    assert choices["right"].rep_position == 4


def test_it_prefers_valid_reps_but_still_shows_a_side_with_only_doubtful_ones(video: Path) -> None:
    doubtful_worst = RepEvent(**{**rep(2, "left", 11, 18, 22, 30.0).__dict__, "valid": False})
    only_doubtful = RepEvent(**{**rep(3, "right", 23, 27, 30, 9.0).__dict__, "valid": False})
    reps = (rep(1, "left", 0, 5, 10, 10.0), doubtful_worst, only_doubtful)

    choices = choose_keyframes(make_result(video, reps))

    assert choices["left"].index == 5  # the valid rep, although the doubtful one is higher
    assert choices["right"].index == 27


def test_it_falls_back_to_the_highest_valid_fppa_without_reps(video: Path) -> None:
    result = make_result(video, ())
    left = result.angle("fppa_deg", "left")
    valid_rows = np.flatnonzero(result.series.valid)

    choices = choose_keyframes(result)

    assert choices["left"].rep is None
    assert choices["left"].index == valid_rows[np.argmax(left[valid_rows])]


@pytest.mark.parametrize("gop", [250, 7])
def test_it_grabs_the_chosen_frames_by_seeking(tmp_path: Path, gop: int) -> None:
    # With a key frame every 7 frames the seek lands mid-file; with 250 it decodes from 0.
    video = write_video(tmp_path / "gop.mp4", gop=gop)
    info = probe(video)

    images = grab_frames(video, info, {36: 36 / FPS, 18: 18 / FPS, 0: 0.0, 44: 44 / FPS})

    assert sorted(images) == [0, 18, 36, 44]
    assert {index: red_index(image) for index, image in images.items()} == {
        0: 0,
        18: 18,
        36: 36,
        44: 44,
    }
    assert images[18].shape == (HEIGHT, WIDTH, 3)


def test_it_falls_back_to_decoding_when_a_time_does_not_match(video: Path) -> None:
    # 18.5 frame intervals: no frame has this time, so the row is read by position.
    images = grab_frames(video, probe(video), {18: 18.5 / FPS})

    assert red_index(images[18]) == 18


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
def test_it_draws_figures_of_the_stated_size_with_content(
    tmp_path: Path, video: Path, name: str, size: tuple[int, int]
) -> None:
    result = make_result(video, REPS, thresholds={"fppa_deg": FPPA_THRESHOLD})
    render_outputs(result, video, tmp_path, make_video=False)

    image = imread(tmp_path / name)
    assert image.shape[:2] == (size[1], size[0])
    assert float(image[..., :3].std()) > 0.05


def test_it_shows_the_frame_of_the_worst_rep_in_keyframes_png(tmp_path: Path, video: Path) -> None:
    # Rep 2 (left) is at frame 18, rep 4 (right) at frame 36: red 90 and 180 of 255.
    render_outputs(make_result(video, REPS), video, tmp_path, make_video=False)

    image = (imread(tmp_path / "keyframes.png")[..., :3] * 255).round()
    left_half, right_half = image[:, : image.shape[1] // 2], image[:, image.shape[1] // 2 :]
    for half, frame in ((left_half, 18), (right_half, 36)):
        bluish = half[(np.abs(half[..., 2] - 128) < 12) & (half[..., 1] < 20)]
        assert len(bluish) > 1000  # the synthetic frame is on this half
        assert round(float(np.median(bluish[:, 0])) / RED_STEP) == frame


def test_it_draws_a_panel_for_a_side_without_reps(tmp_path: Path, video: Path) -> None:
    result = make_result(video, (rep(1, "left", 0, 5, 10, 10.0),))
    result.series.data[angle_key("fppa_deg", "right")][:] = np.nan

    paths = render_outputs(result, video, tmp_path, make_video=False)

    assert choose_keyframes(result).keys() == {"left"}
    assert (tmp_path / "keyframes.png") in paths


def test_it_caps_the_video_size_and_keeps_it_even() -> None:
    assert output_size(1920, 1080) == (1280, 720)
    assert output_size(1080, 1920) == (720, 1280)
    assert output_size(642, 482) == (642, 482)
    assert output_size(3840, 2160) == (1280, 720)


def test_it_counts_reps_and_marks_peaks_on_the_frames(video: Path) -> None:
    result = make_result(video, REPS, quality_valid=False)

    assert rep_counter(result.reps, 0) == "Rep 1/4 (left)"
    assert rep_counter(result.reps, 25) == "Rep 3/4 (right)"
    assert rep_counter(result.reps, 44) == "Reps done 4/4"
    assert rep_counter((), 3) == "Reps: none detected"

    labels = frame_labels(result, 18)
    assert labels.peak == "PEAK rep 2 (left): FPPA 18.5 deg"
    assert labels.readouts[0].startswith("FPPA (valgus +): L ")
    assert all(not line.startswith("Trunk lean") for line in labels.readouts)  # all NaN
    assert labels.quality_note == "Quality doubtful: see summary"
    assert frame_labels(result, 13).peak == labels.peak  # 5 frames = 0.17 s from the peak
    assert frame_labels(result, 44).peak is None  # 8 frames = 0.27 s after the last peak


def test_it_labels_the_threshold_band_with_source_and_status() -> None:
    assert threshold_band(FPPA_THRESHOLD) == (
        13.5,
        "above",
        "flag > 13.5 deg (herrington_2014; published)",
    )
    assert threshold_band(FPPA_THRESHOLD, cite=reference_label) == (
        13.5,
        "above",
        "flag > 13.5 deg (Herrington 2014; published)",
    )
    assert threshold_band({"value": 5, "direction": "below", "sources": "x_2020"}) == (
        5.0,
        "below",
        "flag < 5 deg (x_2020)",
    )
    assert threshold_band(None) is None
    assert threshold_band({"direction": "above"}) is None


def test_it_shows_the_frame_angle_and_the_hold_mean_for_a_hold(video: Path) -> None:
    hold = RepEvent(**{**rep(1, "left", 0, 20, 40, fppa=6.0).__dict__, "kind": "hold"})
    result = make_result(video, (hold,))
    result.series.data[angle_key("fppa_deg", "left")][20] = 11.0  # the frame; 6.0 is the mean

    choice = choose_keyframes(result)["left"]

    assert (choice.index, choice.fppa_deg, choice.rep_fppa_deg) == (20, 11.0, 6.0)
    assert frame_labels(result, 20).peak == "PEAK hold 1 (left): FPPA 11.0 deg"


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
        assert float(image[..., :3].std()) > 0.05


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


def test_it_draws_the_same_key_frames_from_half_size_frames(tmp_path: Path, video: Path) -> None:
    # The annotated-video pass keeps its (smaller) frames; the figure must scale landmarks.
    result = make_result(video, REPS)
    choices = choose_keyframes(result)
    rows, columns = np.mgrid[0:HEIGHT, 0:WIDTH]
    full = np.stack([columns * 255 // WIDTH, rows * 255 // HEIGHT, columns * 0 + 90], axis=2)
    full = full.astype(np.uint8)
    half = np.ascontiguousarray(full[::2, ::2])

    plot_keyframes(result, choices, {18: full, 36: full}, tmp_path / "full.png")
    plot_keyframes(result, choices, {18: half, 36: half}, tmp_path / "half.png")

    difference = np.abs(imread(tmp_path / "full.png") - imread(tmp_path / "half.png"))
    assert float(difference[..., :3].mean()) < 0.01
