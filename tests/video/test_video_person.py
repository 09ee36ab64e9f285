"""Person selection: one continuous track is kept, a jump to someone else is never followed;
the people counter finds someone else beside the masked performer."""

from __future__ import annotations

import numpy as np
import pytest

from hipfirst.video.label_swaps import GROUP_NAMES, relabel
from hipfirst.video.person import (
    PeopleCounter,
    is_reflection,
    mask_person,
    people_tracked,
    select_person,
    torso_length,
)
from hipfirst.video.scripted_pose import ScriptedPose
from hipfirst.video.settings import TrackingSettings
from hipfirst.video.types import Frame
from video_skeleton import skeleton

FS = 30.0
TRACKING = TrackingSettings(
    max_jump_torso_per_frame=0.6,
    max_jump_torso_per_s=6.0,
    max_scale_ratio=1.6,
    recount_every_s=2.0,
    reacquire_margin=0.5,
    reacquire_for_s=1.5,
)
SIZE = (1000, 800)


def walk(centres: list[tuple[float, float]], scale: float = 1.0) -> np.ndarray:
    frames = []
    for centre in centres:
        frame = skeleton(centre=(0.0, 0.0)) * scale + np.asarray(centre)
        frames.append(frame)
    return np.stack(frames)


def test_it_keeps_a_single_continuous_person_in_every_frame() -> None:
    xy = walk([(500.0 + 2 * k, 400.0) for k in range(60)])
    chosen = select_person(xy, np.arange(60) / FS, SIZE, TRACKING)
    assert chosen.selected.all()
    assert chosen.identities == 1
    assert chosen.jumps == ()
    assert chosen.tracking_fraction == 1.0


def test_it_does_not_follow_the_tracker_onto_a_second_person() -> None:
    performer = walk([(500.0, 400.0)] * 60)
    passer_by = walk([(150.0 + k, 450.0) for k in range(20)], scale=0.7)
    xy = performer.copy()
    xy[30:50] = passer_by  # the model jumped to someone else for 20 frames
    chosen = select_person(xy, np.arange(60) / FS, SIZE, TRACKING)
    assert chosen.selected[:30].all()
    assert not chosen.selected[30:50].any()
    assert chosen.selected[50:].all()  # back on the performer: same identity again
    assert chosen.identities == 2
    assert chosen.jumps == (30, 50)


def test_it_picks_the_larger_central_long_track_when_the_video_starts_on_someone_else() -> None:
    passer_by = walk([(100.0, 450.0)] * 10, scale=0.5)
    performer = walk([(500.0, 400.0)] * 50)
    xy = np.concatenate([passer_by, performer])
    chosen = select_person(xy, np.arange(60) / FS, SIZE, TRACKING)
    assert not chosen.selected[:10].any()
    assert chosen.selected[10:].all()


def test_it_bridges_a_short_dropout_of_the_same_person() -> None:
    xy = walk([(500.0 + 3 * k, 400.0) for k in range(40)])
    xy[10:16] = np.nan  # lost for 0.2 s, found again a little further on
    chosen = select_person(xy, np.arange(40) / FS, SIZE, TRACKING)
    assert chosen.identities == 1
    assert chosen.selected.sum() == 34


def test_it_reports_nobody_when_no_frame_has_a_person() -> None:
    xy = np.full((10, 33, 2), np.nan)
    chosen = select_person(xy, np.arange(10) / FS, SIZE, TRACKING)
    assert chosen.identities == 0
    assert chosen.tracking_fraction == 0.0


def test_it_measures_the_torso_from_mid_shoulder_to_mid_hip() -> None:
    # synthetic skeleton: shoulders 250 px above the hip centre
    assert torso_length(skeleton()[None])[0] == pytest.approx(250.0)


def test_it_greys_out_the_tracked_person_before_looking_for_others() -> None:
    image = np.zeros((800, 1000, 3), dtype=np.uint8)
    xy = skeleton(centre=(500.0, 400.0))
    masked = mask_person(image, xy)
    assert masked[400, 500].tolist() == [127, 127, 127]
    assert masked[10, 10].tolist() == [0, 0, 0]
    assert image[400, 500].tolist() == [0, 0, 0]  # the input is not modified


def test_it_counts_a_person_seen_briefly_as_a_glitch_not_a_person() -> None:
    # 30 frames of the performer, then 2 frames (0.03 s) of someone 600 px away, then back
    centres = [(300.0, 400.0)] * 30 + [(900.0, 400.0)] * 2 + [(300.0, 400.0)] * 10
    time_s = np.arange(len(centres)) / FS
    selection = select_person(walk(centres), time_s, SIZE, TRACKING)
    assert selection.identities == 2
    assert people_tracked(selection, time_s) == 1


def test_it_counts_someone_tracked_for_a_while_as_a_second_person() -> None:
    # 15 frames = 0.5 s of the other person: longer than a 0.2 s glitch
    centres = [(300.0, 400.0)] * 30 + [(900.0, 400.0)] * 15
    time_s = np.arange(len(centres)) / FS
    selection = select_person(walk(centres), time_s, SIZE, TRACKING)
    assert people_tracked(selection, time_s) == 2


def test_it_counts_someone_else_found_beside_the_masked_performer() -> None:
    performer = skeleton(centre=(300.0, 400.0), trunk_towards_left_deg=8.0)
    # someone else: smaller (further away), standing differently
    other = skeleton(centre=(0.0, 0.0), knee_medial_deg={"left": (20.0, 10.0)}) * 0.7
    other += np.array([800.0, 440.0])
    detector = ScriptedPose(np.stack([other]))
    counter = PeopleCounter(detector, every_s=0.5)
    image = np.zeros((900, 1000, 3), dtype=np.uint8)
    counter.visit(Frame(0, 0.0, image), performer, (1000, 900))
    assert (counter.checks, counter.others_seen, counter.reflections) == (1, 1, 0)


def test_it_does_not_count_the_performers_reflection_as_someone_else() -> None:
    # a mirror on the wall, or a mirrored copy of the picture beside it: the same pose,
    # mirrored about a vertical line (the model may call either side left)
    performer = skeleton(
        centre=(300.0, 400.0),
        trunk_towards_left_deg=8.0,
        knee_medial_deg={"left": (20.0, 10.0)},
        ankle_lift={"right": 60.0},
    )
    reflection = performer.copy()
    reflection[:, 0] = 1100.0 - performer[:, 0]
    for labels in (reflection, relabel(reflection, GROUP_NAMES)):
        counter = PeopleCounter(ScriptedPose(np.stack([labels])), every_s=0.5)
        counter.visit(Frame(0, 0.0, np.zeros((900, 1000, 3), np.uint8)), performer, (1000, 900))
        assert (counter.others_seen, counter.reflections) == (0, 1)
    assert is_reflection(reflection, performer)
    someone_else = skeleton(centre=(0.0, 0.0), knee_medial_deg={"left": (20.0, 10.0)}) * 0.7
    assert not is_reflection(someone_else + np.array([800.0, 440.0]), performer)


def test_it_does_not_count_the_performer_found_again() -> None:
    performer = skeleton(centre=(300.0, 400.0))
    detector = ScriptedPose(np.stack([performer + 10.0]))
    counter = PeopleCounter(detector, every_s=0.5)
    image = np.zeros((900, 1000, 3), dtype=np.uint8)
    counter.visit(Frame(0, 0.0, image), performer, (1000, 900))
    assert (counter.checks, counter.others_seen) == (1, 0)
