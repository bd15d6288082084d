"""Property-based tests: any input gives a parsed letter or the project's own ParseError.

Raw folders collect whatever people drop in them. For random bytes and for mutations of a real
letter in every format (flipped bytes, cuts, insertions), parsing and extraction must finish
quickly with a letter or a `ParseError`: never another exception, never a hang.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.extract import extract_letter
from pipelines.formats import parse_bytes
from pipelines.model import ParseError
from tests.formats import sample_letter

SEEDS = {
    "text": sample_letter.render_text(),
    "markdown": sample_letter.render_markdown(),
    "koop_xml": sample_letter.render_koop_xml(),
    "html": sample_letter.render_html(),
    "docx": sample_letter.render_docx(),
    "pdf": sample_letter.render_pdf(),
}

FAST = settings(
    max_examples=60, deadline=3000, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def parses_or_refuses(data: bytes) -> None:
    """The property itself: a letter whose extraction also succeeds, or a ParseError."""
    try:
        document = parse_bytes(data, "fuzzed")
    except ParseError as exc:
        assert str(exc).startswith("fuzzed: "), "the error names the file"
        return
    extract_letter(document)


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        position = draw(st.integers(0, max(0, len(data) - 1)))
        if action == "flip" and data:
            data[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[position : position + draw(st.integers(1, 64))]
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=32))
        else:
            data = data[: position + 1]
    return bytes(data)


@FAST
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    parses_or_refuses(data)


@FAST
@given(st.text(max_size=2000))
def test_random_text(text: str) -> None:
    parses_or_refuses(text.encode("utf-8"))


@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_mutated_letters(fmt: str) -> None:
    @FAST
    @given(mutated(SEEDS[fmt]))
    def check(data: bytes) -> None:
        parses_or_refuses(data)

    check()


@FAST
@given(st.dictionaries(st.sampled_from(["word/document.xml", "word/footnotes.xml",
                                         "word/numbering.xml", "word/header1.xml",
                                         "../../evil.xml", "[Content_Types].xml"]),
                       st.binary(max_size=512), min_size=1))  # fmt: skip
def test_random_docx_parts(parts: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    parses_or_refuses(buffer.getvalue())
