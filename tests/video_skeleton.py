"""Synthetic BlazePose skeletons with known angles, for the video tests.

Image coordinates: x to the right, y downwards. The person faces the camera
unless ``facing_away``: then their left side is on the image left.
:func:`squat_landmarks` strings frames together into three single-leg squats
whose angles at the deepest point are known (``PEAK_*``).
"""

from __future__ import annotations

import math

import numpy as np

from hipfirst.video.landmarks import N_LANDMARKS, Landmark

THIGH = 200.0
SHANK = 200.0
HIP_WIDTH = 80.0
TORSO = 250.0
SHOULDER_WIDTH = 180.0


def _deg(value: float) -> float:
    return math.radians(value)


def skeleton(
    *,
    centre: tuple[float, float] = (500.0, 400.0),
    knee_medial_deg: dict[str, tuple[float, float]] | None = None,
    pelvis_right_lower_deg: float = 0.0,
    trunk_towards_left_deg: float = 0.0,
    facing_away: bool = False,
    rotate_deg: float = 0.0,
    ankle_lift: dict[str, float] | None = None,
) -> np.ndarray:
    """One frame ``(33, 2)`` of landmarks.

    ``knee_medial_deg[side] = (alpha, beta)``: the thigh turns ``alpha`` degrees
    medially from the pelvis perpendicular and the shank ``beta`` degrees back,
    so FPPA = alpha + beta (valgus when positive) and hip adduction = alpha.
    ``pelvis_right_lower_deg``: the right hip lower than the left by this angle.
    ``trunk_towards_left_deg``: shoulders shifted towards the person's left.
    ``rotate_deg``: the whole body rotated in the image (clockwise on screen).
    ``ankle_lift[side]``: the ankle raised by this many pixels (foot off the ground).
    """
    knees = {"left": (0.0, 0.0), "right": (0.0, 0.0)}
    knees.update(knee_medial_deg or {})
    lift = {"left": 0.0, "right": 0.0}
    lift.update(ankle_lift or {})
    # +1 when the person's left is on the image right (facing the camera)
    left_x = -1.0 if facing_away else 1.0
    xy = np.full((N_LANDMARKS, 2), np.nan)
    psi = _deg(pelvis_right_lower_deg)
    half = HIP_WIDTH / 2.0
    hip_left = np.array([left_x * half * math.cos(psi), -half * math.sin(psi)])
    hip_right = -hip_left
    # pelvis perpendicular pointing down the body, and the lateral unit vectors
    across = (hip_left - hip_right) / np.linalg.norm(hip_left - hip_right)
    down = np.array([-across[1], across[0]])
    if down[1] < 0:
        down = -down
    hips = {"left": hip_left, "right": hip_right}
    for side, hip in hips.items():
        alpha, beta = (_deg(v) for v in knees[side])
        medial = -across if side == "left" else across
        thigh = math.cos(alpha) * down + math.sin(alpha) * medial
        knee = hip + THIGH * thigh
        # shank: turned back laterally by alpha + beta from the thigh
        turn = alpha + beta
        shank_angle_from_down = alpha - turn
        shank = math.cos(shank_angle_from_down) * down + math.sin(shank_angle_from_down) * medial
        ankle = knee + SHANK * shank
        ankle = ankle - np.array([0.0, lift[side]])
        index = "LEFT" if side == "left" else "RIGHT"
        xy[Landmark[f"{index}_HIP"]] = hip
        xy[Landmark[f"{index}_KNEE"]] = knee
        xy[Landmark[f"{index}_ANKLE"]] = ankle
        xy[Landmark[f"{index}_HEEL"]] = ankle + np.array([0.0, 10.0])
        xy[Landmark[f"{index}_FOOT_INDEX"]] = ankle + np.array([0.0, 20.0])
    lam = _deg(trunk_towards_left_deg)
    mid_shoulder = np.array([left_x * TORSO * math.sin(lam), -TORSO * math.cos(lam)])
    shoulder_half = np.array([left_x * SHOULDER_WIDTH / 2.0, 0.0])
    xy[Landmark.LEFT_SHOULDER] = mid_shoulder + shoulder_half
    xy[Landmark.RIGHT_SHOULDER] = mid_shoulder - shoulder_half
    xy[Landmark.NOSE] = mid_shoulder + np.array([0.0, -60.0])
    for mark in Landmark:
        if np.isnan(xy[mark]).any():
            xy[mark] = mid_shoulder + np.array([0.0, -40.0])
    theta = _deg(rotate_deg)
    rotation = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    return np.asarray(xy @ rotation.T + np.asarray(centre))


def sequence(frames: list[np.ndarray]) -> np.ndarray:
    """Stack frames into ``(n, 33, 2)``."""
    return np.stack(frames)


# Three left-leg single-leg squats filmed at 25 frames/s in a 360x640 portrait frame:
# each rep lasts PERIOD s after PAUSE s of standing; the angles at the deepest point.
FPS = 25
SIZE = (360, 640)  # width, height
SCALE = 0.5
PERIOD, PAUSE, REPS = 1.5, 0.5, 3
PEAK_FPPA, PEAK_PELVIS, PEAK_TRUNK = 16.0, 6.0, 4.0


def squat_landmarks(frames: int, fps: float = FPS, shift_y: float = 0.0) -> np.ndarray:
    """Three left-leg squats: angles grow with depth and peak at the values above."""
    t = np.arange(frames) / fps
    rows = []
    for time in t:
        depth = 0.0
        for k in range(REPS):
            start = PAUSE + k * (PERIOD + PAUSE)
            if start <= time < start + PERIOD:
                depth = 0.5 * (1 - np.cos(2 * np.pi * (time - start) / PERIOD))
        frame = skeleton(
            centre=(0.0, 0.0),
            knee_medial_deg={"left": (PEAK_FPPA * depth / 2, PEAK_FPPA * depth / 2)},
            pelvis_right_lower_deg=PEAK_PELVIS * depth,
            trunk_towards_left_deg=PEAK_TRUNK * depth,
            ankle_lift={"right": 80.0 + 40.0 * np.sin(2 * np.pi * time)},
        )
        rows.append(frame * SCALE + np.array([180.0, 250.0 + 60.0 * depth + shift_y]))
    return np.stack(rows)


def n_frames() -> int:
    """Frames of the three squats with a pause before, between and after (162)."""
    return round((REPS * (PERIOD + PAUSE) + PAUSE) * FPS)
