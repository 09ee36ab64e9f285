"""Foot contacts from the foot landmarks: a hold runs from the other foot's foot-off to its
foot-down; a foot standing further from the camera is not a lifted foot; squats count only
on one leg; the movement must fit the task; at a few frames a second the rules count pictures."""

from __future__ import annotations

import numpy as np
import pytest
from landmark_tracks import HOLD_PELVIS_DEG, analyse, squat_track, stance_track

from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import VideoTask
from hipfirst.video.contacts import runs, standing_contacts
from hipfirst.video.events import leg_length
from hipfirst.video.landmarks import Landmark
from hipfirst.video_io.settings import video_settings
from video_skeleton import FPS

CONTACTS = video_settings().contacts
FOOT = {
    side: [Landmark[f"{side.upper()}_{part}"] for part in ("ANKLE", "HEEL", "FOOT_INDEX")]
    for side in ("left", "right")
}


def test_a_hold_runs_from_the_other_feet_foot_off_to_its_foot_down(kb: KnowledgeBase) -> None:
    result = analyse(stance_track(), kb, VideoTask.SINGLE_LEG_STANCE)
    holds = [rep for rep in result.reps if rep.kind == "hold"]
    assert [(rep.side, rep.valid) for rep in holds] == [("left", True)]
    # the right foot is off from 1.0 s to 3.0 s (frames 25-74 at 25 frames/s)
    assert holds[0].start_s == pytest.approx(1.0, abs=0.1)
    assert holds[0].end_s == pytest.approx(3.0 - 1 / FPS, abs=0.1)
    assert holds[0].values["pelvic_drop_deg"] == pytest.approx(HOLD_PELVIS_DEG, abs=1.0)
    assert result.summary["pelvic_drop_reference"].startswith("level standing")
    assert result.summary["quality"]["task_fit"]["value"] == "fits"


def test_a_foot_further_from_the_camera_is_standing_not_lifted() -> None:
    # oblique view: both feet on the floor the whole time, the right one placed further
    # back (higher in the picture by a fifth of a leg) for 2 s: no single-leg support
    track = stance_track()
    rng = np.random.default_rng(5)
    xy = np.repeat(track.xy[:1], track.xy.shape[0], axis=0)
    xy[25:75, FOOT["right"], 1] -= 40.0  # placed further away: higher in the picture
    xy[25:75, Landmark.RIGHT_KNEE, 1] -= 20.0  # the leg straight, foreshortened
    xy = xy + rng.normal(0.0, 0.5, xy.shape)
    leg = leg_length(xy)
    contacts = standing_contacts(xy, track.time_s, leg, CONTACTS, frontal=False)
    # moved and settled: off only while it moved there and back, then down again
    assert contacts.down["left"].all()
    assert sum(1 for side in contacts.support() if side is not None) <= 12
    assert max((b - a + 1 for a, b in runs(contacts.down["right"])), default=0) >= 40


def test_a_foot_held_still_in_the_air_stays_off_the_ground() -> None:
    track = stance_track()
    contacts = standing_contacts(
        track.xy, track.time_s, leg_length(track.xy), CONTACTS, frontal=True
    )
    off = ~contacts.down["right"]
    assert off[27:73].all()  # held still 90 px (almost half a leg) up, knee bent
    assert contacts.down["right"][:24].all() and contacts.down["right"][80:].all()
    assert contacts.down["left"].all()


def test_a_landmark_glitch_on_the_standing_foot_does_not_end_the_hold() -> None:
    track = stance_track()
    xy = track.xy.copy()
    xy[50:53, FOOT["left"], 1] += 35.0  # 3 frames: the other leg passes in front of it
    contacts = standing_contacts(xy, track.time_s, leg_length(xy), CONTACTS, frontal=True)
    assert contacts.down["left"].all()


def test_a_single_frame_has_no_hold(kb: KnowledgeBase) -> None:
    track = stance_track()
    from dataclasses import replace

    one = replace(
        track,
        time_s=track.time_s[40:41],
        xy=track.xy[40:41],
        visibility=track.visibility[40:41],
        turned_deg=track.turned_deg[40:41],  # type: ignore[index]
        world=track.world[40:41],  # type: ignore[index]
    )
    from landmark_tracks import squat_info

    result = analyse(one, kb, VideoTask.SINGLE_LEG_STANCE, squat_info(1))
    assert result.reps == ()
    assert result.summary["quality"]["valid_reps"]["valid"] is False


def test_squats_on_both_feet_are_not_single_leg_squats(kb: KnowledgeBase) -> None:
    track = squat_track(noise_px=0.5)
    xy = track.xy.copy()
    # both feet on the floor: the right foot where the left one is, mirrored about the hips
    hips = (xy[:, Landmark.LEFT_HIP, 0] + xy[:, Landmark.RIGHT_HIP, 0]) / 2
    for left, right in zip(FOOT["left"], FOOT["right"], strict=True):
        xy[:, right, 1] = xy[:, left, 1]
        xy[:, right, 0] = 2 * hips - xy[:, left, 0]
    from dataclasses import replace

    result = analyse(replace(track, xy=xy), kb)
    assert result.reps == ()
    fit = result.summary["quality"]["task_fit"]
    assert fit["valid"] is False
    assert "never on one leg (both feet were on the ground)" in fit["reason"]
    assert "does not look like 'single-leg-squat'" in fit["reason"]


def test_the_synthetic_squats_are_found_on_the_left_leg(kb: KnowledgeBase) -> None:
    result = analyse(squat_track(noise_px=0.5), kb)
    assert [rep.side for rep in result.reps] == ["left"] * 3
    assert result.summary["quality"]["task_fit"] == {"value": "fits", "valid": True, "reason": ""}


@pytest.mark.parametrize(
    ("task", "words"),
    [
        (VideoTask.RUNNING, "the feet did not alternate as in running"),
        (VideoTask.LANDING, "both feet never left the ground together"),
        (VideoTask.SINGLE_LEG_SQUAT, "no squat was found"),
    ],
)
def test_a_balance_analysed_as_another_task_gets_a_mismatch_warning(
    kb: KnowledgeBase, task: VideoTask, words: str
) -> None:
    result = analyse(stance_track(), kb, task)
    fit = result.summary["quality"]["task_fit"]
    assert fit["valid"] is False and words in fit["reason"]
    assert fit["reason"] in result.summary["quality"]["warnings"]
    assert result.summary["quality"]["valid"] is False
    assert result.summary["cadence_steps_per_min"] is None
    assert all(not v["valid"] for v in result.summary["per_side"]["left"].values())
    assert np.all([rep.kind != "stance" or not rep.valid for rep in result.reps]) or not [
        rep for rep in result.reps if rep.valid
    ]


def swung(base: np.ndarray, degrees: list[float]) -> np.ndarray:
    """Frames of ``base`` with the right leg swung straight about its hip by each angle."""
    leg = [Landmark.RIGHT_KNEE, *FOOT["right"]]
    hip = base[Landmark.RIGHT_HIP]
    frames = np.repeat(base[None], len(degrees), axis=0)
    for k, angle in enumerate(np.radians(degrees)):
        turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        frames[k, leg] = hip + (base[leg] - hip) @ turn.T
    return frames


@pytest.mark.parametrize(("same_pictures", "comes_down"), [(4, False), (5, True)])
def test_at_two_frames_a_second_a_foot_must_be_still_in_four_pictures_to_come_down(
    same_pictures: int, comes_down: bool
) -> None:
    """Oblique view, straight leg: nothing but stillness says the foot is down. At 2 frames/s
    0.2 s is less than one picture; a swing's turnaround may show the foot at one place in a
    few pictures (three still steps: stays up; four: down)."""
    base = stance_track(noise_px=0.0).xy[0]
    out = [6.0 * k for k in range(1, 5)]
    degrees = [0.0] * 6 + out + [30.0] * same_pictures + out[::-1] + [0.0] * 6
    xy = swung(base, degrees)
    time_s = np.arange(len(degrees)) * 0.5
    contacts = standing_contacts(xy, time_s, leg_length(xy), CONTACTS, frontal=False)
    held = slice(6 + len(out), 6 + len(out) + same_pictures)
    assert contacts.down["right"][:6].all() and contacts.down["right"][-5:].all()
    assert contacts.down["right"][held].any() == comes_down
    assert contacts.down["left"].all()


@pytest.mark.parametrize(("lost", "bridged"), [(2, True), (4, False)])
def test_a_standing_foot_lost_for_a_few_pictures_keeps_the_hold(lost: int, bridged: bool) -> None:
    """At 5 frames/s the filter cannot fill a lost picture (its gaps are in seconds); up to
    three lost pictures, with the foot down on the same spot either side, keep it down."""
    track = stance_track()
    every = FPS // 5
    xy, time_s = track.xy[::every].copy(), track.time_s[::every]
    gap = slice(9, 9 + lost)  # mid-hold (the right foot is off from 1.0 to 3.0 s)
    xy[gap, FOOT["left"]] = np.nan
    contacts = standing_contacts(xy, time_s, leg_length(xy), CONTACTS, frontal=True)
    support = contacts.support()
    assert support[gap.start - 1] == "left" and support[gap.stop] == "left"
    assert all(side == "left" for side in support[gap]) == bridged
    assert contacts.seen["left"][gap].all() == bridged
