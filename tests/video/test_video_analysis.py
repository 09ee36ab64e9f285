"""analyze_landmarks: every pure stage on known landmarks, with the kb and settings it is given.

No video file and no model: three scripted left-leg squats
(``video_skeleton.squat_landmarks``) go straight into the pure stages.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import VideoTask
from hipfirst.video.analysis import analyze_landmarks
from hipfirst.video.settings import VideoSettings
from hipfirst.video.types import AnalysisResult, LandmarkTrack, VideoInfo
from hipfirst.video_io.settings import video_settings
from video_skeleton import FPS, PEAK_FPPA, REPS, SIZE, n_frames, squat_landmarks

SOFTWARE = {"pose_model": {"name": "scripted"}}


def analysed(kb: KnowledgeBase, settings: VideoSettings, **options: Any) -> AnalysisResult:
    n = n_frames()
    track = LandmarkTrack(
        time_s=np.arange(n) / FPS, xy=squat_landmarks(n), visibility=np.ones((n, 33))
    )
    info = VideoInfo(Path("squat.mp4"), "squat.mp4", *SIZE, 0, float(FPS), n, n / FPS, "h264")
    return analyze_landmarks(
        info,
        VideoTask.SINGLE_LEG_SQUAT,
        track,
        kb=kb,
        settings=settings,
        software=SOFTWARE,
        **options,
    )


def test_it_reads_the_known_angles_from_landmarks_alone(kb: KnowledgeBase) -> None:
    result = analysed(kb, video_settings())
    data = result.summary

    assert [rep.side for rep in result.reps] == ["left"] * REPS
    assert data["per_side"]["left"]["fppa_deg"]["mean"] == pytest.approx(PEAK_FPPA, abs=0.3)
    assert data["software"] == SOFTWARE
    assert data["processing"] == {
        "settings_version": 2,
        "filter": "zero-lag Butterworth low-pass (sosfiltfilt)",
        "filter_order": 4,
        "cutoff_hz_requested": 6.0,
        "cutoff_hz_used": 6.0,
        "max_gap_filled_s": 0.25,
        "identity_jumps_at_frames": [],
    }
    assert data["people_seen"] == 1
    assert result.thresholds["fppa_deg"] is not None
    assert result.thresholds["fppa_deg"]["measure_id"] == "fppa_sls_flag_female"


def test_it_uses_the_settings_it_is_given(kb: KnowledgeBase) -> None:
    shipped = video_settings()
    settings = shipped.model_copy(
        update={
            "quality": shipped.quality.model_copy(update={"min_valid_reps": 5}),
            "filter": shipped.filter.model_copy(update={"cutoff_hz": 3.0}),
        }
    )

    data = analysed(kb, settings).summary

    assert data["quality"]["valid_reps"] == {
        "value": 3,
        "valid": False,
        "reason": "3 valid reps found, at least 5 needed for task 'single-leg-squat'",
    }
    assert data["processing"]["cutoff_hz_requested"] == 3.0
    assert data["per_side"]["left"]["fppa_deg"]["reason"] == (
        "only 3 valid value(s); 5 or more give a steadier mean"
    )


def test_it_compares_with_the_knowledge_base_it_is_given(kb: KnowledgeBase) -> None:
    flag = kb.measure("fppa_sls_flag_female")
    higher = replace(kb, measures={**kb.measures, flag.id: flag.model_copy(update={"value": 20.0})})

    shipped = analysed(kb, video_settings()).summary["per_side"]["left"]["fppa_deg"]
    changed = analysed(higher, video_settings()).summary["per_side"]["left"]["fppa_deg"]

    assert (shipped["threshold"]["value"], shipped["flagged"]) == (13.5, True)
    assert (changed["threshold"]["value"], changed["flagged"]) == (20.0, False)


def test_it_reports_what_the_pose_loop_found(kb: KnowledgeBase) -> None:
    data = analysed(
        kb,
        video_settings(),
        people_counted=2,
        decode_error="decoding stopped after 150 frames (bad packet)",
        sex="female",
        side="left",
    ).summary

    assert (data["side_requested"], data["sex"], data["people_seen"]) == ("left", "female", 2)
    assert data["quality"]["decoding"] == {
        "value": "incomplete",
        "valid": False,
        "reason": "the file looks truncated or corrupt: decoding stopped after 150 frames "
        "(bad packet)",
    }
    assert data["quality"]["people"]["valid"] is False
    assert data["per_side"]["left"]["fppa_deg"]["threshold_note"] == ""


FORBIDDEN = (
    "cv2",
    "av",
    "mediapipe",
    "matplotlib",
    "yaml",
    "sqlalchemy",
    "fastapi",
    "starlette",
    "typer",
    "rich",
    "hipfirst.video_io",
    "hipfirst.application",
    "hipfirst.io",
    "hipfirst.storage",
    "hipfirst.web",
    "hipfirst.cli",
    "hipfirst.knowledge.loader",
)
IMPORT_EVERY_PURE_MODULE = """
import importlib, pkgutil, sys
import hipfirst.video
for module in pkgutil.iter_modules(hipfirst.video.__path__):
    importlib.import_module("hipfirst.video." + module.name)
print("\\n".join(sorted(sys.modules)))
"""


def test_the_pure_stages_import_no_io_library_and_no_upper_layer() -> None:
    # In a fresh interpreter: importing every module of hipfirst.video loads none of FORBIDDEN.
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_PURE_MODULE], capture_output=True, text=True, check=True
    )
    loaded = done.stdout.split()
    assert "hipfirst.video.analysis" in loaded
    found = [
        name for name in loaded if any(name == f or name.startswith(f"{f}.") for f in FORBIDDEN)
    ]
    assert found == []
