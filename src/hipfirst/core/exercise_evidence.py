"""The EMG evidence behind an exercise, as reasons a plan or an exercise card shows.

Activation is in % of MVIC (maximal voluntary isometric contraction), mean ± SD
as published; the gluteal-to-TFL index is Selkowitz 2013's (higher: more gluteal).
Each number carries its evidence status and source. Pure: no I/O.
"""

from __future__ import annotations

from hipfirst.core.plan import Reason
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Exercise


def _source_label(kb: KnowledgeBase, reference_id: str) -> str:
    reference = kb.references.get(reference_id)
    return reference.short() if reference is not None else reference_id


def activation_reasons(exercise: Exercise, kb: KnowledgeBase) -> list[Reason]:
    """EMG evidence for an exercise, each number with its status and source."""
    reasons: list[Reason] = []
    for row in exercise.activation:
        spread = f" ± {row.sd:g}" if row.sd is not None else ""
        muscle = row.muscle.replace("_", " ")
        reasons.append(
            Reason(
                text=(
                    f"{muscle} activity {row.pct_mvic:g}{spread} %MVIC "
                    f"({row.status}; {_source_label(kb, row.source)})"
                ),
                sources=[row.source],
            )
        )
    if exercise.gluteal_tfl_index is not None:
        index = exercise.gluteal_tfl_index
        reasons.append(
            Reason(
                text=(
                    f"gluteal-to-TFL activation index {index.value:g} "
                    f"({index.status}; {_source_label(kb, index.source)})"
                ),
                sources=[index.source],
            )
        )
    return reasons


def peak_activation(exercise: Exercise) -> float:
    """The highest published activation (% MVIC) of any muscle; 0 without published data."""
    published = [row.pct_mvic for row in exercise.activation if row.status == "published"]
    return max(published, default=0.0)
