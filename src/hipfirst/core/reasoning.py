"""From an assessment to a report: screen, compute, find, reason.

:func:`assess` is the public entry point of the clinical engine. It is pure:
the knowledge base and the already-read video summaries come in as arguments.
"""

from __future__ import annotations

from collections.abc import Sequence

from hipfirst.core.assessment import Assessment
from hipfirst.core.clues import find_clues
from hipfirst.core.data_checks import data_checks
from hipfirst.core.differentials import name_differentials
from hipfirst.core.findings import derive_findings
from hipfirst.core.linked_finding import LinkedFinding
from hipfirst.core.measures import compute_measures
from hipfirst.core.referrals import screen_referrals
from hipfirst.core.report import AssessmentReport, ContributorResult
from hipfirst.core.screening import check_pfp_criteria, screen_hip_origin
from hipfirst.core.video_metrics import VideoMetrics
from hipfirst.errors import KnowledgeBaseError
from hipfirst.knowledge.base import KnowledgeBase


def assess(
    assessment: Assessment, kb: KnowledgeBase, video: Sequence[VideoMetrics] = ()
) -> AssessmentReport:
    """Screen for red flags and hip origin, compute measures, judge them, name contributors.

    Red flags come from ticked boxes and from the data (age, hip rotation, the AKPS);
    a red flag or a referring differential sets ``screening.refer``; the measures and
    findings are still reported (they help the clinician who receives the referral).
    """
    clues = find_clues(assessment, kb)
    differentials = name_differentials(assessment, clues, kb)
    screening = screen_referrals(assessment, differentials, kb)
    table = compute_measures(assessment, video)
    linked = derive_findings(assessment, table, kb, video, clues)
    return AssessmentReport(
        screening=screening,
        hip_origin=screen_hip_origin(clues, differentials),
        pfp_criteria=check_pfp_criteria(assessment, screening.refer, differentials),
        involved_side=assessment.symptoms.side,
        measures=table.measures,
        findings=[item.finding for item in linked],
        contributors=link_contributors(linked, kb),
        missing=table.missing,
        differentials=differentials,
        contradictions=data_checks(assessment, table, kb),
    )


def link_contributors(
    linked: Sequence[LinkedFinding], kb: KnowledgeBase
) -> list[ContributorResult]:
    """Group findings by the contributor they support, in knowledge-base order."""
    evidence: dict[str, list[str]] = {}
    sides: dict[str, set[str]] = {}
    for item in linked:
        for contributor_id in item.contributors:
            evidence.setdefault(contributor_id, []).append(item.finding.id)
            side = item.finding.side
            bucket = sides.setdefault(contributor_id, set())
            if side in ("left", "right"):
                bucket.add(side)
            elif side == "both":
                bucket.update(("left", "right"))
    results: list[ContributorResult] = []
    for contributor_id in kb.contributors:
        if contributor_id not in evidence:
            continue
        contributor = kb.contributor(contributor_id)
        results.append(
            ContributorResult(
                id=contributor.id,
                name=contributor.name,
                sides=[side for side in ("left", "right") if side in sides[contributor_id]],
                evidence=evidence[contributor_id],
                patient_explanation=contributor.patient_explanation,
                clinician_explanation=contributor.clinician_explanation,
                sources=list(contributor.sources),
            )
        )
    unknown = sorted(set(evidence) - set(kb.contributors))
    if unknown:
        raise KnowledgeBaseError(f"findings point at unknown contributors: {unknown}")
    return results
