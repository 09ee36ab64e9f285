"""The subject is the person doing the task: candidates, ambiguity, the user's choice, and a
limb that jumps to a bystander."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from landmark_tracks import analyse, squat_info, stance_track

from hipfirst.errors import InputValidationError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import VideoTask
from hipfirst.video.landmarks import Landmark
from hipfirst.video.plausibility import implausible_landmarks
from hipfirst.video.types import LandmarkTrack
from hipfirst.video_io.settings import video_settings

STANCE = VideoTask.SINGLE_LEG_STANCE


def two_people(*, both_on_one_leg: bool = False) -> LandmarkTrack:
    """The tracker on a woman standing on both feet in the middle (frames 0-79), then on a
    smaller man balancing on his left leg off to the side (frames 80-139)."""
    person = stance_track(noise_px=0.5, seed=4)
    standing = person.xy[:25]
    woman = np.concatenate([standing, standing, standing, standing[:5]])  # 80 frames
    if both_on_one_leg:
        woman = person.xy[10:90]
    man = (person.xy[15:75] - np.array([180.0, 300.0])) * 0.8 + np.array([290.0, 330.0])
    xy = np.concatenate([woman, man])
    n = xy.shape[0]
    return LandmarkTrack(
        time_s=np.arange(n) / 25.0,
        xy=xy,
        visibility=np.ones((n, 33)),
    )


def test_the_person_doing_the_task_is_chosen_not_the_largest_most_central(
    kb: KnowledgeBase,
) -> None:
    result = analyse(two_people(), kb, STANCE, squat_info(140))
    people = result.summary["people"]
    assert [c["frames"] for c in people["candidates"]] == [80, 60]
    woman, man = people["candidates"]
    assert people["chosen"] == man["id"]
    assert (people["ambiguous"], people["how"]) == (False, "automatic")
    assert man["score"] > woman["score"]
    assert "on one leg for up to" in man["reason"]
    assert 80 <= man["frame"] < 140 and len(man["box_px"]) == 4
    assert result.series.valid[80:].all() and not result.series.valid[:80].any()
    assert [rep.side for rep in result.reps] == ["left"]
    assert result.summary["people_seen"] == 2


def test_two_people_doing_the_task_are_ambiguous_and_the_user_may_choose(
    kb: KnowledgeBase,
) -> None:
    track = two_people(both_on_one_leg=True)
    automatic = analyse(track, kb, STANCE, squat_info(140))
    people = automatic.summary["people"]
    assert people["ambiguous"] is True
    warning = automatic.summary["quality"]["subject"]
    assert warning["valid"] is False
    assert "more than one person could be the subject" in warning["reason"]
    assert warning["reason"] in automatic.summary["quality"]["warnings"]
    other = next(c["id"] for c in people["candidates"] if c["id"] != people["chosen"])

    chosen = analyse(track, kb, STANCE, squat_info(140), person=other)
    assert chosen.summary["people"]["chosen"] == other
    assert chosen.summary["people"]["how"] == "chosen by the user"
    frames = chosen.series.data["person_identity"] == other
    assert np.array_equal(chosen.series.valid, frames & chosen.series.valid)
    assert chosen.series.valid.sum() > 50


def test_a_person_that_is_not_a_candidate_is_refused_with_the_allowed_ones(
    kb: KnowledgeBase,
) -> None:
    with pytest.raises(
        InputValidationError, match=r"person: not a person in this video; allowed: 0, 1 \(got 7\)"
    ):
        analyse(two_people(), kb, STANCE, squat_info(140), person=7)


def test_nobody_tracked_has_no_candidates(kb: KnowledgeBase) -> None:
    n = 30
    empty = LandmarkTrack(np.arange(n) / 25.0, np.full((n, 33, 2), np.nan), np.zeros((n, 33)))
    data = analyse(empty, kb, STANCE, squat_info(n)).summary
    assert data["people"] == {
        "candidates": [],
        "chosen": None,
        "ambiguous": False,
        "how": "automatic",
    }
    assert data["people_seen"] == 0
    assert data["quality"]["warnings"] == ["no person was found in the video"]
    assert data["quality"]["mean_confidence"]["value"] is None
    assert "nan" not in str(data["quality"])


def test_a_limb_that_jumps_to_a_bystander_is_left_out(kb: KnowledgeBase) -> None:
    track = stance_track(noise_px=0.5, seed=8)
    xy = track.xy.copy()
    # frames 40-42: the model puts the right knee and ankle on someone 250 px away
    xy[40:43, Landmark.RIGHT_KNEE] += np.array([250.0, -60.0])
    xy[40:43, Landmark.RIGHT_ANKLE] += np.array([260.0, -40.0])
    selected = np.ones(xy.shape[0], dtype=bool)
    bad = implausible_landmarks(xy, track.time_s, selected, video_settings().plausibility)
    assert np.flatnonzero(bad[:, Landmark.RIGHT_KNEE]).tolist() == [40, 41, 42]
    assert bad[40:43, Landmark.RIGHT_ANKLE].all() and bad[40:43, Landmark.RIGHT_FOOT_INDEX].all()
    assert not bad[:, Landmark.LEFT_KNEE].any() and not bad[:40].any() and not bad[43:].any()

    clean = analyse(track, kb, STANCE)
    jumped = analyse(replace(track, xy=xy), kb, STANCE)
    # the jumped frames are bridged from the frames around them, never read from the bystander
    np.testing.assert_allclose(
        jumped.angle("hip_adduction_deg", "right")[38:46],
        clean.angle("hip_adduction_deg", "right")[38:46],
        atol=3.0,
    )


def test_a_foreshortened_limb_is_not_a_jump() -> None:
    track = stance_track(noise_px=0.5, seed=8)
    xy = track.xy.copy()
    knee = xy[:, Landmark.RIGHT_KNEE]
    xy[30:60, Landmark.RIGHT_ANKLE] = knee[30:60] + 0.2 * (
        xy[30:60, Landmark.RIGHT_ANKLE] - knee[30:60]
    )
    bad = implausible_landmarks(
        xy, track.time_s, np.ones(xy.shape[0], dtype=bool), video_settings().plausibility
    )
    assert not bad[:, Landmark.RIGHT_ANKLE].any()
