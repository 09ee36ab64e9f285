"""Sources as people read them: ``Gokeler 2017, Welling 2018`` for knowledge-base reference ids."""

from __future__ import annotations

from collections.abc import Iterable

from hipfirst.knowledge.base import KnowledgeBase


def cite(kb: KnowledgeBase, ids: Iterable[str]) -> str:
    """``Gokeler 2017, Welling 2018`` for reference ids (unknown ids shown as they are).

    A reference without a year (the seed web articles) is named by its title, since
    its author is often unknown.
    """
    labels = []
    for reference_id in ids:
        reference = kb.references.get(reference_id)
        if reference is None:
            labels.append(reference_id)
        elif reference.year is None:
            labels.append(f"“{reference.title}” ({reference.journal})")
        else:
            labels.append(reference.short())
    return ", ".join(labels)
