"""Header reading: vergaderjaar, dossier, ondernummer, doc type, sender, addressee, date."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.extract.identity import normalize_dossier, normalize_year, read_identity
from pipelines.model import Block
from tests.extract.helpers import blocks, letter


@pytest.mark.parametrize(
    ("printed", "normalized"),
    [
        ("34 300-VII", "34300-VII"),
        ("21 501-32", "21501-32"),
        ("36 200 V", "36200-V"),
        ("33 783", "33783"),
        ("32 500 XII", "32500-XII"),
    ],
)
def test_dossier_numbers(printed: str, normalized: str) -> None:
    assert normalize_dossier(printed) == normalized


@pytest.mark.parametrize(
    ("first", "second", "year"),
    [("2019", "2020", "2019-2020"), ("2019", "20", "2019-2020"), ("1999", "00", "1999-2000")],
)
def test_vergaderjaar(first: str, second: str, year: str) -> None:
    assert normalize_year(first, second) == year
    assert normalize_year("2019", "2021") is None


def test_kamerstuk_header_with_title_on_the_dossier_line() -> None:
    identity = read_identity(
        blocks(
            "Vergaderjaar 2019\u20132020",
            "33 529 Gaswinning",
            "Nr. 521 BRIEF VAN DE MINISTER VAN ECONOMISCHE ZAKEN EN KLIMAAT",
            "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
            "'s-Gravenhage, 1 mei 2019",
            "Hierbij stuur ik u de rapportage van 6 juli 2020.",
        )
    )
    assert identity.parliamentary_year == "2019-2020"
    assert (identity.dossier_number, identity.dossier_title) == ("33529", "Gaswinning")
    assert identity.document_number == "521"
    assert identity.doc_type == "brief van de minister"
    assert identity.sender == "Minister van Economische Zaken en Klimaat"
    assert identity.addressee == "Voorzitter van de Tweede Kamer der Staten-Generaal"
    assert (identity.place, identity.date) == ("'s-Gravenhage", date(2019, 5, 1))
    assert identity.body_start == 5


def test_received_line_is_header_not_the_letters_date() -> None:
    identity = read_identity(
        blocks(
            "36 180",
            "Nr. 133",
            "BRIEF VAN DE MINISTER VAN FINANCI\u00cbN",
            "Ontvangen 20 februari 2025",
            "Hierbij bied ik u de nota aan.",
        )
    )
    assert identity.body_start == 4
    assert identity.date is None, "receipt is not the letter's own date"


def test_page_chrome_above_the_header_is_skipped() -> None:
    parsed = letter(
        "Kamerstuk\n\nDatum publicatieOrganisatieVergaderjaarDossier- en ondernummer\n"
        "Tweede Kamer der Staten-Generaal2016-201734700 nr. 19\n\n"
        "34 700 Kabinetsformatie 2017\n\nNr. 19 BRIEF VAN DE INFORMATEUR\n\n"
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\n\n"
        "Den Haag, 29 mei 2017\n\nOp woensdag 17 mei jongstleden startte ik.\n"
    ).letter
    assert parsed["house"] == "Tweede Kamer"
    assert parsed["parliamentary_year"] == "2016-2017"
    assert parsed["letter_id"] == "kst-34700-19"
    assert parsed["doc_type"] == "brief van de informateur"
    assert parsed["text"] == "Op woensdag 17 mei jongstleden startte ik."


def test_old_layout_two_dossiers_and_lower_case_nr() -> None:
    identity = read_identity(
        blocks(
            "28 606",
            "Jeugdzorg 2003\u20132006",
            "29 200 VI",
            "Vaststelling van de begrotingsstaat van het Ministerie van Justitie (VI)",
            "nr. 19",
            "BRIEF VAN DE MINISTER VAN JUSTITIE",
        )
    )
    assert identity.dossiers == ["28606", "29200-VI"]
    assert (identity.dossier_number, identity.dossier_title) == ("28606", "Jeugdzorg 2003-2006")
    assert identity.document_number == "19"
    assert identity.body_start == 6


def test_title_and_nr_run_together() -> None:
    identity = read_identity(blocks("26 488", "Behoeftestelling vervanging F-16 nr. 106"))
    assert (identity.dossier_title, identity.document_number) == (
        "Behoeftestelling vervanging F-16",
        "106",
    )


@pytest.mark.parametrize(
    ("lines", "number"),
    [
        (("30 804", "Belastingplan 2007", "F", "BRIEF VAN DE STAATSSECRETARIS"), "F"),
        (("33 506 Orgaandonatie", "AB VERSLAG VAN EEN NADER SCHRIFTELIJK OVERLEG"), "AB"),
    ],
)
def test_eerste_kamer_letter_numbers(lines: tuple[str, ...], number: str) -> None:
    identity = read_identity(blocks(*lines))
    assert identity.document_number == number
    assert identity.body_start == len(lines)


@pytest.mark.parametrize(
    ("heading", "doc_type"),
    [
        ("BRIEF VAN DE MINISTERS VAN ONDERWIJS, CULTUUR EN WETENSCHAP", "brief van de ministers"),
        (
            "BRIEF VAN DE MINISTER-PRESIDENT, MINISTER VAN ALGEMENE ZAKEN",
            "brief van de minister-president",
        ),
        (
            "BRIEF VAN DE VOORZITTER VAN DE TWEEDE KAMER DER STATEN-GENERAAL",
            "brief van de voorzitter van de tweede kamer",
        ),
        ("VERSLAG VAN EEN SCHRIFTELIJK OVERLEG", "verslag van een schriftelijk overleg"),
        ("LIJST VAN VRAGEN EN ANTWOORDEN", "lijst van vragen en antwoorden"),
    ],
)
def test_doc_type_headings(heading: str, doc_type: str) -> None:
    identity = read_identity(blocks("33 410 Kabinetsformatie 2012", "Nr. 30", heading))
    assert identity.doc_type == doc_type


def test_vastgesteld_date_of_a_report() -> None:
    identity = read_identity(
        blocks(
            "35 510 Onderzoek",
            "Nr. 130",
            "VERSLAG VAN EEN SCHRIFTELIJK OVERLEG",
            "Vastgesteld 25 mei 2023",
        )
    )
    assert identity.date == date(2023, 5, 25)
    assert identity.sender is None


def test_answers_to_written_questions() -> None:
    identity = read_identity(
        blocks(
            "Antwoord schriftelijke vragen : Antwoord op vragen van het lid Jansen",
            "Vragen van het lid Jansen (VVD) aan de Minister van Financiën "
            "(ingezonden 2 mei 2022).",
            "Antwoord van Minister Pietersen (Financiën) (ontvangen 7 juni 2022). Zie ook "
            "Aanhangsel Handelingen, vergaderjaar 2021\u20132022, nr. 2646.",
            "Vraag 1",
        )
    )
    assert identity.doc_type == "antwoord op schriftelijke vragen"
    assert identity.parliamentary_year == "2021-2022"
    # the answers' date is the day they were received, as the Aanhangsel's gold has it; the
    # questions' `ingezonden` date is when they were asked
    assert identity.date == date(2022, 6, 7)
    assert identity.body_start == 3


def test_letterhead_letter() -> None:
    identity = read_identity(
        blocks(
            "Ministerie van Buitenlandse Zaken",
            "Aan de Voorzitter van de",
            "Tweede Kamer der Staten-Generaal",
            "Postbus 20018",
            "Datum 27 januari 1999",
            "Kenmerk DEU-33/99",
            "Betreft Bezoeken",
            "Geachte voorzitter,",
            "Met deze brief informeer ik u.",
        )
    )
    assert identity.doc_type == "departementale brief"
    assert identity.date == date(1999, 1, 27)
    assert identity.subject == "Bezoeken"
    assert identity.letterhead["kenmerk"] == "DEU-33/99"
    assert identity.addressee == "Voorzitter van de Tweede Kamer der Staten-Generaal"
    assert identity.house is None, "the addressee's Kamer is not the letter's house"
    assert identity.body_start == 7


def test_letterhead_lines_printed_in_one_block() -> None:
    printed = [
        "Ministerie van Infrastructuur en Waterstaat",
        "De voorzitter van de Tweede Kamer\nder Staten-Generaal\nPostbus 20018\n2500 EA DEN HAAG",
        "Datum 22 december 2022\nBetreft Emissies door de luchtvaart",
        "Geachte voorzitter,",
        "In de Kamer is de afgelopen jaren aandacht besteed aan de emissies.",
    ]
    identity = read_identity(
        [Block(text=" ".join(layout.split("\n")), layout=layout) for layout in printed]
    )
    assert identity.doc_type == "departementale brief"
    assert identity.date == date(2022, 12, 22)
    assert identity.subject == "Emissies door de luchtvaart"
    assert identity.addressee == "De voorzitter van de Tweede Kamer der Staten-Generaal"
    assert identity.body_start == 3


def test_letter_spaced_letterhead_row() -> None:
    identity = read_identity(
        blocks(
            "Ministerie van Algemene Zaken",
            "D a t u m K e n m e r k O n d e r w e r p",
            "23 mei 2002 02M431614 Motie Wagenaar",
            "Op 10 april 2002 is de motie aangenomen.",
        )
    )
    assert identity.date == date(2002, 5, 23)
    assert identity.letterhead["kenmerk"] == "02M431614"
    assert identity.subject == "Motie Wagenaar"
    assert identity.body_start == 3


def test_body_dates_are_not_the_letter_date() -> None:
    paragraph = "Op 6 juli 2020 ontving ik uw brief over de stand van zaken. " * 4
    identity = read_identity(blocks(paragraph, "Datum 7 juli 2020", "Den Haag, 8 juli 2020"))
    assert identity.date is None


def test_eerste_kamer_page_with_glued_date_column() -> None:
    parsed = letter(
        "Kamerstuk\n\nDatum publicatieOrganisatieVergaderjaarDossier- en ondernummerDatum brief\n"
        "Eerste Kamer der Staten-Generaal2020-202135 925 nr. E14-06-2021\n\n"
        "35 925 Voorstel van wet tot wijziging van de Wet op de zorgtoeslag\n\n"
        "E BRIEF VAN DE MINISTER VAN VOLKSGEZONDHEID, WELZIJN EN SPORT\n\n"
        "Aan de Voorzitter van de Eerste Kamer der Staten-Generaal\n\nDen Haag, 14 juni 2021\n\n"
        "In reactie op uw brief bericht ik u het volgende.\n"
    ).letter
    assert (parsed["house"], parsed["parliamentary_year"]) == ("Eerste Kamer", "2020-2021")
    assert parsed["letter_id"] == "kst-35925-E"
    assert parsed["sender"] == "Minister van Volksgezondheid, Welzijn en Sport"
    assert parsed["date"] == date(2021, 6, 14)


def test_an_acronym_title_is_not_a_dossier_suffix() -> None:
    identity = read_identity(blocks("28 676 NAVO", "Nr. 400"))
    assert (identity.dossier_number, identity.dossier_title) == ("28676", "NAVO")


def test_heading_wrapped_over_two_lines() -> None:
    identity = read_identity(
        blocks(
            "31 293 Primair Onderwijs",
            "Nr. 450",
            "BRIEF VAN DE MINISTERS VAN ONDERWIJS, CULTUUR EN WETENSCHAP EN VOOR BASIS- EN",
            "VOORTGEZET ONDERWIJS EN MEDIA",
            "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
            "Den Haag, 12 maart 2019",
            "INLEIDING",
        )
    )
    assert identity.sender == (
        "Ministers van Onderwijs, Cultuur en Wetenschap en voor Basis- en Voortgezet Onderwijs "
        "en Media"
    )
    assert identity.doc_type == "brief van de ministers"
    assert identity.date == date(2019, 3, 12)
    assert identity.body_start == 6


def test_answers_without_a_received_date() -> None:
    identity = read_identity(
        blocks(
            "Vragen van het lid Jansen (VVD) aan de Minister (ingezonden 2 mei 2022).",
            "Antwoord van staatssecretaris De Vries (Financiën).",
            "Vraag 1",
        )
    )
    assert identity.doc_type == "antwoord op schriftelijke vragen"
    assert identity.body_start == 2


def test_any_heading_in_capitals_after_nr() -> None:
    identity = read_identity(blocks("36 410 Wet op de zorg", "Nr. 9 GEWIJZIGD VOORSTEL VAN WET"))
    assert (identity.document_number, identity.doc_type) == ("9", "gewijzigd voorstel van wet")


@pytest.mark.parametrize(
    "line",
    [
        "-".join(["A"] * 40),  # hyphenated capitals without a comma: no place
        "33 783" + " II" * 30 + "\n5",  # budget-chapter look-alikes that end in no title
    ],
)
def test_header_lines_that_almost_match_are_refused(line: str) -> None:
    """Lines that could be read in exponentially many ways before failing are refused at once;
    the letter has no date and no dossier."""
    identity = read_identity(blocks(line, "Hierbij stuur ik u de brief."))
    assert (identity.date, identity.dossier_number) == (None, None)


@pytest.mark.parametrize(
    ("line", "place"),
    [
        ("'s-Gravenhage, 1 mei 2019", "'s-Gravenhage"),
        ("Den Haag-Zuid, 1 mei 2019", "Den Haag-Zuid"),
    ],
)
def test_place_names_with_hyphens(line: str, place: str) -> None:
    identity = read_identity(blocks(line, "Hierbij stuur ik u de brief."))
    assert (identity.place, identity.date) == (place, date(2019, 5, 1))


def test_title_before_nr_after_a_long_run_of_spaces() -> None:
    identity = read_identity(blocks("33 783", "Gaswinning" + " " * 5000 + "nr. 106"))
    assert (identity.dossier_title, identity.document_number) == ("Gaswinning", "106")


@pytest.mark.parametrize(
    ("dossier", "number_line", "number", "doc_type", "sender"),
    [
        ("29 338 Wetenschapsbudget", "Nr. 289 Verslag van een schriftelijk overleg", "289",
         "verslag van een schriftelijk overleg", None),
        ("36 410 Financiële verantwoording", "Nr. 7 Brief van de minister van Financiën", "7",
         "brief van de minister", "Minister van Financiën"),
        ("21 501-02 Raad Algemene Zaken", "Nr. 2650 Lijst van vragen en antwoorden", "2650",
         "lijst van vragen en antwoorden", None),
    ],
)  # fmt: skip
def test_a_document_type_in_ordinary_case_after_the_number(
    dossier: str, number_line: str, number: str, doc_type: str, sender: str | None
) -> None:
    """The portal's PDFs print the type after `Nr.` in ordinary case, not in capitals."""
    identity = read_identity(
        blocks(
            "Tweede Kamer der Staten-Generaal", dossier, number_line, "Vastgesteld 16 januari 2024"
        )
    )
    assert (identity.document_number, identity.doc_type, identity.sender) == (
        number, doc_type, sender,
    )  # fmt: skip
    assert identity.date == date(2024, 1, 16)


def test_an_ordinary_sentence_after_the_number_is_no_document_type() -> None:
    identity = read_identity(blocks("29 338 Wetenschapsbudget", "Nr. 289 Zie hieronder."))
    assert identity.document_number is None


def _letter(head: str) -> dict:
    from pipelines.extract import extract_letter
    from pipelines.formats import parse_bytes

    text = (
        f"{head}\n\nGeachte voorzitter,\n\nHierbij informeer ik uw Kamer over de voortgang.\n\n"
        "De Minister van Financiën,\n\nW.B. Hoekstra\n"
    )
    return extract_letter(parse_bytes(text.encode(), "brief.txt")).letter


@pytest.mark.parametrize(
    ("head", "expected", "subject"),
    [
        ("Datum\n6 juli 2020\nBetreft\nVoortgang van het programma", date(2020, 7, 6),
         "Voortgang van het programma"),
        ("Datum\n\n28 februari 2023\n\nOnderwerp\n\nStand van zaken stikstof",
         date(2023, 2, 28), "Stand van zaken stikstof"),
    ],
)  # fmt: skip
def test_a_label_alone_with_its_value_on_the_next_line(head: str, expected, subject) -> None:
    row = _letter(head)
    assert (row["date"], row["subject"]) == (expected, subject)
    assert row["text"].startswith("Hierbij informeer ik")


@pytest.mark.parametrize(
    ("head", "place", "expected"),
    [
        ("Kenmerk: 2024-0000123456 's-Gravenhage, 12 maart 2024", "'s-Gravenhage",
         date(2024, 3, 12)),
        ("Ons kenmerk 5012345 Den Haag, 1 oktober 2019", "Den Haag", date(2019, 10, 1)),
    ],
)  # fmt: skip
def test_place_and_date_at_the_end_of_a_letterhead_line(head: str, place: str, expected) -> None:
    row = _letter(head)
    assert (row["place"], row["date"]) == (place, expected)


@pytest.mark.parametrize(
    ("received", "until", "signed"),
    [("3 april 2024", "3 mei 2024", date(2024, 4, 2)),
     ("17 januari 2022", "21 februari 2022", date(2022, 1, 14))],
)  # fmt: skip
def test_a_voorhang_notice_above_the_letter(received: str, until: str, signed: date) -> None:
    day = f"{signed.day} {['januari', 'april'][signed.month == 4]} {signed.year}"
    row = _letter(
        f"Ontvangen ter Griffie op {received}.\n\nHet besluit, dat is opgenomen in de bijlage, "
        f"kan niet eerder worden genomen dan op {until}.\n\n"
        f"Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\n\nDen Haag, {day}"
    )
    assert (row["date"], row["place"]) == (signed, "Den Haag")
    assert row["addressee"] == "Voorzitter van de Tweede Kamer der Staten-Generaal"
    assert row["text"].startswith("Hierbij informeer ik")
