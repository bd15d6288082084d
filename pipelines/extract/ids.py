"""A letter's identifier, taken from what identifies it in its source, never from how well it
was parsed.

A better parser must not rename a letter: an id that hashed the parsed words changed whenever
page furniture was cleaned up, so the changelog showed the letter removed and a new one added.
So the id comes from an identifier the letter or its source states (the Kamerstuk or Aanhangsel
number it prints, the portal's number, its kenmerk with its date) and, for a letter that states
none, from the bytes of its file.
"""

from __future__ import annotations

import hashlib
from datetime import date

from pipelines.extract.identity import Identity
from pipelines.extract.portal import portal_id
from pipelines.model import Document


def published_id(identity: Identity) -> str | None:
    """The officielebekendmakingen identifier the header gives: `kst-<dossier>-<ondernummer>` for
    a Kamerstuk, `ah-tk-<vergaderjaar digits>-<number>` for an Aanhangsel van de Handelingen."""
    if identity.dossier_number and identity.document_number:
        return f"kst-{identity.dossier_number}-{identity.document_number}"
    if identity.aanhangsel_number and identity.parliamentary_year:
        house = "ek" if identity.house == "Eerste Kamer" else "tk"
        year = identity.parliamentary_year.replace("-", "")
        return f"ah-{house}-{year}-{identity.aanhangsel_number}"
    return None


def kenmerk_id(kenmerk: str, day: date | None) -> str:
    """`doc-` and 16 hex digits of the SHA-256 of the kenmerk (whitespace collapsed, case
    folded) and the letter's date: the same letter as Word, PDF or text gets the same id, and
    two ministries numbering their letters alike are told apart by the date."""
    key = f"kenmerk\0{' '.join(kenmerk.split()).casefold()}\0{day.isoformat() if day else ''}"
    return "doc-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def letter_id(identity: Identity, document: Document, kenmerk: str | None) -> str:
    """The most authoritative identifier the letter has: printed (Kamerstuk, Aanhangsel), the
    portal's, its kenmerk, else `doc-` and the first 16 hex digits of its file's SHA-256."""
    if found := published_id(identity):
        return found
    if document.portal is not None:
        return portal_id(document.portal)
    if kenmerk is not None:
        return kenmerk_id(kenmerk, identity.date)
    return "doc-" + document.source_sha256[:16]
