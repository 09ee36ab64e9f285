"""Use case: assess an assessment file (``hipfirst assess FILE``).

Reads the file and the video summaries it names (:mod:`hipfirst.io.assessment_file`),
loads the knowledge base, and runs the assessment engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hipfirst.core.assessment import Assessment
from hipfirst.core.reasoning import assess
from hipfirst.core.report import AssessmentReport
from hipfirst.io.assessment_file import load_assessment_file
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.loader import knowledge_base


@dataclass(frozen=True)
class AssessedFile:
    """An assessment file, its report, and the knowledge base the report cites."""

    assessment: Assessment
    report: AssessmentReport
    kb: KnowledgeBase


def assess_with(path: Path, kb: KnowledgeBase) -> AssessedFile:
    """Read and validate ``path`` (an input error if unusable), then assess it with ``kb``."""
    loaded = load_assessment_file(path)
    return AssessedFile(loaded.assessment, assess(loaded.assessment, kb, loaded.video), kb)


def assess_file(path: Path) -> AssessedFile:
    """Screening, measures, findings and contributors for one assessment file
    (the file is read before the knowledge base is loaded)."""
    loaded = load_assessment_file(path)
    kb = knowledge_base()
    return AssessedFile(loaded.assessment, assess(loaded.assessment, kb, loaded.video), kb)
