"""Decoding, line splitting and whitespace normalization shared by the parsers.

The split-and-join fast path of `normalize_space` gives what the substitution gives; no control
character reaches a table, whatever the format.
"""

from __future__ import annotations

import codecs
import dataclasses
import random
import re
import sys
from collections.abc import Callable, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks import corpus
from benchmarks.corpus import Item, Letter
from pipelines.extract import extract_letter
from pipelines.formats import parse_bytes
from pipelines.formats.common import decode_text, normalize_space, split_lines
from pipelines.formats.structured import collapse_space
from pipelines.model import ParseError

_SPACES = " \t\u00a0\u202f\u2007\u2009\u200a"
NONCHARACTERS = {chr(c) for c in range(0xFDD0, 0xFDF0)} | {
    chr(plane + end) for plane in range(0, 0x110000, 0x10000) for end in (0xFFFE, 0xFFFF)
}
_INVISIBLES = "\u00ad\u200b\ufeff\u200e\u200f" + "".join(sorted(NONCHARACTERS))
CONTROLS = "".join(
    sorted(
        {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]} - set("\t\n\r") | {"\u2028", "\u2029"}
    )
)
"""C0 controls but tab, line feed and carriage return; DEL; C1 controls (NEL among them); the
Unicode line and paragraph separators."""


def _substituted(text: str) -> str:
    """normalize_space as specified: invisibles dropped, controls made spaces, runs of `_SPACES`
    collapsed, stripped."""
    text = re.sub(f"[{_INVISIBLES}]", "", text)
    text = re.sub(f"[{CONTROLS}]", " ", text)
    return re.sub(f"[{_SPACES}]+", " ", text).strip()


def test_every_unicode_whitespace_invisible_and_control_character() -> None:
    odd = [
        chr(c)
        for c in range(sys.maxunicode + 1)
        if chr(c).isspace() or chr(c) in _INVISIBLES or chr(c) in CONTROLS
    ]
    for char in odd:
        for text in (
            f"a{char}b",
            f" a {char} b ",
            f"{char}a  b{char}",
            f"a\u00a0{char}\tb",
            f"a{char}{char}b  c",
            char,
        ):
            assert normalize_space(text) == _substituted(text), repr(text)


@pytest.mark.parametrize(
    "text",
    ["", " ", "a", "a b", " a b", "a b ", "a  b", "  ", "één ‘twee’ drie", "x’y  z ", "a-b–c"],
)
def test_printable_text_is_returned_as_is_only_when_normalized(text: str) -> None:
    assert normalize_space(text) == _substituted(text)


def test_plain_text_is_collapsed_and_stripped() -> None:
    assert normalize_space("  Geachte\u00a0 voorzitter ,\t") == "Geachte voorzitter ,"
    assert normalize_space("risico\u00adbeperking") == "risicobeperking"
    assert collapse_space(" Kamerstuk\r\n 33 783,\n\nnr. 46 ") == "Kamerstuk 33 783, nr. 46"
    assert collapse_space("a\r\n\u00adb") == "a b"


def test_noncharacters_are_dropped() -> None:
    assert len(NONCHARACTERS) == 66
    assert normalize_space("\uffffOpsomming\ufffe met\U0010ffff \ufdd0punten") == (
        "Opsomming met punten"
    )


def test_control_characters_are_spaces_and_line_breaks_are_kept() -> None:
    assert normalize_space("Den Haag,\f6 juli\v2020") == "Den Haag, 6 juli 2020"
    assert normalize_space("\fDen Haag, 6 juli 2020\x0c") == "Den Haag, 6 juli 2020"
    assert normalize_space("a\x00b\x01c\x1bd\x7fe\x81f\x85g\x9fh") == "a b c d e f g h"
    assert normalize_space("a \u2028 b\u2029\u2029c") == "a b c"
    assert normalize_space("caf\u00e9\x1c\x1d\x1e\x1f \u20ac") == "caf\u00e9 \u20ac"
    assert normalize_space("Kamerstuk\f\n33 783") == "Kamerstuk \n33 783"
    assert collapse_space("Kamerstuk\f\r\n33\x02783") == "Kamerstuk 33 783"


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("caf\u00e9 \u20ac".encode(), "caf\u00e9 \u20ac", "utf-8"),
        (codecs.BOM_UTF8 + "caf\u00e9 \u20ac".encode(), "caf\u00e9 \u20ac", "utf-8-sig"),
        (b"\xff\xfec\x00a\x00f\x00\xe9\x00 \x00\xac\x20", "caf\u00e9 \u20ac", "utf-16-le"),
        (b"\xfe\xff\x00c\x00a\x00f\x00\xe9\x00 \x20\xac", "caf\u00e9 \u20ac", "utf-16-be"),
        (b"\xff\xfe\x00\x00\xeb\x00\x00\x00\xac\x20\x00\x00", "\u00eb\u20ac", "utf-32-le"),
        (b"\x00\x00\xfe\xff\x00\x00\x00\xeb\x00\x00\x20\xac", "\u00eb\u20ac", "utf-32-be"),
        (b"caf\xe9 \x80 \x92s \xeb", "caf\u00e9 \u20ac \u2019s \u00eb", "cp1252"),
        (b"\x81\x8d\x8f\x90\x9d\xe9", "\x81\x8d\x8f\x90\x9d\u00e9", "cp1252"),
    ],
)
def test_text_is_decoded_by_its_bom_else_as_utf8_else_as_windows_1252(
    data: bytes, text: str, encoding: str
) -> None:
    assert decode_text(data, "brief.txt") == (text, encoding)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"\xff\xfea\x00\x00\xd8b\x00",
            "text marked as utf-16-le by its byte order mark is not utf-16-le",
        ),
        (
            b"\xff\xfe\x00\x00\x00\x00\x11\x00",
            "text marked as utf-32-le by its byte order mark is not utf-32-le",
        ),
        (codecs.BOM_UTF8 + b"caf\xe9", "text marked as utf-8 by its byte order mark is not utf-8"),
    ],
)
def test_text_that_is_not_what_its_bom_says_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=f"^brief.txt: {message} \\("):
        decode_text(data, "brief.txt")


def test_lines_are_split_at_line_ends_only() -> None:
    text = "Den Haag,\f6 juli 2020\r\n\r\nA\vB\x85C\u2028D\u2029E\x1cF\rG\nH\n"
    assert split_lines(text) == [
        "Den Haag,\f6 juli 2020",
        "",
        "A\vB\x85C\u2028D\u2029E\x1cF",
        "G",
        "H",
    ]
    assert split_lines("") == []
    assert split_lines("a\n\n") == ["a", ""]


# --- no control character reaches a table ------------------------------------------------------

TEXT_CONTROLS = CONTROLS.replace("\x00", "")
"""What a text may hold: a NUL makes the file binary."""
XML_CONTROLS = "".join(c for c in CONTROLS if c >= "\x7f")
"""What XML 1.0 may hold: no C0 control."""


def _sprinkle(text: str, rng: random.Random, alphabet: Sequence[str]) -> str:
    """`text` with control characters inserted anywhere, about one in ten characters."""
    chars = list(text)
    for _ in range(rng.randint(1, 1 + len(text) // 10)):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(alphabet))
    return "".join(chars)


def _sprinkled_letter(letter: Letter, rng: random.Random, alphabet: Sequence[str]) -> Letter:
    """The letter with control characters in its title, body, notes and signers."""

    def sprinkle(text: str) -> str:
        return _sprinkle(text, rng, alphabet)

    return dataclasses.replace(
        letter,
        dossier_title=sprinkle(letter.dossier_title),
        body=[
            Item(
                item.kind,
                [sprinkle(s) if isinstance(s, str) else s for s in item.segments],
                item.number,
            )
            for item in letter.body
        ],
        notes={number: sprinkle(text) for number, text in letter.notes.items()},
        signers=[tuple(map(sprinkle, signer)) for signer in letter.signers],
    )


SPRINKLED: dict[str, Callable[[Letter, random.Random], bytes]] = {
    "text": lambda letter, rng: _sprinkle(
        corpus.render_text(letter).decode("cp1252"), rng, TEXT_CONTROLS
    ).encode(),
    "markdown": lambda letter, rng: _sprinkle(
        corpus.render_markdown(letter).decode(), rng, TEXT_CONTROLS
    ).encode(),
    "html": lambda letter, rng: corpus.render_html(_sprinkled_letter(letter, rng, TEXT_CONTROLS)),
    "koop_xml": lambda letter, rng: corpus.render_koop_xml(
        _sprinkled_letter(letter, rng, XML_CONTROLS)
    ),
    "docx": lambda letter, rng: corpus.render_docx(_sprinkled_letter(letter, rng, XML_CONTROLS)),
    "pdf": lambda letter, rng: corpus.render_pdf(_sprinkled_letter(letter, rng, TEXT_CONTROLS)),
}
"""Per format, a file of the letter with control characters: anywhere in a text file, in the
letter's text where markup is around it."""
EXAMPLES = {"docx": 10, "pdf": 3}
"""Fewer examples where rendering and parsing a letter takes long."""


@pytest.mark.parametrize("fmt", sorted(SPRINKLED))
def test_no_control_character_reaches_any_field_of_any_table(fmt: str) -> None:
    @settings(
        max_examples=EXAMPLES.get(fmt, 25),
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.integers(0, 200), st.randoms(use_true_random=False))
    def check(seed: int, rng: random.Random) -> None:
        data = SPRINKLED[fmt](corpus.make_letter(random.Random(seed), seed), rng)
        document = parse_bytes(data, f"brief-{fmt}")
        assert document.source_format == fmt
        letter = extract_letter(document)
        for table in (
            "letters",
            "paragraphs",
            "footnotes",
            "questions",
            "references",
            "signatories",
        ):
            for row in letter.rows(table):
                for field, value in row.items():
                    if isinstance(value, str):
                        assert not set(value) & set(CONTROLS), (table, field, value)

    check()
