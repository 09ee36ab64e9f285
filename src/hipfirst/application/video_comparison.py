"""Comparing two video analyses: what to pick from, and each clip as a clinician checks it.

Every finished analysis is named by date and time, task, side and the user's file name
(``2026-12-01 14:03 · single-leg stance · left leg (found) · lab.mp4``); two that would
read the same get their analysis number too, so no two entries of the picker look alike.
A clip shows its quality (valid or doubtful) with every warning of its summary, and which
pictures it has (key frames, annotated video) with their size, so both are shown side by
side at the same size and the page can say when they are not at the same scale.
"""

from __future__ import annotations

import struct
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hipfirst.knowledge.vocabulary import VIDEO_TASK_NAMES, OutputFile
from hipfirst.settings import Settings
from hipfirst.storage.files import analysis_dir
from hipfirst.storage.models import JobStatus, Patient, VideoAnalysis

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _side_words(analysis: VideoAnalysis) -> str:
    found = (analysis.summary_json or {}).get("stance_side")
    if analysis.side in ("left", "right"):
        return f"{analysis.side} leg"
    if found in ("left", "right"):
        return f"{found} leg (found)"
    return "side found automatically"


def _base_label(analysis: VideoAnalysis) -> str:
    task = VIDEO_TASK_NAMES.get(analysis.task, analysis.task)
    when = analysis.created_at.strftime("%Y-%m-%d %H:%M")
    return f"{when} · {task} · {_side_words(analysis)} · {analysis.original_name}"


def finished(patient: Patient) -> list[VideoAnalysis]:
    """The patient's finished analyses with a summary, newest first."""
    done = [a for a in patient.video_analyses if a.status is JobStatus.done and a.summary_json]
    return sorted(done, key=lambda a: (a.created_at, a.id), reverse=True)


def choice_labels(analyses: list[VideoAnalysis]) -> dict[int, str]:
    """Each analysis's picker entry; entries that would be identical get ``· analysis N``."""
    base = {a.id: _base_label(a) for a in analyses}
    repeated = Counter(base.values())
    return {
        analysis_id: f"{label} · analysis {analysis_id}" if repeated[label] > 1 else label
        for analysis_id, label in base.items()
    }


def png_size(path: Path) -> tuple[int, int] | None:
    """Width and height of a PNG from its header (None when it is not a readable PNG)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(24)
    except OSError:
        return None
    if len(head) < 24 or not head.startswith(PNG_SIGNATURE) or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


@dataclass(frozen=True)
class Clip:
    """One analysis as the comparison shows it."""

    analysis: VideoAnalysis
    label: str
    quality_valid: bool
    warnings: list[str]
    keyframes_size: tuple[int, int] | None
    has_video: bool
    video_size: tuple[int, int] | None = None
    reps: int | None = field(default=None)

    @property
    def doubtful(self) -> bool:
        return not self.quality_valid


def clip(settings: Settings, analysis: VideoAnalysis, label: str) -> Clip:
    summary: dict[str, Any] = analysis.summary_json or {}
    quality = summary.get("quality") or {}
    folder = analysis_dir(settings.data_dir, analysis.patient_id, analysis.id)
    video = summary.get("video") or {}
    width, height = video.get("width"), video.get("height")
    reps = (quality.get("valid_reps") or {}).get("value")
    return Clip(
        analysis=analysis,
        label=label,
        quality_valid=quality.get("valid") is not False,
        warnings=[str(warning) for warning in quality.get("warnings") or []],
        keyframes_size=png_size(folder / OutputFile.KEYFRAMES),
        has_video=(folder / OutputFile.ANNOTATED_VIDEO).is_file(),
        video_size=(width, height) if isinstance(width, int) and isinstance(height, int) else None,
        reps=reps if isinstance(reps, int) else None,
    )


def same_scale(first: Clip, second: Clip) -> tuple[bool, bool]:
    """Whether the key frames, and the videos, are the same size in pixels (shown at the
    same width, they are then at the same scale)."""
    frames = first.keyframes_size is not None and first.keyframes_size == second.keyframes_size
    videos = first.video_size is not None and first.video_size == second.video_size
    return frames, videos
