"""OpenDocument Text (.odt) letters: KOOP publishes every Kamerstuk as ODT beside XML and PDF.

The text is in `content.xml`: headings (`text:h`), paragraphs (`text:p`), lists, tables and
sections, with footnotes inline (`text:note`: its citation where the marker stands, its body the
note). Read with the same safety as a .docx: a zip whose parts are size-checked before they are
inflated, and an XML parser that resolves no entities and reaches no network.

- spaces (`text:s`), tabs and line breaks are written out as the reader sees them;
- a frame anchored to the page (KOOP's `frillblok` with the publication's id and colophon) is
  page furniture and left out; a frame anchored in the text is read where it stands;
- a table row is read as the .docx parser reads one (`table_blocks`), so a header table's
  `Tweede Kamer der Staten-Generaal | 2` is one line, as printed.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from lxml import etree

from pipelines.formats.detect import open_archive
from pipelines.formats.structured import NoteRegistry, make_block, read_table, safe_parser
from pipelines.model import Block, BlockKind, Document, ParseError

_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"

MAX_PART = 50 * 1024 * 1024
"""A part larger than this uncompressed is refused rather than read (zip bombs)."""
_SKIPPED = {f"{_OFFICE}annotation", f"{_TEXT}tracked-changes", f"{_TEXT}soft-page-break"}
_CONTAINERS = {f"{_TEXT}section", f"{_TEXT}list-header", f"{_TEXT}index-body"}


def _part(archive: zipfile.ZipFile, name: str, path: str) -> etree._Element:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ParseError(f"{path}: an OpenDocument file without {name}") from None
    if info.file_size > MAX_PART:
        raise ParseError(f"{path}: part {name} is too large ({info.file_size} bytes)")
    try:
        return etree.fromstring(archive.read(info), parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"{path}: broken XML in {name} ({exc})") from exc


_ROW_GROUPS = {f"{_TABLE}{tag}" for tag in ("table-header-rows", "table-rows", "table-row-group")}


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    """The table's own rows, also those in row groups; not the rows of a table in a cell."""
    for child in table:
        if child.tag == f"{_TABLE}table-row":
            yield child
        elif child.tag in _ROW_GROUPS:
            yield from _rows(child)


class _Reader:
    """The blocks of one `office:text`, numbering footnotes in order of first reference."""

    def __init__(self) -> None:
        self.notes = NoteRegistry()
        self.blocks: list[Block] = []

    def body(self, container: etree._Element, out: list[Block], level: int = 0) -> None:
        for child in container:
            tag = child.tag
            if tag == f"{_TEXT}h":
                self.paragraph(child, out, "heading", int(child.get(f"{_TEXT}outline-level", 1)))
            elif tag == f"{_TEXT}p":
                self.paragraph(child, out, "list_item" if level else "paragraph", level)
            elif tag == f"{_TEXT}list":
                for item in child:
                    if item.tag in (f"{_TEXT}list-item", f"{_TEXT}list-header"):
                        self.body(item, out, level + 1)
            elif tag == f"{_TABLE}table":
                self.table(child, out)
            elif tag == f"{_DRAW}frame":
                self.frame(child, out)
            elif tag in _CONTAINERS:
                self.body(child, out, level)

    def table(self, table: etree._Element, out: list[Block]) -> None:
        out.extend(read_table(_rows(table), f"{_TABLE}table-cell", self.body))

    def frame(self, frame: etree._Element, out: list[Block]) -> None:
        """A text box's paragraphs, unless the frame hangs on the page rather than the text."""
        if frame.get(f"{_TEXT}anchor-type") == "page":
            return
        for box in frame.iter(f"{_DRAW}text-box"):
            self.body(box, out)

    def paragraph(
        self, paragraph: etree._Element, out: list[Block], kind: BlockKind, level: int
    ) -> None:
        """One printed paragraph: frames inside it first (they float beside it), then its lines."""
        lines, refs = [""], []
        frames: list[etree._Element] = []
        self.inline(paragraph, lines, refs, frames)
        for frame in frames:
            self.frame(frame, out)
        block = make_block(lines, kind, level if kind != "paragraph" else 0, refs)
        if block is not None:
            out.append(block)

    def inline(
        self,
        element: etree._Element,
        lines: list[str],
        refs: list[int],
        frames: list[etree._Element],
    ) -> None:
        if element.text:
            lines[-1] += element.text
        for child in element:
            tag = child.tag
            if tag == f"{_TEXT}s":
                lines[-1] += " " * int(child.get(f"{_TEXT}c", 1))
            elif tag == f"{_TEXT}tab":
                lines[-1] += "\t"
            elif tag == f"{_TEXT}line-break":
                lines.append("")
            elif tag == f"{_TEXT}note":
                self.note(child, refs)
            elif tag == f"{_DRAW}frame":
                frames.append(child)
            elif tag not in _SKIPPED:
                self.inline(child, lines, refs, frames)
            if child.tail:
                lines[-1] += child.tail

    def note(self, note: etree._Element, refs: list[int]) -> None:
        key = note.get(f"{_TEXT}id") or f"note-{id(note)}"
        refs.append(self.notes.refer(key))
        body = note.find(f"{_TEXT}note-body")
        if body is not None:
            texts: list[Block] = []
            self.body(body, texts)
            self.notes.define(key, " ".join(block.text for block in texts))


def parse_odt(data: bytes, path: str, sha256: str) -> Document:
    """Parse an OpenDocument Text letter into the document model."""
    with open_archive(data, path, ".odt") as archive:
        content = _part(archive, "content.xml", path)
    text = content.find(f"{_OFFICE}body/{_OFFICE}text")
    if text is None:
        raise ParseError(f"{path}: an OpenDocument file without a text body (not a .odt text)")
    reader = _Reader()
    reader.body(text, reader.blocks)
    blocks = reader.blocks
    return Document(
        source_path=path,
        source_format="odt",
        source_sha256=sha256,
        blocks=blocks,
        footnotes=reader.notes.with_typed_notes(blocks),
    )
