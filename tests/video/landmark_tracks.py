"""Landmark tracks for the pure-stage tests: synthetic ones with 3D landmarks, and the real
pose model's landmarks of the shared videos (run once per test module that asks).

The synthetic track is the three left-leg squats of :mod:`video_skeleton` (front-on,
25 frames/s) with noise, and 3D landmarks made from the same points (metres, hip-centred,
z away from the camera) so the label tracker and the facing check have what the real
model gives them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import SideChoice, VideoTask
from hipfirst.video.analysis import analyze_landmarks
from hipfirst.video.label_swaps import relabel
from hipfirst.video.landmarks import N_LANDMARKS, Landmark
from hipfirst.video.quality import turned_from_camera
from hipfirst.video.types import AnalysisResult, CameraRoll, LandmarkTrack, VideoInfo
from hipfirst.video_io.settings import video_settings
from video_skeleton import FPS, SIZE, n_frames, skeleton, squat_landmarks

PX_PER_M = 400.0
"""Pixels per metre of the synthetic person (a 0.5 m torso is 125 px at SCALE 0.5)."""


def world_from_xy(xy: np.ndarray, facing_camera: bool = True) -> np.ndarray:
    """3D landmarks for 2D ones: hip-centred metres, y down, the nose 10 cm in front."""
    hips = (xy[:, Landmark.LEFT_HIP] + xy[:, Landmark.RIGHT_HIP]) / 2
    world = np.zeros((xy.shape[0], N_LANDMARKS, 3))
    world[..., :2] = (xy - hips[:, None, :]) / PX_PER_M
    world[:, Landmark.NOSE, 2] = -0.1 if facing_camera else 0.1
    return world


def squat_track(noise_px: float = 1.0, seed: int = 0) -> LandmarkTrack:
    """Three left-leg squats, noisy, with 3D landmarks (front view)."""
    n = n_frames()
    rng = np.random.default_rng(seed)
    xy = squat_landmarks(n) + rng.normal(0.0, noise_px, (n, N_LANDMARKS, 2))
    world = world_from_xy(xy)
    return LandmarkTrack(
        time_s=np.arange(n) / FPS,
        xy=xy,
        visibility=np.ones((n, N_LANDMARKS)),
        turned_deg=turned_from_camera(world),
        world=world,
    )


HOLD_PELVIS_DEG, HOLD_TRUNK_DEG = 6.0, 4.0
"""Pelvic drop and trunk lean during the hold of :func:`stance_track`."""


STANDING_LEFT_ANKLE = skeleton(centre=(0.0, 0.0))[Landmark.LEFT_ANKLE]


def stance_track(noise_px: float = 0.5, seed: int = 0) -> LandmarkTrack:
    """Standing 1 s on both feet, 2 s on the left leg (right foot lifted), 1 s standing."""
    n = 4 * FPS
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n):
        t = k / FPS
        up = 1.0 if 1.0 <= t < 3.0 else 0.0
        frame = skeleton(
            centre=(0.0, 0.0),
            pelvis_right_lower_deg=HOLD_PELVIS_DEG * up,
            trunk_towards_left_deg=HOLD_TRUNK_DEG * up,
            knee_medial_deg={"right": (20.0 * up, -40.0 * up)},
            ankle_lift={"right": 90.0 * up},
        )
        # the left foot stays where it stands: the body moves over it, not the foot
        frame = frame - frame[Landmark.LEFT_ANKLE] + STANDING_LEFT_ANKLE
        rows.append(frame * 0.5 + np.array([180.0, 300.0]))
    xy = np.stack(rows) + rng.normal(0.0, noise_px, (n, N_LANDMARKS, 2))
    world = world_from_xy(xy)
    return LandmarkTrack(
        time_s=np.arange(n) / FPS,
        xy=xy,
        visibility=np.ones((n, N_LANDMARKS)),
        turned_deg=turned_from_camera(world),
        world=world,
    )


def squat_info(frames: int | None = None) -> VideoInfo:
    n = frames or n_frames()
    return VideoInfo(Path("squat.mp4"), "squat.mp4", *SIZE, 0, float(FPS), n, n / FPS, "h264")


def mirrored(
    track: LandmarkTrack, frames: slice, groups: tuple[str, ...], *, world: bool = True
) -> LandmarkTrack:
    """``track`` with the pose model's labels mirrored for ``groups`` in ``frames``."""
    xy, visibility = track.xy.copy(), track.visibility.copy()
    model_world = None if track.world is None else track.world.copy()
    for index in range(track.xy.shape[0])[frames]:
        xy[index] = relabel(track.xy[index], groups)
        visibility[index] = relabel(track.visibility[index], groups)
        if world and model_world is not None and track.world is not None:
            model_world[index] = relabel(track.world[index], groups)
    return replace(track, xy=xy, visibility=visibility, world=model_world)


def rotated(track: LandmarkTrack, degrees: float, size: tuple[int, int]) -> LandmarkTrack:
    """The picture rolled clockwise by ``degrees`` about its centre, with that CameraRoll."""
    theta = np.radians(degrees)
    turn = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    centre = np.array([size[0] / 2.0, size[1] / 2.0])
    xy = (track.xy - centre) @ turn.T + centre
    return replace(track, xy=xy, camera_roll=CameraRoll(degrees, "test", 10, 0.5))


def analyse(
    track: LandmarkTrack,
    kb: KnowledgeBase,
    task: VideoTask = VideoTask.SINGLE_LEG_SQUAT,
    info: VideoInfo | None = None,
    side: SideChoice = "auto",
    person: int | None = None,
) -> AnalysisResult:
    return analyze_landmarks(
        info or squat_info(track.xy.shape[0]),
        task,
        track,
        kb=kb,
        settings=video_settings(),
        software={"pose_model": {"name": "scripted"}},
        side=side,
        person=person,
    )


def real_track(path: Path) -> tuple[VideoInfo, LandmarkTrack]:
    """The real pose model's landmarks of one video (decoded by video_io), with 3D ones."""
    from hipfirst.video_io.decode import DecodeReport, final_info, iter_frames, model_size, probe
    from hipfirst.video_io.pose import MediaPipePose

    info = probe(path)
    report = DecodeReport()
    times, points, scores, worlds = [], [], [], []
    with MediaPipePose() as model:
        for frame in iter_frames(path, info=info, size=model_size(info), report=report):
            pose = model.estimate(frame, (info.width, info.height))
            times.append(frame.time_s)
            points.append(pose.xy)
            scores.append(pose.visibility)
            worlds.append(
                pose.world if pose.world is not None else np.full((N_LANDMARKS, 3), np.nan)
            )
    world = np.stack(worlds)
    track = LandmarkTrack(
        time_s=np.asarray(times),
        xy=np.stack(points),
        visibility=np.stack(scores),
        turned_deg=turned_from_camera(world),
        world=world,
    )
    return final_info(info, report), track
