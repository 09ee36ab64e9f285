"""Read an assessment file (YAML or JSON) and the video summaries it names.

Guards the edge so the core only sees valid data: size is checked before the
file is read whole (5 MB at most), empty and malformed files get a clear
message with line and column, and every field problem is reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hipfirst.core.assessment import Assessment, parse_assessment
from hipfirst.core.video_metrics import VideoMetrics
from hipfirst.errors import FieldError, InputError, InputValidationError
from hipfirst.io.documents import decode_json
from hipfirst.io.text_file import MEGABYTE, read_text_file
from hipfirst.io.video_summary import read_video_summary
from hipfirst.io.yaml_document import decode_yaml

MAX_ASSESSMENT_BYTES = 5 * MEGABYTE
"""An assessment is a few kilobytes; anything above 5 MB is the wrong file."""


@dataclass(frozen=True)
class LoadedAssessment:
    """An assessment with the video summaries it references, already read."""

    assessment: Assessment
    video: list[VideoMetrics] = field(default_factory=list)


def load_assessment_file(path: Path) -> LoadedAssessment:
    """Read, decode and validate ``path``; raise an :class:`InputError` subclass if unusable."""
    document = read_document(path)
    assessment = parse_assessment(document, str(path))
    video: list[VideoMetrics] = []
    problems: list[FieldError] = []
    listed: dict[Path, int] = {}
    for index, relative in enumerate(assessment.exam.video_analyses):
        where = f"exam.video_analyses[{index}]"
        summary_path = (path.parent / relative).resolve()
        if summary_path in listed:  # the same evidence counted twice would double its findings
            problems.append(
                FieldError(
                    where,
                    f"the same summary as exam.video_analyses[{listed[summary_path]}]; "
                    "list each analysis once",
                    relative,
                )
            )
            continue
        listed[summary_path] = index
        if not summary_path.is_file():
            problems.append(FieldError(where, f"file not found: {summary_path}", relative))
            continue
        try:
            metrics = read_video_summary(summary_path, where)
            video.append(metrics.model_copy(update={"source": relative}))
        except InputValidationError as error:
            problems.extend(
                FieldError(f"{where} ({relative}): {item.location}", item.message, item.value)
                for item in error.errors
            )
        except InputError as error:
            problems.append(FieldError(where, str(error), relative))
    if problems:
        raise InputValidationError(str(path), problems)
    return LoadedAssessment(assessment, video)


def read_document(path: Path) -> object:
    """Decode a YAML or JSON file (chosen by extension, falling back on content)."""
    text = read_text_file(
        path,
        what="an assessment file",
        content="UTF-8 YAML or JSON",
        expected="a YAML or JSON assessment",
        max_bytes=MAX_ASSESSMENT_BYTES,
    )
    if path.suffix.lower() == ".json" or (
        path.suffix.lower() not in {".yaml", ".yml"} and text.lstrip().startswith("{")
    ):
        return decode_json(path, text)
    return decode_yaml(path, text)
