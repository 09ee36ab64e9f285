"""Load and validate the knowledge base shipped in ``knowledge/data``.

Each kind of record has a folder (``data/references/``, ``data/measures/``,
``data/exercises/``, ``data/contributors/``) of YAML files, merged on load; an
id defined twice anywhere is an error.

A broken file fails loudly with the file name and the dotted field path, so a
clinician editing a threshold sees exactly what to fix. Loading happens once
per process (``knowledge_base()`` caches); the files are part of the package.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from hipfirst.errors import KnowledgeBaseError
from hipfirst.knowledge.base import KnowledgeBase, clinical_rule_problems
from hipfirst.knowledge.illustration_schema import Illustration, check_illustrations
from hipfirst.knowledge.rules_schema import Condition, Goal, Guidance, LoadFactor, RedFlag
from hipfirst.knowledge.schema import Contributor, Exercise, Measure, Phase, Reference

# libyaml's safe loader when PyYAML was built with it (~7x faster here, same documents)
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SUPPORTED_VERSION = 1
_Record = TypeVar("_Record", bound=BaseModel)


def parse_records(file_name: str, text: str, key: str, model: type[_Record]) -> dict[str, _Record]:
    """Parse one data file's text into records keyed by id, or raise with file and field."""
    try:
        document: Any = yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as error:
        raise KnowledgeBaseError(f"{file_name}: not valid YAML: {error}") from None
    if not isinstance(document, dict):
        raise KnowledgeBaseError(f"{file_name}: expected a mapping with 'version' and '{key}'")
    version = document.get("version")
    if version != SUPPORTED_VERSION:
        raise KnowledgeBaseError(
            f"{file_name}: version must be {SUPPORTED_VERSION}, got {version!r}"
        )
    unknown = set(document) - {"version", key}
    if unknown:
        raise KnowledgeBaseError(f"{file_name}: unknown top-level keys {sorted(unknown)}")
    raw_records = document.get(key)
    if not isinstance(raw_records, list) or not raw_records:
        raise KnowledgeBaseError(f"{file_name}: '{key}' must be a non-empty list")
    records: dict[str, _Record] = {}
    problems: list[str] = []
    for index, raw in enumerate(raw_records):
        where = f"{key}[{index}]"
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            where = f"{key}[{index}] ({raw['id']})"
        try:
            record = model.model_validate(raw)
        except ValidationError as error:
            for detail in error.errors():
                path = ".".join(str(part) for part in detail["loc"])
                field = f"{where}.{path}" if path else where
                problems.append(f"{field}: {detail['msg']} (got {detail.get('input')!r})")
            continue
        record_id = getattr(record, "id")  # noqa: B009 - every record model has an id
        if record_id in records:
            problems.append(f"{where}: duplicate id {record_id!r}")
        records[record_id] = record
    if problems:
        raise KnowledgeBaseError(f"{file_name}:\n  - " + "\n  - ".join(problems))
    return records


def check_cross_references(kb: KnowledgeBase) -> list[str]:
    """Every source, exercise and contributor id mentioned anywhere must exist."""
    problems: list[str] = []

    def need_reference(owner: str, reference_id: str) -> None:
        if reference_id not in kb.references:
            problems.append(f"{owner}: unknown reference {reference_id!r}")

    for measure in kb.measures.values():
        for source in measure.sources:
            need_reference(f"measure {measure.id}.sources", source)
    for contributor in kb.contributors.values():
        for source in contributor.sources:
            need_reference(f"contributor {contributor.id}.sources", source)
    for exercise in kb.exercises.values():
        owner = f"exercise {exercise.id}"
        for source in exercise.sources:
            need_reference(f"{owner}.sources", source)
        for activation in exercise.activation:
            need_reference(f"{owner}.activation", activation.source)
        if exercise.gluteal_tfl_index is not None:
            need_reference(f"{owner}.gluteal_tfl_index", exercise.gluteal_tfl_index.source)
        for field_name, linked in (("easier", exercise.easier), ("harder", exercise.harder)):
            for other in linked:
                if other not in kb.exercises:
                    problems.append(f"{owner}.{field_name}: unknown exercise {other!r}")
                elif other == exercise.id:
                    problems.append(f"{owner}.{field_name}: an exercise cannot point at itself")
        for contributor_id in exercise.addresses:
            if contributor_id not in kb.contributors:
                problems.append(f"{owner}.addresses: unknown contributor {contributor_id!r}")
    for phase in kb.phases.values():
        owner = f"phase {phase.id}"
        for source in phase.sources:
            need_reference(f"{owner}.sources", source)
        for criterion in phase.advance_when:
            for source in criterion.sources:
                need_reference(f"{owner}.advance_when.{criterion.id}.sources", source)
            for measure_id in criterion.measure_ids:
                if measure_id not in kb.measures:
                    problems.append(
                        f"{owner}.advance_when.{criterion.id}: unknown measure {measure_id!r}"
                    )
    numbers = sorted(phase.number for phase in kb.phases.values())
    if kb.phases and numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"phases must be numbered 1, 2, 3 … without gaps (got {numbers})")
    return problems


def _load_kind(kind: str, model: type[_Record]) -> dict[str, _Record]:
    folder = resources.files("hipfirst.knowledge").joinpath("data", kind)
    merged: dict[str, _Record] = {}
    files = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".yaml")),
        key=lambda entry: entry.name,
    )
    if not files:
        raise KnowledgeBaseError(f"knowledge/data/{kind}/ has no .yaml files")
    for entry in files:
        file_name = f"{kind}/{entry.name}"
        records = parse_records(file_name, entry.read_text("utf-8"), kind, model)
        clashes = sorted(set(records) & set(merged))
        if clashes:
            raise KnowledgeBaseError(f"{file_name}: ids already defined in another file: {clashes}")
        merged.update(records)
    return merged


@cache
def knowledge_base() -> KnowledgeBase:
    """The validated knowledge base shipped with hipfirst (loaded once)."""
    kb = KnowledgeBase(
        references=_load_kind("references", Reference),
        measures=_load_kind("measures", Measure),
        exercises=_load_kind("exercises", Exercise),
        contributors=_load_kind("contributors", Contributor),
        phases=_load_kind("phases", Phase),
        red_flags=_load_kind("red_flags", RedFlag),
        conditions=_load_kind("conditions", Condition),
        goals=_load_kind("goals", Goal),
        load_factors=_load_kind("load_factors", LoadFactor),
        guidance=_load_kind("guidance", Guidance),
        illustrations=_load_kind("illustrations", Illustration),
    )
    problems = (
        check_cross_references(kb)
        + clinical_rule_problems(kb)
        + check_illustrations(kb.exercises, kb.illustrations)
    )
    if problems:
        raise KnowledgeBaseError("knowledge base cross-references:\n  - " + "\n  - ".join(problems))
    return kb
