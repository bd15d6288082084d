"""OpenDocument Text: KOOP's third rendition of every Kamerstuk, read into the same rows as its
XML and PDF."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pipelines.extract import extract_letter
from pipelines.formats import parse_bytes
from pipelines.model import ParseError

NATIVE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "native" / "files"
NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
)


def odt(body: str, prolog: str = "") -> bytes:
    """An .odt as office suites write it: the mimetype stored first, then `content.xml`."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {NAMESPACES}>'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _letter_body(dossier: str, number: int, date: str, note: str) -> str:
    return (
        '<draw:frame text:anchor-type="page"><draw:text-box>'
        f"<text:p>kst-{dossier.replace(' ', '')}-{number}</text:p>"
        "<text:p>'s-Gravenhage 2024</text:p>"
        "</draw:text-box></draw:frame>"
        "<table:table><table:table-row><table:table-cell>"
        "<text:p>Tweede Kamer der Staten-Generaal</text:p></table:table-cell><table:table-cell>"
        "<text:p>2</text:p></table:table-cell></table:table-row><table:table-row>"
        "<table:table-cell><text:p>Vergaderjaar 2023-2024</text:p></table:table-cell>"
        "</table:table-row></table:table>"
        f'<text:h text:outline-level="1">{dossier}<text:tab/>Staat van de Unie</text:h>'
        f'<text:h text:outline-level="1">Nr. {number}<text:tab/>BRIEF VAN DE MINISTER VAN '
        "BUITENLANDSE ZAKEN</text:h>"
        "<text:p>Aan de Voorzitter van de Tweede Kamer der Staten-Generaal</text:p>"
        f"<text:p>Den Haag, {date}</text:p>"
        '<text:p>Hierbij bied ik u<text:s/>de<text:s text:c="2"/>notitie aan'
        '<text:note text:id="ftn1" text:note-class="footnote">'
        "<text:note-citation>1</text:note-citation>"
        f"<text:note-body><text:p>{note}</text:p></text:note-body></text:note>"
        " over de stand van zaken.</text:p>"
        "<text:list><text:list-item><text:p>eerste punt;</text:p></text:list-item>"
        "<text:list-item><text:p>tweede punt.</text:p></text:list-item></text:list>"
        "<text:p>De Minister van Buitenlandse Zaken,</text:p><text:p>H.G.J. Bruins Slot</text:p>"
    )


@pytest.mark.parametrize(
    ("dossier", "number", "date", "note"),
    [
        ("21 501-20", 2087, "12 maart 2024", "Kamerstuk 21 501-20, nr. 2001."),
        ("36 410 V", 5, "1 februari 2024", "Zie de bijlage bij deze brief."),
    ],
)
def test_a_generated_letter(dossier: str, number: int, date: str, note: str) -> None:
    document = parse_bytes(odt(_letter_body(dossier, number, date, note)), "brief.odt")
    assert document.source_format == "odt"
    texts = [(block.kind, block.text) for block in document.blocks]
    assert texts[0] == ("paragraph", "Tweede Kamer der Staten-Generaal 2"), "the frame is left out"
    assert ("paragraph", "Hierbij bied ik u de  notitie aan over de stand van zaken.") not in texts
    assert ("paragraph", "Hierbij bied ik u de notitie aan over de stand van zaken.") in texts
    assert ("list_item", "eerste punt;") in texts
    assert [(n.number, n.text) for n in document.footnotes] == [(1, note)]
    letter = extract_letter(document)
    row = letter.letter
    normalized = dossier.replace(" ", "", 1).replace(" ", "-")
    assert row["letter_id"] == f"kst-{normalized}-{number}"
    assert row["parliamentary_year"] == "2023-2024"
    assert [(s["role"], s["name"]) for s in letter.signatories] == [
        ("De Minister van Buitenlandse Zaken", "H.G.J. Bruins Slot")
    ]


def test_entities_are_never_resolved() -> None:
    secret = Path(__file__)
    prolog = f'<!DOCTYPE office:document-content [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    body = "<text:p>Den Haag, 1 mei 2024</text:p><text:p>Geachte voorzitter, &xxe; tekst.</text:p>"
    document = parse_bytes(odt(body, prolog), "brief.odt")
    assert "from __future__" not in " ".join(block.text for block in document.blocks)


def test_a_part_too_large_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml", b"<" + b"a" * (60 * 1024 * 1024) + b">", zipfile.ZIP_DEFLATED
        )
    with pytest.raises(ParseError, match=r"part content\.xml is too large \(62914562 bytes\)"):
        parse_bytes(buffer.getvalue(), "bom.odt")


def test_the_same_motie_gives_the_same_rows_from_xml_pdf_and_odt() -> None:
    if not NATIVE.is_dir():
        pytest.skip("../shared/samples/native is absent")
    rows = []
    for name in ("kst-32545-143.xml", "kst-32545-143.pdf", "kst-32545-143.odt"):
        record = extract_letter(parse_bytes((NATIVE / name).read_bytes(), name)).to_json()
        for key in ("source_path", "source_format", "source_sha256", "source_encoding"):
            record["letter"].pop(key)
        rows.append(record)
    assert rows[0] == rows[1] == rows[2]
    assert rows[0]["letter"]["text"].startswith("De Kamer,")
    assert [s["name"] for s in rows[0]["signatories"]] == ["Inge van Dijk", "Grinwis"]
