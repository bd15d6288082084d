"""Markdown conversions of letters (pandoc, PDF-to-Markdown tools).

Markup is stripped to the printed text; headings are kept as headings. Footnotes come as
`<sup>N</sup>` markers with `<sup>N</sup> text` lines where a page ended (PDF converters) or as
pandoc's `[^N]` markers with `[^N]: text` definitions.
"""

from __future__ import annotations

import re

from pipelines.formats.common import (
    attach_footnotes,
    decode_text,
    is_raised_power,
    normalize_space,
)
from pipelines.formats.text import lines_to_blocks, split_poi_notes
from pipelines.model import Document

_NOTE_LINE = re.compile(r"^\s*(?:<sup>(\d+)</sup>|\[\^(\d+)\]:)\s*(.+)$")
_NOTE_REF = re.compile(r"<sup>(\d+)</sup>|\[\^(\d+)\]")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
_BULLET = re.compile(r"^\s*[-*+•]\s+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3})(\S(?:.*?\S)?)\1")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")

MARKDOWN_SIGNS = re.compile(
    r"^\s{0,3}#{1,6}\s|\*\*[^*\n]+\*\*|<sup>\d+</sup>|\[\^\d+\]|\]\((?:https?://|www\.)",
    re.M,
)
"""Patterns that occur in Markdown but hardly ever in plain letter text (used by detection)."""
MARKDOWN_SIGN_LITERALS = ("#", "**", "<sup>", "[^", "](")
"""What each pattern of `MARKDOWN_SIGNS` needs: a text with none of them shows no sign."""


def strip_inline(text: str) -> str:
    """Reduce Markdown inline markup to the text a reader sees.

    Link and emphasis patterns start with an optional or repeated sign, so the regex engine tries
    them at every position; each runs only on lines with the characters it needs (`](`, `*` or
    `__`), which most lines of a letter lack.
    """
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    for _ in range(2):  # emphasis inside emphasis (`**zie *ook* dit**`) takes a second pass
        if "*" in text or "__" in text:
            text = _EMPHASIS.sub(r"\2", text)
    text = _TAG.sub("", text)
    return _ESCAPE.sub(r"\1", text)


def _note_line(line: str) -> tuple[int, str] | None:
    match = _NOTE_LINE.match(line)
    if not match:
        return None
    return int(match.group(1) or match.group(2)), normalize_space(strip_inline(match.group(3)))


def _clean_markdown_line(line: str) -> tuple[str, str, list[int], dict[int, str]]:
    line, notes = split_poi_notes(line)
    refs: list[int] = []

    def take_marker(match: re.Match[str]) -> str:
        sup, pandoc = match.groups()
        if sup and is_raised_power(line[: match.start()], sup):
            return sup
        refs.append(int(sup or pandoc))
        return ""

    line = _NOTE_REF.sub(take_marker, line)
    kind = "paragraph"
    if _HEADING.match(line):
        line, kind = _HEADING.sub("", line, count=1).rstrip("# "), "heading"
    elif _BULLET.match(line):
        line, kind = _BULLET.sub("", line, count=1), "list_item"
    return strip_inline(line), kind, refs, notes


def parse_markdown(data: bytes, path: str, sha256: str) -> Document:
    """Parse a Markdown letter into the document model."""
    text, encoding = decode_text(data, path)
    blocks, notes = lines_to_blocks(text, _clean_markdown_line, _note_line)
    return Document(
        source_path=path,
        source_format="markdown",
        source_sha256=sha256,
        blocks=blocks,
        footnotes=attach_footnotes(blocks, notes),
        encoding=encoding,
    )
