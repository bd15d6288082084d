"""Markdown conversions of letters (pandoc, PDF-to-Markdown tools).

Markup is stripped to the printed text; headings are kept as headings. Footnotes come as
`<sup>N</sup>` markers with `<sup>N</sup> text` lines where a page ended (PDF converters) or as
pandoc's `[^N]` markers with `[^N]: text` definitions.
"""

from __future__ import annotations

import re

from pipelines.formats.common import (
    POWER_BASE_WIDTH,
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
_EMPHASIS_DELIMITERS = {"*": ("***", "**", "*"), "_": ("___", "__")}
"""The delimiters emphasis opens with at a `*` or `_`, longest first: `***a***` is one emphasis."""
_EMPHASIS = {
    delimiter: re.compile(rf"{re.escape(delimiter)}(\S(?:.*?\S)?){re.escape(delimiter)}")
    for delimiters in _EMPHASIS_DELIMITERS.values()
    for delimiter in delimiters
}
_LAST_CLOSING = {
    delimiter: re.compile(rf"(?s:.*)(?<=\S){re.escape(delimiter)}") for delimiter in _EMPHASIS
}
"""Where each delimiter last closes an emphasis: after a printed character."""
_EMPHASIS_SIGN = re.compile(r"[*_]")
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
    """Reduce Markdown inline markup on one line to the text a reader sees.

    Links and emphasis are only looked for on lines with the characters they need (`](`, `*` or
    `__`), which most lines of a letter lack. Each step takes time linear in the line, whatever
    it holds: a tag is only tried before the last `>`, as one after it cannot close.
    """
    if "](" in text:
        text = _strip_links(text)
    for _ in range(2):  # emphasis inside emphasis (`**zie *ook* dit**`) takes a second pass
        if "*" in text or "__" in text:
            text = _strip_emphasis(text)
    end = text.rfind(">") + 1
    text = _TAG.sub("", text[:end]) + text[end:]
    return _ESCAPE.sub(r"\1", text)


def _strip_links(line: str) -> str:
    """`[text](target)` and `![text](target)` reduced to their text.

    The text runs from a `[` to the next `]`, the target from the `(` right after it to the next
    `)`, which may be far or missing. Every `[` before the same `]` would end the same way, so
    the next try starts after that `]`; when no `)` follows, no later link can close either.
    """
    parts: list[str] = []
    done = position = 0
    while (start := line.find("[", position)) >= 0:
        close = line.find("]", start)
        if close < 0:
            break
        if not line.startswith("(", close + 1):
            position = close + 1
            continue
        end = line.find(")", close + 2)
        if end < 0:
            break
        cut = start - 1 if start > done and line[start - 1] == "!" else start
        parts += (line[done:cut], line[start + 1 : close])
        done = position = end + 1
    return "".join(parts) + line[done:]


def _strip_emphasis(line: str) -> str:
    """`*a*`, `**a**`, `***a***`, `__a__` and `___a___` reduced to their text, leftmost first.

    An emphasis ends at the first closing delimiter after it (one following a printed character).
    A delimiter that no longer closes anywhere after a sign is not tried there: looking for its
    closing from every opening would read the rest of the line again for each of them
    (`*a *a *a ...`).
    """
    last: dict[str, int] = {}
    for delimiter, pattern in _LAST_CLOSING.items():
        match = pattern.match(line)
        last[delimiter] = match.end() - len(delimiter) if match else -1
    parts: list[str] = []
    done = 0
    for sign in _EMPHASIS_SIGN.finditer(line, 0, max(last.values())):
        start = sign.start()
        if start < done:
            continue
        for delimiter in _EMPHASIS_DELIMITERS[sign.group()]:
            if last[delimiter] <= start + len(delimiter) or not line.startswith(delimiter, start):
                continue
            if match := _EMPHASIS[delimiter].match(line, start):
                parts += (line[done:start], match.group(1))
                done = match.end()
                break
    return "".join(parts) + line[done:]


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
        before = line[max(match.start() - POWER_BASE_WIDTH, 0) : match.start()]
        if sup and is_raised_power(before, sup):
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
