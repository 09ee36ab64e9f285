"""The references: every source of the knowledge base in full, at ``GET /references``.

Each source cited on a page (``Gokeler 2017``) links to its entry here
(``/references#ref-gokeler_2017``). The list is the library's, nothing of a patient,
so any signed-in account may read it and it is not audited.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from hipfirst.knowledge.loader import knowledge_base
from hipfirst.web.deps import CurrentUser
from hipfirst.web.plain_words import reference_anchor, reference_label
from hipfirst.web.templating import render

router = APIRouter(prefix="/references")

KIND_WORDS = {
    "journal": "journal article",
    "guideline": "clinical guideline",
    "preprint": "preprint (not peer reviewed)",
    "web_article": "web article",
}


@router.get("")
def references(request: Request, _user: CurrentUser) -> Response:
    kb = knowledge_base()
    entries = sorted(
        (
            {
                "reference": reference,
                "label": reference_label(reference),
                "anchor": reference_anchor(reference.id),
                "kind": KIND_WORDS.get(reference.kind, reference.kind),
            }
            for reference in kb.references.values()
        ),
        key=lambda entry: str(entry["label"]).strip("“”").casefold(),
    )
    return render(request, "references.html", {"entries": entries})
