"""Offices: who sends a letter, in which function and portfolio, under which ministry code."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipelines.extract import extract_letter
from pipelines.extract.ministries import ministry_code, portfolios
from pipelines.extract.offices import answered_by, offices_in, on_behalf
from pipelines.formats import parse_bytes
from pipelines.tables.schemas import table_schema
from tests.extract.helpers import letter

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples is absent")


def _offices(path: Path) -> list[tuple]:
    parsed = extract_letter(parse_bytes(path.read_bytes(), path.name))
    return [
        (o["relation"], o["function"], o["portfolio"], o["ministry_code"], o["name_normalized"])
        for o in parsed.offices
    ]


@needs_samples
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("native/files/ah-tk-20232024-1786.pdf", [
            ("signer", "staatssecretaris", "Financiën – Fiscaliteit en Belastingdienst", "FIN",
             "Van Rij"),
            ("mede namens", "minister zonder portefeuille",
             "Buitenlandse Handel en Ontwikkelingssamenwerking", "BZ", None),
        ]),
        ("native/files/jenv-20231018-kv-bijtincidenten.docx", [
            ("signer", "minister", "Landbouw, Natuur en Voedselkwaliteit", "LVVN", "P. Adema"),
            ("mede namens", "minister", "Justitie en Veiligheid", "JenV", None),
        ]),
        ("native/unlabeled/01b2bcad-7296-43bb-bc44-e727fc69b23f.pdf", [
            ("signer", "minister", "BZ", "BZ", "Bruins Slot"),
            ("signer", "minister zonder portefeuille",
             "Buitenlandse Handel en Ontwikkelingssamenwerking", "BZ", "Schreinemacher"),
        ]),
        ("native/unlabeled/1bb0809b-f36a-48b7-9ef9-a96ed52c5b6d.pdf", [
            ("signer", "minister", "Justitie en Veiligheid", "JenV", "Yeşilgöz-Zegerius"),
            ("mede namens", "minister zonder portefeuille", "Rechtsbescherming", "JenV", None),
        ]),
        ("letters/kst-31293-450.txt", [
            ("signer", "minister", "Onderwijs, Cultuur en Wetenschap", "OCW", None),
            ("signer", "minister zonder portefeuille", "Basis- en Voortgezet Onderwijs en Media",
             "OCW", None),
        ]),
        ("letters/kst-33000-IV-15.txt", [
            ("signer", "minister-president", "Algemene Zaken", "AZ", "M. Rutte"),
        ]),
        ("letters/kst-28606-19.txt", [("signer", "minister", "Justitie", "JenV", None)]),
        ("letters/tk-2024D39756.txt", [
            ("signer", "minister", "Landbouw, Visserij, Voedselzekerheid en Natuur", "LVVN",
             "F.M. Wiersma"),
            ("mede namens", "minister", "Infrastructuur en Waterstaat", "IenW", None),
        ]),
        ("letters/kst-29338-289.txt", []),
    ],
)  # fmt: skip
def test_offices_of_real_letters(path: str, expected: list[tuple]) -> None:
    if not (SAMPLES / path).is_file():
        path = path.replace("letters/kst-29338-289.txt", "native/files/kst-29338-289-vso.pdf")
    assert _offices(SAMPLES / path) == expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("De Minister van Buitenlandse Zaken", [("minister", "Buitenlandse Zaken")]),
        ("DE MINISTER VAN SOCIALE ZAKEN EN WERKGELEGENHEID",
         [("minister", "Sociale Zaken en Werkgelegenheid")]),
        ("Minister van Buitenlandse Zaken en Minister van Defensie",
         [("minister", "Buitenlandse Zaken"), ("minister", "Defensie")]),
        ("De Minister van Financiën en de Staatssecretaris van Financiën",
         [("minister", "Financiën"), ("staatssecretaris", "Financiën")]),
        ("De Staatssecretaris van Financiën - Fiscaliteit en Belastingdienst",
         [("staatssecretaris", "Financiën - Fiscaliteit en Belastingdienst")]),
        ("de minister voor Volkshuisvesting en Ruimtelijke Ordening",
         [("minister zonder portefeuille", "Volkshuisvesting en Ruimtelijke Ordening")]),
        ("De minister-president", [("minister-president", None)]),
        ("De Minister", []),
        ("De voorzitter van de commissie", []),
        ("De informateurs", []),
    ],
)  # fmt: skip
def test_offices_in_printed_roles_and_headings(printed: str, expected: list[tuple]) -> None:
    assert [(o.function, o.portfolio) for o in offices_in(printed, "signer")] == expected


def test_mede_namens_ends_where_the_portfolio_ends() -> None:
    found = on_behalf(
        "Hierbij bied ik u, mede namens de minister van Justitie en Veiligheid en de "
        "staatssecretaris van Volksgezondheid, Welzijn en Sport, de antwoorden aan op "
        "Kamervragen van het lid Wassenberg."
    )
    assert [(o.function, o.portfolio, o.relation) for o in found] == [
        ("minister", "Justitie en Veiligheid", "mede namens"),
        ("staatssecretaris", "Volksgezondheid, Welzijn en Sport", "mede namens"),
    ]
    found = on_behalf("mede namens de minister van Justitie en Veiligheid op Kamervragen lid X")
    assert [o.portfolio for o in found] == ["Justitie en Veiligheid"]


def test_an_aanhangsel_answer_line_names_holders_and_those_on_whose_behalf() -> None:
    found = answered_by(
        "Antwoord van Minister Hermans (Klimaat en Groene Groei), mede namens Minister "
        "Schreinemacher (BHOS) (ontvangen 1 mei 2025)."
    )
    assert [(o.relation, o.function, o.portfolio, o.name) for o in found] == [
        ("signer", "minister", "Klimaat en Groene Groei", "Hermans"),
        ("mede namens", "minister zonder portefeuille", "BHOS", "Schreinemacher"),
    ]


@pytest.mark.parametrize(
    ("portfolio", "day", "code"),
    [
        ("Justitie", date(2005, 1, 1), "JenV"),
        ("Veiligheid en Justitie", date(2015, 1, 1), "JenV"),
        ("Justitie en Veiligheid", date(2024, 1, 1), "JenV"),
        ("Landbouw, Natuur en Voedselkwaliteit", date(2020, 1, 1), "LVVN"),
        ("Landbouw, Visserij, Voedselzekerheid en Natuur", date(2025, 1, 1), "LVVN"),
        ("Economische Zaken en Klimaat", date(2020, 1, 1), "EZ"),
        ("Volkshuisvesting en Ruimtelijke Ordening", date(2023, 6, 1), "BZK"),
        ("Volkshuisvesting en Ruimtelijke Ordening", date(2024, 7, 2), "VRO"),
        ("Volkshuisvesting en Ruimtelijke Ordening", None, None),
        ("justitie en veiligheid", None, "JenV"),
        ("Ruimtevaart", date(2024, 1, 1), None),
    ],
)
def test_ministry_codes_survive_renames_and_follow_dates(
    portfolio: str, day: date | None, code: str | None
) -> None:
    assert ministry_code(portfolio, day) == code


GENERATED = """BRIEF VAN DE MINISTER VAN BINNENLANDSE ZAKEN EN KONINKRIJKSRELATIES

Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 3 maart 2023

Hierbij zend ik u, mede namens de minister voor Volkshuisvesting en Ruimtelijke Ordening, de
voortgangsrapportage.

De rapportage beschrijft de voortgang in het afgelopen halfjaar.

Zij volgt op de vorige rapportage.

In 2021 heeft de staatssecretaris mede namens de minister van Financiën een besluit genomen.

De Minister van Binnenlandse Zaken en Koninkrijksrelaties,
H.G.J. Bruins Slot
"""


def test_a_generated_letter_counts_the_opening_mede_namens_not_one_further_on() -> None:
    parsed = letter(GENERATED)
    assert [
        (o["relation"], o["function"], o["portfolio"], o["ministry_code"], o["name"])
        for o in parsed.offices
    ] == [
        ("signer", "minister", "Binnenlandse Zaken en Koninkrijksrelaties", "BZK",
         "H.G.J. Bruins Slot"),
        ("mede namens", "minister zonder portefeuille", "Volkshuisvesting en Ruimtelijke Ordening",
         "BZK", None),
    ]  # fmt: skip
    later = letter(GENERATED.replace("3 maart 2023", "3 maart 2025"))
    assert [o["ministry_code"] for o in later.offices] == ["BZK", "VRO"]


def test_the_schema_lists_exactly_the_codes_of_the_mapping() -> None:
    fields = {f["name"]: f for f in table_schema("offices")["fields"]}
    codes = {e.ministry_code for entries in portfolios().values() for e in entries}
    assert fields["ministry_code"]["constraints"]["enum"] == sorted(codes)
    assert {e.kind for entries in portfolios().values() for e in entries} == {
        "ministry", "programme", "abbreviation", "programme abbreviation"
    }  # fmt: skip
