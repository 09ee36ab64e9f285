"""Fetching the key frames by seeking, and by decoding when a time does not match."""

from __future__ import annotations

from pathlib import Path

import pytest
from synthetic_result import FPS, HEIGHT, WIDTH, red_index, write_counting_video

from hipfirst.video_io.decode import probe
from hipfirst.video_io.framegrab import grab_frames


@pytest.mark.parametrize("gop", [250, 7])
def test_it_grabs_the_chosen_frames_by_seeking(tmp_path: Path, gop: int) -> None:
    # With a key frame every 7 frames the seek lands mid-file; with 250 it decodes from 0.
    video = write_counting_video(tmp_path / "gop.mp4", gop=gop)
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


def test_it_grabs_nothing_when_no_frame_is_wanted(video: Path) -> None:
    assert grab_frames(video, probe(video), {}) == {}
