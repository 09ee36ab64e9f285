"""The two figures: which frames keyframes.png shows and what angles.png draws and says.

The figures are inspected as Matplotlib objects (titles, labels, the data of
each line, the image shown in each panel), not only as pixels.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread
from synthetic_result import (
    FPPA_THRESHOLD,
    HEIGHT,
    RED_STEP,
    REPS,
    WIDTH,
    make_result,
    red_index,
    rep,
    standing_landmarks,
)

from hipfirst.video.types import RepEvent, angle_key
from hipfirst.video_io.plots import (
    angles_figure,
    choose_keyframes,
    keyframes_figure,
    plot_keyframes,
    reference_label,
    threshold_band,
)

LEFT_RGB = (1.0, 140 / 255, 0.0)
RIGHT_RGB = (0.0, 150 / 255, 1.0)


def frame_images(*indices: int) -> dict[int, np.ndarray]:
    """Full-size frames whose red level says which row they are (as in the video)."""
    images = {}
    for index in indices:
        image = np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8)
        image[..., 0] = RED_STEP * index
        image[..., 2] = 128
        images[index] = image
    return images


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
    # left FPPA = 5 + 4 sin(3 t), t = k / 30: highest at t = pi / 6 (k = 15.7), valid rows < 40
    choices = choose_keyframes(make_result(video, ()))

    assert choices["left"].rep is None
    assert choices["left"].index == 16


def test_it_shows_the_frame_angle_and_the_hold_mean_for_a_hold(video: Path) -> None:
    hold = RepEvent(**{**rep(1, "left", 0, 20, 40, fppa=6.0).__dict__, "kind": "hold"})
    result = make_result(video, (hold,))
    result.series.data[angle_key("fppa_deg", "left")][20] = 11.0  # the frame; 6.0 is the mean

    choice = choose_keyframes(result)["left"]

    assert (choice.index, choice.fppa_deg, choice.rep_fppa_deg) == (20, 11.0, 6.0)
    figure = keyframes_figure(result, {"left": choice}, frame_images(20))
    left = figure.axes[0]
    assert left.get_title() == ("Left leg: hold 1, mean FPPA 6.0° over the hold\nframe 20, 0.67 s")
    assert [text.get_text() for text in left.texts] == ["FPPA 11.0°"]


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


def test_the_keyframe_figure_shows_the_chosen_frames_with_their_rep_and_angle(
    video: Path,
) -> None:
    result = make_result(video, REPS)
    choices = choose_keyframes(result)

    figure = keyframes_figure(result, choices, frame_images(5, 18, 27, 36))

    assert figure.get_suptitle() == (
        "clip.mp4, single-leg-squat: worst rep of each side at its deepest frame"
    )
    left, right = figure.axes
    assert left.get_title() == "Left leg: rep 2\nframe 18, 0.60 s"
    assert right.get_title() == "Right leg: rep 4\nframe 36, 1.20 s"
    assert [text.get_text() for text in left.texts] == ["FPPA 18.5°"]
    assert [text.get_text() for text in right.texts] == ["FPPA 12.0°"]
    # each panel shows its own frame (red level = row), cropped around the lower body
    assert red_index(np.asarray(left.images[0].get_array())) == 18
    assert red_index(np.asarray(right.images[0].get_array())) == 36
    assert left.images[0].get_array().shape[:2] != (HEIGHT, WIDTH)
    # the thigh (hip -> knee) and shank (knee -> ankle) of that leg at that frame
    xy = standing_landmarks(45)[18]
    thigh, shank = left.get_lines()[:2]
    np.testing.assert_allclose(thigh.get_xydata(), xy[[23, 25]])
    np.testing.assert_allclose(shank.get_xydata(), xy[[25, 27]])
    assert thigh.get_color() == LEFT_RGB


def test_the_keyframe_figure_says_when_a_side_has_no_rep(video: Path) -> None:
    result = make_result(video, (rep(1, "left", 0, 5, 10, 10.0),))
    result.series.data[angle_key("fppa_deg", "right")][:] = np.nan

    choices = choose_keyframes(result)
    figure = keyframes_figure(result, choices, frame_images(5))

    assert choices.keys() == {"left"}
    right = figure.axes[1]
    assert right.get_title() == "Right leg"
    assert [text.get_text() for text in right.texts] == ["no rep on this side"]
    assert len(right.images) == 0


def test_the_keyframe_figure_marks_a_doubtful_rep_and_a_doubtful_video(video: Path) -> None:
    doubtful = RepEvent(
        **{**rep(1, "left", 0, 5, 10, 10.0).__dict__, "valid": False, "reason": "lost"}
    )
    result = make_result(video, (doubtful,), quality_valid=False)

    figure = keyframes_figure(result, choose_keyframes(result), frame_images(5, 16))

    assert figure.axes[0].get_title() == "Left leg: rep 1, doubtful: lost\nframe 5, 0.17 s"
    assert figure.get_suptitle().startswith("clip.mp4, single-leg-squat (quality doubtful):")


def test_the_angle_figure_draws_both_sides_of_every_metric_over_time(video: Path) -> None:
    result = make_result(video, REPS, thresholds={"fppa_deg": FPPA_THRESHOLD})

    figure = angles_figure(result)

    assert figure.get_suptitle() == "clip.mp4, single-leg-squat"
    assert [ax.get_ylabel() for ax in figure.axes] == [
        "FPPA (deg, valgus +)",
        "Hip adduction (deg)",
        "Pelvic drop (deg)",
        "Trunk lean (deg)",
    ]
    assert figure.axes[-1].get_xlabel() == "time (s)"
    for ax, metric in zip(
        figure.axes,
        ("fppa_deg", "hip_adduction_deg", "pelvic_drop_deg", "trunk_lean_deg"),
        strict=True,
    ):
        series = {line.get_label(): line for line in ax.get_lines() if line.get_label()[0] != "_"}
        assert set(series) == {"left", "right"}
        for side, colour in (("left", LEFT_RGB), ("right", RIGHT_RGB)):
            np.testing.assert_array_equal(series[side].get_xdata(), np.arange(45) / 30)
            np.testing.assert_array_equal(series[side].get_ydata(), result.angle(metric, side))
            assert series[side].get_color() == colour
    fppa = figure.axes[0]
    assert fppa.get_lines()[0].get_ydata()[18] == 18.5  # rep 2's value at its peak


def test_the_angle_figure_marks_every_rep_and_the_untracked_frames(video: Path) -> None:
    result = make_result(video, REPS)

    figure = angles_figure(result)

    for ax in figure.axes:
        numbers = [(text.get_text(), text.get_position()[0]) for text in ax.texts]
        assert numbers[:4] == [("1", 5 / 30), ("2", 18 / 30), ("3", 27 / 30), ("4", 36 / 30)]
        peaks = [line.get_xdata()[0] for line in ax.get_lines() if line.get_linestyle() == "-"]
        assert peaks[2:] == [5 / 30, 18 / 30, 27 / 30, 36 / 30]  # after the two series
        legend = [text.get_text() for text in ax.get_legend().get_texts()]
        assert "not tracked / doubtful" in legend  # frames 40-44 are not valid
    trunk = figure.axes[3]
    assert [text.get_text() for text in trunk.texts][4:] == ["not measurable"]


def test_the_angle_figure_draws_the_threshold_only_where_there_is_one(video: Path) -> None:
    result = make_result(video, REPS, thresholds={"fppa_deg": FPPA_THRESHOLD})

    figure = angles_figure(result)

    def dashed_levels(index: int) -> list[float]:
        lines = figure.axes[index].get_lines()
        return [float(line.get_ydata()[0]) for line in lines if line.get_linestyle() == "--"]

    assert dashed_levels(0) == [13.5]
    assert [dashed_levels(index) for index in (1, 2, 3)] == [[], [], []]
    legend = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert legend == [
        "left",
        "right",
        "not tracked / doubtful",
        "flag > 13.5 deg (Herrington 2014; published)",
    ]
    low, high = figure.axes[0].get_ylim()
    assert low <= 12.5 and high >= 14.5  # the band's value is inside the panel, 1 deg spare


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


@pytest.mark.parametrize("valid", [True, False])
def test_the_angle_figure_says_when_the_video_is_doubtful(video: Path, valid: bool) -> None:
    figure = angles_figure(make_result(video, REPS, quality_valid=valid))

    suffix = "" if valid else " (quality doubtful)"
    assert figure.get_suptitle() == f"clip.mp4, single-leg-squat{suffix}"
