"""VideoTask events on synthetic trajectories with a known number of reps/steps, noise added."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipfirst.knowledge.vocabulary import Side, VideoTask
from hipfirst.video import events
from hipfirst.video.events import leg_length
from hipfirst.video.landmarks import Landmark
from hipfirst.video_io.settings import video_settings
from video_skeleton import skeleton

FS = 60.0
EVENTS = video_settings().events
CONTACTS = video_settings().contacts
ANKLE = {"left": Landmark.LEFT_ANKLE, "right": Landmark.RIGHT_ANKLE}
FOOT = {
    side: [Landmark[f"{side.upper()}_{part}"] for part in ("ANKLE", "HEEL", "FOOT_INDEX")]
    for side in ("left", "right")
}
HIPS = [Landmark.LEFT_HIP, Landmark.RIGHT_HIP]


def detect(
    task: VideoTask,
    xy: np.ndarray,
    t: np.ndarray,
    valid: np.ndarray,
    side: str,
    frontal: bool = True,
) -> events.TaskEvents:
    """:func:`hipfirst.video.events.detect` with the shipped settings, a front view by default."""
    return events.detect(task, xy, t, valid, side, EVENTS, CONTACTS, frontal=frontal)  # type: ignore[arg-type]


def body(hip_drop: np.ndarray, ankle_y: dict[str, np.ndarray], seed: int = 0) -> np.ndarray:
    """Frames with the pelvis lowered by ``hip_drop`` px and the feet (ankle, heel and toe
    together) at given ankle heights."""
    rng = np.random.default_rng(seed)
    base = skeleton(centre=(500.0, 400.0))
    frames = np.repeat(base[None], hip_drop.size, axis=0)
    frames[:, :, 1] += hip_drop[:, None]
    for side, values in ankle_y.items():
        shift = values - frames[:, ANKLE[side], 1]
        frames[:, FOOT[side], 1] += shift[:, None]
    return frames + rng.normal(0.0, 1.5, frames.shape)


def squats(reps: int, stance: Side, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``reps`` single-leg squats of 1.5 s with 0.5 s standing between, 120 px deep."""
    period, pause = 1.5, 0.5
    t = np.arange(0, reps * (period + pause) + pause, 1 / FS)
    drop = np.zeros_like(t)
    peaks = []
    for k in range(reps):
        start = pause + k * (period + pause)
        inside = (t >= start) & (t < start + period)
        drop[inside] = 60.0 * (1 - np.cos(2 * np.pi * (t[inside] - start) / period))
        peaks.append(start + period / 2)
    ground = skeleton(centre=(500.0, 400.0))[ANKLE[stance], 1]
    free: Side = "right" if stance == "left" else "left"
    ankles = {stance: np.full_like(t, ground), free: ground - 80.0 + drop}
    return t, body(drop, ankles, seed), np.asarray(peaks)


@pytest.mark.parametrize("stance", ["left", "right"])
def test_it_counts_single_leg_squat_reps_and_finds_each_deepest_point(stance: Side) -> None:
    t, xy, peaks = squats(5, stance)
    found = detect(VideoTask.SINGLE_LEG_SQUAT, xy, t, np.ones(t.size, bool), "auto")
    assert len(found.reps) == 5
    assert [rep.side for rep in found.reps] == [stance] * 5
    assert found.stance_side == stance
    assert np.allclose([rep.peak_s for rep in found.reps], peaks, atol=0.1)
    for rep, peak in zip(found.reps, peaks, strict=True):
        assert rep.start_s < peak < rep.end_s
        assert rep.valid


def test_it_counts_step_down_reps_with_the_leg_that_stays_planted() -> None:
    t, xy, _ = squats(3, "right", seed=4)
    # in a step-down the free foot reaches *below* the step: its ankle is lower in the image
    xy[:, ANKLE["left"], 1] += 160.0
    found = detect(VideoTask.STEP_DOWN, xy, t, np.ones(t.size, bool), "auto")
    assert [rep.side for rep in found.reps] == ["right"] * 3


def test_it_keeps_only_the_reps_on_the_side_it_is_given() -> None:
    t, xy, _ = squats(3, "left")
    on_the_left = detect(VideoTask.SINGLE_LEG_SQUAT, xy, t, np.ones(t.size, bool), "left")
    on_the_right = detect(VideoTask.SINGLE_LEG_SQUAT, xy, t, np.ones(t.size, bool), "right")
    assert [rep.side for rep in on_the_left.reps] == ["left"] * 3
    assert on_the_right.reps == ()


def test_it_marks_a_rep_doubtful_when_the_person_was_lost_around_its_deepest_point() -> None:
    t, xy, peaks = squats(3, "left")
    valid = np.ones(t.size, bool)
    lost = np.abs(t - peaks[1]) < 0.3
    valid[lost] = False
    found = detect(VideoTask.SINGLE_LEG_SQUAT, xy, t, valid, "auto")
    assert [rep.valid for rep in found.reps] == [True, False, True]
    # 0.6 s of a 2 s rep lost; the deepest point is read from the frames still tracked
    assert found.reps[1].reason == "the person was tracked in only 70% of this rep's frames"


def test_it_ignores_shallow_wobbles_that_are_not_reps() -> None:
    t = np.arange(0, 4, 1 / FS)
    drop = 5.0 * np.sin(2 * np.pi * 1.0 * t)  # 5 px of a ~400 px leg
    ground = skeleton()[ANKLE["left"], 1]
    xy = body(drop, {"left": np.full_like(t, ground), "right": np.full_like(t, ground - 80)})
    found = detect(VideoTask.SINGLE_LEG_SQUAT, xy, t, np.ones(t.size, bool), "auto")
    assert found.reps == ()


def test_it_finds_each_stance_phase_and_the_cadence_of_a_run() -> None:
    t = np.arange(0, 4, 1 / FS)
    stride_hz = 1.5  # each foot 1.5 contacts per second: 180 steps per minute
    hip = np.zeros_like(t)
    base = skeleton(centre=(500.0, 400.0))
    ankles: dict[str, np.ndarray] = {}
    for side, phase in (("left", 0.0), ("right", 0.5)):
        wave = np.sin(2 * np.pi * (stride_hz * t - phase))
        # the foot is low (leg extended) in stance, lifted in swing
        ankles[side] = base[ANKLE[side], 1] - 90.0 * (1 - np.clip(wave, 0, 1))
    xy = body(hip, ankles, seed=2)
    found = detect(VideoTask.RUNNING, xy, t, np.ones(t.size, bool), "auto")
    sides = [rep.side for rep in found.reps]
    assert len(found.reps) == 12
    assert sides == ["left", "right"] * 6
    assert found.cadence_spm == pytest.approx(180.0, rel=0.03)
    midstances = [event for event in found.events if event.name == "midstance"]
    assert len(midstances) == 12
    expected_left = (0.25 + np.arange(6)) / stride_hz
    left_peaks = [rep.peak_s for rep in found.reps if rep.side == "left"]
    assert np.allclose(left_peaks, expected_left, atol=0.05)


def test_it_finds_the_hold_and_the_stance_leg_of_a_single_leg_stance() -> None:
    t = np.arange(0, 3, 1 / FS)
    ground = skeleton()[ANKLE["left"], 1]
    right = np.where((t >= 0.5) & (t < 2.5), ground - 70.0, ground)
    xy = body(np.zeros_like(t), {"left": np.full_like(t, ground), "right": right})
    found = detect(VideoTask.SINGLE_LEG_STANCE, xy, t, np.ones(t.size, bool), "auto")
    assert found.stance_side == "left"
    assert len(found.reps) == 1
    hold = found.reps[0]
    assert (hold.side, hold.kind) == ("left", "hold")
    assert hold.start_s == pytest.approx(0.5, abs=0.05)
    assert hold.end_s == pytest.approx(2.5, abs=0.05)
    # both feet down before and after: a level-standing baseline for the pelvis
    assert found.baseline[: int(0.4 * FS)].all()


def test_it_finds_initial_contact_and_peak_of_a_landing() -> None:
    t = np.arange(0, 2, 1 / FS)
    airborne = np.where(t < 0.5, -150.0 * np.sin(np.pi * t / 0.5), 0.0)
    squat = np.where((t >= 0.5) & (t < 1.3), 80.0 * np.sin(np.pi * (t - 0.5) / 0.8), 0.0)
    base = skeleton(centre=(500.0, 400.0))
    ankles = {side: base[ANKLE[side], 1] + airborne for side in ("left", "right")}
    xy = body(airborne + squat, ankles, seed=5)
    found = detect(VideoTask.LANDING, xy, t, np.ones(t.size, bool), "auto")
    assert [rep.side for rep in found.reps] == ["left", "right"]
    landing = found.reps[0]
    assert landing.start_s == pytest.approx(0.5, abs=0.06)
    assert landing.peak_s == pytest.approx(0.9, abs=0.06)
    assert [event.name for event in found.events] == ["initial_contact", "peak"]


def test_it_reports_no_landing_when_the_feet_never_leave_the_ground() -> None:
    t, xy, _ = squats(1, "left")
    xy[:, ANKLE["right"], 1] = xy[:, ANKLE["left"], 1]
    found = detect(VideoTask.LANDING, xy, t, np.ones(t.size, bool), "auto")
    assert found.reps == ()


def test_it_measures_the_leg_length_from_hip_knee_and_ankle() -> None:
    # THIGH 200 + SHANK 200 in the synthetic skeleton
    assert leg_length(skeleton()[None]) == pytest.approx(400.0, abs=1e-6)


@settings(max_examples=15, deadline=None)
@given(
    reps=st.integers(min_value=1, max_value=6),
    stance=st.sampled_from(["left", "right"]),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_it_finds_exactly_as_many_reps_as_were_performed(
    reps: int, stance: Side, seed: int
) -> None:
    t, xy, peaks = squats(reps, stance, seed=seed)
    found = detect(VideoTask.SINGLE_LEG_SQUAT, xy, t, np.ones(t.size, bool), "auto")
    assert len(found.reps) == reps
    assert {rep.side for rep in found.reps} == {stance}
    assert np.allclose([rep.peak_s for rep in found.reps], peaks, atol=0.1)
