"""Strict decoding of the YAML and JSON documents users give hipfirst.

Every reader of a user's file (assessments, plans, session logs, video
summaries) decodes through here, so one set of rules holds for all of them,
and whatever a file holds ends in one :class:`~hipfirst.errors.FileFormatError`
with a clear message, never a traceback:

* **A key may appear once per mapping.** A later duplicate would silently win
  (``red_flags: {locking: true}`` then ``red_flags: {locking: false}``); it is
  refused, naming the key and the lines of both copies.
* **YAML is read with the YAML 1.2 core schema** (:mod:`hipfirst.io.yaml_document`):
  ``true``/``false`` only
  (not ``yes``/``on``), decimal, ``0o`` and ``0x`` integers (``030`` is 30,
  not octal 24), no sexagesimal numbers (``1:30`` stays text), no implicit
  dates (a date stays text so the field's own rule judges it). Explicit tags
  are limited to the JSON types (plus ``!!timestamp``) and a value that does
  not fit its tag (``!!int abc``, ``!!bool maybe``, ``!!timestamp 2026-13-45``)
  is refused at its line. Anchors and aliases are refused: a document that
  reuses one node many times can take exponential work to walk.
* **Numbers must be finite and of sane size**: at most :data:`MAX_DIGITS`
  digits (a 400-digit integer cannot be converted to a float, a 4,300-digit one
  not even parsed), ``NaN``/``Infinity``/``.inf`` and ``1e999`` are refused.
* **Shape is bounded**: at most :data:`MAX_DEPTH` levels of nesting and
  :data:`MAX_KEYS` keys in one mapping, so a file under the size limit cannot
  make validation take minutes or crash on recursion.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from hipfirst.errors import FileFormatError

MAX_DEPTH = 32
"""Levels of nesting allowed; an assessment needs five, a log three."""
MAX_KEYS = 1000
"""Keys allowed in one mapping; the largest section of an assessment has about twenty."""
MAX_DIGITS = 30
"""Digits allowed in one number; more is never a measurement (and floats overflow at 309)."""
SHOWN_CHARS = 60
"""An echoed value is cut to this many characters."""


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` cut to ``limit`` characters with its full length said (for echoed values)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


# ---------------------------------------------------------------- JSON


class _RefusedError(Exception):
    """A JSON value refused by one of the parse hooks (caught and reported below)."""

    def __init__(self, message: str, literal: str) -> None:
        self.message = message
        self.literal = literal
        super().__init__(message)


class _DuplicateKeyError(Exception):
    def __init__(self, key: str, first: int | None = None, second: int | None = None) -> None:
        self.key, self.first, self.second = key, first, second
        super().__init__(key)


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _RefusedError(too_long(text), text)
    return int(text)


def _json_float(text: str) -> float:
    digits = len(re.sub(r"[^0-9]", "", text.split("e")[0].split("E")[0]))
    value = float(text)
    if digits > MAX_DIGITS or not math.isfinite(value):
        raise _RefusedError(too_long(text) if digits > MAX_DIGITS else not_finite(text), text)
    return value


def _json_constant(text: str) -> NoReturn:
    raise _RefusedError(not_finite(text), text)


def too_long(text: str) -> str:
    return f"number {shorten(text, 20)} has more than {MAX_DIGITS} digits"


def not_finite(text: str) -> str:
    return f"{shorten(text, 20)} is not a finite number (NaN and infinity are not allowed)"


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return result


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def decode_json(path: Path, text: str) -> Any:
    """Parse JSON ``text`` read from ``path`` strictly (see the module docstring)."""
    try:
        document = json.loads(
            text,
            object_pairs_hook=_unique_pairs,
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=_json_constant,
        )
    except json.JSONDecodeError as error:
        raise FileFormatError(
            f"{path}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except _RefusedError as error:
        where = text.find(error.literal)
        at = f" at line {_line(text, where)}" if where >= 0 else ""
        raise FileFormatError(f"{path}: {error.message}{at}") from None
    except _DuplicateKeyError as error:
        raise _duplicate_json_key(path, text, error.key) from None
    except RecursionError:
        raise too_deep(path) from None
    check_shape(path, document)
    return document


def _duplicate_json_key(path: Path, text: str, key: str) -> FileFormatError:
    """Decode again, slowly, recording where each value starts, to name both lines."""
    decoder = json.JSONDecoder()

    def parse_object(
        s_and_end: tuple[str, int],
        strict: bool,
        scan_once: Callable[[str, int], tuple[Any, int]],
        object_hook: object,
        object_pairs_hook: object,
        memo: dict[str, str] | None = None,
    ) -> tuple[Any, int]:
        starts: list[int] = []

        def recording_scan(s: str, index: int) -> tuple[Any, int]:
            starts.append(index)
            return scan_once(s, index)

        def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
            seen: dict[str, int] = {}
            for (name, _value), start in zip(pairs, starts, strict=True):
                colon = text.rfind(":", 0, start)
                if name in seen:
                    raise _DuplicateKeyError(name, seen[name], _line(text, colon))
                seen[name] = _line(text, colon)
            return dict(pairs)

        parse: Callable[..., tuple[Any, int]] = json.decoder.JSONObject  # type: ignore[attr-defined]
        return parse(s_and_end, strict, recording_scan, object_hook, unique, memo)

    decoder.parse_object = parse_object  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        decoder.decode(text)
    except _DuplicateKeyError as found:
        return duplicate_key(path, found.key, found.first, found.second)
    except (ValueError, RecursionError):
        pass
    return duplicate_key(path, key, None, None)


def duplicate_key(
    path: Path, key: object, first: int | None, second: int | None
) -> FileFormatError:
    where = f" at line {second} (first at line {first})" if first and second else ""
    return FileFormatError(
        f"{path}: duplicate key {shorten(str(key))!r}{where}; each key may appear only once "
        "in a mapping (which value did you mean?)"
    )


def too_deep(path: Path) -> FileFormatError:
    return FileFormatError(
        f"{path}: nested more than {MAX_DEPTH} levels deep (is this the right file?)"
    )


def check_shape(path: Path, document: object) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` and mappings with over :data:`MAX_KEYS` keys.

    Walks the decoded document without recursion, so the check itself cannot overflow.
    """
    stack: list[tuple[object, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: list[Any] = list(node.values())
            if len(node) > MAX_KEYS:
                raise FileFormatError(
                    f"{path}: a mapping has {len(node):,} keys; at most {MAX_KEYS:,} are "
                    "allowed (is this the right file?)"
                )
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > MAX_DEPTH:
            raise too_deep(path)
        stack.extend((child, depth + 1) for child in children)
