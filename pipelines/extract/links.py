"""What a letter links to and what follows from what it prints: its kenmerk, its official URL,
and the house and vergaderjaar a letter does not print but its addressee and date fix.

A derived value is filled only where the letter states none, and its `*_source` column says so,
so a researcher can count letters per vergaderjaar without losing what was printed.
"""

from __future__ import annotations

import re
from datetime import date

from pipelines.extract.letterhead import before_place_and_date
from pipelines.util import prinsjesdag

_KENMERK = re.compile(r"^[\w][\w./ -]{0,58}[\w]$|^\w$")
_HOUSE = re.compile(r"\b(Tweede|Eerste)\s+Kamer\b", re.I)
_OFFICIAL = re.compile(r"^(?:kst-.+|ah-(?:tk|ek)-\d{8}-\d+)$")
_PORTAL = re.compile(r"^tk-(?P<number>\d{4}D\d{5,6})$")


def kenmerk(letterhead: dict[str, str]) -> str | None:
    """The sender's reference (`Ons kenmerk`, else `Kenmerk`) as printed, without a place and
    date printed after it on the same line; None when what follows the label is no reference."""
    value = letterhead.get("ons kenmerk") or letterhead.get("kenmerk") or ""
    value = before_place_and_date(value).strip(" .,;:")
    return value if _KENMERK.match(value) else None


def official_url(letter_id: str) -> str | None:
    """Where the letter is officially published: officielebekendmakingen.nl for a Kamerstuk or
    an Aanhangsel answer, the Tweede Kamer's page for a letter known by its portal number."""
    if _OFFICIAL.match(letter_id):
        return f"https://zoek.officielebekendmakingen.nl/{letter_id}.html"
    if match := _PORTAL.match(letter_id):
        return "https://www.tweedekamer.nl/kamerstukken/brieven_regering/detail?did=" + match.group(
            "number"
        )
    return None


def parliamentary_year_of(day: date) -> str:
    """The vergaderjaar `day` falls in (`2023-2024` for 12 March 2024)."""
    start = day.year if day >= prinsjesdag(day.year) else day.year - 1
    return f"{start}-{start + 1}"


def house_of(addressee: str | None) -> str | None:
    """The house a letter goes to, from its addressee (`Voorzitter van de Tweede Kamer ...`)."""
    match = _HOUSE.search(addressee or "")
    return f"{match.group(1).capitalize()} Kamer" if match else None
