"""Links and derived values: kenmerk, Aanhangsel number, official URL, and the vergaderjaar and
house a letter does not print, each with the column saying where it came from."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipelines.extract import extract_letter
from pipelines.extract.links import house_of, kenmerk, official_url, parliamentary_year_of
from pipelines.formats import parse_bytes, parse_file
from pipelines.model import PortalRecord
from tests.extract.helpers import letter

NATIVE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "native" / "files"
needs_native = pytest.mark.skipif(not NATIVE.is_dir(), reason="../shared/samples is absent")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"ons kenmerk": "4980892"}, "4980892"),
        ({"kenmerk": "2024-0000123456 's-Gravenhage, 12 maart 2024"}, "2024-0000123456"),
        ({"kenmerk": "DEU-33/99"}, "DEU-33/99"),
        ({"uw kenmerk": "2024Z11859"}, None),
        ({"ons kenmerk": "In antwoord op uw brief van 5 juli 2024, nr. 2024Z11859, deel ik "
                         "u mede dat de vragen worden beantwoord."}, None),
    ],
)  # fmt: skip
def test_kenmerk_is_the_senders_reference(fields: dict[str, str], expected: str | None) -> None:
    assert kenmerk(fields) == expected


@pytest.mark.parametrize(
    ("letter_id", "url"),
    [
        ("kst-33783-46", "https://zoek.officielebekendmakingen.nl/kst-33783-46.html"),
        ("kst-36200-VIII-5", "https://zoek.officielebekendmakingen.nl/kst-36200-VIII-5.html"),
        ("ah-tk-20232024-1314", "https://zoek.officielebekendmakingen.nl/ah-tk-20232024-1314.html"),
        ("tk-2024D34636",
         "https://www.tweedekamer.nl/kamerstukken/brieven_regering/detail?did=2024D34636"),
        ("doc-0123456789abcdef", None),
    ],
)  # fmt: skip
def test_official_url(letter_id: str, url: str | None) -> None:
    assert official_url(letter_id) == url


@pytest.mark.parametrize("year", range(2015, 2027))
def test_the_vergaderjaar_turns_on_prinsjesdag(year: int) -> None:
    september = [date(year, 9, day) for day in range(1, 31)]
    tuesdays = [day for day in september if day.weekday() == 1]
    prinsjesdag = tuesdays[2]
    assert parliamentary_year_of(prinsjesdag) == f"{year}-{year + 1}"
    assert parliamentary_year_of(date.fromordinal(prinsjesdag.toordinal() - 1)) == (
        f"{year - 1}-{year}"
    )
    assert parliamentary_year_of(date(year, 3, 1)) == f"{year - 1}-{year}"


def test_house_from_the_addressee() -> None:
    assert house_of("Voorzitter van de Tweede Kamer der Staten-Generaal") == "Tweede Kamer"
    assert house_of("De voorzitter van de Eerste Kamer der Staten-Generaal") == "Eerste Kamer"
    assert house_of("Staatssecretaris van Financiën") is None


LETTERHEAD = """\
Ministerie van Financiën

Aan de Voorzitter van de {house} der Staten-Generaal

Datum {day}
Kenmerk 2024-00001{n} 's-Gravenhage, {day}
Betreft Voortgang

Geachte voorzitter,

Met deze brief informeer ik u over de voortgang van het programma.
"""


@pytest.mark.parametrize(
    ("house", "day", "year"),
    [("Tweede Kamer", "12 maart 2024", "2023-2024"), ("Eerste Kamer", "20 september 2022",
     "2022-2023"), ("Tweede Kamer", "19 september 2022", "2021-2022")],
)  # fmt: skip
def test_a_letterhead_letter_gets_derived_year_and_house_and_its_kenmerk(
    house: str, day: str, year: str
) -> None:
    row = letter(LETTERHEAD.format(house=house, day=day, n=len(day))).letter
    assert (row["parliamentary_year"], row["parliamentary_year_source"]) == (year, "derived")
    assert (row["house"], row["house_source"]) == (house, "derived")
    assert row["kenmerk"] == f"2024-00001{len(day)}"
    assert row["url"] is None and row["aanhangsel_number"] is None


def test_printed_and_portal_values_say_so() -> None:
    row = letter(
        "Tweede Kamer der Staten-Generaal\n\nVergaderjaar 2019-2020\n\n33 783 Kernwapens\n\n"
        "Nr. 46 BRIEF VAN DE MINISTER VAN BUITENLANDSE ZAKEN\n\nDen Haag, 6 juli 2020\n\n"
        "Hierbij informeer ik u over de uitkomst van het overleg over het kernwapenbeleid.\n"
    ).letter
    assert (row["parliamentary_year_source"], row["house_source"]) == ("stated", "stated")
    assert row["url"] == "https://zoek.officielebekendmakingen.nl/kst-33783-46.html"
    document = parse_bytes(b"Geachte voorzitter,\n\nEen brief zonder datum of kop.\n", "b.txt")
    document.portal = PortalRecord(
        document_id="00000000-0000-4000-8000-0000000000d1", document_number="2024D34636",
        parliamentary_year="2024-2025",
    )  # fmt: skip
    row = extract_letter(document).letter
    assert (row["parliamentary_year"], row["parliamentary_year_source"]) == ("2024-2025", "portal")
    assert row["url"].endswith("detail?did=2024D34636")


@needs_native
def test_real_samples() -> None:
    def row(name: str) -> dict:
        return extract_letter(parse_file(NATIVE / name, name)).letter

    aanhangsel = row("ah-tk-20232024-1786.pdf")
    assert aanhangsel["aanhangsel_number"] == "1786"
    assert aanhangsel["url"] == "https://zoek.officielebekendmakingen.nl/ah-tk-20232024-1786.html"
    wolvega = row("jenv-20240725-kv-wolvega.docx")
    assert (wolvega["house"], wolvega["house_source"]) == ("Tweede Kamer", "derived")
    assert (wolvega["parliamentary_year"], wolvega["parliamentary_year_source"]) == (
        "2023-2024", "derived"
    )  # fmt: skip
    assert row("jenv-20231018-kv-bijtincidenten.docx")["kenmerk"] == "4980892"
    assert row("kst-32545-143.xml")["parliamentary_year_source"] == "stated"
