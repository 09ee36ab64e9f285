"""``people.png``: each candidate for the subject in its own frame, boxed and numbered."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
from synthetic_result import REPS, make_result, red_index

from hipfirst.video_io.people_figure import COLUMN_HEIGHT, candidates_of, write_people_figure
from hipfirst.video_io.render import render_outputs


def with_people(video: Path, candidates: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    result = make_result(video, REPS)
    summary = dict(result.summary) | {
        "people": {"candidates": candidates, "chosen": 0, "ambiguous": True, "how": "test"}
    }
    return replace(result, summary=summary)


TWO = [
    {"id": 0, "frames": 30, "frame": 5, "box_px": [20, 20, 120, 200], "score": 0.5, "reason": ""},
    {"id": 1, "frames": 15, "frame": 30, "box_px": [200, 40, 300, 220], "score": 0.4, "reason": ""},
]


def test_it_shows_each_candidate_in_its_own_frame_in_equal_columns(
    tmp_path: Path, video: Path
) -> None:
    path = write_people_figure(with_people(video, TWO), video, tmp_path / "people.png")
    assert path == tmp_path / "people.png"
    figure = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
    scale = COLUMN_HEIGHT / 240  # the clip is 320x240
    column = round(320 * scale)
    assert figure.shape == (COLUMN_HEIGHT, 2 * column, 3)
    left, right = figure[:, :column], figure[:, column:]
    # each column is the candidate's own frame (the clip's red level counts its frames)
    assert red_index(left[-5:, -5:]) == 5
    assert red_index(right[-5:, 5:10]) == 30
    # and its box, in the box colour, where box_px says (scaled to the column)
    for half, box in ((left, TWO[0]["box_px"]), (right, TWO[1]["box_px"])):
        x0, y0 = (round(v * scale) for v in box[:2])  # type: ignore[index]
        assert tuple(half[y0 + 40, x0]) == (255, 200, 0)


def test_it_is_not_written_for_a_single_candidate_or_none(tmp_path: Path, video: Path) -> None:
    assert write_people_figure(with_people(video, TWO[:1]), video, tmp_path / "p.png") is None
    assert write_people_figure(make_result(video, REPS), video, tmp_path / "p.png") is None
    assert not (tmp_path / "p.png").exists()


def test_the_renderers_write_it_beside_the_figures(tmp_path: Path, video: Path) -> None:
    written = render_outputs(with_people(video, TWO), video, tmp_path, make_video=False)
    assert [path.name for path in written] == ["keyframes.png", "angles.png", "people.png"]


def test_it_reads_only_well_formed_candidates() -> None:
    summary = {"people": {"candidates": [{"id": 2}, {"id": "x"}, "junk", {"frames": 3}]}}
    assert candidates_of(summary) == [{"id": 2}]
    assert candidates_of({"people": None}) == candidates_of(None) == []


def test_a_box_outside_the_frame_is_clipped_not_an_error(tmp_path: Path, video: Path) -> None:
    odd = [dict(TWO[0], box_px=[-50, -1e9, 1e9, float("inf")]), TWO[1]]
    assert write_people_figure(with_people(video, odd), video, tmp_path / "people.png")
    assert np.asarray(cv2.imread(str(tmp_path / "people.png"))).size > 0
