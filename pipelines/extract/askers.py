"""Who asked the written questions (Kamervragen) a letter answers, and when they were submitted.

An Aanhangsel van de Handelingen opens with `Vragen van de leden Hirsch (GroenLinks-PvdA) en
Teunissen (PvdA) aan de Staatssecretaris ... (ingezonden 4 april 2024).`; a ministry's answer
letter names them in its opening (`... de vragen van de leden Mutluer, Lahlah (GroenLinks-PvdA),
Boswijk (CDA) en Helder (BBB) over ...`). A party in brackets belongs to every name before it
since the previous party, as Dutch writes it (`Bushoff en Patijn (beiden GroenLinks-PvdA)`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pipelines.extract.dates import parse_dutch_date
from pipelines.model import Block

_ASKED = re.compile(
    r"\b(?:Kamer)?[Vv]ragen\s+van\s+(?:het\s+(?:kamer)?lid|de\s+(?:kamer)?leden)\s+(?P<names>[A-Z].+?)"
    r"(?=\s+(?:aan|over)\s|\s*\(ingezonden\b|[.;]\s|$)",
    re.S,
)
"""The opening that names the askers; names start with a capital, so `vragen van de leden van de
VVD-fractie` (a committee's members) names no one."""
_SUBMITTED = re.compile(r"\(ingezonden\s+(?P<date>[^)]+)\)", re.I)
_PARTY = re.compile(r"\s*\((?:beiden\s+|allen\s+)?(?P<party>[^()]+)\)\s*$", re.I)
_WITHIN = 40
"""Blocks from the top in which the questions' opening is looked for."""


@dataclass(frozen=True)
class Asker:
    """A member who asked the questions, as printed: `Hirsch`, party `GroenLinks-PvdA`."""

    name: str
    party: str | None


def _split(names: str) -> list[str]:
    """The names of a list (`A, B (X) en C (Y)`), split at commas and `en` outside brackets."""
    parts, depth, start = [], 0, 0
    for match in re.finditer(r"[()]|,\s*|\s+en\s+", names):
        token = match.group(0)
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(names[start : match.start()])
            start = match.end()
    parts.append(names[start:])
    return [part.strip() for part in parts if part.strip()]


def read_askers(blocks: list[Block]) -> tuple[list[Asker], date | None]:
    """The askers and the date the questions were submitted, from the first block near the top
    that names them; ([], None) for a letter that answers no written questions."""
    for block in blocks[:_WITHIN]:
        match = _ASKED.search(block.text)
        if match is None:
            continue
        submitted = _SUBMITTED.search(block.text)
        when = parse_dutch_date(submitted.group("date")) if submitted else None
        askers: list[Asker] = []
        pending: list[str] = []
        for part in _split(match.group("names")):
            party = _PARTY.search(part)
            name = part[: party.start()].strip() if party else part
            pending.append(name)
            if party:
                askers += [Asker(n, party.group("party").strip()) for n in pending]
                pending = []
        askers += [Asker(n, None) for n in pending]
        return [a for a in askers if a.name and len(a.name) <= 60], when
    return [], None
