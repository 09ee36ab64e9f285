"""Foot contacts from the foot landmarks: a hold runs from the other foot's foot-off to its
foot-down; a foot standing further from the camera is not a lifted foot; squats count only
on one leg; the movement must fit the task."""

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
