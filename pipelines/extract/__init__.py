"""Extraction rules: from the document model to the rows of the published tables.

Each submodule holds one kind of rule (identity, dates, structure, references, signatories) as plain
functions over `pipelines.model`; this module runs them in order and assembles the rows, keyed by
the field names declared in `schemas/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pipelines.extract.askers import read_askers
from pipelines.extract.classes import doc_class
from pipelines.extract.identity import Identity, read_identity
from pipelines.extract.ids import letter_id as make_letter_id
from pipelines.extract.letterhead import DEPARTMENTAL
from pipelines.extract.links import house_of, kenmerk, official_url, parliamentary_year_of
from pipelines.extract.offices import ministry_of, read_offices
from pipelines.extract.people import normalized_name
from pipelines.extract.portal import fill_from_portal, person_id, signer_disagreement
from pipelines.extract.references import citations
from pipelines.extract.signatories import (
    Signatory,
    find_annex_start,
    find_committee_signature,
    find_inner_signature,
    find_motion_signature,
    find_signature_start,
    parse_signatories,
)
from pipelines.extract.structure import QuestionAnswer, read_structure
from pipelines.formats.common import dutch_title_case, is_upper_heading
from pipelines.model import Block, Document

PARSER_VERSION = "1"
"""Recorded with every letter; bump it when parsing or extraction changes output on purpose.
Cached parses are redone on any change to this code anyway (`pipelines.ingest.cache`)."""

Row = dict[str, Any]
METADATA_FIELDS = frozenset(
    (
        "house",
        "parliamentary_year",
        "dossier_number",
        "dossier_title",
        "document_number",
        "doc_type",
        "sender",
        "addressee",
        "place",
        "date",
        "subject",
    )
)
"""Letter fields a format may state in `Document.metadata`."""
_GOVERNMENT_ROLE = re.compile(r"^(?:de|het)\s+(?:minister|staatssecretaris)", re.I)
BODY_KINDS = ("heading", "paragraph", "list_item", "question", "answer")
CHILD_TABLES = (
    "paragraphs",
    "footnotes",
    "questions",
    "references",
    "signatories",
    "offices",
    "cases",
    "portal_signers",
    "askers",
)


@dataclass
class ParsedLetter:
    """One letter as rows of every table, ready for `pipelines.tables.rows`."""

    letter: Row
    paragraphs: list[Row] = field(default_factory=list)
    footnotes: list[Row] = field(default_factory=list)
    questions: list[Row] = field(default_factory=list)
    references: list[Row] = field(default_factory=list)
    signatories: list[Row] = field(default_factory=list)
    offices: list[Row] = field(default_factory=list)
    cases: list[Row] = field(default_factory=list)
    portal_signers: list[Row] = field(default_factory=list)
    askers: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the ingest report should say about this letter (where the portal disagrees)."""

    def rows(self, table: str) -> list[Row]:
        """The rows of `table` for this letter."""
        return [self.letter] if table == "letters" else getattr(self, table)

    def to_json(self) -> dict[str, Any]:
        """The record `kamerbrieven parse` prints: one key per table, dates as ISO strings."""

        def plain(row: Row) -> Row:
            return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}

        return {
            "letter": plain(self.letter),
            **{t: [plain(r) for r in getattr(self, t)] for t in CHILD_TABLES},
        }


def _sender_from_signatories(doc_type: str | None, signers: list[Signatory]) -> str | None:
    """For a letter without a `BRIEF VAN` heading, the offices that sign it.

    A committee's report (verslag, lijst van vragen) is signed by its chair and clerk, who do not
    send anything: its sender stays null.
    """
    if doc_type is not None and doc_type.startswith(("verslag", "lijst")):
        return None
    roles = [
        dutch_title_case(s.role) if is_upper_heading(s.role) else s.role for s in signers if s.role
    ]
    cleaned = [re.sub(r"^(?:de|het)\s+", "", role, flags=re.I) for role in roles]
    cleaned = [role[:1].upper() + role[1:] for role in cleaned]
    return " en ".join(dict.fromkeys(cleaned)) or None


def _apply_metadata(identity: Identity, metadata: dict[str, str]) -> None:
    """Let facts a structured format states (KOOP XML, metadata.xml) win over the printed header."""
    for key, value in metadata.items():
        if key not in METADATA_FIELDS or not value:
            continue
        setattr(identity, key, date.fromisoformat(value) if key == "date" else value)


def _find_signature(blocks: list[Block], lo: int) -> tuple[int, int]:
    """Block range of the letter's signature: before an annex or at the end (a `Bijlage` heading
    inside the body is no annex), else the submitters' names under a motie, else a committee's
    signature under a report's opening, else a signer's role and name followed by more text; an
    empty range when there is none."""
    annex = find_annex_start(blocks, lo)
    for hi in dict.fromkeys((annex or len(blocks), len(blocks))):
        start = find_signature_start(blocks, lo, hi)
        if start is not None:
            return start, hi
    return (
        find_motion_signature(blocks, lo, annex or len(blocks))
        or find_committee_signature(blocks, lo, len(blocks))
        or find_inner_signature(blocks, lo)
        or (len(blocks), len(blocks))
    )


def _doc_type_from_signers(identity: Identity, signers: list[Signatory]) -> str | None:
    """Where the header does not type the letter, its signers do.

    A `BRIEF AAN ...` heading names the addressee, so the signer's office types the letter; a
    letterhead letter signed by a minister or state secretary is a departmental letter even when
    the text lost the ministry's name.
    """
    doc_type = identity.doc_type
    role = signers[0].role or "" if signers else ""
    if doc_type is None and "datum" in identity.letterhead and _GOVERNMENT_ROLE.match(role):
        return DEPARTMENTAL
    if doc_type is None or not doc_type.startswith("brief aan ") or not role:
        return doc_type
    match = re.match(r"^(de|het)\s+([\w-]+)", role, re.I)
    return f"brief van {match.group(1).lower()} {match.group(2).lower()}" if match else doc_type


def _answer_group(pair: QuestionAnswer, position: dict[int, int]) -> int | None:
    """The question_no of the question whose printed answer answers `pair` (its own number
    when answered alone); None when unanswered."""
    if pair.shares is not None:
        return position[id(pair.shares)]
    return position[id(pair)] if pair.answer_parts else None


def extract_letter(document: Document) -> ParsedLetter:
    """Apply every extraction rule to one parsed document."""
    blocks = document.blocks
    identity = read_identity(blocks)
    signature = _find_signature(blocks, identity.body_start)
    body = [i for i in range(identity.body_start, len(blocks)) if i not in range(*signature)]
    letter_end = signature[0] if signature[1] > signature[0] else len(blocks)
    paragraphs, salutation, closing, pairs = read_structure(blocks, body, letter_end)
    if document.signers is not None:
        signers = [Signatory(s.role, s.name) for s in document.signers]
    else:
        signers = parse_signatories(blocks[slice(*signature)])
    identity.doc_type = _doc_type_from_signers(identity, signers)
    _apply_metadata(identity, document.metadata)
    year_source = "stated" if identity.parliamentary_year else None
    house_source = "stated" if identity.house else None
    portal = document.portal
    notes = []
    if portal is not None:
        notes = fill_from_portal(identity, portal) + signer_disagreement(signers, portal)
        year_source = year_source or ("portal" if identity.parliamentary_year else None)
    if identity.parliamentary_year is None and identity.date is not None:
        identity.parliamentary_year, year_source = parliamentary_year_of(identity.date), "derived"
    if identity.house is None and (house := house_of(identity.addressee)):
        identity.house, house_source = house, "derived"
    # the signers a page lists stand in for a signature block the text does not reach; they
    # name the signatories only, not the letter's type or sender, which the letter prints
    signed = signers or [Signatory(s.role, s.name) for s in document.listed_signers]

    reference = kenmerk(identity.letterhead)
    letter_id = make_letter_id(identity, document, reference)
    askers, submitted = read_askers(blocks)
    sender = identity.sender or _sender_from_signatories(identity.doc_type, signers)
    offices = read_offices(
        [(s.role, s.name) for s in signed],
        sender,
        [b.text for b in blocks[: identity.body_start]],
        [p.text for p in paragraphs if p.kind == "paragraph"],
        [b.text for b in blocks[slice(*signature)]],
    )

    paragraph_of_block = {p.block_index: p.paragraph_no for p in paragraphs}
    position = {id(pair): number for number, pair in enumerate(pairs, start=1)}
    body_text = "\n\n".join(p.text for p in paragraphs if p.kind in BODY_KINDS)

    references: list[Row] = [
        {**ref.__dict__, "paragraph_no": None, "footnote_no": None}
        for block in blocks[identity.header_start : identity.body_start]
        for ref in citations(block.text, block.cites)
    ]
    for para in paragraphs:
        for ref in citations(para.text, blocks[para.block_index].cites):
            references.append(
                {**ref.__dict__, "paragraph_no": para.paragraph_no, "footnote_no": None}
            )
    footnotes: list[Row] = []
    for note in document.footnotes:
        paragraph_no = (
            paragraph_of_block.get(note.block_index) if note.block_index is not None else None
        )
        footnotes.append(
            {"footnote_no": note.number, "text": note.text, "paragraph_no": paragraph_no}
        )
        for ref in citations(note.text, note.cites):
            references.append(
                {**ref.__dict__, "paragraph_no": paragraph_no, "footnote_no": note.number}
            )
    for number, ref in enumerate(references, start=1):
        del ref["start"]
        ref.update(letter_id=letter_id, reference_no=number, cited_letter_id=None)

    letter: Row = {
        "letter_id": letter_id,
        "doc_type": identity.doc_type,
        "doc_class": doc_class(
            identity.doc_type,
            portal.kind if portal else None,
            government=any(o.relation == "signer" for o in offices),
            answers_members=bool(askers),
            subject=identity.subject,
        ),
        "house": identity.house,
        "dossier_number": identity.dossier_number,
        "document_number": identity.document_number,
        "parliamentary_year": identity.parliamentary_year,
        "date": identity.date,
        "place": identity.place,
        "addressee": identity.addressee,
        "sender": sender,
        "dossier_title": identity.dossier_title,
        "subject": identity.subject,
        "salutation": salutation,
        "closing": closing,
        "text": body_text,
        "word_count": len(body_text.split()),
        "paragraph_count": len(paragraphs),
        "footnote_count": len(footnotes),
        "question_count": sum(pair.count for pair in pairs),
        "reference_count": len(references),
        "signatory_count": len(signed),
        "source_path": document.source_path,
        "source_format": document.source_format,
        "source_encoding": document.encoding,
        "source_sha256": document.source_sha256,
        "parser_version": PARSER_VERSION,
        "tk_document_id": portal.document_id if portal else None,
        "tk_document_number": portal.document_number if portal else None,
        "parliamentary_year_source": year_source,
        "house_source": house_source,
        "kenmerk": reference,
        "aanhangsel_number": identity.aanhangsel_number,
        "url": official_url(letter_id),
        "questions_submitted": submitted,
    }
    return ParsedLetter(
        letter=letter,
        paragraphs=[
            {
                "letter_id": letter_id,
                "paragraph_no": p.paragraph_no,
                "section": p.section,
                "kind": p.kind,
                "text": p.text,
            }
            for p in paragraphs
        ],
        footnotes=[{"letter_id": letter_id, **note} for note in footnotes],
        questions=[
            {
                "letter_id": letter_id,
                "question_no": number,
                "question_label": q.label,
                "question": q.question or None,
                "answer": q.answer,
                "answer_group": _answer_group(q, position),
            }
            for number, q in enumerate(pairs, start=1)
        ],
        references=references,
        signatories=[
            {
                "letter_id": letter_id,
                "signatory_no": n,
                "role": s.role,
                "name": s.name,
                "name_normalized": normalized_name(s.name),
                "person_id": person_id(s.name, portal),
            }
            for n, s in enumerate(signed, start=1)
        ],
        offices=[
            {
                "letter_id": letter_id,
                "office_no": n,
                "relation": o.relation,
                "function": o.function,
                "portfolio": o.portfolio,
                "ministry_code": ministry_of(o, identity.date),
                "name": o.name,
                "name_normalized": o.name_normalized,
            }
            for n, o in enumerate(offices, start=1)
        ],
        cases=[
            {
                "letter_id": letter_id,
                "case_no": n,
                "case_number": c.number,
                "kind": c.kind,
                "title": c.title,
            }
            for n, c in enumerate(portal.cases if portal else [], start=1)
        ],
        portal_signers=[
            {
                "letter_id": letter_id,
                "signer_no": n,
                "name": s.name,
                "function": s.function,
                "relation": s.relation,
                "party": s.party,
                "person_id": s.person_id,
            }
            for n, s in enumerate(portal.signers if portal else [], start=1)
        ],
        askers=[
            {"letter_id": letter_id, "asker_no": n, "name": a.name, "party": a.party}
            for n, a in enumerate(askers, start=1)
        ],
        notes=notes,
    )
