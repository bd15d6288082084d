"""The document model every format parser produces.

Parsers know about their format (Markdown emphasis, KOOP XML elements, OOXML runs); extraction
rules know about Kamerbrieven (headers, signatures, citations). This module is the contract
between the two: a letter as an ordered list of text blocks plus the footnotes printed with it.
Keeping the model this small is what lets one set of extraction rules serve every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SourceFormat = Literal["docx", "odt", "pdf", "koop_xml", "html", "text", "markdown"]
SOURCE_PRECEDENCE: tuple[SourceFormat, ...] = (
    "koop_xml", "odt", "docx", "pdf", "html", "markdown", "text",
)  # fmt: skip
"""Formats from the most structured to the least: when one letter comes in several files, the
first of these formats is published, since it states what the others leave to be read."""
BlockKind = Literal["paragraph", "heading", "list_item"]


class ParseError(Exception):
    """A raw file that cannot be read as a letter; the message says why, for the ingest report."""


@dataclass
class Block:
    """One visual block of the letter: a paragraph, heading or list item, in reading order.

    `text` is whitespace-normalized and free of footnote markers; `layout` keeps the original
    line with its runs of spaces and tabs, because side-by-side signature blocks are only
    recognizable by that spacing.
    """

    text: str
    kind: BlockKind = "paragraph"
    level: int = 0
    layout: str = ""
    note_refs: list[int] = field(default_factory=list)
    cites: list[tuple[str, str]] = field(default_factory=list)
    """(identifier, printed text) of documents this block cites, where the source states the
    identifier (KOOP `extref soort="document"`), so no reading of the citation is needed."""


@dataclass
class Footnote:
    """A footnote as printed: its number, its text and the block that carries its marker."""

    number: int
    text: str
    block_index: int | None = None
    cites: list[tuple[str, str]] = field(default_factory=list)
    """(identifier, printed text) of documents the note cites where the source states the
    identifier, as `Block.cites`: kept with the note so the citation carries its number."""


@dataclass
class Signer:
    """A signer as a format states it: KOOP `ondertekening` (functie + naam), HTML signature
    markup, or the list of signers a web page prints beside the letter."""

    role: str | None
    name: str | None


@dataclass
class PortalSigner:
    """A signer as the Tweede Kamer portal records it (`DocumentActor`)."""

    name: str | None
    function: str | None
    relation: str | None
    party: str | None
    person_id: str | None = None


@dataclass
class PortalCase:
    """A case (`Zaak`) the portal files the document under: `2024Z14098`."""

    number: str
    kind: str | None
    title: str | None


@dataclass
class PortalRecord:
    """The Tweede Kamer portal's record of a document, saved beside its file by the harvester
    (`<DocumentNummer>.tk.json`): what the portal says, kept apart from what the letter prints,
    so extraction can fill gaps with it and report where the two disagree."""

    document_id: str
    document_number: str
    kind: str | None = None
    date: str | None = None
    subject: str | None = None
    parliamentary_year: str | None = None
    dossier_number: str | None = None
    number_in_dossier: str | None = None
    signers: list[PortalSigner] = field(default_factory=list)
    cases: list[PortalCase] = field(default_factory=list)


@dataclass
class Document:
    """A parsed raw file, before any Kamerbrief-specific interpretation.

    `metadata` holds facts a structured format states outright (KOOP XML `dossiernummer`,
    `datum/@isodatum`, metadata.xml), keyed by the `letters` column they fill; extraction prefers
    them to reading the printed header. `signers`, when a format states them, replaces reading
    the signature block from the layout.
    """

    source_path: str
    source_format: SourceFormat
    source_sha256: str
    blocks: list[Block]
    footnotes: list[Footnote] = field(default_factory=list)
    encoding: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    signers: list[Signer] | None = None
    listed_signers: list[Signer] = field(default_factory=list)
    """Signers the page lists beside the letter (tweedekamer.nl, OpenTK): the signatories when
    the text stops before the letter's own signature block."""
    portal: PortalRecord | None = None
    """The portal's record saved beside the file, for letters the harvester fetched."""
