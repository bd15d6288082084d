"""What kind of parliamentary document a letter is, in the Tweede Kamer's own classes.

`doc_type` keeps the heading as printed (`motie van de leden inge van dijk en grinwis`); a
researcher filtering the package needs the closed list the Tweede Kamer's portal files documents
under (`Document.Soort`), so every letter gets exactly one of `DOC_CLASSES`. The portal's own
class wins for a harvested letter; otherwise the printed type decides, and a ministry's letter
that answers members' written questions is an `Antwoord schriftelijke vragen`, as the portal
files it.
"""

from __future__ import annotations

import re

DOC_CLASSES = (
    "Brief regering",
    "Antwoord schriftelijke vragen",
    "Antwoord schriftelijke vragen (nader)",
    "Mededeling (uitstel antwoord)",
    "Brief commissie",
    "Brief Kamer",
    "Brief Voorzitter",
    "Brief informateur",
    "Brief formateur",
    "Brief verkenner",
    "Brief Algemene Rekenkamer",
    "Brief Afdeling advisering Raad van State",
    "Motie",
    "Motie (gewijzigd/nader)",
    "Amendement",
    "Amendement (gewijzigd/nader/vervangend)",
    "Verslag van een schriftelijk overleg",
    "Lijst van vragen",
    "Lijst van vragen en antwoorden",
    "Memorie van toelichting",
    "Voorstel van wet",
    "Nota n.a.v. het (nader/tweede nader/enz.) verslag",
    "Nota van wijziging",
    "Koninklijke boodschap",
    "Overig",
)
"""Values of `Document.Soort` (see ../shared/reference/tk-opendata) this package can hold, and
`Overig` for anything else."""

_PRINTED: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), kind)
    for pattern, kind in (
        (r"^antwoord op schriftelijke vragen", "Antwoord schriftelijke vragen"),
        (r"^gewijzigde motie\b", "Motie (gewijzigd/nader)"),
        (r"^motie\b", "Motie"),
        (r"^gewijzigd amendement\b", "Amendement (gewijzigd/nader/vervangend)"),
        (r"^amendement\b", "Amendement"),
        (r"^verslag van een schriftelijk overleg", "Verslag van een schriftelijk overleg"),
        (r"^lijst van vragen en antwoorden", "Lijst van vragen en antwoorden"),
        (r"^lijst van vragen", "Lijst van vragen"),
        (r"^memorie van toelichting", "Memorie van toelichting"),
        (r"^voorstel van wet", "Voorstel van wet"),
        (r"^nota naar aanleiding van het", "Nota n.a.v. het (nader/tweede nader/enz.) verslag"),
        (r"^(?:tweede |derde )?nota van wijziging", "Nota van wijziging"),
        (r"^koninklijke boodschap", "Koninklijke boodschap"),
        (r"^brief van de (?:vaste |algemene )?commissie", "Brief commissie"),
        (r"^brief van de voorzitter", "Brief Voorzitter"),
        (r"^brief van de informateurs?\b", "Brief informateur"),
        (r"^brief van de formateurs?\b", "Brief formateur"),
        (r"^brief van de verkenners?\b", "Brief verkenner"),
        (r"^brief van de algemene rekenkamer", "Brief Algemene Rekenkamer"),
        (r"^brief van de (?:afdeling advisering van de )?raad van state",
         "Brief Afdeling advisering Raad van State"),
        (r"^brief van (?:de|het) (?:minister|staatssecretaris)", "Brief regering"),
        (r"^departementale brief$", "Brief regering"),
    )
)  # fmt: skip
_POSTPONED = re.compile(r"\buitstel\b.{0,40}\b(?:beantwoording|antwoord)", re.I)


def doc_class(
    doc_type: str | None,
    portal_kind: str | None,
    *,
    government: bool,
    answers_members: bool,
    subject: str | None,
) -> str:
    """The letter's class: the portal's where it is one of `DOC_CLASSES`, else read from the
    printed `doc_type`; a letter that prints no type but is sent by a minister or state
    secretary (`government`) is a government letter. A government letter answering members'
    questions (`answers_members`) is an answer, one announcing that the answers come later a
    `Mededeling (uitstel antwoord)`."""
    if portal_kind in DOC_CLASSES:
        return portal_kind
    printed = next(
        (found for pattern, found in _PRINTED if pattern.search(doc_type or "")), "Overig"
    )
    if doc_type is None and government:
        printed = "Brief regering"
    if printed == "Brief regering" and subject and _POSTPONED.search(subject):
        return "Mededeling (uitstel antwoord)"
    if printed == "Brief regering" and answers_members:
        return "Antwoord schriftelijke vragen"
    return printed
