"""Clean text: letterhead furniture and orphan note markers stay out of the body."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract import extract_letter
from pipelines.formats import parse_bytes
from pipelines.formats.structured import drop_orphan_markers
from pipelines.model import Block
from tests.extract.helpers import letter

NATIVE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "native" / "files"
needs_native = pytest.mark.skipif(not NATIVE.is_dir(), reason="../shared/samples is absent")


def _parsed(name: str):
    return extract_letter(parse_bytes((NATIVE / name).read_bytes(), name))


@needs_native
@pytest.mark.parametrize(
    "name", ["jenv-20231018-kv-bijtincidenten.docx", "jenv-20231107-kv-sammy-baker.docx"]
)
def test_the_reply_notice_of_the_letterhead_is_not_the_first_paragraph(name: str) -> None:
    parsed = _parsed(name)
    assert parsed.letter["text"].startswith("In antwoord op uw brief van ")
    assert "Bij beantwoording" not in parsed.letter["text"]


@needs_native
def test_markers_of_notes_the_word_letter_does_not_print_are_dropped() -> None:
    parsed = _parsed("jenv-20231107-kv-sammy-baker.docx")
    text = parsed.letter["text"]
    assert "gedrag2)" not in text and "Beke3)" not in text
    assert "Handelingskader aanpak personen verward gedrag waarin op pagina 21" in text
    assert parsed.questions[0]["question"].endswith("'Het laatste kwartier van Sammy'?")
    assert parsed.letter["footnote_count"] == 1, "the real Word note stays"


def test_a_generated_letterhead_notice_is_letterhead() -> None:
    parsed = letter(
        "Ministerie van Financiën\n\nDatum 3 maart 2023\n\nBetreft Voortgang\n\n"
        "Bij beantwoording de datum en ons kenmerk vermelden. Wilt u slechts één zaak in uw "
        "brief behandelen.\n\nHierbij de voortgang.\n"
    )
    assert parsed.letter["text"] == "Hierbij de voortgang."
    parsed = letter(
        "Datum 3 maart 2023\n\nBetreft Voortgang\n\nBij correspondentie svp datum en kenmerk "
        "vermelden.\n\nHierbij de voortgang.\n"
    )
    assert parsed.letter["text"] == "Hierbij de voortgang."


def _texts(*texts: str) -> list[str]:
    blocks = [Block(text=text) for text in texts]
    drop_orphan_markers(blocks)
    return [block.text for block in blocks]


def test_orphan_markers_numbered_in_order_across_blocks_are_dropped() -> None:
    assert _texts("Kent u het rapport? 1)", "Zie het kader2) hierover.", "Van Beke3), zie.") == [
        "Kent u het rapport?",
        "Zie het kader hierover.",
        "Van Beke, zie.",
    ]


def test_an_inline_enumeration_and_a_lone_marker_keep_their_numbers() -> None:
    inline = ("Het plan kent twee delen: 1) de kosten, 2) de baten.", "Verder niets.")
    assert _texts(*inline) == list(inline)
    lone = ("Zie het kader2) hierover.", "Verder niets.")
    assert _texts(*lone) == list(lone)
    out_of_order = ("Eerst dit2) en", "dan dat1).")
    assert _texts(*out_of_order) == list(out_of_order)


WEB = NATIVE.parent.parent / "letters"


@needs_native
@pytest.mark.parametrize(
    ("name", "printed"),
    [
        ("kst-31293-450.txt", "van Oberon Onderzoek en Advies/SEO Economisch Onderzoek. De "),
        ("kst-32500-XII-72.txt", "De vaste commissie voor Infrastructuur en Milieu heeft een"),
    ],
)
def test_markers_of_notes_a_web_page_leaves_out_are_taken_from_the_words(
    name: str, printed: str
) -> None:
    parsed = extract_letter(parse_bytes((WEB / name).read_bytes(), name))
    assert printed in parsed.letter["text"]
    assert any(printed.strip() in p["text"] for p in parsed.paragraphs)


def test_only_glued_markers_numbered_from_one_in_order_are_taken() -> None:
    parsed = letter(
        "Den Haag, 3 maart 2023\n\nHet rapport van het onderzoeksbureau1 is verschenen.\n\n"
        "De maatregelen rond covid19 en de A12 blijven. Zie de bijlage2.\n"
    )
    assert parsed.letter["text"] == (
        "Het rapport van het onderzoeksbureau is verschenen.\n\n"
        "De maatregelen rond covid19 en de A12 blijven. Zie de bijlage."
    )
    untouched = "De maatregelen rond covid19 en de A12 blijven. Zie de bijlage2."
    assert letter(f"Den Haag, 3 maart 2023\n\n{untouched}\n").letter["text"] == untouched
