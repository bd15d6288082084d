"""The letter's identity, read from its header: vergaderjaar, dossier, ondernummer, type, sender,
addressee, place and date.

Published Kamerstukken open with a fixed header (`Vergaderjaar 2019–2020`, `33 783`, the dossier
title, `Nr. 46`, `BRIEF VAN DE MINISTER ...`, `Aan de Voorzitter ...`, `Den Haag, 6 juli 2020`);
ministry letters open with a letterhead (`Datum`, `Betreft`, `Ons kenmerk`). Both are read block by
block from the top until the first block that is neither; that block starts the body. Only header
blocks are read, so a date mentioned in the body is never taken for the letter's date.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from pipelines.extract.dates import parse_dutch_date
from pipelines.extract.letterhead import (
    DEPARTMENTAL,
    past_reply_notice,
    read_letterhead,
    trailing_place_and_date,
)
from pipelines.formats.common import dutch_title_case, is_upper_heading, unify_dashes
from pipelines.model import Block

DOSSIER = r"\d{2}\s?\d{3}(?>(?:-(?:[A-Z]{1,6}|\d{1,3})|\s(?:[IVXLC]{1,6}[A-Z]?|[A-Z]))\b)*"
"""A printed dossier number: a hyphen joins any suffix (`34 300-VII`, `21 501-32`), a space only a
budget chapter or a letter (`36 200 V`, `32 500 XII`), so `28 676 NAVO` keeps its title. A suffix
ends at a word boundary, so it has one extent however it is read (`II` is one numeral or two):
the group is atomic, or a line of such suffixes that fails further on would be retried in every
way of reading them, exponentially many."""
_VERGADERJAAR = re.compile(
    r"^Vergaderjaar\s+(\d{4})\s*[-/]\s*(\d{2}|\d{4})"
    r"(?P<aanhangsel>\s+Aanhangsel van de Handelingen)?$",
    re.I,
)
"""The vergaderjaar line; an Aanhangsel van de Handelingen prints its title on the same line."""
_AANHANGSEL_INTRO = re.compile(
    r"^(?:Aanhangsel van de Handelingen|Vragen gesteld door de leden der Kamer, met de daarop "
    r"door de regering gegeven antwoorden)$",
    re.I,
)
_AANHANGSEL_NUMBER = re.compile(r"^\d{1,5}$")
"""The Aanhangsel's number, printed alone under its title: `1314` of `ah-tk-20232024-1314`."""
_RECEIVED = re.compile(r"\(ontvangen\s+(?P<date>[^)]+)\)")
_VOORHANG = re.compile(
    r"^Het (?:ontwerp)?besluit\b.{0,300}\bkan niet eerder worden (?:genomen|vastgesteld)\b.{0,200}$"
)
"""The notice above a voorhang letter (a draft order laid before the Kamer): `Het besluit, dat
is opgenomen in de bijlage, kan niet eerder worden genomen dan op 3 mei 2024.`"""
_REPLACES = re.compile(
    r"\s*\bter vervanging van (?:die|het|de|dat) gedrukt onder nr\.?\s*\d+\w*\.?$", re.I
)
"""What a changed motie or amendement says it replaces (`Ter vervanging van die gedrukt onder
nr. 87`): a note on the heading, not its type and not its number."""
_PAGE_OR_SERIES = re.compile(r"^(?:\d{1,3}|Kamerstukken|Handelingen)$")
"""What KOOP's XML prints between the house line and the dossier: the page number and the
series (`Tweede Kamer der Staten-Generaal` / `2` / `Kamerstukken` / `32 545`)."""
_HOUSE = re.compile(r"^(Tweede|Eerste) Kamer der Staten-Generaal(?:\s+\d{1,3})?$", re.I)
"""The house line, with the page number a typeset Kamerstuk prints after it on later pages."""
_CELL_BARS = re.compile(r"\s*\|\s*")
_DOSSIER_LINE = re.compile(rf"^(?P<num>{DOSSIER})(?:\s+(?P<title>\D.*))?$")
_NR = re.compile(r"^(?i:nr)\.\s*(?P<nr>\d+[a-zA-Z]?|[A-Z]{1,3})\b\s*(?P<rest>.*)$")
_LETTER_NR = re.compile(r"^(?P<nr>[A-Z]{1,3})(?:\s+(?P<rest>[A-Z].*))?$")
_TITLE_THEN_NR = re.compile(r"^(?P<title>.*?\S)\s+(?i:nr)\.\s*(?P<nr>\d+[a-zA-Z]?|[A-Z]{1,3})$")
"""A title ending in `nr. 106`; the title ends on a printed character, so the spaces before `nr.`
are tried once per run of them rather than from each space in it."""
_QUESTIONS = re.compile(r"^Vragen van (?:het lid|de leden)\b.*\(ingezonden\b", re.S)
_ANSWERS = re.compile(
    r"^Antwoord van\b(?:.*\(ontvangen\b|\s+(?:de\s+)?(?:minister|staatssecretaris)\b)", re.S | re.I
)
_CITED_YEAR = re.compile(r"\bvergaderjaar\s+(\d{4})\s*[-/]\s*(\d{2,4})", re.I)
_VOORZITTER_OF = re.compile(
    r"^(brief van de (?:voorzitter|griffier) van de (?:tweede|eerste) kamer)\b"
)
_DOC_TYPE = re.compile(
    r"^(?:BRIEF|VERSLAG|LIJST|ANTWOORD|NOTA|MEMORIE|MOTIE|AMENDEMENT|GEWIJZIGD|VOORSTEL|"
    r"ADVIES|GELEIDEBRIEF|AANBIEDINGSBRIEF|EINDVERSLAG|INBRENG)\b"
)
_BRIEF_VAN = re.compile(r"^brief van (?:de|het) (?P<sender>.+)$", re.I)
_ADDRESSEE = re.compile(r"^Aan\s+(?:de\s+|het\s+)?(?P<who>.+)$")
_PLACE_DATE = re.compile(r"^(?P<place>(?:'s-)?[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*),\s*(?P<date>.+)$")
"""`Den Haag, 6 juli 2020`. A hyphen belongs to the word it is in (`'s-Gravenhage`), never
between words: were it both, a line of `A-A-A-...` without a comma would be tried in every way
of cutting it into words, exponentially many, before it is refused."""
_LETTERHEAD = re.compile(
    r"^(?P<label>Datum|Betreft|Onderwerp|Ons kenmerk|Uw kenmerk|Kenmerk|Uw brief(?: van)?|"
    r"Bijlagen?|Bijlage\(n\)|Vastgesteld|Voorgesteld|Ontvangen)\b\s*:?\s*(?P<value>.*)$",
    re.I,
)


@dataclass
class Identity:
    """What the header says about the letter; None where it says nothing."""

    house: str | None = None
    parliamentary_year: str | None = None
    dossier_number: str | None = None
    dossier_title: str | None = None
    document_number: str | None = None
    doc_type: str | None = None
    sender: str | None = None
    addressee: str | None = None
    place: str | None = None
    date: date | None = None
    subject: str | None = None
    header_start: int = 0
    body_start: int = 0
    letterhead: dict[str, str] = field(default_factory=dict)
    dossiers: list[str] = field(default_factory=list)
    heading: str | None = None
    aanhangsel: bool = False
    """Whether the header is that of an Aanhangsel van de Handelingen (answers to Kamervragen)."""
    aanhangsel_number: str | None = None
    awaiting: str | None = None
    """A letterhead label printed alone on its line, whose value the next line holds."""


_PRINTED_DOSSIER = re.compile(r"^(\d{2})\s?(\d{3})(.*)$")
_SUFFIX_SEPARATOR = re.compile(r"[\s-]+")


@functools.lru_cache(maxsize=4096)
def normalize_dossier(printed: str) -> str:
    """`34 300-VII`, `36 200 V`, `21 501-32` -> `34300-VII`, `36200-V`, `21501-32`.

    Remembered: every citation asks, and a letter cites a few dossiers many times.
    """
    printed = unify_dashes(printed).strip()
    match = _PRINTED_DOSSIER.match(printed)
    if not match:
        return printed
    suffix = [part for part in _SUFFIX_SEPARATOR.split(match.group(3)) if part]
    return "-".join([match.group(1) + match.group(2), *suffix])


def normalize_year(first: str, second: str) -> str | None:
    """`2019`, `20` or `2020` -> `2019-2020`; None when the years do not follow each other."""
    start = int(first)
    end = int(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    if len(second) == 2 and end < start:
        end += 100
    return f"{start}-{end}" if end == start + 1 else None


def _doc_type(heading: str) -> str:
    """The heading in lower case up to the sender's office, in the column's plain alphabet."""
    ascii_only = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode()
    lowered = re.sub(r"[^a-z0-9 ,-]", "", ascii_only.lower())
    if match := _VOORZITTER_OF.match(lowered):
        return match.group(1)
    match = re.match(r"^(brief van (?:de|het) [\w-]+)", lowered)
    if match:
        return match.group(1)
    return lowered.split(",")[0].strip()


def _read_doc_type(identity: Identity, heading: str) -> None:
    heading = _REPLACES.sub("", heading)
    identity.heading = heading
    identity.doc_type = _doc_type(heading)
    match = _BRIEF_VAN.match(heading)
    if match:
        identity.sender = dutch_title_case(match.group("sender").rstrip(" ,."))


def _header_text(block: Block) -> str:
    """A header line with dashes unified and table-cell bars (`Vergaderjaar 2024-2025 |`) gone.

    The bars' pattern starts with optional space, so it is tried at every position: only
    lines with a bar are given to it.
    """
    text = unify_dashes(block.text)
    return (_CELL_BARS.sub(" ", text) if "|" in text else text).strip()


def _header_start(blocks: list[Block]) -> int:
    """Index of the first header line, skipping what a web page prints above the letter.

    A Kamerstuk header is recognized by a dossier line followed closely by an ondernummer or a
    document-type heading, or by the house, vergaderjaar or questions line that opens it; pages
    put a title line or site metadata above it. Without such a header, reading starts at the top.
    """
    window = [_header_text(block) for block in blocks[:25]]
    for index, text in enumerate(window):
        if _VERGADERJAAR.match(text) or _QUESTIONS.match(text):
            return index
        if _HOUSE.match(text) and any(
            _VERGADERJAAR.match(after) or _DOSSIER_LINE.match(after)
            for after in window[index + 1 : index + 4]
        ):
            return index
        if _DOSSIER_LINE.match(text) and any(
            _NR.match(after)
            or _LETTER_NR.match(after)
            or _TITLE_THEN_NR.match(after)
            or (_DOC_TYPE.match(after) and is_upper_heading(after))
            for after in window[index + 1 : index + 5]
        ):
            return index
    return 0


def read_identity(blocks: list[Block]) -> Identity:
    """Read the header blocks at the top of the letter.

    A document-type heading wrapped over two lines (`... EN VOOR BASIS- EN` / `VOORTGEZET
    ONDERWIJS EN MEDIA`) is read as one.
    """
    identity = Identity()
    index = identity.header_start = _header_start(blocks)
    after_dossier = False
    after_heading = False
    while index < len(blocks):
        text = _header_text(blocks[index])
        dossiers, heading = len(identity.dossiers), identity.heading
        if after_heading and is_upper_heading(text) and not _DOC_TYPE.match(text):
            _read_doc_type(identity, f"{heading} {text}")
        elif not _read_header_line(identity, text, expect_title=after_dossier):
            break
        after_dossier = len(identity.dossiers) > dossiers
        after_heading = identity.heading is not heading
        index += 1
    identity.body_start = index
    if identity.dossier_number is None and identity.doc_type is None:
        _apply_letterhead(identity, blocks)
    return identity


def _apply_letterhead(identity: Identity, blocks: list[Block]) -> None:
    """A letter without a Kamerstuk header may be a ministry letter with a letterhead, read on
    from where the header lines end: a Word letter puts the page header's fields (`Datum`,
    `Ons kenmerk`) first, then the first page's letterhead. What was read first wins."""
    letterhead = read_letterhead(blocks, identity.body_start)
    if letterhead is None:
        identity.body_start = past_reply_notice(blocks, identity.body_start)
        return
    identity.body_start = past_reply_notice(blocks, letterhead.body_start)
    identity.letterhead = {**letterhead.fields, **identity.letterhead}
    identity.date = identity.date or letterhead.date
    identity.place = identity.place or letterhead.place
    identity.subject = identity.subject or letterhead.subject
    identity.addressee = identity.addressee or letterhead.addressee
    if letterhead.ministry:
        identity.doc_type = DEPARTMENTAL


def _read_number_line(identity: Identity, text: str) -> bool:
    """`Nr. 521 BRIEF VAN ...`, `nr. 106`, or an Eerste Kamer letter alone (`F`, `AB VERSLAG`).

    After `Nr.` any heading in capitals types the document (`GEWIJZIGD VOORSTEL VAN WET`), and so
    does a known document type in ordinary case, as the portal's PDFs print it (`Nr. 289 Verslag
    van een schriftelijk overleg`); after a bare letter only a known document type in capitals
    does, as a capital letter may start anything.
    """
    match = _NR.match(text)
    numbered = match is not None
    if match is None and identity.dossier_number and identity.document_number is None:
        match = _LETTER_NR.match(text)
    if match is None:
        return False
    rest = (match.group("rest") or "").strip()
    typed = is_upper_heading(rest) and (numbered or _DOC_TYPE.match(rest))
    if rest and not typed and not (numbered and _DOC_TYPE.match(rest.upper())):
        return False
    identity.document_number = match.group("nr")
    if rest:
        _read_doc_type(identity, rest)
    return True


def _read_dossier_line(identity: Identity, text: str) -> bool:
    """A dossier number with its title on the same line; a second dossier is recorded too."""
    match = _DOSSIER_LINE.match(text)
    if match is None or identity.document_number is not None:
        return False
    number = normalize_dossier(match.group("num"))
    identity.dossiers.append(number)
    if identity.dossier_number is None:
        identity.dossier_number = number
        if match.group("title"):
            identity.dossier_title = match.group("title").strip()
    return True


def _read_questions_line(identity: Identity, text: str) -> bool:
    """The lines that open answers to written questions: who asked, who answered, Aanhangsel."""
    if _QUESTIONS.match(text):
        return True
    if not _ANSWERS.match(text):
        return False
    identity.doc_type = "antwoord op schriftelijke vragen"
    if (year := _CITED_YEAR.search(text)) and identity.parliamentary_year is None:
        identity.parliamentary_year = normalize_year(year.group(1), year.group(2))
    if identity.date is None and (received := _RECEIVED.search(text)):
        identity.date = parse_dutch_date(received.group("date"))
    return True


def _read_header_line(identity: Identity, text: str, expect_title: bool) -> bool:
    """Fold one header line into `identity`; False when the line is not a header line."""
    if match := _HOUSE.match(text):
        identity.house = f"{match.group(1).capitalize()} Kamer"
        return True
    if match := _VERGADERJAAR.match(text):
        identity.parliamentary_year = normalize_year(match.group(1), match.group(2))
        identity.aanhangsel = identity.aanhangsel or bool(match.group("aanhangsel"))
        return True
    if _AANHANGSEL_INTRO.match(text):
        identity.aanhangsel = True
        return True
    if (
        identity.aanhangsel
        and identity.aanhangsel_number is None
        and _AANHANGSEL_NUMBER.match(text)
    ):
        identity.aanhangsel_number = text
        return True
    if identity.house and not identity.dossiers and _PAGE_OR_SERIES.match(text):
        return True
    if _VOORHANG.match(text) or _REPLACES.match(text):
        return True
    if _read_dossier_line(identity, text) or _read_number_line(identity, text):
        return True
    if _read_questions_line(identity, text):
        return True
    if _DOC_TYPE.match(text) and is_upper_heading(text):
        _read_doc_type(identity, text)
        return True
    if identity.addressee is None and (match := _ADDRESSEE.match(text)):
        who = match.group("who").strip()
        identity.addressee = who[:1].upper() + who[1:]
        return True
    if identity.date is None and len(text) <= 80 and (match := _PLACE_DATE.match(text)):
        when = parse_dutch_date(match.group("date"))
        if when is not None:
            identity.place, identity.date = match.group("place"), when
            return True
    if match := _LETTERHEAD.match(text):
        label, value = match.group("label").lower(), match.group("value").strip()
        _read_field(identity, label, value)
        identity.awaiting = None if value else label
        return True
    if identity.awaiting is not None:  # `Datum` on a line of its own, its value on this one
        _read_field(identity, identity.awaiting, text)
        identity.awaiting = None
        return True
    if expect_title and not text.endswith((".", "?", "!")):
        _read_title(identity, text)
        return True
    return False


def _read_field(identity: Identity, label: str, value: str) -> None:
    if label in ("datum", "vastgesteld", "voorgesteld") and identity.date is None:
        identity.date = parse_dutch_date(value)
    elif label in ("betreft", "onderwerp") and value:
        identity.subject = value
    elif identity.date is None:
        place, when = trailing_place_and_date(value)
        if when is not None:
            identity.place, identity.date = place, when
    identity.letterhead[label] = value


def _read_title(identity: Identity, text: str) -> None:
    """The dossier title under its number; older pages run `nr. 106` onto it."""
    if match := _TITLE_THEN_NR.match(text):
        text = match.group("title")
        identity.document_number = match.group("nr")
    if len(identity.dossiers) == 1 and identity.dossier_title is None:
        identity.dossier_title = text
