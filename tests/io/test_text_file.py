"""The one guarded reader behind assessment files, session logs and plan files."""

from __future__ import annotations

from pathlib import Path

import pytest

from hipfirst.errors import FileFormatError
from hipfirst.io.text_file import MEGABYTE, decode_json, read_text_file

WORDING = {"what": "a note", "content": "UTF-8 text", "expected": "a few words"}


def test_it_drops_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes(b"\xef\xbb\xbfhello")
    assert read_text_file(path, max_bytes=MEGABYTE, **WORDING) == "hello"


def test_it_names_the_limit_in_megabytes_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (3 * MEGABYTE))
    with pytest.raises(
        FileFormatError,
        match=r"big.txt: file is 3 MB; a note must be at most 2 MB \(is this the right file\?\)$",
    ):
        read_text_file(path, max_bytes=2 * MEGABYTE, **WORDING)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00", r"not a text file \(expected UTF-8 text\)$"),
        (b" \n\t", r"the file is empty; expected a few words$"),
    ],
)
def test_it_says_what_the_file_should_have_held(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes(content)
    with pytest.raises(FileFormatError, match=message):
        read_text_file(path, max_bytes=MEGABYTE, **WORDING)


def test_it_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match=r": not a file$"):
        read_text_file(tmp_path, max_bytes=MEGABYTE, **WORDING)


def test_it_names_line_and_column_of_a_json_error(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match=r"x.json: not valid JSON at line 2, column 1: "):
        decode_json(tmp_path / "x.json", '{"a": 1,\n}')
