"""Dutch dates as letters print them."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))

DUTCH_DATE = re.compile(
    rf"\b(?P<day>[0-3]?\d)\s*(?:e\s+)?(?P<month>{MONTH_NAMES})\.?\s+(?P<year>(?:19|20)\d{{2}})(?P<glued>\d{{1,2}})?\b",
    re.I,
)
"""`6 juli 2020`; a year followed by one or two more digits is a footnote marker glued to it."""


def parse_dutch_date(text: str) -> date | None:
    """Return the first Dutch date in `text`, or None when there is none or it is impossible."""
    match = DUTCH_DATE.search(text)
    if not match:
        return None
    try:
        return date(
            int(match.group("year")), MONTHS[match.group("month").lower()], int(match.group("day"))
        )
    except ValueError:
        return None
