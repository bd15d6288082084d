"""Whitespace normalization: the split-and-join fast path gives what the substitution gives."""

from __future__ import annotations

import re
import sys

import pytest

from pipelines.formats.common import normalize_space
from pipelines.formats.structured import collapse_space

_SPACES = " \t\u00a0\u202f\u2007\u2009\u200a"
_INVISIBLES = "\u00ad\u200b\ufeff\u200e\u200f"


def _substituted(text: str) -> str:
    """normalize_space as specified: invisibles dropped, runs of `_SPACES` collapsed, stripped."""
    text = re.sub(f"[{_INVISIBLES}]", "", text)
    return re.sub(f"[{_SPACES}]+", " ", text).strip()


def test_every_unicode_whitespace_and_invisible_character() -> None:
    odd = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace() or chr(c) in _INVISIBLES]
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
