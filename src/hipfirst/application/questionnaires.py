"""Use cases: a patient fills in AKPS, LEFS or KOOS-PF; everyone sees the scores and change.

A response is stored as the assessment format writes the questionnaire
(``{"akps": [5, 3, …]}``, one score per item, in item order), checked by the engine's own
model (:class:`hipfirst.core.assessment.Questionnaires`: allowed AKPS points, 0–4 items) and
scored by :mod:`hipfirst.core.scoring`. A patient's response must answer every item (an
incomplete one could not be scored). The history puts the patient's responses and the
questionnaires of the clinician's assessments on one line per date; each score after the
first is judged against the first by the minimal important change from the knowledge base
(:func:`hipfirst.core.reassessment.change_verdict`), so a change smaller than it never reads
as progress.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import ValidationError
from sqlalchemy.orm import Session

from hipfirst.core import scoring
from hipfirst.core.assessment import AKPS_ITEMS, LEFS_ITEM_COUNT, Questionnaires, akps_item_rule
from hipfirst.core.exam_sections import KOOS_PF_ITEM_COUNT
from hipfirst.core.reassessment import COMPARISONS, Verdict, change_verdict
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.storage.models import Patient, QuestionnaireResponse, User

Kind = Literal["akps", "lefs", "koos_pf"]


@dataclass(frozen=True)
class Questionnaire:
    kind: Kind
    name: str
    items: int
    scale: str
    """How the score reads, e.g. ``0–100, higher is better``."""


QUESTIONNAIRES: dict[str, Questionnaire] = {
    "akps": Questionnaire("akps", "Anterior Knee Pain Scale (AKPS)", len(AKPS_ITEMS), "0–100"),
    "lefs": Questionnaire(
        "lefs", "Lower Extremity Functional Scale (LEFS)", LEFS_ITEM_COUNT, "0–80"
    ),
    "koos_pf": Questionnaire(
        "koos_pf", "KOOS patellofemoral subscale (KOOS-PF)", KOOS_PF_ITEM_COUNT, "0–100"
    ),
}
"""The questionnaires a patient may complete; every one is scored higher = better."""
ANSWER = "item-{index}"
"""The form field of item ``index`` (0-based): the points of the answer chosen."""
UNANSWERED = "please choose an answer"


def score(kind: str, items: list[int]) -> float | None:
    """The engine's score of a complete questionnaire (None when incomplete)."""
    if kind == "akps":
        return scoring.akps_total(items)
    if kind == "lefs":
        return scoring.lefs_total(items)
    return scoring.koos_pf_score(items)


def record_response(
    db: Session,
    patient: Patient,
    user: User,
    kind: str,
    form: Mapping[str, str],
    today: dt.date,
) -> QuestionnaireResponse:
    """Store a complete response dated ``today``; raises :class:`InputValidationError` with
    one error per unanswered or impossible item (``item-3``), nothing stored."""
    questionnaire = QUESTIONNAIRES[kind]
    items: list[int] = []
    problems: list[FieldError] = []
    for index in range(questionnaire.items):
        name = ANSWER.format(index=index)
        text = form.get(name, "").strip()
        if not text.isdigit():
            problems.append(FieldError(name, UNANSWERED, text or None))
            continue
        items.append(int(text))
    if not problems:
        try:
            Questionnaires.model_validate({kind: items})
        except ValidationError as error:
            for problem in error.errors():
                position = next((p for p in problem["loc"] if isinstance(p, int)), None)
                wrong = (problem.get("ctx") or {}).get("wrong")
                if wrong:  # AKPS: points the item does not have, [(index, value)]
                    for bad, value in wrong:
                        problems.append(
                            FieldError(ANSWER.format(index=bad), akps_item_rule(bad), value)
                        )
                elif position is not None:
                    problems.append(
                        FieldError(ANSWER.format(index=position), "is not one of the answers")
                    )
    if problems:
        raise InputValidationError(questionnaire.name, problems)
    response = QuestionnaireResponse(
        patient=patient,
        kind=kind,
        completed_on=today,
        answers={kind: items},
        submitted_by_id=user.id,
    )
    db.add(response)
    db.commit()
    return response


@dataclass(frozen=True)
class ScoredLine:
    """One score in the history, with its change since the first score."""

    on: dt.date
    score: float
    source: Literal["patient", "assessment"]
    change: float | None
    verdict: Verdict | None


@dataclass(frozen=True)
class History:
    questionnaire: Questionnaire
    lines: list[ScoredLine]
    threshold: str
    """The minimal important change as shown: ``10 points (MCID)``."""
    threshold_status: str
    threshold_sources: list[str]


def history(patient: Patient, kb: KnowledgeBase) -> list[History]:
    """Per questionnaire: every score (patient responses and assessments) by date, oldest
    first, each later one with its change since the first against the MCID."""
    found: list[History] = []
    for kind, questionnaire in QUESTIONNAIRES.items():
        scores: list[tuple[dt.date, float, Literal["patient", "assessment"]]] = []
        for response in patient.questionnaire_responses:
            items = response.answers.get(kind) if response.kind == kind else None
            value = score(kind, items) if isinstance(items, list) else None
            if value is not None:
                scores.append((response.completed_on, value, "patient"))
        for assessment in patient.assessments:
            measure = (assessment.report_json or {}).get("measures", {}).get(kind)
            value = measure.get("value") if isinstance(measure, dict) else None
            if isinstance(value, int | float):
                scores.append((assessment.assessed_on, float(value), "assessment"))
        scores.sort(key=lambda line: (line[0], line[2]))
        _, _, reference_id, better = next(c for c in COMPARISONS if c[0] == kind)
        reference = kb.measure(reference_id)
        assert reference.value is not None  # an MCID always has a value
        lines: list[ScoredLine] = []
        for on, value, source in scores:
            if not lines:
                lines.append(ScoredLine(on, round(value, 2), source, None, None))
                continue
            change = round(value - lines[0].score, 2)
            verdict = change_verdict(change, reference.value, better)
            lines.append(ScoredLine(on, round(value, 2), source, change, verdict))
        found.append(
            History(
                questionnaire=questionnaire,
                lines=lines,
                threshold=f"{reference.value:g} {reference.unit} ({reference.kind.upper()})",
                threshold_status=str(reference.status),
                threshold_sources=list(reference.sources),
            )
        )
    return found
