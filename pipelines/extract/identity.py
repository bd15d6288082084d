"""The letter's identity, read from its header: vergaderjaar, dossier, ondernummer, type, sender,
addressee, place and date.

Published Kamerstukken open with a fixed header (`Vergaderjaar 2019–2020`, `33 783`, the dossier
title, `Nr. 46`, `BRIEF VAN DE MINISTER ...`, `Aan de Voorzitter ...`, `Den Haag, 6 juli 2020`);
ministry letters open with a letterhead (`Datum`, `Betreft`, `Ons kenmerk`). Both are read block by
block from the top until the first block that is neither; that block starts the body. Only header
blocks are read, so a date mentioned in the body is never taken for the letter's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from pipelines.extract.dates import parse_dutch_date
from pipelines.extract.text import dutch_title_case, is_upper_heading, unify_dashes
from pipelines.model import Block

DOSSIER = r"\d{2}\s?\d{3}(?:[\s-](?:[A-Z]{1,6}|\d{1,3})\b)*"
_VERGADERJAAR = re.compile(r"^Vergaderjaar\s+(\d{4})\s*[-/]\s*(\d{2}|\d{4})$", re.I)
_HOUSE = re.compile(r"^(Tweede|Eerste) Kamer der Staten-Generaal$", re.I)
_DOSSIER_LINE = re.compile(rf"^(?P<num>{DOSSIER})(?:\s+(?P<title>\D.*))?$")
_NR = re.compile(r"^Nr\.\s*(?P<nr>\d+[a-zA-Z]?|[A-Z]{1,3})\b\s*(?P<rest>.*)$")
_DOC_TYPE = re.compile(
    r"^(?:BRIEF|VERSLAG|LIJST|ANTWOORD|NOTA|MEMORIE|MOTIE|AMENDEMENT|VOORSTEL|ADVIES|"
    r"GELEIDEBRIEF|AANBIEDINGSBRIEF)\b"
)
_BRIEF_VAN = re.compile(r"^brief van (?:de|het) (?P<sender>.+)$", re.I)
_ADDRESSEE = re.compile(r"^Aan\s+(?:de\s+|het\s+)?(?P<who>.+)$")
_PLACE_DATE = re.compile(
    r"^(?P<place>(?:'s-)?[A-Z][\w'’.-]*(?:[ -][A-Z][\w'’.-]*)*),\s*(?P<date>.+)$"
)
_LETTERHEAD = re.compile(
    r"^(?P<label>Datum|Betreft|Onderwerp|Ons kenmerk|Uw kenmerk|Kenmerk|Uw brief(?: van)?|"
    r"Bijlagen?|Bijlage\(n\)|Vastgesteld)\b\s*:?\s*(?P<value>.*)$",
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
    body_start: int = 0
    letterhead: dict[str, str] = field(default_factory=dict)


def normalize_dossier(printed: str) -> str:
    """`34 300-VII`, `36 200 V`, `21 501-32` -> `34300-VII`, `36200-V`, `21501-32`."""
    printed = unify_dashes(printed).strip()
    match = re.match(r"^(\d{2})\s?(\d{3})(.*)$", printed)
    if not match:
        return printed
    suffix = [part for part in re.split(r"[\s-]+", match.group(3)) if part]
    return "-".join([match.group(1) + match.group(2), *suffix])


def normalize_year(first: str, second: str) -> str | None:
    """`2019`, `20` or `2020` -> `2019-2020`; None when the years do not follow each other."""
    start = int(first)
    end = int(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    if len(second) == 2 and end < start:
        end += 100
    return f"{start}-{end}" if end == start + 1 else None


def _doc_type(heading: str) -> str:
    lowered = heading.lower()
    match = re.match(r"^(brief van (?:de|het) [\w-]+)", lowered)
    if match:
        return match.group(1)
    return lowered.split(",")[0].strip()


def _read_doc_type(identity: Identity, heading: str) -> None:
    identity.doc_type = _doc_type(heading)
    match = _BRIEF_VAN.match(heading)
    if match:
        identity.sender = dutch_title_case(match.group("sender").rstrip(" ,."))


def read_identity(blocks: list[Block]) -> Identity:
    """Read the header blocks at the top of the letter."""
    identity = Identity()
    index = 0
    after_dossier = False
    while index < len(blocks):
        text = unify_dashes(blocks[index].text).strip()
        had_dossier = identity.dossier_number is not None
        if not _read_header_line(identity, text, expect_title=after_dossier):
            break
        after_dossier = not had_dossier and identity.dossier_number is not None
        index += 1
    identity.body_start = index
    return identity


def _read_header_line(identity: Identity, text: str, expect_title: bool) -> bool:
    """Fold one header line into `identity`; False when the line is not a header line."""
    if match := _HOUSE.match(text):
        identity.house = f"{match.group(1).capitalize()} Kamer"
        return True
    if match := _VERGADERJAAR.match(text):
        identity.parliamentary_year = normalize_year(match.group(1), match.group(2))
        return True
    if identity.dossier_number is None and (match := _DOSSIER_LINE.match(text)):
        identity.dossier_number = normalize_dossier(match.group("num"))
        if match.group("title"):
            identity.dossier_title = match.group("title").strip()
        return True
    if match := _NR.match(text):
        identity.document_number = match.group("nr")
        rest = match.group("rest").strip()
        if rest and _DOC_TYPE.match(rest):
            _read_doc_type(identity, rest)
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
        if label in ("datum", "vastgesteld") and identity.date is None:
            identity.date = parse_dutch_date(value)
        elif label in ("betreft", "onderwerp") and value:
            identity.subject = value
        identity.letterhead[label] = value
        return True
    if expect_title and identity.dossier_title is None and not text.endswith((".", "?", "!")):
        identity.dossier_title = text
        return True
    return False
