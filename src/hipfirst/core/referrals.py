"""Referral reasons, each with its urgency from the knowledge base, most urgent first.

Three sources, each saying which data raised it:

* a red-flag box ticked in the assessment (``symptoms.red_flags``);
* a red flag raised from the data although its box was not ticked (an AKPS answer the
  knowledge base lists under the flag, e.g. "pain constant and severe");
* a condition the data fit that stops the programme (slipped capital femoral epiphysis,
  Perthes disease), from :mod:`hipfirst.core.differentials`.

Every reason reads urgency first, in plain words: "Emergency, today: …", "Urgent,
within days: …", "Routine, at your next appointment: …". Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from hipfirst.core.assessment import Assessment
from hipfirst.core.report import Differential, ReferralReason, Screening
from hipfirst.errors import KnowledgeBaseError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import URGENCIES, Urgency

URGENCY_WORDS: dict[Urgency, str] = {
    "emergency": "Emergency, today",
    "urgent": "Urgent, within days",
    "routine": "Routine, at your next appointment",
}
"""How each urgency reads at the start of a reason (plain words)."""

URGENCY_ADVICE: dict[Urgency, str] = {
    "emergency": "Go to an emergency department today.",
    "urgent": "See a doctor within the next few days.",
    "routine": "Book an ordinary appointment with your doctor or physiotherapist.",
}
"""What to do first for the most urgent reason."""

NO_RED_FLAGS = "no red flags reported"
TICKED = "ticked in the assessment"


def urgency_rank(urgency: Urgency) -> int:
    """0 for the most urgent (emergency)."""
    return URGENCIES.index(urgency)


def _text(urgency: Urgency, reason: str, action: str) -> str:
    return f"{URGENCY_WORDS[urgency]}: {reason}; {action}"


def screen_referrals(
    assessment: Assessment, differentials: Sequence[Differential], kb: KnowledgeBase
) -> Screening:
    """Any red flag (ticked or raised by the data) or referring condition means refer."""
    ticked = assessment.symptoms.red_flags.model_dump()
    akps = assessment.questionnaires.akps or []
    found: list[ReferralReason] = []
    for flag in kb.red_flags.values():
        raised_by: list[str] = []
        if ticked.get(flag.id):
            raised_by.append(TICKED)
        for answer in flag.from_akps:
            index = answer.item - 1
            if len(akps) > index and akps[index] in answer.points:
                raised_by.append(f"AKPS item {answer.item}: {answer.words}")
        if raised_by:
            data = [line for line in raised_by if line != TICKED]
            reason = flag.reason + (f" (raised by {'; '.join(data)})" if data else "")
            found.append(
                ReferralReason(
                    id=flag.id,
                    kind="red_flag",
                    name=flag.name,
                    urgency=flag.urgency,
                    text=_text(flag.urgency, reason, flag.action),
                    raised_by=raised_by,
                    status=str(flag.status),
                    sources=list(flag.sources),
                )
            )
    for item in differentials:
        if item.refer and item.urgency is not None:
            found.append(
                ReferralReason(
                    id=item.id,
                    kind="condition",
                    name=item.name,
                    urgency=item.urgency,
                    text=_text(
                        item.urgency,
                        f"the data fit {item.name} ({'; '.join(item.why)})",
                        item.advice,
                    ),
                    raised_by=list(item.why),
                    status=item.status,
                    sources=list(item.sources),
                )
            )
    unknown = sorted(set(ticked) - set(kb.red_flags))
    if unknown:  # a format field without a knowledge-base record is a bug in hipfirst
        raise KnowledgeBaseError(f"red flags without a knowledge-base record: {unknown}")
    if not found:
        return Screening(refer=False, reasons=[NO_RED_FLAGS])
    found.sort(key=lambda reason: urgency_rank(reason.urgency))
    return Screening(
        refer=True,
        reasons=[reason.text for reason in found],
        urgency=found[0].urgency,
        referrals=found,
    )
