"""The PDF reader on real PDFs as the Tweede Kamer portal and officielebekendmakingen.nl serve them
(../shared/samples/native): values read off the printed documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.formats import parse_bytes
from pipelines.formats.pdf import read_chars
from pipelines.model import Document

NATIVE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "native"
pytestmark = pytest.mark.skipif(not NATIVE.is_dir(), reason="../shared/samples/native is absent")


def _parse(name: str) -> Document:
    path = next(NATIVE.rglob(name))
    return parse_bytes(path.read_bytes(), path.name)


def _texts(document: Document) -> list[str]:
    return [block.text for block in document.blocks]


def test_every_real_pdf_reads_without_undecoded_glyphs() -> None:
    """pdfminer gave `(cid:129)` and U+FFFF for bullets whose font has no Unicode map, and PDFium
    marks a hyphen at a line end with U+0002: none of these may reach the text."""
    pdfs = sorted(NATIVE.rglob("*.pdf"))
    assert len(pdfs) == 19
    for path in pdfs:
        document = parse_bytes(path.read_bytes(), path.name)
        text = "\n".join(_texts(document) + [note.text for note in document.footnotes])
        for junk in ("(cid:", "\uffff", "\ufffe", "\x02"):
            assert junk not in text, (path.name, junk)


def test_the_motie_reads_as_printed() -> None:
    assert _texts(_parse("kst-32545-143.pdf"))[:7] == [
        "Tweede Kamer der Staten-Generaal",
        "Vergaderjaar 2020–2021",
        "32 545 Wet- en regelgeving financiële markten",
        "Nr. 143 MOTIE VAN DE LEDEN INGE VAN DIJK EN GRINWIS",
        "Voorgesteld 6 juli 2021",
        "De Kamer,",
        "gehoord de beraadslaging,",
    ]


def test_bullets_without_a_unicode_map_become_list_items() -> None:
    """An Aanhangsel answer lists criteria with bullets that pdfminer could not decode."""
    document = _parse("1b62ee8d-e406-4042-b7f5-7e235f7bd1c0.pdf")
    items = [block.text for block in document.blocks if block.kind == "list_item"]
    assert items[:3] == [
        "Artistieke en/of inhoudelijke kwaliteit",
        "Maatschappelijke betekenis",
        "Toegankelijkheid",
    ]


def test_skewed_italic_text_is_read() -> None:
    """The verslag sets its section titles in an oblique made by skewing the text matrix: such
    text is upright (pdfminer's definition), and was dropped when the skew counted as turned."""
    texts = _texts(_parse("kst-29338-289-vso.pdf"))
    assert "Inbreng van de leden van de GroenLinks-PvdA-fractie" in " ".join(texts)
    assert texts[:3] == [
        "29 338 Wetenschapsbudget",
        "Nr. 289 Verslag van een schriftelijk overleg",
        "Vastgesteld 16 januari 2024",
    ]


def test_characters_carry_size_and_position_as_printed() -> None:
    path = NATIVE / "files" / "kst-32545-143.pdf"
    width, pages = read_chars(path.read_bytes(), path.name)
    assert round(width) == 595 and len(pages) == 1
    height, chars = pages[0]
    assert round(height) == 842
    heading = [char for char in chars if char[0] != " "][:5]
    assert "".join(char[0] for char in heading) == "Tweed"
    size = {round(char[6], 2) for char in heading}
    assert size == {18.12}, "the title is set in 18.12 pt, as its text matrix scales it"


@pytest.mark.parametrize(
    ("name", "printed"),
    [
        ("1bb0809b-f36a-48b7-9ef9-a96ed52c5b6d.pdf", "Antwoord van Minister Yeşilgöz-Zegerius"),
        ("00fe7edd-24c8-4857-98da-774ed3b06836.pdf", "Kostić (PvdD)"),
    ],
)
def test_a_letter_the_font_lacks_is_composed_from_its_spacing_accent(
    name: str, printed: str
) -> None:
    """These fonts print `ş` and `ć` as `s` or `c` followed by a spacing cedilla or acute."""
    text = "\n".join(_texts(_parse(name)))
    assert printed in text
    assert "\u00b8" not in text and "c\u00b4" not in text
