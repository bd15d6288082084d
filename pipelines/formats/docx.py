"""Word .docx letters, read from their OOXML parts with zipfile and lxml.

Converters lose what letters need: pandoc drops the page header that holds `Ons kenmerk` and turns
the tab between two signers into one space; most tools print the footnote's `w:id` as its number,
which is not the number Word prints. Reading the parts directly keeps all of it:

- `word/document.xml`: paragraphs in order, headings by style, list labels from
  `word/numbering.xml`, tables (a letterhead row `Datum | 6 juli 2020` becomes the block
  `Datum 6 juli 2020`; side-by-side cells keep a tab between them in `Block.layout`, so the
  signature rules can split `role<TAB>role` / `name<TAB>name`), text boxes.
- `word/footnotes.xml` and `word/endnotes.xml`: note texts; the printed number is the order of
  first reference, not the `w:id`.
- `word/header*.xml`: letterhead fields (`Ons kenmerk`, `Uw kenmerk`, ...) that Rijkshuisstijl
  templates put in the page header, placed before the body.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import takewhile
from typing import Generic, TypeVar

from lxml import etree

from pipelines.formats.common import normalize_space
from pipelines.formats.detect import open_archive
from pipelines.formats.structured import NoteRegistry, make_block, read_table, safe_parser
from pipelines.model import Block, BlockKind, Document, ParseError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_LETTERHEAD = re.compile(
    r"^(?:Datum|Betreft|Onderwerp|Ons kenmerk|Uw kenmerk|Kenmerk|Uw brief(?: van)?|Bijlagen?|"
    r"Bijlage\(n\)|Contactpersoon|Doorkiesnummer|Projectnaam)\b",
    re.I,
)
_SENDER_LABELS = {"contactpersoon", "doorkiesnummer", "projectnaam"}
"""Labels of the sender's column: they end the value of the label above, and are not kept."""
_RETURN_ADDRESS = re.compile(r"\bRetouradres\b", re.I)
_PAGE_NUMBER = re.compile(r"^(?:Pagina|Blad)\s+\d+(?:\s+van\s+\d+)?$", re.I)
_HEADING_STYLE = re.compile(r"^(?:heading|kop)\s*(\d)$", re.I)
_TITLE_STYLE = re.compile(r"^(?:title|titel|subtitle|ondertitel)$", re.I)
_SKIPPED = {
    f"{W}pPr",
    f"{W}rPr",
    f"{W}del",
    f"{W}delText",
    f"{W}instrText",
    f"{W}moveFrom",
    f"{MC}Fallback",
    f"{W}footnoteRef",
    f"{W}endnoteRef",
    f"{W}annotationRef",
    f"{W}commentReference",
}
T = TypeVar("T")
_MAX_PART = 50 * 1024 * 1024
"""A part larger than this uncompressed is refused rather than read (zip bombs)."""
_P, _R, _T, _TBL = (f"{W}{tag}" for tag in ("p", "r", "t", "tbl"))
_RPR, _VANISH = f"{W}rPr", f"{W}vanish"
_TEXT_BOX, _NO_BREAK_HYPHEN, _SOFT_HYPHEN = (
    f"{W}{tag}" for tag in ("txbxContent", "noBreakHyphen", "softHyphen")
)
_TABS = {f"{W}tab", f"{W}ptab"}
_BREAKS = {f"{W}br", f"{W}cr"}
_NOTE_REFERENCES = {f"{W}footnoteReference": "footnote", f"{W}endnoteReference": "endnote"}
_CONTAINERS = {f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins"}


def _val(element: etree._Element | None, name: str = "val") -> str | None:
    return None if element is None else element.get(f"{W}{name}")


def _is_hidden(run: etree._Element) -> bool:
    """Whether the run properties of `run` mark it hidden (`w:rPr/w:vanish`).

    Asked for every run, so the two levels of children are walked by tag directly: `find`
    with the path, or with the tag, costs a third more.
    """
    for props in run.iterchildren(_RPR):
        for _ in props.iterchildren(_VANISH):
            return True
    return False


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    num_id: str | None = None
    ilvl: int = 0
    outline: int | None = None


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _Numbering:
    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)

    def label(self, num_id: str, ilvl: int) -> str | None:
        """Advance list `num_id` at level `ilvl` and return the printed label; None for bullets."""
        levels = self.levels.get(num_id, {})
        counts = self.counters.setdefault(num_id, [0] * 9)
        ilvl = min(max(ilvl, 0), 8)
        level = levels.get(ilvl, _Level())
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else level.start
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        if level.fmt in ("bullet", "none"):
            return None

        def number(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            fmt = levels.get(index, _Level()).fmt
            return _format_number(counts[index] or levels.get(index, _Level()).start, fmt)

        return re.sub(r"%(\d)", number, level.text).strip() or None


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(97 + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"),
                    (1, "i")]  # fmt: skip
        out = ""
        for amount, numeral in numerals:
            while value >= amount:
                out, value = out + numeral, value - amount
        return out.upper() if fmt == "upperRoman" else out
    return str(value)


@dataclass(frozen=True)
class _StyleTraits:
    """What a paragraph style and the styles it is based on say about the paragraph."""

    num_id: str | None
    ilvl: int
    heading: tuple[BlockKind, int] | None
    """Kind and level when a style's id or name makes it a heading (`Heading 2`, `Titel`)."""
    outline: str | None


class _Styles:
    """Styles by id, each read from styles.xml when a paragraph first uses it.

    A Word template defines hundreds of styles and a letter uses a handful; reading them all
    took a fifth of the time spent on a .docx.
    """

    def __init__(self, root: etree._Element | None) -> None:
        found = root.iter(f"{W}style") if root is not None else ()
        self._elements = {_val(style, "styleId") or "": style for style in found}
        self._read: dict[str, _Style] = {}
        self._traits: dict[str | None, _StyleTraits] = {}

    def __contains__(self, style_id: str) -> bool:
        return style_id in self._elements

    def __getitem__(self, style_id: str) -> _Style:
        if style_id not in self._read:
            style = self._elements[style_id]
            num = style.find(f"{W}pPr/{W}numPr")
            outline = _val(style.find(f"{W}pPr/{W}outlineLvl"))
            self._read[style_id] = _Style(
                name=_val(style.find(f"{W}name")) or "",
                based_on=_val(style.find(f"{W}basedOn")),
                num_id=_val(num.find(f"{W}numId")) if num is not None else None,
                ilvl=int(_val(num.find(f"{W}ilvl")) or 0) if num is not None else 0,
                outline=int(outline) if outline and outline.isdigit() else None,
            )
        return self._read[style_id]

    def chain(self, style_id: str | None) -> list[_Style]:
        """The style `style_id` and the styles it is based on, nearest first."""
        chain: list[_Style] = []
        while style_id and style_id in self and len(chain) < 10:
            chain.append(self[style_id])
            style_id = chain[-1].based_on
        return chain

    def traits(self, style_id: str | None) -> _StyleTraits:
        """The numbering, heading level and outline level style `style_id` gives, worked out
        once per style: every paragraph of a letter asks, and most share a few styles."""
        if style_id not in self._traits:
            chain = self.chain(style_id)
            numbered = next((style for style in chain if style.num_id), None)
            heading: tuple[BlockKind, int] | None = None
            for name in [style_id or "", *(style.name for style in chain)]:
                if match := _HEADING_STYLE.match(name):
                    heading = ("heading", int(match.group(1)))
                    break
                if _TITLE_STYLE.match(name):
                    heading = ("heading", 0)
                    break
            self._traits[style_id] = _StyleTraits(
                num_id=numbered.num_id if numbered else None,
                ilvl=numbered.ilvl if numbered else 0,
                heading=heading,
                outline=next((str(s.outline) for s in chain if s.outline is not None), None),
            )
        return self._traits[style_id]


_StoredForm = tuple[int, int, int, int, bytes]
"""A zip member's compression method, CRC-32, size, compressed size and compressed bytes."""


def _stored_form(archive: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes) -> _StoredForm:
    """What decides the bytes zipfile reads for member `info` of `archive` (read from `data`).

    Members with the same stored form read as the same bytes, so it identifies a part without
    decompressing it; a CRC-32 and size alone do not, as a file can be made to match another
    part's. Opening the member runs zipfile's own checks of its local header (signature, name,
    encryption, compression method) and decompresses nothing; that header's name and extra
    field lengths say where the compressed bytes start.
    """
    with archive.open(info):
        pass
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + zipfile.sizeFileHeader + name_length + extra_length
    compressed = data[start : start + info.compress_size]
    return info.compress_type, info.CRC, info.file_size, info.compress_size, compressed


class _PartCache(Generic[T]):
    """What was read from a part, kept for the next letter whose part is stored the same way.

    Letters made from one template share their styles part (350 kB from python-docx's
    template, 12 kB compressed) and numbering part; parsing the styles part was half the time
    spent on a .docx, and decompressing it to compare with the kept one a seventh. A part is
    found by its stored form, compressed bytes included; a part stored otherwise (another
    compression level) is read again, which costs time, never a wrong style.
    """

    def __init__(self, read: Callable[[bytes], T], size: int = 4) -> None:
        self._read = read
        self._size = size
        self._entries: list[tuple[_StoredForm, T]] = []

    def __call__(self, stored: _StoredForm, data: Callable[[], bytes]) -> T:
        """The value read from the part stored as `stored`; `data` decompresses it if needed."""
        for seen, value in self._entries:
            if seen == stored:
                return value
        value = self._read(data())
        self._entries = [(stored, value), *self._entries[: self._size - 1]]
        return value


def _read_styles_part(data: bytes) -> _Styles:
    return _Styles(etree.fromstring(data, parser=safe_parser()))


def _read_numbering_part(data: bytes) -> dict[str, dict[int, _Level]]:
    """The list levels of each `w:num`; shared by the letters with this part, never changed."""
    root = etree.fromstring(data, parser=safe_parser())
    abstract: dict[str, dict[int, _Level]] = {}
    for node in root.iter(f"{W}abstractNum"):
        levels = {}
        for lvl in node.iter(f"{W}lvl"):
            levels[int(_val(lvl, "ilvl") or 0)] = _Level(
                fmt=_val(lvl.find(f"{W}numFmt")) or "decimal",
                text=_val(lvl.find(f"{W}lvlText")) or "",
                start=int(_val(lvl.find(f"{W}start")) or 1),
            )
        abstract[_val(node, "abstractNumId") or ""] = levels
    found: dict[str, dict[int, _Level]] = {}
    for num in root.iter(f"{W}num"):
        levels = dict(abstract.get(_val(num.find(f"{W}abstractNumId")) or "", {}))
        for override in num.iter(f"{W}lvlOverride"):
            start = _val(override.find(f"{W}startOverride"))
            ilvl = int(_val(override, "ilvl") or 0)
            if start and ilvl in levels:
                levels[ilvl] = _Level(levels[ilvl].fmt, levels[ilvl].text, int(start))
        found[_val(num, "numId") or ""] = levels
    return found


_styles = _PartCache(_read_styles_part)
_numbering_levels = _PartCache(_read_numbering_part)


class _Reader:
    def __init__(self, archive: zipfile.ZipFile, data: bytes, path: str) -> None:
        self.archive = archive
        self.data = data
        self.path = path
        self.frames: list[etree._Element] = []
        self.styles = self._read_styles()
        self.numbering = self._read_numbering()
        self.note_texts = self._read_notes()
        self.notes = NoteRegistry()
        self.blocks: list[Block] = []

    def member(self, name: str) -> zipfile.ZipInfo | None:
        """Member `name` of the archive, None when there is none; refused when too large."""
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            return None
        if info.file_size > _MAX_PART:
            raise ParseError(f"{self.path}: part {name} is too large ({info.file_size} bytes)")
        return info

    def raw_part(self, name: str) -> bytes | None:
        """The bytes of part `name`, None when the archive has no such part."""
        info = self.member(name)
        return None if info is None else self.archive.read(info)

    def cached_part(self, name: str, cache: _PartCache[T]) -> T | None:
        """What `cache` read from part `name`, None when the archive has no such part."""
        info = self.member(name)
        if info is None:
            return None
        stored = _stored_form(self.archive, info, self.data)
        return cache(stored, lambda: self.archive.read(info))

    def part(self, name: str) -> etree._Element | None:
        data = self.raw_part(name)
        if data is None:
            return None
        try:
            return etree.fromstring(data, parser=safe_parser())
        except etree.XMLSyntaxError as exc:
            raise ParseError(f"{self.path}: broken XML in {name} ({exc})") from exc

    def _read_styles(self) -> _Styles:
        try:
            styles = self.cached_part("word/styles.xml", _styles)
        except etree.XMLSyntaxError as exc:
            raise ParseError(f"{self.path}: broken XML in word/styles.xml ({exc})") from exc
        return _Styles(None) if styles is None else styles

    def _read_numbering(self) -> _Numbering:
        try:
            levels = self.cached_part("word/numbering.xml", _numbering_levels)
        except etree.XMLSyntaxError as exc:
            raise ParseError(f"{self.path}: broken XML in word/numbering.xml ({exc})") from exc
        return _Numbering() if levels is None else _Numbering(levels=levels)

    def _read_notes(self) -> dict[str, str]:
        """Note texts by reference key: `footnote:<w:id>` and `endnote:<w:id>`.

        Endnotes are numbered in the same sequence as footnotes (order of first reference): a
        letter uses one kind or the other, and the tables have one footnote number column.
        """
        texts: dict[str, str] = {}
        for kind in ("footnote", "endnote"):
            root = self.part(f"word/{kind}s.xml")
            if root is None:
                continue
            for note in root.iter(f"{W}{kind}"):
                if _val(note, "type") not in (None, "normal"):
                    continue
                lines = [" ".join(self.lines(p, [])) for p in note.iter(f"{W}p")]
                texts[f"{kind}:{_val(note, 'id')}"] = normalize_space(" ".join(lines))
        return texts

    def lines(self, paragraph: etree._Element, refs: list[int]) -> list[str]:
        """The printed lines of a paragraph (split at `w:br`), tabs kept, note markers recorded."""
        lines = [""]
        state = {"skip_mark": False}

        def visit(node: etree._Element) -> None:
            for child in node:
                tag = child.tag
                if not isinstance(tag, str) or tag in _SKIPPED:
                    continue
                if tag == _R and _is_hidden(child):
                    continue
                if tag == _T:
                    if state["skip_mark"]:
                        state["skip_mark"] = False
                    else:
                        lines[-1] += child.text or ""
                elif tag == _TEXT_BOX:
                    self.frames.extend(child.iter(_P))
                elif tag in _TABS:
                    lines[-1] += "\t"
                elif tag in _BREAKS:
                    if _val(child, "type") not in ("page", "column"):
                        lines.append("")
                elif tag == _NO_BREAK_HYPHEN:
                    lines[-1] += "-"
                elif tag == _SOFT_HYPHEN:
                    lines[-1] += "\u00ad"
                elif kind := _NOTE_REFERENCES.get(tag):
                    key = f"{kind}:{_val(child, 'id')}"
                    if key in self.note_texts:
                        refs.append(self.notes.refer(key))
                        self.notes.define(key, self.note_texts[key])
                    state["skip_mark"] = _val(child, "customMarkFollows") in ("1", "true", "on")
                else:
                    visit(child)

        visit(paragraph)
        return lines

    def _kind(self, paragraph: etree._Element) -> tuple[BlockKind, int, str | None]:
        """Kind, level and list label of a paragraph, from its own properties and its style.

        Numbering is counted for every numbered paragraph, headings included (`1. Inleiding`),
        so later list labels come out as printed.
        """
        props = paragraph.find(f"{W}pPr")
        style_id = _val(props.find(f"{W}pStyle")) if props is not None else None
        traits = self.styles.traits(style_id)
        num = props.find(f"{W}numPr") if props is not None else None
        num_id = _val(num.find(f"{W}numId")) if num is not None else None
        ilvl = int(_val(num.find(f"{W}ilvl")) or 0) if num is not None else 0
        if num_id is None and traits.num_id:
            num_id, ilvl = traits.num_id, traits.ilvl
        numbered = bool(num_id) and num_id != "0"
        label = self.numbering.label(num_id, ilvl) if numbered else None
        if traits.heading is not None:
            return *traits.heading, label
        outline = _val(props.find(f"{W}outlineLvl")) if props is not None else None
        if outline is None:
            outline = traits.outline
        if outline and outline.isdigit() and int(outline) < 9:
            return "heading", int(outline) + 1, label
        if numbered:
            return "list_item", ilvl, label
        return "paragraph", 0, None

    def paragraph(self, paragraph: etree._Element, out: list[Block]) -> None:
        """Append the blocks of one `w:p`: its text boxes first (they float beside it), then it.

        A numbered paragraph gets its printed label (`1.`, `a)`) in front, as a reader sees it;
        bullets get none, as text converters drop them too.
        """
        self.frames = []
        refs: list[int] = []
        lines = self.lines(paragraph, refs)
        frames = self.frames
        for frame in frames:
            self.paragraph(frame, out)
        kind, level, label = self._kind(paragraph)
        if label and normalize_space("".join(lines)):
            lines[0] = f"{label} {lines[0]}"
        block = make_block(lines, kind, level, refs)
        if block is not None:
            out.append(block)

    def table(self, table: etree._Element, out: list[Block]) -> None:
        rows = (row for row in table if row.tag == f"{W}tr")
        out.extend(read_table(rows, f"{W}tc", self.body))

    def body(self, container: etree._Element, out: list[Block]) -> None:
        """Blocks of a body-level container (`w:body`, a table cell, a content control)."""
        for child in container:
            if child.tag == _P:
                self.paragraph(child, out)
            elif child.tag == _TBL:
                self.table(child, out)
            elif child.tag in _CONTAINERS:
                self.body(child, out)

    def header_parts(self, document: etree._Element) -> list[str]:
        """The page-header parts, the first page's first.

        The letterhead lives in the header of the first page when the first section has a
        different first page (`w:titlePg` with a `first` header); a follow-page header may repeat
        the date from an older draft, and the value read first is the one kept.
        """
        names = sorted(n for n in self.archive.namelist() if re.match(r"word/header\d*\.xml$", n))
        section = next(document.iter(f"{W}sectPr"), None)
        rels = self.part("word/_rels/document.xml.rels")
        if section is None or rels is None:
            return names
        targets = {
            rel.get("Id"): f"word/{rel.get('Target', '').lstrip('/')}"
            for rel in rels.iter(f"{RELS}Relationship")
        }
        kinds = ["first"] if section.find(f"{W}titlePg") is not None else []
        kinds.append("default")
        ranked = [
            targets.get(ref.get(f"{R}id"))
            for kind in kinds
            for ref in section.iterchildren(f"{W}headerReference")
            if _val(ref, "type") == kind
        ]
        first = [name for name in ranked if name in names]
        return list(dict.fromkeys(first + names))

    def letterhead(self, document: etree._Element) -> list[Block]:
        """Letterhead fields from the page headers, label and value joined on one line, and the
        addressee printed under the return address (`> Retouradres ...`) in a header.

        Each label is taken once, from the first header that prints a value for it; a label
        without one (a template's empty `Ons kenmerk`) is left out, so the letter's first line is
        not read as its value.
        """
        found: list[Block] = []
        labels: set[str] = set()
        for name in self.header_parts(document):
            root = self.part(name)
            blocks: list[Block] = []
            self.body(root, blocks)
            texts = [block.text for block in blocks]
            index = 0
            while index < len(texts):
                text = texts[index]
                index += 1
                if _RETURN_ADDRESS.search(text) and "addressee" not in labels:
                    lines = list(takewhile(_is_address_line, texts[index:]))
                    if lines:
                        labels.add("addressee")
                        found.append(Block(text=" ".join(lines), layout="\n".join(lines)))
                        index += len(lines)
                    continue
                label = _LETTERHEAD.match(text)
                if label is None:
                    continue
                if len(text.split()) <= 2 and index < len(texts) and _is_value(texts[index]):
                    text = f"{text} {texts[index]}"
                    index += 1
                key = label.group(0).lower()
                if key not in labels and key not in _SENDER_LABELS and text[label.end() :].strip():
                    labels.add(key)
                    found.append(Block(text=text, layout=text))
        return found


def _is_value(text: str) -> bool:
    """Whether a header line can be the value of the label before it (not a label, not a page
    number)."""
    return not (_LETTERHEAD.match(text) or _PAGE_NUMBER.match(text))


def _is_address_line(text: str) -> bool:
    return bool(text) and not _LETTERHEAD.match(text) and len(text) <= 80


def parse_docx(data: bytes, path: str, sha256: str) -> Document:
    """Parse a Word .docx letter into the document model."""
    with open_archive(data, path, ".docx") as archive:
        reader = _Reader(archive, data, path)
        document = reader.part("word/document.xml")
        if document is None:
            raise ParseError(f"{path}: a zip archive without word/document.xml, not a .docx")
        body = document.find(f"{W}body")
        blocks = reader.letterhead(document)
        if body is not None:
            reader.body(body, blocks)
        encoding = (document.getroottree().docinfo.encoding or "utf-8").lower()
    return Document(
        source_path=path,
        source_format="docx",
        source_sha256=sha256,
        blocks=blocks,
        footnotes=reader.notes.with_typed_notes(blocks),
        encoding=encoding,
    )
