"""Golden tests for the two seed letters: exact values read off the documents."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.extract import ParsedLetter, extract_letter
from pipelines.formats import parse_file
from tests.conftest import SEED_PDF, SEED_WORD


@pytest.fixture(scope="module")
def pdf_letter() -> ParsedLetter:
    return extract_letter(parse_file(SEED_PDF, SEED_PDF.name))


@pytest.fixture(scope="module")
def word_letter() -> ParsedLetter:
    return extract_letter(parse_file(SEED_WORD, SEED_WORD.name))


def test_pdf_seed_is_detected_as_markdown(pdf_letter: ParsedLetter) -> None:
    assert pdf_letter.letter["source_format"] == "markdown"
    assert pdf_letter.letter["source_encoding"] == "utf-8"


def test_pdf_seed_identity(pdf_letter: ParsedLetter) -> None:
    letter = pdf_letter.letter
    assert letter["letter_id"] == "kst-33783-46"
    assert letter["dossier_number"] == "33783"
    assert letter["document_number"] == "46"
    assert letter["parliamentary_year"] == "2019-2020"
    assert letter["date"] == date(2020, 7, 6)
    assert letter["place"] == "Den Haag"
    assert letter["addressee"] == "Voorzitter van de Tweede Kamer der Staten-Generaal"
    assert letter["sender"] == "Minister van Buitenlandse Zaken"
    assert letter["doc_type"] == "brief van de minister"
    assert letter["dossier_title"] == "Nucleaire ontwapening en non-proliferatie"
    assert letter["subject"] is None
    assert letter["salutation"] is None


def test_pdf_seed_footnotes(pdf_letter: ParsedLetter) -> None:
    assert [(n["footnote_no"], n["text"], n["paragraph_no"]) for n in pdf_letter.footnotes] == [
        (1, "Raadpleegbaar via www.tweedekamer.nl.", 1),
        (
            2,
            "Zie ook Kamerstuk 33 783, nrs. 31, 32 en 35 voor nadere details en toelichting op "
            "deze brief.",
            2,
        ),
    ]
    assert pdf_letter.letter["footnote_count"] == 2


def test_pdf_seed_page_break_paragraph_is_joined(pdf_letter: ParsedLetter) -> None:
    texts = [p["text"] for p in pdf_letter.paragraphs]
    joined = [t for t in texts if "Alleen zo kunnen immers alle nucleaire risico's" in t]
    assert len(joined) == 1
    assert joined[0].startswith("Het kabinet maakt zich grote zorgen")
    assert joined[0].endswith("tot een absoluut minimum beperkt blijft.")
    body = pdf_letter.letter["text"]
    assert "Raadpleegbaar" not in body
    assert "nadere details" not in body
    assert "<sup>" not in body and "**" not in body


def test_pdf_seed_paragraphs(pdf_letter: ParsedLetter) -> None:
    assert [p["kind"] for p in pdf_letter.paragraphs] == ["paragraph"] * 8
    first = pdf_letter.paragraphs[0]["text"]
    assert first.startswith("Zoals toegezegd tijdens het Algemeen Overleg")
    assert pdf_letter.paragraphs[-1]["text"].endswith(
        "Creating the Environment for Nuclear Disarmament (CEND)."
    )


def test_pdf_seed_kamerstuk_references(pdf_letter: ParsedLetter) -> None:
    refs = [
        (r["target_id"], r["paragraph_no"], r["footnote_no"])
        for r in pdf_letter.references
        if r["kind"] == "kamerstuk"
    ]
    assert refs == [
        ("kst-33783-41", 1, None),
        ("kst-33694-20", 2, None),
        ("kst-33694-49", 3, None),
        ("kst-33783-31", 2, 2),
        ("kst-33783-32", 2, 2),
        ("kst-33783-35", 2, 2),
    ]
    raw = {r["raw"] for r in pdf_letter.references if r["target_id"] == "kst-33783-32"}
    assert raw == {"Kamerstuk 33 783, nrs. 31, 32 en 35"}


def test_pdf_seed_url_reference(pdf_letter: ParsedLetter) -> None:
    urls = [(r["raw"], r["target_id"]) for r in pdf_letter.references if r["kind"] == "url"]
    assert urls == [("www.tweedekamer.nl", "https://www.tweedekamer.nl")]


def test_pdf_seed_signatory(pdf_letter: ParsedLetter) -> None:
    assert [(s["role"], s["name"]) for s in pdf_letter.signatories] == [
        ("De Minister van Buitenlandse Zaken", "S.A. Blok")
    ]


def test_word_seed_has_no_printed_date_or_dossier(word_letter: ParsedLetter) -> None:
    letter = word_letter.letter
    assert letter["source_format"] == "text"
    for field in (
        "date",
        "dossier_number",
        "document_number",
        "parliamentary_year",
        "place",
        "addressee",
        "dossier_title",
        "doc_type",
    ):
        assert letter[field] is None, field
    assert letter["letter_id"].startswith("doc-")
    assert letter["salutation"] == "Geachte voorzitter,"


def test_word_seed_questions(word_letter: ParsedLetter) -> None:
    questions = word_letter.questions
    assert [q["question_no"] for q in questions] == [1, 2, 3, 4]
    assert questions[0]["question"] == (
        "Wat is het oordeel van het kabinet over het Russische beleidsvoornemen om kernwapens te "
        "delen met Wit-Rusland?"
    )
    assert questions[0]["answer"].startswith("De Russische aankondiging om nucleaire wapens")
    assert questions[0]["answer"].endswith("de beste verdediging voor het bondgenootschap.")
    assert questions[1]["answer"].startswith("Nee. De zogeheten nuclear sharing arrangements")
    assert questions[2]["question"].startswith("Is het kabinet bekend dat de VS")
    assert questions[2]["answer"] == (
        "Vanwege veiligheidsredenen en op grond van bondgenootschappelijke afspraken, kan het "
        "kabinet geen mededelingen doen over de eventuele plaatsing van Amerikaanse kernwapens in "
        "het Verenigd Koninkrijk."
    )
    assert questions[3]["answer"].endswith(
        "Over de locatie waar de foto is gemaakt worden geen mededelingen gedaan."
    )
    assert word_letter.letter["question_count"] == 4


def test_word_seed_footnotes(word_letter: ParsedLetter) -> None:
    notes = [(n["footnote_no"], n["text"]) for n in word_letter.footnotes]
    assert notes == [(2, "Kamerstuk 2023Z06024"), (3, "Kamerstuk 2023Z06024")]
    assert "[footnoteRef" not in word_letter.letter["text"]
    assert "Kamerstuk 2023Z06024" not in word_letter.letter["text"]


def test_word_seed_references(word_letter: ParsedLetter) -> None:
    refs = [(r["kind"], r["target_id"], r["footnote_no"]) for r in word_letter.references]
    assert refs == [
        ("zaak", "2023Z05957", None),
        ("document", "2023D14598", None),
        ("zaak", "2023Z06024", 2),
        ("zaak", "2023Z06024", 3),
    ]


def test_word_seed_signatories_side_by_side(word_letter: ParsedLetter) -> None:
    assert [(s["role"], s["name"]) for s in word_letter.signatories] == [
        ("De minister van Buitenlandse Zaken", "Hanke Bruins Slot"),
        ("De minister van Defensie", "drs. K.H. Ollongren"),
    ]


def test_word_seed_id_is_stable() -> None:
    first = extract_letter(parse_file(SEED_WORD, SEED_WORD.name)).letter["letter_id"]
    again = extract_letter(parse_file(SEED_WORD, "elsewhere/renamed.txt")).letter["letter_id"]
    assert first == again
