"""Helpers shared by the parsers of structured formats (docx, KOOP XML, HTML, PDF).

These formats say where a footnote marker stands and what the note says, but not the number a
reader sees: a .docx `w:id`, a KOOP `noot/@id` or an HTML anchor is only a key. Every parser
numbers notes the way they are printed, in order of first reference in the text, so the same
letter gets the same footnote numbers whatever its format. The XML-based formats also share one
safe lxml parser configuration.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lxml import etree

from pipelines.formats.common import attach_footnotes, normalize_space
from pipelines.model import Block, BlockKind, Footnote


def collapse_space(text: str) -> str:
    """Whitespace as markup languages read it: line breaks in the source are spaces too.

    Each line break becomes a space (`str.replace`, cheaper than a regex over every text node),
    and `normalize_space` then collapses the run they are in.
    """
    return normalize_space(text.replace("\r", " ").replace("\n", " "))


class NoteRegistry:
    """Footnote keys mapped to printed numbers (order of first reference) and their texts."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._texts: dict[str, str] = {}
        self._cites: dict[str, list[tuple[str, str]]] = {}

    def refer(self, key: str) -> int:
        """The printed number of note `key`, numbering it now when this is its first reference."""
        return self._numbers.setdefault(key, len(self._numbers) + 1)

    def define(self, key: str, text: str, cites: list[tuple[str, str]] | None = None) -> None:
        """Record the text of note `key` and the documents it states it cites; notes that are
        never referenced are not printed."""
        self._texts[key] = collapse_space(text)
        self._cites[key] = cites or []

    def footnotes(self, blocks: list[Block]) -> list[Footnote]:
        """The referenced notes that have a text, linked to the block carrying their marker."""
        keys = {number: key for key, number in self._numbers.items() if self._texts.get(key)}
        footnotes = attach_footnotes(blocks, {n: self._texts[key] for n, key in keys.items()})
        for note in footnotes:
            note.cites = self._cites[keys[note.number]]
        return footnotes

    def with_typed_notes(self, blocks: list[Block]) -> list[Footnote]:
        """The real notes and, after them, the notes typed by hand at the end of the letter
        (`take_typed_notes`), cut off `blocks`."""
        typed = take_typed_notes(blocks, first_free=len(self._numbers) + 1)
        if not typed:
            drop_orphan_markers(blocks)
        return self.footnotes(blocks) + attach_footnotes(blocks, typed)


_TYPED_NOTE = re.compile(r"^(?:\[(?P<bracket>\d{1,3})\]|(?P<paren>\d{1,3})\))\s*(?P<text>\S.*)$")
_GLUED_NOTE = re.compile(r"\[(\d{1,3})\]\s*(?=\S)")


def _typed_marker(number: int, bracket: bool) -> re.Pattern[str]:
    if bracket:
        return re.compile(rf"\s?\[{number}\]")
    return re.compile(rf"(?<=\S)\s?{number}\)(?=[\s.,;:?!]|$)")


def take_typed_notes(blocks: list[Block], first_free: int = 1) -> dict[int, str]:
    """Notes typed by hand at the end of a letter (`[1] https://...`, `1) Kamerstuk ...`), cut
    off the blocks and their markers recorded where the text prints them.

    Word and ODT letters answering Kamervragen copy the questions' notes as plain paragraphs
    under the answers, not as real notes. They are taken only as a run of paragraphs closing
    the letter, numbered 1, 2, ... in order, whose first marker the text above prints; a note
    pasted into the one before it (`...politie[3] https://...`) is split off again. The numbers
    move up to start at `first_free` when the letter's real notes hold the first ones.
    """
    end = len(blocks)
    tail: list[re.Match[str]] = []
    while end and blocks[end - 1].kind == "paragraph":
        if (match := _TYPED_NOTE.match(blocks[end - 1].text)) is None:
            break
        tail.insert(0, match)
        end -= 1
    notes: dict[int, str] = {}
    bracket = False
    for match in tail:
        bracket = match.group("bracket") is not None
        number, text = int(match.group("bracket") or match.group("paren")), match.group("text")
        notes.update(_split_glued(number, text) if bracket else {number: text})
    if not notes or list(notes) != list(range(1, len(notes) + 1)):
        return {}
    markers = {number: _typed_marker(number, bracket) for number in notes}
    marked: list[tuple[int, int]] = []
    position = 0
    for number, pattern in markers.items():
        index = next((i for i in range(position, end) if pattern.search(blocks[i].text)), None)
        if index is not None:
            marked.append((index, number))
            position = index
    if not marked or marked[0][1] != 1:
        return {}
    shift = max(first_free - 1, 0)
    for index, number in marked:
        block = blocks[index]
        block.text = normalize_space(markers[number].sub("", block.text, count=1))
        block.note_refs.append(number + shift)
    del blocks[end:]
    return {number + shift: normalize_space(text) for number, text in notes.items()}


_ORPHAN_MARKER = re.compile(
    r"(?:(?<=[^\W\d_])|(?<=[?!.]\s)|(?<=[?!.][’'\"”]\s))(\d{1,2})\)(?=[\s.,;:?!]|$)"
)


def drop_orphan_markers(blocks: list[Block]) -> None:
    """Drop typed note markers whose notes the letter does not print.

    A Word letter answering Kamervragen copies the questions with their markers (`gedrag2)`,
    `Sammy'? 1)`) but not their notes. Markers glued to a word or following a sentence, numbered
    1, 2, ... in order, each in a later block than the one before, are such markers; an inline
    enumeration (`1) de kosten, 2) de baten`) keeps its numbers in one block and is left alone.
    """
    found: list[tuple[int, re.Match[str]]] = []
    for index, block in enumerate(blocks):
        for match in _ORPHAN_MARKER.finditer(block.text):
            if int(match.group(1)) == len(found) + 1 and (not found or found[-1][0] < index):
                found.append((index, match))
    if len(found) < 2:
        return
    for index, match in reversed(found):
        text = blocks[index].text
        blocks[index].text = normalize_space(text[: match.start()].rstrip() + text[match.end() :])


def _split_glued(number: int, text: str) -> dict[int, str]:
    """`[2] https://...politie[3] https://...`: the next note pasted into this one's paragraph."""
    pieces: dict[int, str] = {}
    start = 0
    for match in _GLUED_NOTE.finditer(text):
        if int(match.group(1)) == number + 1:
            pieces[number] = text[start : match.start()]
            number, start = number + 1, match.end()
    pieces[number] = text[start:]
    return pieces


def make_block(
    lines: list[str], kind: BlockKind = "paragraph", level: int = 0, refs: list[int] | None = None
) -> Block | None:
    """A block from its printed lines (tabs kept in the layout); None when it has no text.

    Most blocks have one printed line, whose normalized form is already the block's text.
    """
    kept, text = [], ""
    for line in lines:
        if normalized := normalize_space(line):
            kept.append(line.rstrip())
            text = normalized
    if len(kept) > 1:
        text = normalize_space(" ".join(kept))
    if not text:
        return None
    return Block(text=text, kind=kind, level=level, layout="\n".join(kept), note_refs=refs or [])


def read_table(
    rows: Iterable[etree._Element],
    cell_tag: str,
    read_cell: Callable[[etree._Element, list[Block]], None],
) -> list[Block]:
    """The blocks of a table from its row elements: each cell (`cell_tag`) read by `read_cell`
    into blocks, the rows then laid out by `table_blocks`."""
    cells_by_row = []
    for row in rows:
        cells = []
        for cell in row:
            if cell.tag == cell_tag:
                blocks: list[Block] = []
                read_cell(cell, blocks)
                cells.append(blocks)
        cells_by_row.append(cells)
    return table_blocks(cells_by_row)


def table_blocks(rows: list[list[list[Block]]]) -> list[Block]:
    """The blocks of a table, given each row's cells as the blocks read from them.

    A table of one column is read cell by cell. Otherwise a row is one block whose lines join
    the cells' lines side by side with tabs (a letterhead's `Datum | 6 juli 2020`, a header's
    `32 545 | title`), except a row where one cell holds paragraphs of its own and the others
    nothing (a motie's whole text in the cell under its header row): those stay paragraphs.
    """
    if max((len(cells) for cells in rows), default=0) <= 1:
        return [block for cells in rows for blocks in cells for block in blocks]
    out: list[Block] = []
    for cells in rows:
        filled = [blocks for blocks in cells if blocks]
        if len(filled) == 1 and len(filled[0]) > 1:
            out.extend(filled[0])
            continue
        columns = [
            [line for block in blocks for line in block.layout.splitlines()] for blocks in cells
        ]
        refs = [ref for blocks in cells for block in blocks for ref in block.note_refs]
        depth = max((len(column) for column in columns), default=0)
        lines = [
            "\t".join(column[i] for column in columns if i < len(column) and column[i].strip())
            for i in range(depth)
        ]
        block = make_block(lines, "paragraph", 0, refs)
        if block is not None:
            out.append(block)
    return out


def safe_parser(encoding: str | None = None) -> etree.XMLParser:
    """An lxml parser that cannot be made to read files, reach the network or blow up memory.

    Entities are not resolved (no XXE), processing instructions and comments are dropped so
    KOOP's `<?xpp ...?>` typesetting instructions inside words do not split the text.
    `encoding` overrides what the document declares.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        remove_pis=True,
        remove_comments=True,
        encoding=encoding,
    )
