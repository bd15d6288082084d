"""What the Tweede Kamer portal's record adds to a letter the harvester fetched.

The letter's print wins: the portal fills only what the letter does not state (its date, its
Kamerstuk number, its subject), gives the identifier of a letter that prints no Kamerstuk
number (`tk-2024D34636` rather than a content hash, stable across new file versions), and
contributes its cases and signers as rows of their own. Where the two disagree, the letter keeps
its printed value and the ingest report says so: a quality signal neither source gives alone.
"""

from __future__ import annotations

import re
from datetime import date

from pipelines.extract.identity import Identity
from pipelines.extract.signatories import Signatory
from pipelines.model import PortalRecord


def portal_id(portal: PortalRecord) -> str:
    """The letter's id from the portal: its Kamerstuk id when the portal files it in a dossier
    with a number, else `tk-<DocumentNummer>`."""
    if portal.dossier_number and portal.number_in_dossier:
        return f"kst-{portal.dossier_number}-{portal.number_in_dossier}"
    return f"tk-{portal.document_number}"


def fill_from_portal(identity: Identity, portal: PortalRecord) -> list[str]:
    """Fill what the letter does not print from the portal; the disagreements, as notes."""
    notes: list[str] = []
    printed = {
        "date": identity.date.isoformat() if identity.date else None,
        "dossier_number": identity.dossier_number,
        "document_number": identity.document_number,
        "parliamentary_year": identity.parliamentary_year,
    }
    portal_values = {
        "date": portal.date,
        "dossier_number": portal.dossier_number,
        "document_number": portal.number_in_dossier,
        "parliamentary_year": portal.parliamentary_year,
    }
    for name, value in portal_values.items():
        if value is None:
            continue
        if printed[name] is None:
            setattr(identity, name, date.fromisoformat(value) if name == "date" else value)
        elif printed[name] != value:
            notes.append(f"portal disagrees: {name} printed {printed[name]}, portal {value}")
    if identity.subject is None and portal.subject:
        identity.subject = portal.subject
    return notes


def _surname(name: str | None) -> str:
    words = re.findall(r"[^\W\d_][\w'’-]*", name or "")
    return words[-1].lower() if words else ""


def signer_disagreement(signers: list[Signatory], portal: PortalRecord) -> list[str]:
    """A note when the letter's signers and the portal's name different people (by surname,
    as initials and titles are written differently by each)."""
    if not signers or not portal.signers:
        return []
    printed = sorted({_surname(s.name) for s in signers} - {""})
    listed = sorted({_surname(s.name) for s in portal.signers} - {""})
    if not printed or not listed or printed == listed:
        return []
    return [f"portal disagrees: signers printed {', '.join(printed)}, portal {', '.join(listed)}"]


def person_id(name: str | None, portal: PortalRecord | None) -> str | None:
    """The portal's person id of the signer whose surname `name` shares, when exactly one of
    the portal's signers has that surname."""
    surname = _surname(name)
    if portal is None or not surname:
        return None
    found = {s.person_id for s in portal.signers if _surname(s.name) == surname and s.person_id}
    return found.pop() if len(found) == 1 else None
