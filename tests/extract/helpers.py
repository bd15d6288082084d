"""Small builders for rule tests: made-up letters as the text parser would see them."""

from __future__ import annotations

from pipelines.extract import ParsedLetter, extract_letter
from pipelines.formats.text import parse_text
from pipelines.model import Block


def blocks(*lines: str) -> list[Block]:
    """One block per line, layout as printed."""
    return [Block(text=line, layout=line) for line in lines]


def letter(text: str) -> ParsedLetter:
    """Parse and extract a letter given as plain text."""
    return extract_letter(parse_text(text.encode("utf-8"), "letter.txt", "0" * 64))
