"""Word .docx: the reference documents in shared/ and documents built here."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

from pipelines.extract import extract_letter
from pipelines.formats import parse_bytes, parse_file
from pipelines.formats.docx import parse_docx
from pipelines.model import ParseError
from tests.formats.sample_letter import (
    NUMBERING_XML,
    STYLES_XML,
    _w_paragraph,
    _w_run,
    _wrap_part,
    build_docx,
    footnotes_part,
)

DEMO = Path(__file__).resolve().parents[3] / "shared" / "reference" / "synthetic_docx_demo"
needs_demo = pytest.mark.skipif(not DEMO.is_dir(), reason="shared/reference is not beside the repo")


def _note_ref(note_id: int) -> str:
    return f'<w:r><w:footnoteReference w:id="{note_id}"/></w:r>'


@needs_demo
def test_letterhead_table_footnotes_and_signature_table() -> None:
    document = parse_file(DEMO / "footnotes_table_signature.docx", "demo.docx")
    texts = [b.text for b in document.blocks]
    assert texts[:2] == ["Datum 6 juli 2020", "Betreft Voortgang Woo"]
    assert document.blocks[3].note_refs == [1, 2]
    assert [(n.number, n.text) for n in document.footnotes] == [
        (1, "Kamerstuk 32 802, nr. 73."),
        (2, "Handelingen II 2019/20, nr. 5, item 12."),
    ]
    assert document.blocks[5].layout == (
        "de minister van Binnenlandse Zaken en Koninkrijksrelaties,\tde staatssecretaris van "
        "Financiën,"
    )
    letter = extract_letter(document)
    assert letter.letter["subject"] == "Voortgang Woo"
    assert letter.letter["date"].isoformat() == "2020-07-06"
    assert [(s["role"], s["name"]) for s in letter.signatories] == [
        ("de minister van Binnenlandse Zaken en Koninkrijksrelaties", "drs. K.H. Ollongren"),
        ("de staatssecretaris van Financiën", "mr. dr. A.B.C. de Vries"),
    ]
    assert [r["target_id"] for r in letter.references] == ["kst-32802-73", "h-tk-20192020-5-12"]


@needs_demo
def test_page_header_kenmerken_and_tab_separated_signers() -> None:
    document = parse_file(DEMO / "header_tab_signature.docx", "demo.docx")
    assert [b.text for b in document.blocks[:2]] == [
        "Ons kenmerk 2023-0000123456",
        "Uw kenmerk 2023Z05957/2023D14598",
    ]
    assert document.blocks[-1].layout == "E. Heinen\tF. Idsinga"
    signers = extract_letter(document).signatories
    assert [(s["role"], s["name"]) for s in signers] == [
        ("de minister van Financiën", "E. Heinen"),
        ("de staatssecretaris van Financiën", "F. Idsinga"),
    ]


@needs_demo
def test_docx_and_its_mammoth_html_give_the_same_rows() -> None:
    from_docx = extract_letter(parse_file(DEMO / "footnotes_table_signature.docx", "a")).to_json()
    html_path = DEMO / "footnotes_table_signature.mammoth-1.13.html"
    from_html = extract_letter(parse_file(html_path, "a")).to_json()
    for table in ("paragraphs", "footnotes", "references", "signatories"):
        without_id = [
            [{**row, "letter_id": None} for row in r[table]] for r in (from_docx, from_html)
        ]
        assert without_id[0] == without_id[1]
    # no printed identifier: each file's id is its own bytes' hash, never the parsed words
    for record in (from_docx, from_html):
        assert record["letter"]["letter_id"] == "doc-" + record["letter"]["source_sha256"][:16]


def test_printed_note_number_is_order_of_first_reference_not_w_id() -> None:
    body = _w_paragraph(_w_run("Eerst") + _note_ref(7) + _w_run(" dan") + _note_ref(3))
    body += _w_paragraph(_w_run("Weer") + _note_ref(7) + _w_run(" de eerste."))
    parts = {"word/footnotes.xml": footnotes_part({3: "Noot drie.", 7: "Noot zeven.", 9: "Nooit."})}
    document = parse_docx(build_docx(body, parts), "x.docx", "0")
    assert [b.note_refs for b in document.blocks] == [[1, 2], [1]]
    assert [(n.number, n.text, n.block_index) for n in document.footnotes] == [
        (1, "Noot zeven.", 0),
        (2, "Noot drie.", 0),
    ]


def test_runs_tabs_breaks_soft_hyphens_and_deleted_text() -> None:
    paragraph = (
        '<w:p><w:r><w:t>Kamer</w:t></w:r><w:r><w:t xml:space="preserve">brief </w:t></w:r>'
        "<w:del><w:r><w:delText>weg</w:delText></w:r></w:del>"
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>verborgen</w:t></w:r>"
        "<w:r><w:t>risico</w:t><w:softHyphen/><w:t>beperking</w:t><w:tab/><w:t>kolom</w:t>"
        "<w:br/><w:t>tweede regel</w:t><w:noBreakHyphen/><w:t>x</w:t></w:r></w:p>"
    )
    block = parse_docx(build_docx(paragraph), "x.docx", "0").blocks[0]
    assert block.text == "Kamerbrief risicobeperking kolom tweede regel-x"
    assert block.layout == "Kamerbrief risico\u00adbeperking\tkolom\ntweede regel-x"


def test_headings_by_style_and_list_labels_from_numbering() -> None:
    body = _w_paragraph(_w_run("Inleiding"), style="Kop3")
    body += _w_paragraph(_w_run("eerste punt"), num_id=2)
    body += _w_paragraph(_w_run("tweede punt"), num_id=2)
    body += _w_paragraph(_w_run("een streepje"), num_id=1)
    parts = {"word/styles.xml": STYLES_XML, "word/numbering.xml": NUMBERING_XML}
    blocks = parse_docx(build_docx(body, parts), "x.docx", "0").blocks
    assert [(b.kind, b.level, b.text) for b in blocks] == [
        ("heading", 3, "Inleiding"),
        ("list_item", 0, "1. eerste punt"),
        ("list_item", 0, "2. tweede punt"),
        ("list_item", 0, "een streepje"),
    ]


def test_python_docx_document_with_builtin_styles() -> None:
    """A document as python-docx (Word's default template) writes it: numbering via styles."""
    source = docx.Document()
    source.add_heading("Vragen van het lid", level=1)
    source.add_paragraph("Kent u het bericht?", style="List Number")
    source.add_paragraph("Klopt het dat het zo is?", style="List Number")
    table = source.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Ons kenmerk"
    table.cell(0, 1).text = "2024-0000123"
    buffer = io.BytesIO()
    source.save(buffer)
    blocks = parse_bytes(buffer.getvalue(), "python-docx.docx").blocks
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "Vragen van het lid"),
        ("list_item", "1. Kent u het bericht?"),
        ("list_item", "2. Klopt het dat het zo is?"),
        ("paragraph", "Ons kenmerk 2024-0000123"),
    ]


def test_text_box_content_is_read_once() -> None:
    frame = (
        "<w:p><w:r><mc:AlternateContent "
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        "<mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>Datum 1 mei 2024</w:t></w:r></w:p>"
        "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r>"
        "<w:t>Datum 1 mei 2024</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r><w:r><w:t>Geachte voorzitter,</w:t></w:r></w:p>"
    )
    blocks = parse_docx(build_docx(frame), "x.docx", "0").blocks
    assert [b.text for b in blocks] == ["Datum 1 mei 2024", "Geachte voorzitter,"]


def test_broken_docx_is_a_parse_error_with_name_and_reason() -> None:
    data = build_docx(_w_paragraph(_w_run("Tekst.")))
    with pytest.raises(ParseError, match=r"^kapot\.docx: .*zip"):
        parse_bytes(data[: len(data) // 2], "kapot.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document")
    with pytest.raises(ParseError, match=r"^half\.docx: broken XML in word/document\.xml"):
        parse_bytes(buffer.getvalue(), "half.docx")


def test_part_without_body_text_is_reported() -> None:
    empty = build_docx("", {"word/footnotes.xml": _wrap_part("footnotes", "")})
    with pytest.raises(ParseError, match=r"^leeg\.docx: no text found"):
        parse_bytes(empty, "leeg.docx")


def test_numbered_headings_keep_their_number() -> None:
    body = _w_paragraph(_w_run("Inleiding"), style="Kop3", num_id=2)
    body += _w_paragraph(_w_run("Achtergrond"), style="Kop3", num_id=2)
    parts = {"word/styles.xml": STYLES_XML, "word/numbering.xml": NUMBERING_XML}
    blocks = parse_docx(build_docx(body, parts), "x.docx", "0").blocks
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "1. Inleiding"),
        ("heading", "2. Achtergrond"),
    ]


def test_letters_sharing_a_template_count_their_own_lists() -> None:
    """Styles and numbering parts are kept for the next letter with the same part; list
    counters and broken parts still belong to each letter."""
    body = _w_paragraph(_w_run("Inleiding"), style="Kop3", num_id=2)
    body += _w_paragraph(_w_run("eerste punt"), num_id=2)
    parts = {"word/styles.xml": STYLES_XML, "word/numbering.xml": NUMBERING_XML}
    for _ in range(2):
        blocks = parse_docx(build_docx(body, parts), "x.docx", "0").blocks
        assert [(b.kind, b.text) for b in blocks] == [
            ("heading", "1. Inleiding"),
            ("list_item", "2. eerste punt"),
        ]
    broken = build_docx(body, {**parts, "word/styles.xml": STYLES_XML[:-20]})
    for name in ("a.docx", "b.docx"):
        with pytest.raises(ParseError, match=rf"^{name[0]}\.docx: broken XML in word/styles"):
            parse_bytes(broken, name)


def _with_crc(data: bytes, start: int, target: int) -> bytes:
    """`data` with bit 0 of some of the 64 bytes from `start` flipped, so that its CRC-32 is
    `target`: CRC-32 is linear in the bits, so the flips are found by Gaussian elimination."""
    base = zlib.crc32(data)
    basis: dict[int, tuple[int, int]] = {}
    for index in range(64):
        flipped = bytearray(data)
        flipped[start + index] ^= 1
        effect, flips = zlib.crc32(flipped) ^ base, 1 << index
        while effect and effect.bit_length() - 1 in basis:
            pivot_effect, pivot_flips = basis[effect.bit_length() - 1]
            effect, flips = effect ^ pivot_effect, flips ^ pivot_flips
        if effect:
            basis[effect.bit_length() - 1] = (effect, flips)
    wanted, flips = base ^ target, 0
    while wanted:
        pivot_effect, pivot_flips = basis[wanted.bit_length() - 1]
        wanted, flips = wanted ^ pivot_effect, flips ^ pivot_flips
    out = bytearray(data)
    for index in range(64):
        out[start + index] ^= flips >> index & 1
    return bytes(out)


def _stored_uncompressed(docx_bytes: bytes) -> bytes:
    """The same .docx with every part stored instead of deflated."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx_bytes)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target,
    ):
        for name in source.namelist():
            target.writestr(name, source.read(name))
    return buffer.getvalue()


def test_kept_styles_are_never_another_parts_with_the_same_crc_and_size() -> None:
    """Kept styles are found by how the part is stored, compressed bytes included: a styles part
    with the CRC-32 and size of the kept one but other styles is read for itself, and the same
    part stored otherwise reads the same."""
    filler = "<!--" + "a" * 64 + "-->"
    styles = {
        level: _wrap_part(
            "styles",
            f'<w:style w:type="paragraph" w:styleId="Kop"><w:name w:val="heading {level}"/>'
            f"</w:style>{filler}",
        )
        for level in (2, 3)
    }
    start = styles[2].index(b"<!--") + 4
    styles[2] = _with_crc(styles[2], start, zlib.crc32(styles[3]))
    body = _w_paragraph(_w_run("Inleiding"), style="Kop")
    letters = {level: build_docx(body, {"word/styles.xml": part}) for level, part in styles.items()}
    infos = [
        zipfile.ZipFile(io.BytesIO(data)).getinfo("word/styles.xml") for data in letters.values()
    ]
    assert styles[2] != styles[3]
    assert len({(info.CRC, info.file_size) for info in infos}) == 1
    stored = _stored_uncompressed(letters[3])
    for data, level in [(letters[3], 3), (letters[2], 2), (letters[3], 3), (stored, 3)] * 2:
        blocks = parse_docx(data, "x.docx", "0").blocks
        assert [(b.kind, b.level) for b in blocks] == [("heading", level)]


def test_endnotes_are_read_like_footnotes() -> None:
    body = _w_paragraph(_w_run("Zie de toelichting.") + '<w:r><w:endnoteReference w:id="4"/></w:r>')
    endnotes = _wrap_part(
        "endnotes",
        '<w:endnote w:type="separator" w:id="-1"><w:p/></w:endnote>'
        '<w:endnote w:id="4"><w:p><w:r><w:endnoteRef/></w:r>'
        + _w_run(" Kamerstuk 32 802, nr. 73.")
        + "</w:p></w:endnote>",
    )
    document = parse_docx(build_docx(body, {"word/endnotes.xml": endnotes}), "x.docx", "0")
    assert document.blocks[0].note_refs == [1]
    assert [(n.number, n.text) for n in document.footnotes] == [(1, "Kamerstuk 32 802, nr. 73.")]
