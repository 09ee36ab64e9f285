"""Storing an upload: typed by its first bytes, a size limit while copying, no leftovers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipfirst.errors import FileFormatError
from hipfirst.storage.upload_type import detect_upload_type
from hipfirst.storage.uploads import store_upload

MB = 1024 * 1024


def test_it_stores_a_copy_under_a_generated_name_with_the_suffix_of_its_content(
    tmp_path: Path,
) -> None:
    content = b"\xff\xd8\xff\xe0" + b"\x01" * 5000
    name = store_upload(io.BytesIO(content), "holiday.png", tmp_path, MB)
    assert name.endswith(".jpg") and len(name) == 36
    assert (tmp_path / name).read_bytes() == content
    assert [path.name for path in tmp_path.iterdir()] == [name]


def test_it_stops_copying_at_the_limit_and_removes_the_partial_copy(tmp_path: Path) -> None:
    # The web middleware refuses large bodies first; the copy enforces the limit itself as well.
    refused = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x02" * (MB + 1))
    with pytest.raises(FileFormatError) as caught:
        store_upload(refused, "b.png", tmp_path / "other", MB)
    assert str(caught.value) == "the file is larger than the limit of 1 MB"
    assert list((tmp_path / "other").iterdir()) == []


def test_it_refuses_an_empty_file_and_a_file_it_cannot_analyse(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError) as empty:
        store_upload(io.BytesIO(b""), "clip.mp4", tmp_path, MB)
    assert str(empty.value) == "the file is empty; choose a video or photo to upload"
    with pytest.raises(FileFormatError) as text:
        store_upload(io.BytesIO(b"just some words\n"), "clip.mp4", tmp_path, MB)
    assert str(text.value) == (
        "'clip.mp4' is not a file hipfirst can analyse; allowed: a video (MP4, MOV, M4V, "
        "WebM, MKV or AVI) or a still image (JPEG or PNG), recognised by the file's content"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("head", "suffix"),
    [
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00", ".mp4"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", ".mov"),
        (b"\x00\x00\x00\x1cftypM4V \x00\x00\x00\x01", ".m4v"),
        (b"\x00\x00\x00\x08wide\x00\x00\x00\x00", ".mov"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01", ".webm"),
        (b"RIFF\x24\x10\x00\x00AVI LIST", ".avi"),
        (b"\xff\xd8\xff\xe1\x00\x10Exif", ".jpg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", ".png"),
        (b"RIFF\x24\x10\x00\x00WAVEfmt ", None),
        (b"GIF89a\x01\x00", None),
        (b"%PDF-1.7\n", None),
        (b"", None),
    ],
)
def test_it_recognises_containers_by_their_first_bytes(head: bytes, suffix: str | None) -> None:
    found = detect_upload_type(head)
    assert (found.suffix if found else None) == suffix


@given(st.binary(min_size=4, max_size=4), st.binary(min_size=4, max_size=12))
def test_it_treats_every_ftyp_box_as_an_mp4_family_video(size: bytes, rest: bytes) -> None:
    found = detect_upload_type(size + b"ftyp" + rest.ljust(4, b" "))
    assert found is not None and found.suffix in {".mp4", ".mov", ".m4v"}


@given(st.binary(max_size=16))
def test_it_never_accepts_text_that_starts_like_text(tail: bytes) -> None:
    assert detect_upload_type(b"hello" + tail) is None
