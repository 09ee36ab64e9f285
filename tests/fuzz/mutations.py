"""Generated bad input for the assessment and session-log readers (shared by the fuzz tests
and the fuzz run ``tests/fuzz/fuzz_readers.py``).

Each generator takes a :class:`random.Random`, so the same seed gives the same input:
a hypothesis test draws the generator from ``st.randoms()``, the fuzz run from a
fixed seed. Inputs start from the real example files and are broken the ways the
issue's fuzzing broke them: values of every wrong type and size, markup characters,
dates written as numbers, YAML 1.1 spellings, explicit tags with bad values, anchors,
duplicated keys and columns, deep nesting, many keys, huge numbers and cells,
CR-only line endings, truncation and stray bytes.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from hipfirst.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "runner-anterior-knee-pain.yaml"

WEIRD: list[object] = [
    None,
    True,
    False,
    0,
    -1,
    -0.0,
    1798761600,
    1e308,
    -1e308,
    0.1,
    10**25,
    "",
    " ",
    "[/]",
    "[bold]right",
    "[red]x[/]",
    "x" * 5000,
    "NaN",
    "inf",
    "2026-13-45",
    "2026-02-30",
    "1:30",
    "030",
    "yes",
    "0x1F",
    "é\u202e",
    "\x00",
    [],
    {},
    [[]],
    {"a": {"b": {}}},
    [1, 2, 3],
    "female",
    "right",
    "anterior",
    12,
    12.5,
    "12",
    "2026-11-20",
]
TEXT_PIECES = [
    "!!int abc",
    "!!bool maybe",
    "!!timestamp 2026-13-45",
    "!!float x",
    "!!binary aGk=",
    "&a [1]",
    "*a",
    "9" * 400,
    "9" * 5000,
    "1e999",
    ".inf",
    ".nan",
    "NaN",
    "Infinity",
    "[" * 60,
    "{" * 60,
    "[" * 1000 + "]" * 1000,
    '{"k": ' * 1000 + "1" + "}" * 1000,
    "? [1]",
    "'",
    '"',
    "#",
    "\t",
    "---",
    "...",
    "|",
    ">",
    "%YAML 1.1",
    "\ufeff",
    "\x85",
    "[/]",
    "1:30",
    "030",
]


def _paths(node: Any, most_depth: int = 12) -> list[tuple[Any, ...]]:
    """Every place in ``node`` (walked without recursion, at most ``most_depth`` deep)."""
    found: list[tuple[Any, ...]] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(node, ())]
    while stack:
        value, prefix = stack.pop()
        found.append(prefix)
        if len(prefix) >= most_depth:
            continue
        if isinstance(value, dict):
            stack.extend((child, (*prefix, key)) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((child, (*prefix, index)) for index, child in enumerate(value))
    return found


def _set(document: Any, path: tuple[Any, ...], value: object) -> Any:
    if not path:
        return value
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return document


def _nested(rng: random.Random) -> object:
    depth = rng.choice([5, 20, 40])  # deeper nesting is made as text (TEXT_PIECES)
    value: object = 1
    for _ in range(depth):
        value = [value] if rng.random() < 0.5 else {"k": value}
    return value


def mutate_document(document: Any, rng: random.Random, steps: int) -> Any:
    """``document`` with ``steps`` random changes (values replaced, keys removed or added)."""
    document = copy.deepcopy(document)
    for _ in range(steps):
        path = rng.choice(_paths(document))
        choice = rng.random()
        if choice < 0.55:
            value: object = copy.deepcopy(rng.choice(WEIRD))
        elif choice < 0.65:
            value = _nested(rng)
        elif choice < 0.75:
            value = {f"unknown_{i}": i for i in range(rng.choice([1, 10, 2000]))}
        elif choice < 0.85 and path and isinstance(document, dict):
            parent = document
            for part in path[:-1]:
                parent = parent[part]
            if isinstance(parent, dict):
                parent.pop(path[-1], None)
            continue
        else:
            value = [copy.deepcopy(rng.choice(WEIRD)) for _ in range(rng.choice([0, 3, 300]))]
        document = _set(document, path, value)
    return document


def _dump(document: Any, rng: random.Random, as_json: bool) -> str:
    if as_json:
        return json.dumps(document, default=str)
    return yaml.safe_dump(document, allow_unicode=True, default_flow_style=rng.random() < 0.3)


def break_text(text: str, rng: random.Random, steps: int) -> str:
    """Text-level damage: duplicated lines, pieces inserted, truncation, line endings."""
    lines = text.split("\n")
    for _ in range(steps):
        choice = rng.random()
        index = rng.randrange(len(lines)) if lines else 0
        if choice < 0.3 and lines:
            lines.insert(index, lines[index])  # a duplicated key (or row)
        elif choice < 0.7 and lines:
            line = lines[index]
            cut = rng.randrange(len(line) + 1)
            lines[index] = line[:cut] + rng.choice(TEXT_PIECES) + line[cut:]
        elif choice < 0.8 and lines:
            del lines[index]
        elif choice < 0.9:
            lines = lines[: rng.randrange(len(lines) + 1)]
        else:
            lines.insert(index, rng.choice(TEXT_PIECES))
    joined = "\n".join(lines)
    if rng.random() < 0.05:
        joined = joined.replace("\n", "\r")
    return joined


def example_assessment() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    document["date"] = document["date"].isoformat()
    return document


def assessment_text(rng: random.Random) -> tuple[str, str]:
    """(file suffix, text) of a broken assessment file."""
    as_json = rng.random() < 0.3
    document = mutate_document(example_assessment(), rng, rng.choice([0, 1, 1, 2, 3, 6]))
    text = _dump(document, rng, as_json)
    if rng.random() < 0.6:
        text = break_text(text, rng, rng.choice([1, 2, 4]))
    return (".json" if as_json else ".yaml"), text


LOG_HEADER = ["date", "exercise_id", "sets", "reps", "load", "pain_during", "pain_next_morning"]
LOG_HEADER += ["form_ok", "effort", "notes"]
LOG_ROW = ["2026-11-21", "clamshell", "2", "15", "light band", "2", "1", "yes", "5", "ok"]


def _cell(rng: random.Random) -> str:
    value = rng.choice(WEIRD)
    return value if isinstance(value, str) else json.dumps(value)


def log_text(rng: random.Random) -> tuple[str, str]:
    """(file suffix, text) of a broken session log (CSV or JSON)."""
    rows = [list(LOG_ROW) for _ in range(rng.choice([1, 3, 30, 2000]))]
    for _ in range(rng.choice([0, 1, 3, 10])):
        row = rng.choice(rows)
        row[rng.randrange(len(row))] = _cell(rng)
    header = list(LOG_HEADER)
    if rng.random() < 0.15:
        header.insert(rng.randrange(len(header)), rng.choice(LOG_HEADER))  # duplicated column
    if rng.random() < 0.1:
        header.append("x" * rng.choice([10, 200_000]))
    if rng.random() < 0.3:
        entries = [dict(zip(header, row, strict=False)) for row in rows]
        if rng.random() < 0.5:
            entries = mutate_document(entries, rng, rng.choice([1, 3]))
        text = json.dumps({"version": 1, "entries": entries} if rng.random() < 0.5 else entries)
        suffix = ".json"
    else:
        text = "\n".join(",".join(row) for row in [header, *rows]) + "\n"
        suffix = ".csv"
    if rng.random() < 0.4:
        text = break_text(text, rng, rng.choice([1, 3]))
    if rng.random() < 0.05:
        text = text + '"' + "y" * 200_000  # a cell over the CSV limit
    return suffix, text


MAX_MESSAGE_CHARS = 20_000
"""A refusal printed to a terminal stays readable: never megabytes."""


def outcome(call: Callable[[], object]) -> str:
    """``accepted`` or ``refused`` (an InputError with a bounded message); raises otherwise."""
    try:
        call()
    except InputError as error:
        message = str(error)
        if len(message) > MAX_MESSAGE_CHARS:
            raise AssertionError(f"a message of {len(message):,} characters") from None
        return "refused"
    return "accepted"
