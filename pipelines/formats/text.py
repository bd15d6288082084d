"""Plain text: web-page text, PDF text dumps and Word converter output (Apache POI, Tika).

POI-based converters write a footnote marker as `[footnoteRef:N]` and append the note text to the
end of the same paragraph as ` [N: text] `; both are taken out of the body here and turned into
footnote references and footnotes.
"""

from __future__ import annotations

import re

from pipelines.formats.common import (
    attach_footnotes,
    decode_text,
    group_lines,
    normalize_space,
    rejoin_page_breaks,
    split_lines,
)
from pipelines.formats.webtext import (
    join_hard_wraps,
    listed_signers,
    split_note_blocks,
    strip_chrome,
    strip_end_markers,
    strip_glued_markers,
    unglue_markers,
)
from pipelines.model import Block, Document

_POI_REF = re.compile(r"\[(?:foot|end)noteRef:(\d+)\]")
_POI_NOTE = re.compile(r"\s?\[(\d+):\s(.*?)\]\s*(?=\[\d+:\s|$)", re.S)
_POI_NOTES_END = re.compile(r"(?s:.*)(\])\s*(?=\[\d+:\s|$)")
"""The `]` that closes the last of a line's note blocks."""
_BULLET = re.compile(r"^\s*[-•·▪◦–]\s+")


def split_poi_notes(line: str) -> tuple[str, dict[int, str]]:
    """Cut the ` [N: text] ` note blocks off the end of a POI paragraph.

    The pattern starts with an optional space, so it is tried at every position: lines without
    a `[` (most) are not given to it. Nor is the line after the `]` that closes the last note:
    a note opened there never closes, and from each such opening the pattern would read on to
    the end of the line.
    """
    notes: dict[int, str] = {}
    if "[" not in line or (last := _POI_NOTES_END.match(line)) is None:
        return line, notes
    first = None
    for match in _POI_NOTE.finditer(line, 0, last.end(1)):
        if first is None:
            first = match.start()
        notes[int(match.group(1))] = normalize_space(match.group(2))
    return (line if first is None else line[:first]), notes


def lines_to_blocks(text: str, clean_line, note_line=None) -> tuple[list[Block], dict[int, str]]:
    """Turn text lines into blocks using a format's inline cleaner and note-line recognizer.

    `clean_line(line) -> (text, kind, note_refs, notes)` strips a line's inline markup;
    `note_line(line) -> (number, text) | None` recognizes a footnote printed on its own line.
    """
    blocks: list[Block] = []
    notes: dict[int, str] = {}
    for group in group_lines(split_lines(text)):
        if note_line is not None and len(group) == 1:
            found = note_line(group[0])
            if found is not None:
                notes[found[0]] = found[1]
                continue
        parts, refs, kind = [], [], "paragraph"
        for line in group:
            cleaned, line_kind, line_refs, line_notes = clean_line(line)
            parts.append(cleaned)
            refs.extend(line_refs)
            notes.update(line_notes)
            if line_kind != "paragraph":
                kind = line_kind
        body = normalize_space(" ".join(parts))
        if body:
            layout = "\n".join(group)
            blocks.append(Block(text=body, kind=kind, layout=layout, note_refs=refs))
    return rejoin_page_breaks(blocks), notes


def _clean_text_line(line: str) -> tuple[str, str, list[int], dict[int, str]]:
    line, notes = split_poi_notes(line)
    refs = [int(n) for n in _POI_REF.findall(line)]
    line = _POI_REF.sub("", line)
    kind = "paragraph"
    if _BULLET.match(line):
        line, kind = _BULLET.sub("", line, count=1), "list_item"
    return line, kind, refs, notes


def parse_text(data: bytes, path: str, sha256: str) -> Document:
    """Parse a plain-text letter into the document model.

    Web-page text is cleaned first (page chrome, trailing footnote blocks, hard wraps); on other
    text those steps find nothing to do.
    """
    text, encoding = decode_text(data, path)
    raw_lines = split_lines(text)
    lines, page_notes = split_note_blocks(strip_chrome(raw_lines))
    blocks, notes = lines_to_blocks("\n".join(join_hard_wraps(lines)), _clean_text_line)
    if page_notes:
        unglue_markers(blocks, list(page_notes))
        notes.update(page_notes)
    elif not notes:
        strip_end_markers(blocks)
        strip_glued_markers(blocks)
    return Document(
        source_path=path,
        source_format="text",
        source_sha256=sha256,
        blocks=blocks,
        footnotes=attach_footnotes(blocks, notes),
        encoding=encoding,
        listed_signers=listed_signers(raw_lines),
    )
