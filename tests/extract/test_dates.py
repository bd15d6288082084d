"""Dutch dates as letters print them."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.extract.dates import parse_dutch_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 juli 2020", date(2020, 7, 6)),
        ("1 mei 2019", date(2019, 5, 1)),
        ("12 mrt. 2024", date(2024, 3, 12)),
        ("3 okt 2008", date(2008, 10, 3)),
        ("van 3 juli 20182 heb ik", date(2018, 7, 3)),
        ("17 augustus 2018", date(2018, 8, 17)),
    ],
)
def test_dutch_dates(text: str, expected: date) -> None:
    assert parse_dutch_date(text) == expected


@pytest.mark.parametrize("text", ["31 februari 2020", "6 juli", "Den Haag", "2020-07-06"])
def test_impossible_or_missing_dates_are_none(text: str) -> None:
    assert parse_dutch_date(text) is None
