"""Engine words as people read them: plain names for ids, sources as "Author Year" links.

The engine's texts are written for the command line and carry knowledge-base ids
("found from: hip_abduction_lsi_low, single_leg_squat_pelvis_poor_right", "(published,
seed_003)"). A page passes every such text through :meth:`Glossary.plain`, which
replaces each id it knows by its name (findings by their label in the patient's
reports, exercises, contributors, knowledge-base measures, evidence statuses) and each
reference id by a link to the full reference on ``/references`` (``Gokeler 2017``).
Unknown words stay as they are. The result is escaped HTML (:class:`Markup`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Reference

ID_TOKEN = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
"""A knowledge-base style id: lower case words joined by underscores."""
STATUS_WORDS = {
    "web_article": "web article",
    "expert_opinion": "expert opinion",
    "not_measured": "unknown (not measured)",
    "not_met": "not met",
    "no_meaningful_change": "no meaningful change",
    "not_comparable": "not comparable",
}
UNKNOWN_AUTHORS = ("authors not captured", "unknown")
REFERENCES_PAGE = "/references"
_INITIALS = re.compile(r"^[A-Z]{1,3}$")
_BRACKETS = re.compile(r"\s*\([^)]*\)")


def reference_label(reference: Reference) -> str:
    """``Gokeler 2017``, ``Van Cant 2014``, ``Am Fam Physician 2012`` (no author captured),
    ``Royal Children's Hospital Melbourne n.d.``, or the title of an undated web article."""
    year = str(reference.year) if reference.year is not None else "n.d."
    authors = _BRACKETS.sub("", reference.authors).strip()
    if authors.lower().startswith(UNKNOWN_AUTHORS):
        if reference.kind == "web_article":
            return f"“{reference.title}”"
        journal = re.split(r"[\d(,:]", reference.journal)[0].strip()
        if len(journal) < 3 or "urn" in journal.lower():
            journal = " ".join(reference.title.split()[:4]) + "…"
        return f"{journal} {year}"
    first = authors.split(",")[0].strip()
    words = first.split()
    if len(words) > 1 and _INITIALS.match(words[-1]):
        name = " ".join(words[:-1])  # "Van Cant J" → "Van Cant"
    elif "," not in authors and len(words) > 2:
        name = first.removeprefix("The ")  # an organisation
    else:
        name = words[0] if words else reference.id
    return f"{name} {year}"


def _title(reference: Reference) -> str:
    """The tooltip of a source link: title, journal, year, and the authors when known."""
    year = f", {reference.year}" if reference.year is not None else ""
    authors = _BRACKETS.sub("", reference.authors).strip()
    known = "" if authors.lower().startswith(UNKNOWN_AUTHORS) else f"{authors}: "
    return f"{known}{reference.title} ({reference.journal}{year})"


def reference_anchor(reference_id: str) -> str:
    return f"ref-{reference_id}"


@dataclass(frozen=True)
class Glossary:
    """What ids mean on a page: names (plain words) and references (linked)."""

    kb: KnowledgeBase
    names: Mapping[str, str] = field(default_factory=dict)

    def link(self, reference_id: str) -> Markup:
        """``<a href="/references#ref-…">Gokeler 2017</a>`` (an unknown id as plain text)."""
        reference = self.kb.references.get(reference_id)
        if reference is None:
            return escape(reference_id)
        return Markup('<a class="source" href="{}#{}" title="{}">{}</a>').format(
            REFERENCES_PAGE,
            reference_anchor(reference_id),
            _title(reference),
            reference_label(reference),
        )

    def cite(self, ids: Iterable[str]) -> Markup:
        """Several sources as linked labels, comma-separated."""
        return Markup(", ").join(self.link(reference_id) for reference_id in ids)

    def word(self, token: str) -> Markup:
        if token in self.kb.references:
            return self.link(token)
        if token in self.names:
            return escape(self.names[token])
        return escape(token)

    def plain(self, text: object) -> Markup:
        """``text`` with every known id replaced (see the module docstring), escaped."""
        if text is None:
            return Markup("")
        raw = str(text)
        pieces: list[Markup] = []
        last = 0
        for found in ID_TOKEN.finditer(raw):
            pieces.append(escape(raw[last : found.start()]))
            pieces.append(self.word(found.group(0)))
            last = found.end()
        pieces.append(escape(raw[last:]))
        return Markup("").join(pieces)

    def with_findings(self, reports: Iterable[Mapping[str, Any]]) -> Glossary:
        """This glossary plus the finding labels of engine reports (``report_json``)."""
        names = dict(self.names)
        for report in reports:
            for finding in report.get("findings") or []:
                if isinstance(finding, dict) and finding.get("id") and finding.get("label"):
                    names[str(finding["id"])] = str(finding["label"]).lower()
        return Glossary(self.kb, names)


def base_names(kb: KnowledgeBase) -> dict[str, str]:
    """Names of the ids every page may meet: exercises, contributors, measures, statuses."""
    names: dict[str, str] = {}
    names.update({measure_id: m.name.lower() for measure_id, m in kb.measures.items()})
    names.update({c_id: c.name.lower() for c_id, c in kb.contributors.items()})
    names.update({e_id: e.name for e_id, e in kb.exercises.items()})
    names.update(STATUS_WORDS)
    return names


_BUILT: dict[int, Glossary] = {}


def glossary_for(kb: KnowledgeBase) -> Glossary:
    """The glossary of the knowledge base alone (built once per knowledge base; the
    glossary keeps its knowledge base alive, so the id is never reused)."""
    found = _BUILT.get(id(kb))
    if found is None or found.kb is not kb:
        found = _BUILT[id(kb)] = Glossary(kb, base_names(kb))
    return found
