"""officielebekendmakingen.nl XML: Kamerstukken as KOOP publishes them (`kst-*.xml`).

Two dialects are read: the 2010+ `officiele-publicatie/kamerstuk` schema and the 1995-2009
`kamerwrk` schema. The structure is read directly instead of flattening to text first, because the
XML states what text only suggests: the dossier number, ondernummer, vergaderjaar, the letter's
date (`datum/@isodatum`) and each signer's role and name. Those facts go into
`Document.metadata` and `Document.signers`; the printed lines still become blocks, in reading
order, so the body and its footnotes come out as they do from a PDF or Word copy of the letter.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from pipelines.formats.common import dutch_title_case, unicode_bom
from pipelines.formats.structured import NoteRegistry, collapse_space, make_block, safe_parser
from pipelines.model import Block, BlockKind, Document, ParseError, Signer

LETTER_ROOTS = {"officiele-publicatie", "kamerwrk", "kamerstuk"}
METADATA_ROOTS = {"metadata_gegevens", "owms-metadata"}

_YEAR = re.compile(r"(\d{4})\s*[-\u2013\u2014/]\s*(\d{4}|\d{2})\b")
_DOSSIER = re.compile(r"^(\d{2})\s?(\d{3})(.*)$")
_BRIEF_VAN = re.compile(r"^brief van (?:de|het) (?P<sender>.+)$", re.I)
_BULLET_LABEL = re.compile(r"^[-\u2013\u2014\u2022\u00b7\u25aa\u25e6*]$")

_PARAGRAPHS = {"al", "considerans.al", "slotformulering", "wij", "dagtekening"}
_HEADINGS = {"tussenkop", "tuskop", "kop", "titel", "subtitel", "intitule"}
_SKIPPED = {"metadata", "plaatje", "illustratie", "witreg", "voetnoot", "noot", "frontm"}
_SIGNATURES = {"ondertekening", "ondtek"}
_NOTE_REFS = {"nootref", "voetref"}
_LABELS = {"noot.nr", "li.nr"}


def parse_xml_bytes(data: bytes, path: str) -> tuple[etree._Element, str]:
    """Parse XML bytes with the safe parser; return the root and the encoding that was used.

    A file saved by a Windows tool can be Windows-1252 while declaring nothing (so UTF-8) or
    UTF-8; it is read as Windows-1252 when it is not valid UTF-8, as text files are. A syntax
    error becomes a ParseError naming `path`.
    """
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        if "utf-8" not in str(exc).lower() and "encoding" not in str(exc).lower():
            raise ParseError(f"{path}: broken XML ({exc})") from exc
        try:
            return etree.fromstring(data, parser=safe_parser("windows-1252")), "cp1252"
        except etree.XMLSyntaxError:
            raise ParseError(f"{path}: broken XML ({exc})") from exc
    marked = unicode_bom(data)
    if marked is not None:  # named as for text files: the byte order only a BOM tells
        return root, "utf-8-sig" if marked[1] == "utf-8" else marked[1]
    return root, (root.getroottree().docinfo.encoding or "utf-8").lower()


def normalize_dossier_number(printed: str) -> str:
    """`34 300 VII`, `34 300-VII`, `33 783` -> `34300-VII`, `34300-VII`, `33783`."""
    printed = printed.replace("\u2013", "-").strip()
    match = _DOSSIER.match(printed)
    if not match:
        return collapse_space(printed)
    suffix = [part for part in re.split(r"[\s-]+", match.group(3)) if part]
    return "-".join([match.group(1) + match.group(2), *suffix])


def normalize_parliamentary_year(printed: str) -> str | None:
    """`Vergaderjaar 2019–2020`, `2019/20`, `20192020` -> `2019-2020`."""
    compact = re.fullmatch(r"\s*(\d{4})(\d{4})\s*", printed)
    match = compact or _YEAR.search(printed)
    if not match:
        return None
    start = int(match.group(1))
    second = match.group(2)
    end = int(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    return f"{start}-{end}" if end == start + 1 else None


def doc_type_facts(title: str) -> dict[str, str]:
    """`BRIEF VAN DE MINISTER VAN BUITENLANDSE ZAKEN` -> doc_type and sender, as rows hold them."""
    title = collapse_space(title).rstrip(" ,.")
    lowered = title.lower()
    facts: dict[str, str] = {}
    match = re.match(r"^(brief van (?:de|het) [\w-]+)", lowered)
    facts["doc_type"] = match.group(1) if match else lowered.split(",")[0].strip()
    sender = _BRIEF_VAN.match(title)
    if sender:
        facts["sender"] = dutch_title_case(sender.group("sender"))
    return facts


def house_name(text: str) -> str | None:
    """`Tweede Kamer der Staten-Generaal` -> `Tweede Kamer`."""
    match = re.search(r"\b(Tweede|Eerste)\s+Kamer\b", text, re.I)
    return f"{match.group(1).capitalize()} Kamer" if match else None


def _has_own_text(element: etree._Element) -> bool:
    """True for mixed content (text beside or between children), which reads as one paragraph."""
    return bool(collapse_space(element.text or "")) or any(
        collapse_space(child.tail) for child in element if child.tail
    )


@lru_cache(maxsize=512)
def _local_name(tag: str) -> str:
    """The tag without its namespace; a document uses a few dozen tags, each asked for often."""
    return etree.QName(tag).localname


def _local(element: etree._Element) -> str:
    tag = element.tag
    return _local_name(tag) if isinstance(tag, str) else ""


class _Reader:
    """Walks one KOOP document, collecting blocks, notes, signers and stated facts."""

    def __init__(self, root: etree._Element) -> None:
        self.blocks: list[Block] = []
        self.notes = NoteRegistry()
        self.signers: list[Signer] = []
        self.metadata: dict[str, str] = {}
        self._unnamed_notes = 0
        self._cites: list[tuple[str, str]] = []
        self._legacy_notes = {
            key: note
            for note in root.iter("voetnoot")
            for key in (note.get("id"), note.get("nr"))
            if key
        }

    def inline(
        self, element: etree._Element, refs: list[int], skip: frozenset[str] = frozenset()
    ) -> str:
        """The printed text of `element`; footnotes are taken out and their markers recorded.

        Elements named in `skip` are left out but their tails kept, which is how a signer's role
        is read from an `ondertekening` that mixes the role's words with the `naam` element.
        """
        parts = [element.text or ""]
        for child in element:
            name = _local(child)
            if name == "extref" and child.get("soort") == "document" and child.get("doc"):
                self._cites.append(
                    (child.get("doc").strip(), collapse_space("".join(child.itertext())))
                )
            if name == "noot" and name not in skip:
                refs.append(self._note(child))
            elif name in _NOTE_REFS:
                refs.append(self._note_reference(child))
            elif name not in skip and name not in _LABELS:
                parts.append(self.inline(child, refs, skip))
            parts.append(child.tail or "")
        return "".join(parts)

    def _note(self, note: etree._Element) -> int:
        """Number a `noot` where it stands and keep its text; its `noot.nr` is not trusted."""
        key = note.get("id")
        if not key:
            self._unnamed_notes += 1
            key = f"unnamed-{self._unnamed_notes}"
        number = self.notes.refer(key)
        self.notes.define(key, *self._note_text(note))
        return number

    def _note_reference(self, element: etree._Element) -> int:
        key = element.get("refid") or element.get("ref") or element.get("id") or ""
        legacy = self._legacy_notes.get(key)
        if legacy is None:
            legacy = self._legacy_notes.get(collapse_space(element.text or ""))
        if legacy is not None:
            key = legacy.get("id") or legacy.get("nr") or key
            self.notes.define(key, *self._note_text(legacy))
        return self.notes.refer(key)

    def _note_text(self, note: etree._Element) -> tuple[str, list[tuple[str, str]]]:
        """The note's text and the documents it cites, which belong to the note and not to the
        block its marker stands in."""
        outer, self._cites = self._cites, []
        paragraphs = [child for child in note if _local(child) not in ("noot.nr", "nr")]
        if not paragraphs:
            text = self.inline(note, [])
        else:
            text = " ".join(self.inline(child, []) for child in paragraphs)
        cites, self._cites = self._cites, outer
        return text, cites

    def add(
        self,
        text: str,
        kind: BlockKind = "paragraph",
        level: int = 0,
        refs: list[int] | None = None,
    ) -> None:
        block = make_block([collapse_space(text)], kind, level, refs)
        if block is not None:
            block.cites, self._cites = self._cites, []
            self.blocks.append(block)

    def add_inline(self, element: etree._Element, kind: BlockKind = "paragraph") -> None:
        refs: list[int] = []
        text = self.inline(element, refs)
        self.add(text, kind, refs=refs)

    def walk(self, element: etree._Element, level: int = 0) -> None:
        """Turn the block-level children of `element` into blocks, in document order."""
        for child in element:
            self.block(child, level)

    def block(self, element: etree._Element, level: int = 0) -> None:
        self._cites = []
        name = _local(element)
        if name in _SKIPPED:
            return
        if name in _PARAGRAPHS:
            self.add_inline(element)
        elif name in _HEADINGS:
            self._heading(element)
        elif name in _SIGNATURES:
            self._signature(element)
        elif name == "lijst":
            for item in element:
                self._list_item(item, level)
        elif name == "table":
            self._table(element)
        elif name == "datumtekst":
            self._date_line(element)
        elif name == "tekstregel":
            self._header_line(element)
        elif _has_own_text(element):
            self.add_inline(element)
        else:
            self.walk(element, level)

    def _heading(self, element: etree._Element) -> None:
        parts = [child for child in element if _local(child) in ("label", "nr", "titel")]
        if not parts:
            self.add_inline(element, "heading")
            return
        refs: list[int] = []
        text = " ".join(collapse_space(self.inline(part, refs)) for part in parts)
        self.add(text, "heading", refs=refs)

    def _list_item(self, item: etree._Element, level: int) -> None:
        if _local(item) != "li":
            self.block(item, level)
            return
        label = ""
        for child in item:
            if _local(child) == "li.nr":
                label = collapse_space(child.text or "")
        prefix = "" if not label or _BULLET_LABEL.match(label) else f"{label} "
        for child in item:
            name = _local(child)
            if name == "li.nr":
                continue
            if name == "lijst":
                for nested in child:
                    self._list_item(nested, level + 1)
                continue
            refs: list[int] = []
            text = self.inline(child, refs)
            self.add(prefix + text, "list_item", level, refs)
            prefix = ""

    def _table(self, table: etree._Element) -> None:
        for row in table.iter("row"):
            refs: list[int] = []
            cells = [collapse_space(self.inline(entry, refs)) for entry in row.iter("entry")]
            block = make_block(["\t".join(cell for cell in cells if cell)], refs=refs)
            if block is not None:
                block.cites, self._cites = self._cites, []
                self.blocks.append(block)

    def _header_line(self, element: etree._Element) -> None:
        """A `kamerstukkop` / `kamervraagkop` line: the vergaderjaar or the chamber."""
        text = collapse_space("".join(element.itertext()))
        if (year := normalize_parliamentary_year(text)) and "vergaderjaar" in text.lower():
            self.metadata.setdefault("parliamentary_year", year)
        elif house := house_name(text):
            self.metadata.setdefault("house", house)
        self.add(text)

    def _date_line(self, element: etree._Element) -> None:
        for when in element.iter("datum"):
            if when.get("isodatum"):
                self.metadata.setdefault("date", when.get("isodatum"))
        self.add_inline(element)

    def _signature(self, element: etree._Element) -> None:
        role = collapse_space(self.inline(element, [], frozenset({"naam"})))
        names = [collapse_space(" ".join(n.itertext())) for n in element if _local(n) == "naam"]
        name = collapse_space(" ".join(names))
        self.signers.append(Signer(role=role.rstrip(" ,") or None, name=name or None))
        self.add(role)
        self.add(name)


def _read_kamerstuk(reader: _Reader, kamerstuk: etree._Element) -> None:
    for child in kamerstuk:
        name = _local(child)
        if name == "dossier":
            _read_dossier(reader, child)
        elif name == "stuk":
            _read_stuk(reader, child)
        else:
            reader.block(child)


def _read_dossier(reader: _Reader, dossier: etree._Element) -> None:
    for child in dossier:
        name = _local(child)
        if name == "dossiernummer":
            parts = [collapse_space(" ".join(part.itertext())) for part in child] or [
                collapse_space(child.text or "")
            ]
            printed = " ".join(part for part in parts if part)
            reader.metadata.setdefault("dossier_number", normalize_dossier_number(printed))
            reader.add(printed)
        elif name == "titel":
            refs: list[int] = []
            title = collapse_space(reader.inline(child, refs))
            reader.metadata.setdefault("dossier_title", title)
            reader.add(title, refs=refs)
        else:
            reader.block(child)


def _document_title(reader: _Reader, title: etree._Element, facts: dict[str, str]) -> None:
    """A document's title as its heading; the document type it names joins `facts`."""
    refs: list[int] = []
    text = reader.inline(title, refs)
    for key, value in doc_type_facts(text).items():
        facts.setdefault(key, value)
    reader.add(text, "heading", refs=refs)


def _read_stuk(reader: _Reader, stuk: etree._Element) -> None:
    facts = reader.metadata
    for child in stuk:
        name = _local(child)
        if name == "stuknr":
            for number in child.iter("ondernummer"):
                facts.setdefault("document_number", collapse_space(number.text or ""))
                if number.get("kamer") in ("1", "2") and "house" not in facts:
                    facts["house"] = (
                        "Eerste Kamer" if number.get("kamer") == "1" else "Tweede Kamer"
                    )
            reader.add_inline(child)
        elif name == "titel":
            _document_title(reader, child, facts)
        else:
            reader.block(child)
    if "date" not in facts and (when := _place_date(stuk)):
        facts["date"] = when


def _place_date(stuk: etree._Element) -> str | None:
    """The ISO date of a short `al` with a `datum` (`Den Haag, <datum isodatum=...>`).

    A letter's place-and-date line is a paragraph of its own; a `datum` inside running text is a
    date the letter mentions, not the letter's date.
    """
    for paragraph in stuk.iter("al"):
        for when in paragraph.iter("datum"):
            text = collapse_space("".join(paragraph.itertext()))
            if when.get("isodatum") and len(text) <= 80:
                return when.get("isodatum")
    return None


def _read_kamerwrk(reader: _Reader, root: etree._Element) -> None:
    """The 1995-2009 dialect: `frontm` states the facts, `body/stuk` holds the letter."""
    facts = reader.metadata
    for year in root.iter("vergjaar"):
        if value := normalize_parliamentary_year(collapse_space(" ".join(year.itertext()))):
            facts.setdefault("parliamentary_year", value)
    for onderw in root.iter("onderw"):
        for number in onderw.iter("nummer"):
            facts.setdefault("dossier_number", normalize_dossier_number(number.text or ""))
        for title in onderw.iter("naam"):
            facts.setdefault("dossier_title", collapse_space(" ".join(title.itertext())))
    if root.get("kamer") in ("1", "2"):
        facts["house"] = "Eerste Kamer" if root.get("kamer") == "1" else "Tweede Kamer"
    for body in root.iter("body"):
        for stuk in body.iter("stuk"):
            for child in stuk:
                name = _local(child)
                if name == "nummer":
                    printed = collapse_space(" ".join(child.itertext()))
                    if match := re.search(r"(\d+[a-zA-Z]?|[A-Z]{1,3})$", printed):
                        facts.setdefault("document_number", match.group(1))
                    reader.add(printed if printed.lower().startswith("nr") else f"Nr. {printed}")
                elif name == "titel":
                    _document_title(reader, child, facts)
                elif name == "ltrlabel":
                    continue
                else:
                    reader.block(child)
            return


_RECORD_FIELDS = {
    "dossiernummer": "dossier_number",
    "ondernummer": "document_number",
    "vergaderjaar": "parliamentary_year",
    "datumbrief": "date",
    "dossiertitel": "dossier_title",
    "creator": "house",
}


def read_metadata_record(data: bytes, path: str) -> dict[str, str]:
    """The letter facts of a KOOP `metadata.xml`, in either form, keyed by `letters` column.

    `metadata_gegevens` lists `<metadata name="OVERHEIDop.dossiernummer" content="34851"/>`;
    the OWMS form writes `<overheidop:dossiernummer>34851</overheidop:dossiernummer>`. Names can
    repeat (several dossiers, several indieners): the first value is the letter's own.
    """
    root, _ = parse_xml_bytes(data, path)
    if _local(root) == "metadata_gegevens":
        pairs = [(m.get("name") or "", m.get("content") or "") for m in root if _local(m)]
    elif _local(root) == "owms-metadata":
        pairs = [(_local(e), "".join(e.itertext())) for e in root.iter() if not len(e)]
    else:
        raise ParseError(f"{path}: XML root <{_local(root)}> is not a KOOP metadata record")
    facts: dict[str, str] = {}
    for name, content in pairs:
        key = _RECORD_FIELDS.get(re.sub(r"^.*[.:]", "", name).lower())
        value = collapse_space(content)
        if key is None or not value or key in facts:
            continue
        if key == "dossier_number":
            value = normalize_dossier_number(value)
        elif key == "parliamentary_year":
            value = normalize_parliamentary_year(value) or ""
        elif key == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            value = ""
        elif key == "house":
            value = house_name(value) or ""
        if value:
            facts[key] = value
    return facts


def parse_koop_xml(data: bytes, path: str, sha256: str) -> Document:
    """Parse an officielebekendmakingen XML publication into the document model."""
    root, encoding = parse_xml_bytes(data, path)
    name = _local(root)
    if name in METADATA_ROOTS:
        raise ParseError(
            f"{path}: a KOOP metadata record ({name}), not the text of a letter; it is read "
            "together with the publication XML beside it"
        )
    if name not in LETTER_ROOTS:
        raise ParseError(f"{path}: XML root <{name}> is not a KOOP publication")
    reader = _Reader(root)
    if name == "kamerwrk":
        _read_kamerwrk(reader, root)
    else:
        kamerstuk = root if name == "kamerstuk" else next(root.iter("kamerstuk"), None)
        if kamerstuk is not None:
            _read_kamerstuk(reader, kamerstuk)
        else:
            reader.walk(root)
    if not reader.blocks:
        raise ParseError(f"{path}: the XML publication has no text")
    return Document(
        source_path=path,
        source_format="koop_xml",
        source_sha256=sha256,
        blocks=reader.blocks,
        footnotes=reader.notes.footnotes(reader.blocks),
        encoding=encoding,
        metadata={key: value for key, value in reader.metadata.items() if value},
        signers=reader.signers or None,
    )
