"""HTML pages of letters: zoek.officielebekendmakingen.nl (and its repository XHTML) and
tweedekamer.nl document pages.

KOOP's HTML is generated from its XML and its class names mirror the XML elements
(`p.ondertekening > span.functie + span.naam`, `div.noot`, `ul.expliciet > li > span.ol`), so the
same facts can be read: signers from the signature markup, footnotes from the note list with their
markers where they stand. The page chrome around the letter (navigation, the metadata table, the
table of contents, scripts) is left out by reading only the letter's container when there is one.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from pipelines.formats.common import POWER_BASE_WIDTH, decode_text, is_raised_power
from pipelines.formats.koop_xml import normalize_dossier_number, normalize_parliamentary_year
from pipelines.formats.structured import NoteRegistry, collapse_space, make_block
from pipelines.model import Block, BlockKind, Document, ParseError, Signer

_CONTAINERS = tuple(
    etree.XPath(path)
    for path in (
        "/descendant::*[@id='broodtekst']",
        "/descendant::div[contains(concat(' ', normalize-space(@class), ' '), ' stuk ')]",
        "/descendant::*[contains(concat(' ', normalize-space(@class), ' '), ' m-modal__content ')]",
        "/descendant::article",
        "/descendant::main",
        "/descendant::body",
    )
)
"""Where the letter is on a page, most specific first; compiled once, as every page asks.
`/descendant::x` selects what `//x` does (no step has a position) and libxml2 evaluates it a
fifth faster, without the node set of every node that `//` stands for."""
_DROPPED = {"script", "style", "noscript", "nav", "header", "footer", "form", "button", "template"}
_DROPPED_IDS = {"inhoudsopgave", "kopregel", "voetregel", "noten"}
_DROPPED_CLASSES = {"note-close", "toc", "footnotes", "noten", "voetnoten"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {"p", "li", "dt", "dd", "blockquote", "pre", "address", "caption", *_HEADINGS}
_CONTAINER_TAGS = {"p", "div", "section", "ul", "ol", "table", "blockquote", "dl", *_HEADINGS}
_NOTE_LIST = etree.XPath(
    "/descendant::*[@id='noten']/descendant::*"
    "[contains(concat(' ', normalize-space(@class), ' '), ' noot ')]"
    " | /descendant::*[@id][contains(concat(' ', normalize-space(@class), ' '), ' noot ')]"
    " | /descendant::*[@id='noten']/ol/li"
    " | /descendant::section[contains(@class, 'footnotes')]/descendant::li"
    " | /descendant::li[starts-with(@id, 'footnote-') or starts-with(@id, 'fn')]"
)
"""The footnotes of a page. Compiled once; an element's `@id` is asked for before its class is
normalized, which only elements with an id need; `/descendant::` as in `_CONTAINERS`."""
_BULLET_LABEL = re.compile(r"^[-\u2013\u2014\u2022\u00b7\u25aa\u25e6*]$")
_KST_ID = re.compile(r"^kst-(?P<dossier>\d{5}(?:-[A-Z0-9]{1,6})*)-(?P<nr>\d+[a-z]?|[A-Z]{1,3})$")


def _classes(element: etree._Element) -> set[str]:
    return set((element.get("class") or "").split())


def _is_dropped(element: etree._Element) -> bool:
    return (
        element.tag in _DROPPED
        or element.get("id") in _DROPPED_IDS
        or bool(_classes(element) & _DROPPED_CLASSES)
    )


def _fragment(href: str) -> str | None:
    return href.split("#", 1)[1] if "#" in href else None


class _Reader:
    """Walks the letter's container, collecting blocks, note markers and signers."""

    def __init__(self, notes: dict[str, tuple[str, str]]) -> None:
        self.note_ids = notes
        self.notes = NoteRegistry()
        self.blocks: list[Block] = []
        self.signers: list[Signer] = []

    def _marker(self, element: etree._Element) -> tuple[str, str] | None:
        """The note (key, text) a footnote marker links to, or None when `element` is no marker."""
        if element.tag != "a":
            return None
        target = _fragment(element.get("href") or "")
        if target is None:
            return None
        return self.note_ids.get(target) or self.note_ids.get(f"supernote-note-{target}")

    def lines(self, element: etree._Element, refs: list[int]) -> list[str]:
        """The printed lines of `element` (split at `br`), note markers taken out."""
        lines: list[list[str]] = [[]]  # each line's pieces, joined once: a line can be long

        def visit(node: etree._Element) -> None:
            for child in node:
                if not isinstance(child.tag, str) or _is_dropped(child):
                    lines[-1].append(child.tail or "")
                    continue
                note = self._marker(child)
                if note is not None:
                    refs.append(self.notes.refer(note[0]))
                    self.notes.define(*note)
                elif child.tag == "sup" and self._only_marker(child):
                    visit(child)
                elif child.tag == "sup" and (number := _bare_marker(child, lines[-1])) is not None:
                    refs.append(number)
                elif child.tag == "br":
                    lines.append([])
                else:
                    lines[-1].append(child.text or "")
                    visit(child)
                lines[-1].append(child.tail or "")

        lines[-1].append(element.text or "")
        visit(element)
        return [collapse_space("".join(line)) for line in lines]

    def _is_note(self, element: etree._Element) -> bool:
        """True for a footnote's own element (mammoth's `li#footnote-1`), read as a note."""
        return element.tag in ("li", "div") and element.get("id") in self.note_ids

    def _only_marker(self, sup: etree._Element) -> bool:
        return any(self._marker(child) is not None for child in sup)

    def add(self, lines: list[str], kind: BlockKind, level: int, refs: list[int]) -> None:
        block = make_block(lines, kind, level, refs)
        if block is not None:
            self.blocks.append(block)

    def walk(self, element: etree._Element, list_level: int = -1) -> None:
        for child in element:
            if not isinstance(child.tag, str) or _is_dropped(child) or self._is_note(child):
                continue
            self.block(child, list_level)

    def block(self, element: etree._Element, list_level: int) -> None:
        tag, classes = element.tag, _classes(element)
        if "ondertekening" in classes:
            self._signature(element)
        elif tag in ("ul", "ol"):
            self.walk(element, list_level + 1)
        elif tag == "li" and _has_block_children(element):
            self._list_item(element, list_level)
        elif tag == "tr":
            self._row(element)
        elif tag in _BLOCKS and not _has_block_children(element):
            refs: list[int] = []
            lines = self.lines(element, refs)
            if tag == "li" or "labeled" in classes:
                self.add(_unbullet(lines), "list_item", max(list_level, 0), refs)
            elif tag in _HEADINGS or "tussenkop" in classes:
                self.add(lines, "heading", _HEADINGS.get(tag, 0), refs)
            else:
                self.add(lines, "paragraph", 0, refs)
        elif _has_own_text(element):
            refs = []
            self.add(self.lines(element, refs), "paragraph", 0, refs)
        else:
            self.walk(element, list_level)

    def _list_item(self, item: etree._Element, list_level: int) -> None:
        for child in item:
            if not isinstance(child.tag, str) or _is_dropped(child):
                continue
            if child.tag == "p":
                refs: list[int] = []
                self.add(_unbullet(self.lines(child, refs)), "list_item", max(list_level, 0), refs)
            else:
                self.block(child, list_level)

    def _row(self, row: etree._Element) -> None:
        """A table row as one block; side-by-side cells are joined line by line with a tab.

        A cell holding a role and a name as two paragraphs gives two lines, so a 2-column
        signature table reads `role<TAB>role` / `name<TAB>name`, as the Word parser reads it.
        """
        refs: list[int] = []
        columns = [self._cell_lines(cell, refs) for cell in row if cell.tag in ("td", "th")]
        depth = max((len(column) for column in columns), default=0)
        lines = [
            "\t".join(column[i] for column in columns if i < len(column) and column[i])
            for i in range(depth)
        ]
        self.add(lines, "paragraph", 0, refs)

    def _cell_lines(self, cell: etree._Element, refs: list[int]) -> list[str]:
        paragraphs = [child for child in cell if child.tag in ("p", "div")]
        if not paragraphs:
            return [line for line in self.lines(cell, refs) if line]
        return [line for p in paragraphs for line in self.lines(p, refs) if line]

    def _signature(self, element: etree._Element) -> None:
        role = " ".join(
            collapse_space("".join(span.itertext()))
            for span in element.iter()
            if "functie" in _classes(span)
        )
        name = " ".join(
            collapse_space(" ".join(span.itertext()))
            for span in element.iter()
            if "naam" in _classes(span)
        )
        if not role and not name:
            refs: list[int] = []
            self.add(self.lines(element, refs), "paragraph", 0, refs)
            return
        role, name = collapse_space(role), collapse_space(name)
        self.signers.append(Signer(role=role.rstrip(" ,") or None, name=name or None))
        self.add([role], "paragraph", 0, [])
        self.add([name], "paragraph", 0, [])


def _bare_marker(sup: etree._Element, line: list[str]) -> int | None:
    """The number of a `<sup>1</sup>` note marker that links nowhere (the page has no notes);
    none for the power in `m<sup>2</sup>`, which the pieces of `line` so far end with the unit
    of. Only the end of the line is read, so a line of many markers costs no more per marker."""
    text = "".join(sup.itertext()).strip()
    if not re.fullmatch(r"\d{1,3}", text):
        return None
    before = ""
    for piece in reversed(line):
        before = piece + before
        if len(before) >= POWER_BASE_WIDTH:
            break
    return None if is_raised_power(before[-POWER_BASE_WIDTH:], text) else int(text)


def _has_block_children(element: etree._Element) -> bool:
    return any(child.tag in _CONTAINER_TAGS for child in element)


def _has_own_text(element: etree._Element) -> bool:
    return bool(collapse_space(element.text or "")) or any(
        collapse_space(child.tail) for child in element if child.tail
    )


def _unbullet(lines: list[str]) -> list[str]:
    """Drop a bullet label (`–`, `•`) the way text parsers do; keep `a.` or `1.` labels."""
    if lines and lines[0]:
        first, _, rest = lines[0].partition(" ")
        if _BULLET_LABEL.match(first):
            return [rest, *lines[1:]]
    return lines


def _read_notes(tree: etree._Element) -> dict[str, tuple[str, str]]:
    """Every footnote on the page by each id a marker can link to: its key and its text.

    The number label is removed from the text; the key is the note's first id, so markers that
    link to the note's container or to an anchor inside it count as the same note.
    """
    notes: dict[str, tuple[str, str]] = {}
    for note in _NOTE_LIST(tree):
        parts = [
            collapse_space("".join(p.itertext())) for p in note.iter("p") if not _is_dropped(p)
        ]
        if not parts:
            parts = [collapse_space("".join(note.itertext()))]
        text = re.sub(r"^\d+[.)]?\s+", "", " ".join(part for part in parts if part))
        text = re.sub(r"\s*[\u21a9\u2191]\ufe0e?$", "", text)
        ids = [e.get("id") for e in note.iter() if isinstance(e.tag, str) and e.get("id")]
        for note_id in ids:
            notes.setdefault(note_id, (ids[0], text))
    return notes


def _read_meta(tree: etree._Element) -> dict[str, str]:
    """Facts the page head states (`DC.identifier` / `dcterms.identifier`, OVERHEIDop fields)."""
    facts: dict[str, str] = {}
    for meta in tree.iter("meta"):
        name = (meta.get("name") or "").lower()
        content = collapse_space(meta.get("content") or "")
        if not content:
            continue
        if name in ("dc.identifier", "dcterms.identifier") and (match := _KST_ID.match(content)):
            facts.setdefault("dossier_number", match.group("dossier"))
            facts.setdefault("document_number", match.group("nr"))
        elif name == "overheidop.dossiernummer":
            facts.setdefault("dossier_number", normalize_dossier_number(content))
        elif name == "overheidop.ondernummer":
            facts.setdefault("document_number", content)
        elif name == "overheidop.vergaderjaar" and (year := normalize_parliamentary_year(content)):
            facts.setdefault("parliamentary_year", year)
        elif name == "overheidop.dossiertitel":
            facts.setdefault("dossier_title", content)
        elif name == "overheidop.datumbrief" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", content):
            facts.setdefault("date", content)
    return facts


def parse_html(data: bytes, path: str, sha256: str) -> Document:
    """Parse an HTML letter page into the document model.

    The tree is built by lxml's plain HTML parser, not `lxml.html`'s: it is read with the etree
    API only, and `lxml.html` looks up the class of every element touched with a Python call.
    """
    text, encoding = decode_text(data, path)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        tree = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"{path}: broken HTML ({exc})") from exc
    for element in tree.iter():
        if isinstance(element.tag, str) and ":" in element.tag:
            element.tag = element.tag.split(":", 1)[1]
    container = next((found[0] for xpath in _CONTAINERS if (found := xpath(tree))), tree)
    reader = _Reader(_read_notes(tree))
    reader.walk(container)
    metadata = _read_meta(tree)
    return Document(
        source_path=path,
        source_format="html",
        source_sha256=sha256,
        blocks=reader.blocks,
        footnotes=reader.notes.footnotes(reader.blocks),
        encoding=encoding,
        metadata=metadata,
        signers=reader.signers or None,
    )
