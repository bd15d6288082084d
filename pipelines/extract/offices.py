"""Which government offices send a letter: one row per office, read from the signature, the
`BRIEF VAN ...` heading, an Aanhangsel's `Antwoord van ...` line and every `mede namens ...`.

An office is a function (minister, minister zonder portefeuille, minister-president,
staatssecretaris) and a portfolio as printed; `ministry_code` names the ministry it belongs to
under a code that survives renames (`pipelines/extract/ministries.csv`), so letters can be
counted per ministry and year. `Ministers van A en voor B` is two offices, `mede namens de
Staatssecretarissen van C en van D` two more, on whose behalf the letter is sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pipelines.extract.ministries import ministry_code
from pipelines.extract.ministries import portfolio as ministry_portfolio
from pipelines.extract.people import normalized_name
from pipelines.formats.common import dutch_title_case, is_upper_heading

_FUNCTION = (
    r"(?P<function>(?i:minister-president|ministers?|staatssecretariss(?:en)?|staatssecretaris))"
)
_WORD = r"(?!(?i:de|het|ministers?|staatssecretariss?e?n?)\b)[A-ZÀ-Ý][\w’'-]*"
"""A word of a portfolio starts with a capital (case-sensitive), so `... Veiligheid op
Kamervragen` ends the portfolio at `op`; the next office's `Minister` or `De` is no part of
it."""
_PORTFOLIO = rf"{_WORD}(?:(?:,\s*|\s+(?i:en)\s+|\s+[-–]\s+|\s+){_WORD})*"
_PREPOSITION = r"(?P<preposition>(?i:van|voor))"
_FIRST = re.compile(
    rf"(?:(?i:de|het)\s+)?{_FUNCTION}(?:\s*,\s*(?i:minister))?"
    rf"(?:\s+{_PREPOSITION}\s+(?P<portfolio>{_PORTFOLIO}))?"
)
_NEXT = re.compile(
    rf"(?:\s*,|\s+(?i:en))\s+(?:(?i:de|het)\s+)?(?:{_FUNCTION}\s+)?"
    rf"{_PREPOSITION}\s+(?P<portfolio>{_PORTFOLIO})"
)
_ON_BEHALF = re.compile(r"\bmede\s+namens\s+", re.I)
_OPENING_PARAGRAPHS = 2
_LINE = 150
"""Longest paragraph read as a `mede namens` line of its own."""
_ANSWERED = re.compile(r"\bAntwoord\s+van\s+", re.I)
_NAMED = re.compile(
    rf"(?:(?i:de)\s+)?{_FUNCTION}\s+(?P<name>[^(),]{{1,60}}?)\s*\((?P<portfolio>[^()]{{1,120}})\)"
)
"""An office named by its holder, the portfolio in brackets, as an Aanhangsel prints it:
`Staatssecretaris Van Huffelen (Binnenlandse Zaken en Koninkrijksrelaties)`."""
_NEXT_NAMED = re.compile(
    r"\s*(?:,\s*|\s+(?i:en)\s+|\s+)(?:(?i:van)\s+)?(?=(?:(?i:de)\s+)?(?i:minister|staatssecretaris))"
)
_LONGEST_ABBREVIATION = 5
"""A portfolio printed in capitals up to this long is an abbreviation (`BHOS`, `LVVN`), kept as
printed; a longer one is a heading in capitals (`DEFENSIE`), in running-text capitalization."""
_DASH = re.compile(r"\s+[-–]\s+.*$")
"""`Staatssecretaris van Financiën - Fiscaliteit en Belastingdienst`: the ministry comes first."""


@dataclass(frozen=True)
class Office:
    """An office as printed: `minister zonder portefeuille`, `Basis- en Voortgezet Onderwijs en
    Media`; `relation` is `signer` or `mede namens`, `name` the holder where the letter names
    them."""

    function: str
    portfolio: str | None
    relation: str
    name: str | None = None
    name_normalized: str | None = None
    """Initials and surname (`people.normalized_name`); an Aanhangsel prints the surname
    alone, which stays as printed (`Bruins Slot` has no first name to reduce)."""


def _is_premier(word: str) -> bool:
    return word.lower() == "minister-president"


def _function(word: str, preposition: str | None) -> str:
    if _is_premier(word):
        return "minister-president"
    word = word.lower()
    if word.startswith("staatssecretaris"):
        return "staatssecretaris"
    return "minister zonder portefeuille" if (preposition or "").lower() == "voor" else "minister"


def _printed(portfolio: str | None) -> str | None:
    if not portfolio:
        return None
    portfolio = " ".join(portfolio.split()).strip(" ,")
    heading = is_upper_heading(portfolio) and len(portfolio) > _LONGEST_ABBREVIATION
    return dutch_title_case(portfolio) if heading else portfolio


def offices_in(text: str, relation: str) -> list[Office]:
    """The offices a phrase starting with one names (`De Minister van X`, `Ministers van A en
    voor B`, `MINISTER-PRESIDENT, Minister van Algemene Zaken`); [] when it starts with none."""
    text = text.strip()
    match = _FIRST.match(text)
    if match is None or not (match.group("portfolio") or _is_premier(match.group("function"))):
        return []
    function = match.group("function")
    found = [
        Office(
            _function(function, match.group("preposition")),
            _printed(match.group("portfolio")),
            relation,
        )
    ]
    position = match.end()
    while match.group("portfolio") and (match := _NEXT.match(text, position)):
        function = match.group("function") or function
        found.append(
            Office(
                _function(function, match.group("preposition")),
                _printed(match.group("portfolio")),
                relation,
            )
        )
        position = match.end()
    return found


def _named(text: str, position: int, relation: str) -> tuple[list[Office], int]:
    """The offices named by their holders from `position` on (`Minister Bruins Slot (BZ) van
    Minister Schreinemacher (BHOS)`), and where they end."""
    found: list[Office] = []
    while match := _NAMED.match(text, position):
        portfolio = _printed(match.group("portfolio"))
        function = _function(match.group("function"), "van")
        entry = ministry_portfolio(portfolio or "", None)
        if function == "minister" and entry and entry.kind.startswith("programme"):
            function = "minister zonder portefeuille"
        surname = " ".join(match.group("name").split())
        found.append(Office(function, portfolio, relation, surname, surname))
        position = match.end()
        joiner = _NEXT_NAMED.match(text, position)
        if joiner is None:
            break
        position = joiner.end()
    return found, position


def on_behalf(text: str) -> list[Office]:
    """The offices named after each `mede namens` in `text`."""
    found: list[Office] = []
    for match in _ON_BEHALF.finditer(text):
        rest = text[match.end() :]
        found += offices_in(rest, "mede namens") or _named(rest, 0, "mede namens")[0]
    return found


def answered_by(text: str) -> list[Office]:
    """The offices and names an Aanhangsel's `Antwoord van Staatssecretaris Van Huffelen
    (Binnenlandse Zaken en Koninkrijksrelaties)` gives, with those it answers on behalf of."""
    match = _ANSWERED.search(text)
    if match is None:
        return []
    found, end = _named(text, match.end(), "signer")
    return found + on_behalf(text[end : end + 400]) if found else []


def ministry_of(office: Office, day: date | None) -> str | None:
    """The ministry code of `office` on `day`; the minister-president's is AZ."""
    if office.function == "minister-president" and office.portfolio is None:
        return ministry_code("Algemene Zaken", day)
    if office.portfolio is None:
        return None
    return ministry_code(_DASH.sub("", office.portfolio), day)


def _key(office: Office) -> tuple[str, str | None]:
    return office.function, office.portfolio.casefold() if office.portfolio else None


def read_offices(
    signers: list[tuple[str | None, str | None]],
    sender: str | None,
    header: list[str],
    body: list[str],
    signature: list[str],
) -> list[Office]:
    """The letter's offices, each once: those of the signers' roles (with their names), of an
    Aanhangsel's answer line, of the sender heading, then those the letter says it is sent
    `mede namens`: in its header, its first body paragraphs, a `mede namens` line of its own
    (a signature line read into the body) or its signature. Further down the body, `mede
    namens` reports what others did."""
    opening = header + body[:_OPENING_PARAGRAPHS]
    opening += [text for text in body if len(text) <= _LINE and _ON_BEHALF.match(text)]
    found: list[Office] = []
    for role, name in signers:
        offices = offices_in(role or "", "signer")
        holder = normalized_name(name)
        found += [Office(o.function, o.portfolio, o.relation, name, holder) for o in offices[:1]]
        found += offices[1:]
    for text in opening:
        if answer := answered_by(text):
            found += answer
            break
    found += offices_in(sender or "", "signer")
    found += [office for text in opening + signature for office in on_behalf(text)]
    unique: dict[tuple[str, str | None], Office] = {}
    for office in found:
        unique.setdefault(_key(office), office)
    return list(unique.values())
