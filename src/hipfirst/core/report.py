"""What an assessment produces: the types of :class:`AssessmentReport` and its JSON.

Every number carries where it comes from: a computed measure names its
formula's status and sources (and the knowledge-base measure it is compared
with, if any); a finding names its threshold, status and sources; a
contributor lists the finding ids that support it. ``to_json`` is the
``hipfirst assess FILE --json`` contract of ``exam-format.md``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hipfirst.knowledge.vocabulary import Side, Urgency

ReportSide = Literal["left", "right", "both"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReferralReason(_Frozen):
    """One reason to refer: a red flag (ticked, or raised by the data) or a condition the
    data point to, with its urgency from the knowledge base and the data that raised it."""

    id: str
    kind: Literal["red_flag", "condition"]
    name: str
    urgency: Urgency
    text: str = Field(description="urgency first, then what it may mean and what to do")
    raised_by: list[str] = Field(min_length=1)
    status: str
    sources: list[str] = Field(min_length=1)


class Screening(_Frozen):
    """Red-flag screen: ``refer`` means no exercise programme is produced.

    ``reasons`` are the referral reasons as text, most urgent first; ``urgency`` is the
    most urgent of them (``None`` when there is nothing to refer for).
    """

    refer: bool
    reasons: list[str] = Field(default_factory=list)
    urgency: Urgency | None = None
    referrals: list[ReferralReason] = Field(default_factory=list)


class Differential(_Frozen):
    """A condition other than (or besides) PFP that the data point to (knowledge base).

    ``precaution_active``: the plan leaves out the loads the condition contraindicates,
    because a clinician has not cleared it yet (``exam.precautions_cleared``).
    """

    id: str
    name: str
    region: Literal["hip", "knee"]
    clues: list[str] = Field(min_length=1, description="the clue ids found in the data")
    why: list[str] = Field(min_length=1, description="the data that raised it")
    advice: str
    refer: bool
    urgency: Urgency | None = None
    precaution: str | None = None
    precaution_active: bool = False
    excludes_load_types: list[str] = Field(default_factory=list)
    excludes_exercises: list[str] = Field(default_factory=list)
    status: str
    sources: list[str] = Field(min_length=1)


class DataCheck(_Frozen):
    """A contradiction in the data for the clinician to check (nothing is decided on it)."""

    id: str
    message: str
    fields: list[str] = Field(min_length=1)


class HipOriginScreen(_Frozen):
    """Clues that the knee pain may come from the hip itself (examine the hip)."""

    suspected: bool
    reasons: list[str] = Field(default_factory=list)
    conditions_to_consider: list[str] = Field(default_factory=list)


PfpStatus = Literal["met", "not_met", "cannot_tell"]


class PfpCriteria(_Frozen):
    """Willy 2019 CPG diagnostic statement (B), checked against the file's data."""

    status: PfpStatus
    reasons: list[str] = Field(default_factory=list)


class ComputedMeasure(_Frozen):
    """One number computed from the assessment (or read from a video summary).

    ``measure_ref`` is the knowledge-base measure it is judged against (if any);
    ``status``/``sources`` describe how the number itself is obtained (formula).
    ``doubtful`` marks values shown but not used as evidence (e.g. invalid video).
    """

    id: str
    label: str
    value: float
    unit: str
    side: ReportSide | None = None
    measure_ref: str | None = None
    status: str = "derived"
    sources: list[str] = Field(default_factory=list)
    doubtful: bool = False
    note: str = ""


class Finding(_Frozen):
    """A value past a knowledge-base threshold (or a positive clinical sign)."""

    id: str
    label: str
    side: ReportSide | None
    value: float | str
    unit: str
    threshold: str
    measure_id: str | None
    status: str
    sources: list[str] = Field(min_length=1)
    explanation: str


class ContributorResult(_Frozen):
    """A kinetic-chain contributor the findings point to, explained two ways."""

    id: str
    name: str
    sides: list[Side] = Field(default_factory=list)
    evidence: list[str] = Field(min_length=1, description="finding ids")
    patient_explanation: str
    clinician_explanation: str
    sources: list[str] = Field(default_factory=list)


class AssessmentReport(_Frozen):
    """The whole result of :func:`hipfirst.core.reasoning.assess`."""

    screening: Screening
    hip_origin: HipOriginScreen
    pfp_criteria: PfpCriteria
    involved_side: ReportSide
    measures: dict[str, ComputedMeasure] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    contributors: list[ContributorResult] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    differentials: list[Differential] = Field(default_factory=list)
    contradictions: list[DataCheck] = Field(default_factory=list)

    @property
    def active_precautions(self) -> list[Differential]:
        """The differentials whose loads the plan must leave out (not cleared)."""
        return [item for item in self.differentials if item.precaution_active]

    def contributor_ids(self) -> list[str]:
        return [contributor.id for contributor in self.contributors]

    def finding(self, finding_id: str) -> Finding:
        for finding in self.findings:
            if finding.id == finding_id:
                return finding
        raise KeyError(finding_id)

    def to_json(self) -> dict[str, Any]:
        """The ``hipfirst assess --json`` object (plain JSON types only)."""
        return {
            "screening": {
                "refer": self.screening.refer,
                "reasons": list(self.screening.reasons),
                "urgency": self.screening.urgency,
                "referrals": [item.model_dump(mode="json") for item in self.screening.referrals],
            },
            "hip_origin_suspected": {
                "suspected": self.hip_origin.suspected,
                "reasons": list(self.hip_origin.reasons),
                "conditions_to_consider": list(self.hip_origin.conditions_to_consider),
            },
            "pfp_criteria": {
                "status": self.pfp_criteria.status,
                "reasons": list(self.pfp_criteria.reasons),
            },
            "involved_side": self.involved_side,
            "measures": {
                key: measure.model_dump(mode="json", exclude={"id"})
                for key, measure in self.measures.items()
            },
            "findings": [
                {
                    "id": finding.id,
                    "label": finding.label,
                    "side": finding.side,
                    "value": finding.value,
                    "unit": finding.unit,
                    "threshold": finding.threshold,
                    "measure_id": finding.measure_id,
                    "status": finding.status,
                    "source": ", ".join(finding.sources),
                    "sources": list(finding.sources),
                    "explanation": finding.explanation,
                }
                for finding in self.findings
            ],
            "contributors": [
                {
                    "id": contributor.id,
                    "name": contributor.name,
                    "sides": list(contributor.sides),
                    "evidence": list(contributor.evidence),
                    "explanation": contributor.patient_explanation,
                    "clinician_explanation": contributor.clinician_explanation,
                    "sources": list(contributor.sources),
                }
                for contributor in self.contributors
            ],
            "missing": list(self.missing),
            "differentials": [item.model_dump(mode="json") for item in self.differentials],
            "contradictions": [item.model_dump(mode="json") for item in self.contradictions],
        }
