"""Ministry codes that survive renames, from the dated mapping in `ministries.csv`.

Ministries are renamed and regrouped with cabinets (Justitie, Veiligheid en Justitie, Justitie
en Veiligheid); a researcher counting letters per ministry wants one code for all three. Each row
of the mapping names a portfolio as ministers print it, the code of the ministry it belongs to
and the dates it was in use (from inclusive, to exclusive; empty when open): a minister
zonder portefeuille's programme (`Rechtsbescherming`) belongs to the ministry housing it, and a
name whose ministry changed (`Volkshuisvesting en Ruimtelijke Ordening`, a programme of BZK
until 2 July 2024 and a ministry since) is told apart by the letter's date.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

MAPPING = Path(__file__).with_name("ministries.csv")
REVIEWED = "2026-12-06"
"""When the mapping was last checked against the cabinets in office; review it when a cabinet
is formed or a ministry renamed."""


@dataclass(frozen=True)
class Portfolio:
    """One row of the mapping."""

    name: str
    ministry_code: str
    valid_from: date | None
    valid_to: date | None
    kind: str
    """`ministry`, `programme` (a minister zonder portefeuille's), or an `abbreviation`."""


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


@cache
def portfolios() -> dict[str, tuple[Portfolio, ...]]:
    """The mapping's rows by portfolio name, case folded."""
    rows: dict[str, list[Portfolio]] = {}
    with MAPPING.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            entry = Portfolio(
                row["portfolio"],
                row["ministry_code"],
                _day(row["valid_from"]),
                _day(row["valid_to"]),
                row["kind"],
            )
            rows.setdefault(entry.name.casefold(), []).append(entry)
    return {name: tuple(entries) for name, entries in rows.items()}


def portfolio(name: str, day: date | None) -> Portfolio | None:
    """The mapping's row for `name` on `day`: the row in use that day, else the first of its
    rows when they all share one code; None for a name the mapping does not know."""
    entries = portfolios().get(" ".join(name.split()).casefold(), ())
    if day is not None:
        for entry in entries:
            if (entry.valid_from or date.min) <= day < (entry.valid_to or date.max):
                return entry
    return entries[0] if len({entry.ministry_code for entry in entries}) == 1 else None


def ministry_code(name: str, day: date | None) -> str | None:
    """The code of the ministry the portfolio `name` belongs to on `day`."""
    entry = portfolio(name, day)
    return entry.ministry_code if entry else None
