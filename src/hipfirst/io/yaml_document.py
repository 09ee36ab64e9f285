"""Strict YAML: the YAML 1.2 core schema, no duplicate keys, no aliases, bounded depth.

The rules are those of :mod:`hipfirst.io.documents` (read its docstring); this
module is the YAML half: a :class:`yaml.SafeLoader` subclass whose implicit types
are the YAML 1.2 core schema's (``true``/``false``, decimal/``0o``/``0x`` integers,
floats, null; no ``yes``, sexagesimal, old octal or implicit dates), whose explicit
tags are limited to those types plus ``!!timestamp`` and refuse values that do not
fit them, and which refuses duplicate keys, anchors/aliases, nesting past
:data:`~hipfirst.io.documents.MAX_DEPTH` and mappings past
:data:`~hipfirst.io.documents.MAX_KEYS`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any, NoReturn

import yaml
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode

from hipfirst.errors import FileFormatError
from hipfirst.io.documents import (
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_KEYS,
    check_shape,
    duplicate_key,
    not_finite,
    shorten,
    too_deep,
    too_long,
)

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
        _fail(loader, node, too_long(text))
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
        _fail(loader, node, too_long(text))
    value = math.inf if "inf" in text.lower() or "nan" in text.lower() else float(text)
    if not math.isfinite(value):
        _fail(loader, node, not_finite(text))
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
        raise duplicate_key(path, error.key, error.first, error.second) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "syntax error"
        raise FileFormatError(f"{path}: not valid YAML{where}: {problem}") from None
    except RecursionError:
        raise too_deep(path) from None
    check_shape(path, document)
    return document
