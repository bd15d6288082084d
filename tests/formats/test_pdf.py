"""PDF: generated documents (reportlab) with the layouts pagination produces."""

from __future__ import annotations

import io
import itertools
import random

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from benchmarks.corpus import Item, letter_bytes, make_letter, revised_letter_bytes
from pipelines.extract import extract_letter
from pipelines.formats import parse_bytes
from pipelines.formats.pdf import _build_line, _join_text
from pipelines.model import ParseError
from tests.formats.sample_letter import render_pdf


def _pdf(lines: list[tuple[float, float, str, str, float]], pages: int = 1) -> bytes:
    """A PDF with `(x, y, font, text, size)` lines drawn on each of `pages` pages."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(595, 842), invariant=True)
    for _ in range(pages):
        for x, y, font, text, size in lines:
            canvas.setFont(font, size)
            canvas.drawString(x, y, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_sample_pdf_pages_footnotes_and_hyphenation() -> None:
    document = parse_bytes(render_pdf(450.0), "kst-33783-46.pdf")
    texts = [b.text for b in document.blocks]
    assert not any("ISSN" in t or "vergaderjaar 2019\u20132020, 33 783" in t for t in texts)
    assert not any("Raadpleegbaar" in t for t in texts)
    assert sum("risicobeperking" in t for t in texts) >= 3
    assert not any("risico- beperking" in t or "risico-beperking" in t for t in texts)
    assert [n.number for n in document.footnotes] == [1, 2]
    assert document.blocks[8].note_refs == [1]


def test_side_by_side_signers_keep_a_tab_between_columns() -> None:
    lines = [
        (72, 700, "Helvetica", "Geachte voorzitter,", 11),
        (72, 680, "Helvetica", "Hierbij bied ik u de brief aan.", 11),
        (72, 660, "Helvetica", "Hoogachtend,", 11),
        (72, 630, "Helvetica", "De minister van Financi\u00ebn,", 11),
        (320, 630, "Helvetica", "De staatssecretaris van Financi\u00ebn,", 11),
        (72, 616, "Helvetica", "E. Heinen", 11),
        (320, 616, "Helvetica", "F. Idsinga", 11),
    ]
    document = parse_bytes(_pdf(lines), "brief.pdf")
    assert [b.layout for b in document.blocks[-2:]] == [
        "De minister van Financi\u00ebn,\tDe staatssecretaris van Financi\u00ebn,",
        "E. Heinen\tF. Idsinga",
    ]
    signers = extract_letter(document).signatories
    assert [(s["role"], s["name"]) for s in signers] == [
        ("De minister van Financi\u00ebn", "E. Heinen"),
        ("De staatssecretaris van Financi\u00ebn", "F. Idsinga"),
    ]


def test_running_heads_and_page_numbers_are_dropped() -> None:
    lines = [
        (72, 810, "Helvetica", "Ministerie van Financi\u00ebn", 8),
        (72, 700, "Helvetica", "Een alinea die op elke pagina staat.", 11),
        (290, 40, "Helvetica", "Pagina 1 van 3", 8),
    ]
    document = parse_bytes(_pdf(lines, pages=3), "kop.pdf")
    assert {b.text for b in document.blocks} == {"Een alinea die op elke pagina staat."}


@pytest.mark.parametrize(
    ("before", "after", "joined"),
    [
        ("nucleaire risico-", "beperking", "nucleaire risicobeperking"),
        ("het NAVO-", "personeel", "het NAVO-personeel"),
        ("de COVID-", "crisis", "de COVID-crisis"),
        ("zie Kamerstuk", "33 783", "zie Kamerstuk 33 783"),
        ("2019-", "2020", "2019- 2020"),
    ],
)
def test_join_text_undoes_hyphenation(before: str, after: str, joined: str) -> None:
    assert _join_text(before, after) == joined


def test_pdf_without_text_layer_is_reported() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.rect(100, 100, 200, 200)
    canvas.showPage()
    canvas.save()
    with pytest.raises(ParseError, match=r"^scan\.pdf: the PDF has no text layer"):
        parse_bytes(buffer.getvalue(), "scan.pdf")


def test_broken_pdf_is_a_parse_error_with_name_and_reason() -> None:
    with pytest.raises(ParseError, match=r"^kapot\.pdf: "):
        parse_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF", "kapot.pdf")


def _marked_line(
    canvas: Canvas, y: float, before: str, marker: int, after: str, rise: float = 4
) -> None:
    """A body line with a 7 pt note marker after `before`, raised `rise` points."""
    width = stringWidth(before, "Helvetica", 11)
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72, y, before)
    canvas.setFont("Helvetica", 7)
    canvas.drawString(72 + width, y + rise, str(marker))
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72 + width + 4 + stringWidth(" ", "Helvetica", 11), y, after)


def test_slightly_raised_markers() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(595, 842), invariant=True)
    _marked_line(canvas, 700, "De offici\u00eble brief", 3, "is verstuurd.", rise=2)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(72, 100, "3 Zie de bijlage.")
    canvas.showPage()
    canvas.save()
    document = parse_bytes(buffer.getvalue(), "brief.pdf")
    assert [(b.text, b.note_refs) for b in document.blocks] == [
        ("De offici\u00eble brief is verstuurd.", [3])
    ]
    assert [(n.number, n.text, n.block_index) for n in document.footnotes] == [
        (3, "Zie de bijlage.", 0)
    ]


def test_ligatures_are_spelled_out() -> None:
    chars = [
        (t, True, 72.0 + 6 * i, 78.0 + 6 * i, 100.0, 111.0, 11.0, 11.0, False, False)
        for i, t in enumerate("o\ufb03cieel")
    ]
    line = _build_line(chars, 1, 842.0)
    assert line is not None and line.text == "officieel"


def test_footnote_running_on_to_the_next_page_and_hyphenated_note_lines() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(595, 842), invariant=True)
    body = stringWidth("Zie de toelichting", "Helvetica", 11)
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72, 700, "Zie de toelichting")
    canvas.setFont("Helvetica", 7)
    canvas.drawString(72 + body, 704, "1")
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72 + body + 4 + stringWidth(" ", "Helvetica", 11), 700, "bij het besluit.")
    canvas.setFont("Helvetica", 8)
    canvas.drawString(72, 120, "1 Het besluit is gepubliceerd in de Staatscourant en de risico-")
    canvas.drawString(72, 110, "beperking is beschreven in de bijlage, die")
    canvas.showPage()
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72, 700, "Tweede pagina met verdere tekst over het besluit, de toelichting,")
    canvas.drawString(72, 686, "de bijlage en de publicatie in de Staatscourant van deze week.")
    canvas.setFont("Helvetica", 8)
    canvas.drawString(72, 120, "openbaar is.")
    canvas.showPage()
    canvas.save()
    document = parse_bytes(buffer.getvalue(), "noten.pdf")
    assert [b.text for b in document.blocks] == [
        "Zie de toelichting bij het besluit.",
        "Tweede pagina met verdere tekst over het besluit, de toelichting, de bijlage en de "
        "publicatie in de Staatscourant van deze week.",
    ]
    assert [(n.number, n.text) for n in document.footnotes] == [
        (
            1,
            "Het besluit is gepubliceerd in de Staatscourant en de risicobeperking is beschreven "
            "in de bijlage, die openbaar is.",
        )
    ]


def test_small_print_footer_is_not_taken_into_the_last_note() -> None:
    lines = [
        (72, 700, "Helvetica", "Een brief met een noot erbij en nog wat tekst.", 11),
        (72, 686, "Helvetica", "Nog een regel met nog meer tekst voor de alinea.", 11),
        (72, 110, "Helvetica", "1 Zie de bijlage.", 8),
        (72, 40, "Helvetica", "Postbus 20011 | 2500 EA Den Haag", 7),
    ]
    document = parse_bytes(_pdf(lines), "brief.pdf")
    assert [(n.number, n.text) for n in document.footnotes] == [(1, "Zie de bijlage.")]
    assert not any("Postbus" in b.text for b in document.blocks)


def test_notes_of_one_pattern_on_several_pages_are_not_running_footers() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(595, 842), invariant=True)
    for page, (cited, nr) in enumerate((("30 519", 82), ("28 348", 108)), start=1):
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, 805, f"{page} Tweede Kamer, vergaderjaar 2019\u20132020, 33 783")
        _marked_line(canvas, 700, f"Op pagina {page} staat", page, "een noot bij deze alinea,")
        canvas.drawString(72, 686, "die over meer dan een regel loopt, zoals alinea's in brieven.")
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, 80, f"{page} Zie ook Kamerstuk {cited}, nr. {nr}.")
        canvas.setFont("Helvetica", 7)
        canvas.drawString(72, 40, "kst-33783-46 ISSN 0921 - 7371 \u2019s-Gravenhage")
        canvas.showPage()
    canvas.save()
    document = parse_bytes(buffer.getvalue(), "noten.pdf")
    assert [(b.text, b.note_refs) for b in document.blocks] == [
        (
            f"Op pagina {page} staat een noot bij deze alinea, die over meer dan een regel loopt, "
            "zoals alinea's in brieven.",
            [page],
        )
        for page in (1, 2)
    ]
    assert [(n.number, n.text, n.block_index) for n in document.footnotes] == [
        (1, "Zie ook Kamerstuk 30 519, nr. 82.", 0),
        (2, "Zie ook Kamerstuk 28 348, nr. 108.", 1),
    ]


def test_raised_power_after_a_unit_is_text_not_a_marker() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(595, 842), invariant=True)
    _marked_line(canvas, 700, "Een woning van 100 m", 2, "oppervlak")
    _marked_line(canvas, 686, "heeft een tuin", 1, "van dezelfde grootte.")
    canvas.setFont("Helvetica", 8)
    canvas.drawString(72, 110, "1 Zie de bijlage.")
    canvas.showPage()
    canvas.save()
    document = parse_bytes(buffer.getvalue(), "brief.pdf")
    assert [(b.text, b.note_refs) for b in document.blocks] == [
        ("Een woning van 100 m2 oppervlak heeft een tuin van dezelfde grootte.", [1])
    ]
    assert [(n.number, n.text, n.block_index) for n in document.footnotes] == [
        (1, "Zie de bijlage.", 0)
    ]


def test_role_wrapping_inside_its_signature_column() -> None:
    lines = [
        (72, 700, "Helvetica", "Geachte voorzitter,", 11),
        (72, 680, "Helvetica", "Hierbij bied ik u de brief aan over de voortgang.", 11),
        (72, 660, "Helvetica", "Hoogachtend,", 11),
        (72, 630, "Helvetica", "De minister van Binnenlandse Zaken en", 11),
        (320, 630, "Helvetica", "De staatssecretaris van Financi\u00ebn,", 11),
        (72, 616, "Helvetica", "Koninkrijksrelaties,", 11),
        (72, 590, "Helvetica", "K.H. Ollongren", 11),
        (320, 590, "Helvetica", "M. Snel", 11),
    ]
    signers = extract_letter(parse_bytes(_pdf(lines), "brief.pdf")).signatories
    assert [(s["role"], s["name"]) for s in signers] == [
        ("De minister van Binnenlandse Zaken en Koninkrijksrelaties", "K.H. Ollongren"),
        ("De staatssecretaris van Financi\u00ebn", "M. Snel"),
    ]


def _letterhead_pdf(side: list[tuple[float, str]], side_size: float, pages: int = 1) -> bytes:
    """A ministry letter's page: addressee, date and text on the left, `side` lines (y, text) in
    `side_size` type in a column at x 440, sharing baselines with the left; `pages` copies."""
    left = [
        (742, "De voorzitter van de Tweede Kamer"),
        (728, "der Staten-Generaal"),
        (700, "Datum 22 december 2022"),
        (670, "Geachte voorzitter,"),
        (650, "Hierbij informeer ik u over de emissies van de luchtvaart en de gevolgen"),
        (636, "daarvan voor de lokale luchtkwaliteit rond de luchthavens in ons land."),
    ]
    lines = [(440, y, "Helvetica", text, side_size) for y, text in side]
    return _pdf(lines + [(72, y, "Helvetica", text, 10) for y, text in left], pages)


def test_letterhead_side_column_is_read_apart_and_first() -> None:
    side = [
        (760, "Ministerie van Infrastructuur en Waterstaat"),
        (751, "Rijnstraat 8"),
        (742, "2515 XP Den Haag"),
        (728, "Ons kenmerk"),
        (719, "IENW/BSK-2022/123456"),
    ]
    document = parse_bytes(_letterhead_pdf(side, 7), "brief.pdf")
    assert [b.layout for b in document.blocks] == [
        "Ministerie van Infrastructuur en Waterstaat\nRijnstraat 8\n2515 XP Den Haag",
        "Ons kenmerk\nIENW/BSK-2022/123456",
        "De voorzitter van de Tweede Kamer\nder Staten-Generaal",
        "Datum 22 december 2022",
        "Geachte voorzitter,",
        "Hierbij informeer ik u over de emissies van de luchtvaart en de gevolgen\n"
        "daarvan voor de lokale luchtkwaliteit rond de luchthavens in ons land.",
    ]
    letter = extract_letter(document).letter
    assert (letter["doc_type"], str(letter["date"])) == ("departementale brief", "2022-12-22")
    assert letter["addressee"] == "De voorzitter van de Tweede Kamer der Staten-Generaal"
    later = parse_bytes(_letterhead_pdf(side, 7, pages=2), "brief.pdf").blocks
    assert [b.text for b in later[: len(document.blocks)]] == [b.text for b in document.blocks]
    assert not any("kenmerk" in b.text for b in later[len(document.blocks) :])


def test_body_size_cells_at_the_right_are_no_side_column() -> None:
    side = [(742, "Kamer"), (728, "Generaal"), (700, "2022")]
    document = parse_bytes(_letterhead_pdf(side, 10), "brief.pdf")
    assert [b.layout for b in document.blocks[:3]] == [
        "De voorzitter van de Tweede Kamer\tKamer",
        "der Staten-Generaal\tGeneraal",
        "Datum 22 december 2022\t2022",
    ]


def test_a_pdf_of_only_running_lines_has_no_body_and_no_error() -> None:
    """Every page repeats one line, which is dropped as a running head: the file is rejected for
    having no text, not for a crash measuring the column of no lines (a TypeError once)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(595, 842), invariant=True)
    for _ in range(3):
        canvas.setFont("Helvetica", 11)
        canvas.drawString(72, 800, "Den Haag, 1 mei 2024. Geachte voorzitter,")
        canvas.showPage()
    canvas.save()
    with pytest.raises(ParseError, match=r"^kop\.pdf: no text found in this pdf file$"):
        parse_bytes(buffer.getvalue(), "kop.pdf")


def _answer_letters(count: int) -> list[int]:
    """The first `count` letters of the benchmark corpus that answer numbered questions."""
    answers = (i for i in range(1000) if make_letter(random.Random(f"8-{i}"), i).kind == "answers")
    return list(itertools.islice(answers, count))


def _plain(item: Item) -> str:
    return " ".join("".join(s for s in item.segments if isinstance(s, str)).split())


@pytest.mark.parametrize("index", _answer_letters(12))
def test_every_answer_is_read_also_where_its_label_opens_a_page(index: int) -> None:
    """Typeset with notes at the page bottom and, revised, with the page breaks elsewhere: some
    `Vraag`/`Antwoord` labels open a page, right after a full last line of the page before."""
    name, data, letter = letter_bytes(index, "pdf", seed=8)
    expected = {item.number: _plain(item) for item in letter.body if item.kind == "answer"}
    for pdf in (data, revised_letter_bytes(index, "pdf", seed=8)[1]):
        parsed = extract_letter(parse_bytes(pdf, name))
        assert {row["question_no"]: row["answer"] for row in parsed.rows("questions")} == expected
