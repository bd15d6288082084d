"""The Tweede Kamer portal's record of a document (`<DocumentNummer>.tk.json`), as the harvester
saves it beside the file: the OData `Document` row with its `DocumentActor`, `Zaak` and
`Kamerstukdossier` rows.

Only what the tables use is read, each value checked for its type, so a record edited by hand
or cut short is a clear error for its letter rather than a wrong value in the data.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pipelines.formats.koop_xml import normalize_dossier_number, normalize_parliamentary_year
from pipelines.model import ParseError, PortalCase, PortalRecord, PortalSigner

_DOCUMENT_NUMBER = re.compile(r"^(?:19|20)\d\dD\d{5,6}$")
_CASE_NUMBER = re.compile(r"^(?:19|20)\d\dZ\d{5,6}$")
_DATE = re.compile(r"^(\d{4}-\d\d-\d\d)T")

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def read_portal_record(data: bytes, path: str) -> PortalRecord:
    """The portal's facts about one document; `ParseError` naming `path` when unreadable."""
    try:
        row = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError(f"{path}: the portal record is not JSON ({exc})") from exc
    if not isinstance(row, dict):
        raise ParseError(f"{path}: the portal record is not a JSON object")
    number = row.get("DocumentNummer")
    if not isinstance(number, str) or not _DOCUMENT_NUMBER.match(number):
        raise ParseError(f"{path}: the portal record has no DocumentNummer like 2024D34636")
    if not isinstance(row.get("Id"), str):
        raise ParseError(f"{path}: the portal record has no Id")
    dossier, toevoeging = _dossier(row)
    volgnummer = row.get("Volgnummer")
    return PortalRecord(
        document_id=row["Id"],
        document_number=number,
        kind=_text(row.get("Soort")),
        date=_date(row.get("Datum")),
        subject=_text(row.get("Onderwerp")),
        parliamentary_year=normalize_parliamentary_year(_text(row.get("Vergaderjaar")) or ""),
        dossier_number=(
            normalize_dossier_number(f"{dossier} {toevoeging or ''}") if dossier else None
        ),
        number_in_dossier=(
            str(volgnummer) if isinstance(volgnummer, int) and volgnummer > 0 else None
        ),
        signers=[
            PortalSigner(
                name=_text(actor.get("ActorNaam")),
                function=_text(actor.get("Functie")),
                relation=_text(actor.get("Relatie")),
                party=_text(actor.get("ActorFractie")),
                person_id=_guid(actor.get("Persoon_Id")),
            )
            for actor in _live(row.get("DocumentActor"))
        ],
        cases=[
            PortalCase(
                number=case["Nummer"],
                kind=_text(case.get("Soort")),
                title=_text(case.get("Onderwerp")) or _text(case.get("Titel")),
            )
            for case in _live(row.get("Zaak"))
            if isinstance(case.get("Nummer"), str) and _CASE_NUMBER.match(case["Nummer"])
        ],  # fmt: skip
    )


def _live(rows: Any) -> list[dict[str, Any]]:
    """The related rows that are objects and not deleted, in the order the portal gives."""
    if not isinstance(rows, list):
        return []
    return [r for r in rows if isinstance(r, dict) and r.get("Verwijderd") is not True]


def _dossier(row: dict[str, Any]) -> tuple[str | None, str | None]:
    """Number and toevoeging of the document's Kamerstukdossier (the first live one); none for a
    toevoeging in brackets (`(R2090)`), which no Kamerstuk number prints."""
    for dossier in _live(row.get("Kamerstukdossier")):
        number = dossier.get("Nummer")
        toevoeging = _text(dossier.get("Toevoeging"))
        if isinstance(number, int) and number > 0 and "(" not in (toevoeging or ""):
            return str(number), toevoeging
    return None, None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _guid(value: Any) -> str | None:
    """A GUID in the lower case the portal writes it in; None for anything else."""
    text = value.lower() if isinstance(value, str) else ""
    return text if _GUID.match(text) else None


def _date(value: Any) -> str | None:
    match = _DATE.match(value) if isinstance(value, str) else None
    return match.group(1) if match else None
