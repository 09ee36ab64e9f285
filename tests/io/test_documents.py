"""Strict YAML and JSON decoding: duplicates, YAML 1.2 types, tags, numbers, depth, size."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipfirst.errors import FileFormatError
from hipfirst.io.documents import MAX_DEPTH, MAX_KEYS, decode_json
from hipfirst.io.yaml_document import decode_yaml

FILE = Path("a.yaml")


def yaml_error(text: str) -> str:
    with pytest.raises(FileFormatError) as caught:
        decode_yaml(FILE, text)
    return str(caught.value)


def json_error(text: str) -> str:
    with pytest.raises(FileFormatError) as caught:
        decode_json(FILE, text)
    return str(caught.value)


def test_it_refuses_a_duplicate_yaml_key_naming_both_lines() -> None:
    text = "version: 1\nred_flags:\n  locking: true\nnotes: x\nred_flags:\n  locking: false\n"
    assert yaml_error(text) == (
        "a.yaml: duplicate key 'red_flags' at line 5 (first at line 2); each key may appear "
        "only once in a mapping (which value did you mean?)"
    )


def test_it_refuses_a_duplicate_json_key_naming_both_lines() -> None:
    text = '{\n  "red_flags": {\n    "locking": true,\n    "locking": false\n  }\n}'
    assert json_error(text) == (
        "a.yaml: duplicate key 'locking' at line 4 (first at line 3); each key may appear "
        "only once in a mapping (which value did you mean?)"
    )


def test_it_allows_the_same_key_in_different_mappings() -> None:
    assert decode_json(FILE, '{"a": {"left": 1}, "b": {"left": 2}}') == {
        "a": {"left": 1},
        "b": {"left": 2},
    }
    assert decode_yaml(FILE, "a: {left: 1}\nb: {left: 2}\n") == {
        "a": {"left": 1},
        "b": {"left": 2},
    }


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("030", 30),  # YAML 1.1 read this as octal 24
        ("0o30", 24),
        ("0x1F", 31),
        ("1:30", "1:30"),  # YAML 1.1: sexagesimal 90
        ("yes", "yes"),  # YAML 1.1: true
        ("off", "off"),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("2026-11-20", "2026-11-20"),  # a date stays text: the field's rule judges it
        ("-0.0", -0.0),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("1_000", "1_000"),
        ("!!timestamp 2026-11-20", dt.date(2026, 11, 20)),
        ("!!str 12", "12"),
        ("!!float 2", 2.0),
    ],
)
def test_it_reads_yaml_as_yaml_1_2_core_types(text: str, value: object) -> None:
    assert decode_yaml(FILE, f"a: {text}\n") == {"a": value}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("!!timestamp 2026-13-45", "'2026-13-45' is not a valid date (such as 2026-11-20)"),
        ("!!int abc", "'abc' is not a whole number"),
        ("!!bool maybe", "'maybe' is not true or false"),
        ("!!float abc", "'abc' is not a number"),
        ("!!null x", "'x' is not null"),
        ("!!binary aGk=", "the tag !!binary is not allowed"),
        ("!!python/object:os.system x", "the tag !!python/object:os.system is not allowed"),
        ("!custom x", "the tag !custom is not allowed"),
        (".inf", ".inf is not a finite number (NaN and infinity are not allowed)"),
        (".nan", ".nan is not a finite number"),
        ("1e999", "1e999 is not a finite number"),
        ("9" * 400, f"number {'9' * 20}… (400 characters) has more than 30 digits"),
        ("!!int " + "9" * 5000, "(5,000 characters) has more than 30 digits"),
    ],
)
def test_it_refuses_values_that_do_not_fit_their_type_at_their_line(
    text: str, message: str
) -> None:
    error = yaml_error(f"version: 1\nvalue: {text}\n")
    assert error.startswith("a.yaml: not valid YAML at line 2, column 8: ")
    assert message in error


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": NaN}', "NaN is not a finite number (NaN and infinity are not allowed) at line 1"),
        ('{"a": -Infinity}', "-Infinity is not a finite number"),
        ('{"a": 1e999}', "1e999 is not a finite number"),
        ('{"a": 1e308}', None),
        ('{"a": ' + "9" * 400 + "}", "has more than 30 digits at line 1"),
        ('{"a": ' + "9" * 5000 + "}", "(5,000 characters) has more than 30 digits"),
        ('{"a": 0.' + "1" * 400 + "}", "has more than 30 digits"),
    ],
)
def test_it_refuses_json_numbers_that_are_not_finite_or_too_long(
    text: str, message: str | None
) -> None:
    if message is None:
        assert decode_json(FILE, text) == {"a": 1e308}  # finite: the field's rule judges it
    else:
        assert message in json_error(text)


def test_it_refuses_anchors_and_aliases() -> None:
    text = "a: &x [1, 2]\nb: *x\n"
    assert yaml_error(text) == (
        "a.yaml: not valid YAML at line 2, column 4: anchors and aliases (&name, *name) are "
        "not allowed"
    )


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 5000])
def test_it_refuses_deep_nesting_with_one_message(depth: int) -> None:
    assert "nested more than 32 levels deep" in json_error("[" * depth + "]" * depth)
    assert "nested more than 32 levels deep" in yaml_error("a: " + "[" * depth + "]" * depth)
    nested_mapping = (
        "".join("  " * level + f"k{level}:\n" for level in range(depth)) + "  " * depth + "1\n"
    )
    assert "nested more than 32 levels deep" in yaml_error(nested_mapping)


def test_it_accepts_nesting_up_to_the_limit() -> None:
    depth = MAX_DEPTH
    assert decode_json(FILE, "[" * depth + "]" * depth) is not None


def test_it_refuses_a_mapping_with_too_many_keys() -> None:
    many = MAX_KEYS + 1
    text = "{" + ", ".join(f'"k{i}": {i}' for i in range(many)) + "}"
    assert json_error(text) == (
        f"a.yaml: a mapping has {many:,} keys; at most {MAX_KEYS:,} are allowed "
        "(is this the right file?)"
    )
    assert f"a mapping has {many:,} keys" in yaml_error(
        "\n".join(f"k{i}: {i}" for i in range(many))
    )


def test_it_refuses_300000_unknown_keys_quickly_with_one_line() -> None:
    text = "{" + ", ".join(f'"k{i}": 1' for i in range(300_000)) + "}"
    message = json_error(text)
    assert message == (
        "a.yaml: a mapping has 300,000 keys; at most 1,000 are allowed (is this the right file?)"
    )


def test_it_cuts_a_long_key_in_the_duplicate_message() -> None:
    key = "k" * 1_000_000
    message = json_error(f'{{"{key}": 1, "{key}": 2}}')
    assert len(message) < 300
    assert "(1,000,000 characters)" in message


YAML_PIECES = st.sampled_from(
    [
        "a",
        "b",
        ":",
        " ",
        "\n",
        "  ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "!!int",
        "!!bool",
        "!!timestamp",
        "!!float",
        "!!str",
        "&x",
        "*x",
        "'",
        '"',
        "#",
        "1",
        "0",
        "030",
        "1:30",
        ".inf",
        "1e999",
        "9" * 40,
        "2026-13-45",
        "true",
        "yes",
        "~",
        "?",
        "|",
        ">",
        "\t",
        "%",
        "---",
        "...",
        "\\",
        "é",
        "\x00",
    ]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(YAML_PIECES, max_size=40).map("".join))
def test_any_yaml_text_is_decoded_or_refused_with_one_message(text: str) -> None:
    try:
        decode_yaml(FILE, text)
    except FileFormatError as error:
        assert str(error).startswith("a.yaml: ")


JSON_PIECES = st.sampled_from(
    [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        '"a"',
        '"b"',
        "1",
        "-0.0",
        "1e999",
        "NaN",
        "Infinity",
        "9" * 40,
        "true",
        "null",
        " ",
        "\n",
        '"\\u0000"',
        '"',
        "\\",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(JSON_PIECES, max_size=40).map("".join))
def test_any_json_text_is_decoded_or_refused_with_one_message(text: str) -> None:
    try:
        decode_json(FILE, text)
    except FileFormatError as error:
        assert str(error).startswith("a.yaml: ")
