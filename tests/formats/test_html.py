"""HTML pages: the real repository XHTML in shared/, and pages built here."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract import extract_letter
from pipelines.formats import parse_bytes
from pipelines.model import ParseError
from tests.formats.sample_letter import render_html

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "koop_repository_html"
needs_reference = pytest.mark.skipif(not REFERENCE.is_dir(), reason="no shared/reference")


def test_sample_page_skips_chrome_and_reads_notes_and_signer() -> None:
    document = parse_bytes(render_html(), "kst-33783-46.html")
    texts = [b.text for b in document.blocks]
    assert texts[0] == "Tweede Kamer der Staten-Generaal"
    assert not any("Datum publicatie" in t or "Home" in t or "Sluiten" in t for t in texts)
    assert texts[-2:] == ["De Minister van Buitenlandse Zaken,", "S.A. Blok"]
    assert document.metadata == {"dossier_number": "33783", "document_number": "46"}
    assert [(n.number, n.text) for n in document.footnotes][0] == (
        1,
        "Raadpleegbaar via www.tweedekamer.nl.",
    )
    assert [(s.role, s.name) for s in document.signers] == [
        ("De Minister van Buitenlandse Zaken", "S.A. Blok")
    ]


@needs_reference
def test_real_staatsblad_page() -> None:
    document = parse_bytes((REFERENCE / "stb-2014-296.html").read_bytes(), "stb-2014-296.html")
    texts = [b.text for b in document.blocks]
    assert texts[0].startswith("Besluit van 14 juli 2014, houdende verlenging")
    assert "Aanhef" not in texts
    assert any("(Stb. 2012, 363)" in t for t in texts)
    assert [(s.role, s.name) for s in document.signers] == [
        ("De Minister van Binnenlandse Zaken en Koninkrijksrelaties", "R.H.A. Plasterk"),
        ("De Staatssecretaris van Veiligheid en Justitie", "F. Teeven"),
        ("De Minister van Binnenlandse Zaken en Koninkrijksrelaties", "R.H.A. Plasterk"),
    ]


@needs_reference
def test_real_staatscourant_page_lists_and_headings() -> None:
    document = parse_bytes((REFERENCE / "stcrt-2013-10981.html").read_bytes(), "stcrt.html")
    kinds = [(b.kind, b.text) for b in document.blocks]
    assert ("list_item", "Het uitbreiden van een woning, Jan Arendsland 13 te Staphorst.") in kinds
    assert ("heading", "Voornemen") in kinds
    assert not any("niet bereikbaar" in b.text for b in document.blocks)


def test_windows_1252_and_bom_are_reported() -> None:
    page = "<html><body><p>Geachte voorzitter, caf\u00e9 \u2018x\u2019.</p></body></html>"
    document = parse_bytes(page.encode("cp1252"), "oud.html")
    assert document.encoding == "cp1252"
    assert document.blocks[0].text == "Geachte voorzitter, caf\u00e9 \u2018x\u2019."
    with_bom = parse_bytes(b"\xef\xbb\xbf" + page.encode("utf-8"), "bom.html")
    assert with_bom.encoding == "utf-8-sig"


def test_tweedekamer_page_reads_the_inline_text_only() -> None:
    page = """<!doctype html><html><head><meta name="dcterms.title" content="Brief"></head>
<body><nav>Menu Kamerleden Commissies</nav><main><h1><span>Brief regering</span> Woo</h1>
<div class="m-modal__content"><p>32 802 Toepassing van de Wet open overheid</p>
<p>Nr. 73 BRIEF VAN DE MINISTER VAN BINNENLANDSE ZAKEN EN KONINKRIJKSRELATIES</p>
<p>Aan de Voorzitter van de Tweede Kamer der Staten-Generaal</p><p>Den Haag, 17 juli 2023</p>
<p>Op 26 april 2022 heb ik uw Kamer ge\u00efnformeerd.<br>Met deze brief informeer ik u.</p>
</div></main><footer>Cookies</footer></body></html>"""
    letter = extract_letter(parse_bytes(page.encode(), "tk.html"))
    assert letter.letter["letter_id"] == "kst-32802-73"
    assert letter.letter["date"].isoformat() == "2023-07-17"
    assert [p["text"] for p in letter.paragraphs] == [
        "Op 26 april 2022 heb ik uw Kamer ge\u00efnformeerd. Met deze brief informeer ik u."
    ]


def test_html_without_text_is_reported() -> None:
    with pytest.raises(ParseError, match=r"^leeg\.html: no text found"):
        parse_bytes(b"<html><body><script>x()</script></body></html>", "leeg.html")


def test_bare_sup_markers_leave_the_text_and_nested_blocks_are_read_apart() -> None:
    page = (
        "<html><body><p>Zoals gemeld<sup>1</sup>, gaat het goed.</p>"
        "<blockquote><p>Eerste citaat.</p><p>Tweede citaat.</p></blockquote>"
        "<ul><li><p>punt een</p><ul><li>dieper</li></ul></li></ul></body></html>"
    )
    blocks = parse_bytes(page.encode(), "x.html").blocks
    assert [(b.kind, b.level, b.text, b.note_refs) for b in blocks] == [
        ("paragraph", 0, "Zoals gemeld, gaat het goed.", [1]),
        ("paragraph", 0, "Eerste citaat.", []),
        ("paragraph", 0, "Tweede citaat.", []),
        ("list_item", 0, "punt een", []),
        ("list_item", 1, "dieper", []),
    ]


def test_signature_cells_with_role_and_name_paragraphs() -> None:
    page = (
        "<html><body><p>Hoogachtend,</p><table><tr>"
        "<td><p>De minister van Financi\u00ebn,</p><p>E. Heinen</p></td>"
        "<td><p>De staatssecretaris van Financi\u00ebn,</p><p>F. Idsinga</p></td>"
        "</tr></table></body></html>"
    )
    document = parse_bytes(page.encode(), "x.html")
    assert document.blocks[-1].layout == (
        "De minister van Financi\u00ebn,\tDe staatssecretaris van Financi\u00ebn,\n"
        "E. Heinen\tF. Idsinga"
    )
    signers = extract_letter(document).signatories
    assert [s["name"] for s in signers] == ["E. Heinen", "F. Idsinga"]


def test_notes_outside_a_noten_block_are_found_by_class() -> None:
    page = (
        '<html><body><div class="stuk"><p>Zie de brief<sup><a class="nootnum" href="#n1">1</a>'
        '</sup>.</p><div class="noten"><div class="noot" id="n1"><p>1 Kamerstuk 32 802, nr. 73.'
        "</p></div></div></div></body></html>"
    )
    document = parse_bytes(page.encode(), "x.html")
    assert [(b.text, b.note_refs) for b in document.blocks] == [("Zie de brief.", [1])]
    assert [(n.number, n.text) for n in document.footnotes] == [(1, "Kamerstuk 32 802, nr. 73.")]


def test_raised_power_after_a_unit_is_text_not_a_marker() -> None:
    page = (
        b"<html><body><p>Een woning van 100 m<sup>2</sup> met een tuin<sup>1</sup>.</p>"
        b"<p>De tweede alinea van de brief.</p></body></html>"
    )
    document = parse_bytes(page, "brief.html")
    assert [(b.text, b.note_refs) for b in document.blocks] == [
        ("Een woning van 100 m2 met een tuin.", [1]),
        ("De tweede alinea van de brief.", []),
    ]


def test_a_line_of_thousands_of_markers_keeps_each_marker_and_power_apart() -> None:
    """Markers are told from powers by the end of the line before them only, so a long line
    (a hostile page of markers) is read in one pass; the powers stay text all the same."""
    words = "".join(f"woord<sup>{n % 9 + 1}</sup> " for n in range(3000))
    page = f"<html><body><p>{words}van 100 km<sup>2</sup> en CO<sup>2</sup>.</p></body></html>"
    [block] = parse_bytes(page.encode(), "brief.html").blocks
    assert block.text == "woord " * 3000 + "van 100 km2 en CO2."
    assert block.note_refs == [n % 9 + 1 for n in range(3000)]
