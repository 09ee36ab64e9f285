"""Strict decoding of the YAML and JSON documents users give hipfirst.

Every reader of a user's file (assessments, plans, session logs, video
summaries) decodes through here, so one set of rules holds for all of them,
and whatever a file holds ends in one :class:`~hipfirst.errors.FileFormatError`
with a clear message, never a traceback:

* **A key may appear once per mapping.** A later duplicate would silently win
  (``red_flags: {locking: true}`` then ``red_flags: {locking: false}``); it is
  refused, naming the key and the lines of both copies.
* **YAML is read with the YAML 1.2 core schema**: ``true``/``false`` only
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

import datetime as dt
import json
import json.decoder
import json.scanner
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import yaml
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode

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
        raise _RefusedError(_too_long(text), text)
    return int(text)


def _json_float(text: str) -> float:
    digits = len(re.sub(r"[^0-9]", "", text.split("e")[0].split("E")[0]))
    value = float(text)
    if digits > MAX_DIGITS or not math.isfinite(value):
        raise _RefusedError(_too_long(text) if digits > MAX_DIGITS else _not_finite(text), text)
    return value


def _json_constant(text: str) -> NoReturn:
    raise _RefusedError(_not_finite(text), text)


def _too_long(text: str) -> str:
    return f"number {shorten(text, 20)} has more than {MAX_DIGITS} digits"


def _not_finite(text: str) -> str:
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
        raise _too_deep(path) from None
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
        return _duplicate(path, found.key, found.first, found.second)
    except (ValueError, RecursionError):
        pass
    return _duplicate(path, key, None, None)


def _duplicate(path: Path, key: object, first: int | None, second: int | None) -> FileFormatError:
    where = f" at line {second} (first at line {first})" if first and second else ""
    return FileFormatError(
        f"{path}: duplicate key {shorten(str(key))!r}{where}; each key may appear only once "
        "in a mapping (which value did you mean?)"
    )


def _too_deep(path: Path) -> FileFormatError:
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
            raise _too_deep(path)
        stack.extend((child, depth + 1) for child in children)


# ---------------------------------------------------------------- YAML

_CORE_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_CORE_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False}
_CORE_BOOL["FALSE"] = False
_CORE_NULL = re.compile(r"~|null|Null|NULL|")
_TAG = "tag:yaml.org,2002:"


def event_mark(loader: yaml.SafeLoader) -> Any:
    """Where the parser is (the next event's start), for a message."""
    return loader.peek_event().start_mark  # type: ignore[no-untyped-call]


class StrictYamlLoader(yaml.SafeLoader):
    """A safe loader for the YAML 1.2 core schema that refuses duplicates, aliases and depth."""

    depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            raise ConstructorError(
                None, None, "anchors and aliases (&name, *name) are not allowed", event_mark(self)
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise ConstructorError(
                    None,
                    None,
                    f"nested more than {MAX_DEPTH} levels deep",
                    event_mark(self),
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        if len(node.value) > MAX_KEYS:
            raise ConstructorError(
                None,
                None,
                f"a mapping has {len(node.value):,} keys; at most {MAX_KEYS:,} are allowed",
                node.start_mark,
            )
        first_line: dict[Any, int] = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                ) from None
            line = key_node.start_mark.line + 1
            if key in first_line:
                raise _YamlDuplicateError(key, first_line[key], line)
            first_line[key] = line
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, KeyError, TypeError, OverflowError):
            shown = shorten(str(node.value)) if isinstance(node, ScalarNode) else "this value"
            tag = node.tag.replace(_TAG, "!!")
            raise ConstructorError(
                None, None, f"{shown!r} is not a valid {tag} value", node.start_mark
            ) from None


class _YamlDuplicateError(Exception):
    def __init__(self, key: object, first: int, second: int) -> None:
        self.key, self.first, self.second = key, first, second
        super().__init__(key)


def _fail(loader: StrictYamlLoader, node: Node, message: str) -> NoReturn:
    raise ConstructorError(None, None, message, node.start_mark)


def _construct_int(loader: StrictYamlLoader, node: ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if not _CORE_INT.fullmatch(text):
        _fail(loader, node, f"{shorten(text)!r} is not a whole number")
    if len(text.lstrip("+-")) > MAX_DIGITS:
        _fail(loader, node, _too_long(text))
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _construct_float(loader: StrictYamlLoader, node: ScalarNode) -> float:
    text = str(loader.construct_scalar(node))
    if not _CORE_FLOAT.fullmatch(text):
        _fail(loader, node, f"{shorten(text)!r} is not a number")
    if len(re.sub(r"[^0-9]", "", re.split("[eE]", text)[0])) > MAX_DIGITS:
        _fail(loader, node, _too_long(text))
    value = math.inf if "inf" in text.lower() or "nan" in text.lower() else float(text)
    if not math.isfinite(value):
        _fail(loader, node, _not_finite(text))
    return value


def _construct_bool(loader: StrictYamlLoader, node: ScalarNode) -> bool:
    text = str(loader.construct_scalar(node))
    if text not in _CORE_BOOL:
        _fail(loader, node, f"{shorten(text)!r} is not true or false")
    return _CORE_BOOL[text]


def _construct_null(loader: StrictYamlLoader, node: ScalarNode) -> None:
    text = str(loader.construct_scalar(node))
    if not _CORE_NULL.fullmatch(text):
        _fail(loader, node, f"{shorten(text)!r} is not null")


def _construct_timestamp(loader: StrictYamlLoader, node: ScalarNode) -> dt.date | dt.datetime:
    text = str(loader.construct_scalar(node))
    try:
        return dt.date.fromisoformat(text) if len(text) <= 10 else dt.datetime.fromisoformat(text)
    except ValueError:
        _fail(loader, node, f"{shorten(text)!r} is not a valid date (such as 2026-11-20)")


def _refuse_tag(loader: StrictYamlLoader, node: Node) -> NoReturn:
    tag = node.tag.replace(_TAG, "!!")
    _fail(
        loader,
        node,
        f"the tag {shorten(tag)} is not allowed (only plain values, lists and mappings)",
    )


def _whole(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """PyYAML's resolvers use ``match``: anchor the pattern at both ends."""
    return re.compile(f"^(?:{pattern.pattern})$")


StrictYamlLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _firsts in (
    ("int", _CORE_INT, list("-+0123456789")),  # before float: "12" is an int
    ("float", _CORE_FLOAT, list("-+0123456789.")),
    ("bool", re.compile("|".join(_CORE_BOOL)), list("tTfF")),
    ("null", _CORE_NULL, ["~", "n", "N", ""]),
):
    StrictYamlLoader.add_implicit_resolver(f"{_TAG}{_tag}", _whole(_pattern), _firsts)

StrictYamlLoader.yaml_constructors = dict(StrictYamlLoader.yaml_constructors)
StrictYamlLoader.yaml_multi_constructors = {}
for _tag, _constructor in (
    ("int", _construct_int),
    ("float", _construct_float),
    ("bool", _construct_bool),
    ("null", _construct_null),
    ("timestamp", _construct_timestamp),
):
    StrictYamlLoader.add_constructor(f"{_TAG}{_tag}", _constructor)
for _tag in ("binary", "set", "omap", "pairs", "merge", "value", "yaml"):
    StrictYamlLoader.add_constructor(f"{_TAG}{_tag}", _refuse_tag)
StrictYamlLoader.add_constructor(None, _refuse_tag)


def decode_yaml(path: Path, text: str) -> Any:
    """Parse YAML ``text`` read from ``path`` strictly (see the module docstring)."""
    try:
        document = yaml.load(text, Loader=StrictYamlLoader)  # safe: a SafeLoader subclass
    except _YamlDuplicateError as error:
        raise _duplicate(path, error.key, error.first, error.second) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "syntax error"
        raise FileFormatError(f"{path}: not valid YAML{where}: {problem}") from None
    except RecursionError:
        raise _too_deep(path) from None
    check_shape(path, document)
    return document
