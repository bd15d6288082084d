"""One letter (kst-33783-46, the seed `004_...`) rendered in every source format we read.

The content is defined once, as a `Letter` of the benchmark corpus: header facts, body items,
footnotes and signer. KOOP XML, HTML, POI-style text and PDF-converter Markdown are written by
the corpus's renderers, given what KOOP and the converter did with this letter (the markup,
the page title and publication date, where the first page ended). The Word file and the PDF
are written here, because they carry what the corpus's writers do not: soft hyphens and Dutch
style ids in hand-written OOXML, hyphenated line ends and page breaks that a test can move.
The cross-format test parses every rendering and compares the rows.
"""

from __future__ import annotations

import html
import io
import zipfile
from xml.sax.saxutils import escape

from benchmarks import corpus
from benchmarks.corpus import (
    BODY_SIZE,
    BOTTOM,
    GAP,
    LEADING,
    LEFT,
    NOTE_LEADING,
    NOTE_SIZE,
    PAGE_H,
    PAGE_W,
    RIGHT,
    W_NS,
    Item,
    Letter,
    Segment,
    footnote_elements,
    note_lines,
)

NOTES = {
    1: "Raadpleegbaar via www.tweedekamer.nl.",
    2: "Zie ook Kamerstuk 33 783, nrs. 31, 32 en 35 voor nadere details en toelichting op deze "
    "brief.",
}

BODY = [
    Item(
        "paragraph",
        [
            "Zoals toegezegd tijdens het Algemeen Overleg over kernwapenbeleid op 29 januari jl. "
            "(Kamerstuk 33 783, nr. 41), doe ik u hierbij het vervolg op de Clingendael-studie "
            "over nucleaire risicobeperking, uitgevoerd door de Britse denktank British "
            "American Security Information Council (BASIC) in samenwerking met King\u2019s "
            "College London, toekomen",
            1,
            ".",
        ],
    ),
    Item(
        "paragraph",
        [
            "De Nederlandse regering blijft zich conform het regeerakkoord actief inzetten, binnen "
            "het kader van de bondgenootschappelijke verplichtingen, voor een kernwapenvrije "
            "wereld, gezien de grote risico\u2019s van proliferatie van deze wapens. Dat gebeurt "
            "op basis van de richtlijnen in de Kamerbrief over de Nederlandse inzet inzake "
            "nucleaire ontwapening d.d. 21 juni 2018 (Kamerstuk 33 694, nr. 20).",
            2,
        ],
    ),
    Item(
        "paragraph",
        [
            "Een onderdeel van dat ontwapeningsbeleid is de Nederlandse inzet voor het verlagen "
            "van nucleaire risico\u2019s en andere vertrouwenwekkende maatregelen. De Kamerbrief "
            "betreffende de Nederlandse inzet inzake nucleaire risicobeperking (Kamerstuk 33 694, "
            "nr. 49 d.d. 3 oktober 2019) licht deze inzet nader toe."
        ],
    ),
    Item(
        "paragraph",
        [
            "In de brief wordt het grote belang van nucleaire risicobeperking benadrukt, gezien de "
            "toenemende instabiliteit in de wereld en de oplopende spanningen tussen "
            "kernwapenstaten. Sinds oktober 2019 zijn deze spanningen verder toegenomen, en de "
            "COVID-crisis heeft grote onzekerheid met zich meegebracht. Tegelijkertijd zijn "
            "multilateralisme en wapenbeheersing verder onder druk komen te staan."
        ],
    ),
    Item(
        "paragraph",
        [
            "Het kabinet maakt zich grote zorgen om deze ontwikkelingen en de mogelijke invloed "
            "ervan op nucleaire risico\u2019s. Mede gezien de grote humanitaire en andere gevolgen "
            "van een nucleair conflict blijft het hoofddoel van deze regering een kernwapenvrije "
            "wereld. Alleen zo kunnen immers alle nucleaire risico\u2019s uitgebannen worden. "
            "Helaas zal dit niet van de ene op de andere dag gebeuren. Het is daarom van belang "
            "dat het nucleaire ontwapeningsproces de internationale veiligheid en stabiliteit "
            "vergroot, en dat de kans op conflict en de inzet van een kernwapen tot een absoluut "
            "minimum beperkt blijft."
        ],
    ),
    Item("heading", ["Onderzoek naar nucleaire risico\u2019s in Europa"]),
    Item(
        "paragraph",
        [
            "Zoals beschreven in de Kamerbrief inzake de Nederlandse inzet inzake nucleaire "
            "risicobeperking heeft het kabinet in 2018 het instituut Clingendael gevraagd opties "
            "op het gebied van nucleaire risicobeperking in kaart te brengen, en heeft het met "
            "BASIC en King\u2019s College Londen een vervolgproject opgezet om verder onderzoek te "
            "doen naar nucleaire risico\u2019s in Europa. Daarbij zijn de volgende stappen gezet:"
        ],
    ),
    Item(
        "bullet",
        [
            "ronde-tafelbijeenkomsten in New York, in Parijs en in Den Haag, met "
            "vertegenwoordigers van kernwapenstaten, niet-kernwapenstaten, academici, experts "
            "en NAVO-personeel;"
        ],
    ),
    Item("bullet", ["literatuuronderzoek naar nucleaire risico\u2019s in Europa."]),
    Item(
        "paragraph",
        [
            "Op basis daarvan heeft BASIC nucleaire risico\u2019s in Europa verder in kaart "
            "gebracht en enkele aanbevelingen gedaan ter vermindering van deze risico\u2019s. "
            "Deze staan in het rapport dat als bijlage aan deze brief is aangehecht."
        ],
    ),
    Item(
        "paragraph",
        [
            "Gezien het grote en aanhoudende belang van dit onderwerp zal nucleaire "
            "risicobeperking voor Nederland een belangrijk onderdeel van het ontwapeningsbeleid "
            "blijven. Een belangrijk platform daarvoor is de uitgestelde toetsingsconferentie van "
            "het Non-Proliferatieverdrag (NPV), waar Nederland zich hard zal maken om "
            "risicobeperking in een actieplan opgenomen te krijgen. Bovendien zal Nederland "
            "blijven aandringen op nucleaire risicobeperkingen binnen de NAVO en het Amerikaanse "
            "ontwapeningsinitiatief Creating the Environment for Nuclear Disarmament (CEND)."
        ],
    ),
]

for _item in BODY:
    _item.segments = [
        s.replace("risicobeperking", "risico\u00adbeperking") if isinstance(s, str) else s
        for s in _item.segments
    ]
"""Soft hyphens, as Word stores hyphenation points; the PDF breaks lines at some of them."""

LETTER = Letter(
    stem="33783-46",
    dossier="33 783",
    number=46,
    year_label="2019\u20132020",
    dossier_title="Nucleaire ontwapening en non-proliferatie",
    title="BRIEF VAN DE MINISTER VAN BUITENLANDSE ZAKEN",
    date=(2020, 7, 6),
    body=BODY,
    notes=NOTES,
    signers=[("De Minister van Buitenlandse Zaken,", "S.A.", "Blok")],
    kind="letter",
)


# --- text and Markdown -------------------------------------------------------------------------


def render_text() -> bytes:
    """POI-style text of the Word copy, in cp1252."""
    return corpus.render_text(LETTER)


def render_markdown() -> bytes:
    """The PDF converter's Markdown: the first page's notes after its third block, and a BOM."""
    return corpus.render_markdown(LETTER, page_blocks=3, bom=True)


# --- KOOP XML ----------------------------------------------------------------------------------


def _koop_markup(text: str) -> str:
    """What KOOP marked up in this letter: one of its citations linked, a hyphenation point
    in a long word, and the URL in note 1."""
    return (
        text.replace(
            "(Kamerstuk 33 783, nr. 41)",
            '(Kamerstuk <extref soort="document" doc="kst-33783-41" status="actief">'
            "33 783, nr. 41</extref>)",
        )
        .replace("kernwapenbeleid", "kernwapen<?xpp afbm?>beleid")
        .replace(
            "www.tweedekamer.nl",
            '<extref soort="URL" doc="http://www.tweedekamer.nl">www.tweedekamer.nl</extref>',
        )
    )


def render_koop_xml() -> bytes:
    """KOOP's XML of this letter: its blocks follow each other with no whitespace between."""
    return corpus.render_koop_xml(LETTER, markup=_koop_markup, indented=False)


# --- HTML --------------------------------------------------------------------------------------


def render_html() -> bytes:
    """The zoek.officielebekendmakingen.nl page, published four days after the letter's date."""
    return corpus.render_html(
        LETTER,
        note_markup=_html_note,
        title="Kamerstuk 33783, nr. 46",
        metadata="<td>10-07-2020</td><td>Tweede Kamer der Staten-Generaal</td>",
    )


def _html_note(text: str) -> str:
    """A note's text as the site writes it: the URL in note 1 is a link."""
    return html.escape(text).replace(
        "www.tweedekamer.nl",
        '<a class="externe_link" href="http://www.tweedekamer.nl" '
        'title="link naar http://www.tweedekamer.nl">www.tweedekamer.nl</a>',
    )


# --- Word --------------------------------------------------------------------------------------

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" \
ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="word/document.xml"/></Relationships>"""


def _w_run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _w_paragraph(content: str, style: str | None = None, num_id: int | None = None) -> str:
    props = ""
    if style or num_id:
        style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
        num_xml = (
            f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>' if num_id else ""
        )
        props = f"<w:pPr>{style_xml}{num_xml}</w:pPr>"
    return f"<w:p>{props}{content}</w:p>"


def _w_segments(segments: list[Segment]) -> str:
    out = []
    for segment in segments:
        if isinstance(segment, int):
            out.append(
                '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                f'<w:footnoteReference w:id="{segment + 1}"/></w:r>'
            )
            continue
        first, *rest = segment.split("\u00ad")
        out.append(_w_run(first))
        for piece in rest:
            out.append('<w:proofErr w:type="spellStart"/><w:r><w:softHyphen/></w:r>')
            out.append(_w_run(piece))
    return "".join(out)


def _wrap_part(tag: str, content: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:{tag} xmlns:w="{W_NS}" xmlns:r="{R_NS}">{content}</w:{tag}>'
    ).encode()


def build_docx(body_xml: str, parts: dict[str, bytes] | None = None) -> bytes:
    """A minimal valid .docx around `body_xml` (the children of `w:body`) and extra parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr(
            "word/document.xml", _wrap_part("document", f"<w:body>{body_xml}</w:body>")
        )
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


STYLES_XML = _wrap_part(
    "styles",
    '<w:style w:type="paragraph" w:styleId="Kop3"><w:name w:val="heading 3"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/></w:style>',
)
NUMBERING_XML = _wrap_part(
    "numbering",
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="bullet"/><w:lvlText w:val="\u2013"/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>',
)


def footnotes_part(notes: dict[int, str]) -> bytes:
    """`word/footnotes.xml` in LibreOffice style, the notes keyed by their `w:id` (separators
    take ids 0 and 1), so a test can give the ids another producer writes."""
    return _wrap_part("footnotes", footnote_elements(notes))


def render_docx() -> bytes:
    """The letter as a Word file: heading styles, a numbered bullet list, footnote ids from 2."""
    header = LETTER.header
    paragraphs = [_w_paragraph(_w_run(line)) for line in header[:5]]
    paragraphs.append(_w_paragraph(_w_run(header[5]), style="Titel"))
    paragraphs += [_w_paragraph(_w_run(line)) for line in header[6:]]
    for item in LETTER.body:
        content = _w_segments(item.segments)
        if item.kind == "heading":
            paragraphs.append(_w_paragraph(content, style="Kop3"))
        elif item.kind == "bullet":
            paragraphs.append(_w_paragraph(content, num_id=1))
        else:
            paragraphs.append(_w_paragraph(content))
    for role, initials, surname in LETTER.signers:
        paragraphs.append(_w_paragraph(_w_run(role)))
        paragraphs.append(_w_paragraph(_w_run(initials) + _w_run(" " + surname)))
    parts = {
        "word/footnotes.xml": footnotes_part({n + 1: text for n, text in LETTER.notes.items()}),
        "word/styles.xml": STYLES_XML,
        "word/numbering.xml": NUMBERING_XML,
    }
    return build_docx("".join(paragraphs), parts)


# --- PDF ---------------------------------------------------------------------------------------

FOOTER = "kst-33783-46 ISSN 0921 - 7371 \u2019s-Gravenhage 2020"
Run = tuple[str, str, float, float]
"""A piece of a word: text, font, size and rise (superscript markers are raised)."""


def _words(segments: list[Segment], font: str) -> list[list[Run]]:
    words: list[list[Run]] = []
    glue = False
    for segment in segments:
        if isinstance(segment, int):
            words[-1].append((str(segment), "Helvetica", 7.0, 4.0))
            glue = True
            continue
        for index, piece in enumerate(segment.split(" ")):
            if not piece:
                glue = False
                continue
            if glue and index == 0 and words:
                words[-1].append((piece, font, BODY_SIZE, 0.0))
            else:
                words.append([(piece, font, BODY_SIZE, 0.0)])
            glue = False
        glue = not segment.endswith(" ")
    return words


def _width(runs: list[Run]) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(text.replace("\u00ad", ""), font, size) for text, font, size, _ in runs)


def _wrap(words: list[list[Run]], width: float, indent: float = 0.0) -> list[list[list[Run]]]:
    """Greedy line breaking at spaces, and at a soft hyphen when a word does not fit."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[list[list[Run]]] = [[]]
    used = indent
    space = stringWidth(" ", "Helvetica", BODY_SIZE)
    queue = list(words)
    while queue:
        word = queue.pop(0)
        needed = _width(word) + (space if lines[-1] else 0.0)
        if used + needed <= width or not lines[-1]:
            lines[-1].append(word)
            used += needed
            continue
        text, font, size, rise = word[0]
        if "\u00ad" in text:
            head, tail = text.split("\u00ad", 1)
            head_run = [(head + "-", font, size, rise)]
            if used + space + _width(head_run) <= width:
                lines[-1].append(head_run)
                queue.insert(0, [(tail, font, size, rise), *word[1:]])
                lines.append([])
                used = indent
                continue
        lines.append([word])
        used = indent + _width(word)
    return lines


def _note_lines(number: int) -> list[str]:
    return note_lines(number, LETTER.notes[number])


def render_pdf(top: float = 610.0) -> bytes:
    """A typeset Kamerstuk: running head from page 2, a footer on every page, footnotes at the
    bottom of the page that cites them, superscript markers and hyphenated line ends.

    `top` is where the text starts on each page; moving it moves the page breaks (at 610 the
    first page ends inside a paragraph, as in the seed letter).
    """
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=True)
    items: list[tuple[str, list[list[Run]], float]] = []
    bold = set(LETTER.header[2:6])
    for line in LETTER.header:
        font = "Helvetica-Bold" if line in bold else "Helvetica"
        items.append(("paragraph", _words([line], font), 0.0))
    for item in LETTER.body:
        font = "Helvetica-Bold" if item.kind == "heading" else "Helvetica"
        items.append((item.kind, _words(item.segments, font), 14.0 if item.kind == "bullet" else 0))
    for role, initials, surname in LETTER.signers:
        items.append(("signature", [[(role, "Helvetica", BODY_SIZE, 0.0)]], 0.0))
        items.append(("signature", [[(f"{initials} {surname}", "Helvetica", BODY_SIZE, 0.0)]], 0.0))

    page = 1
    y = top
    page_notes: list[int] = []

    def finish_page() -> None:
        note_y = BOTTOM + sum(len(_note_lines(n)) for n in page_notes) * NOTE_LEADING
        if page_notes:
            canvas.line(LEFT, note_y + 6, LEFT + 100, note_y + 6)
        for number in page_notes:
            for line in _note_lines(number):
                canvas.setFont("Helvetica", NOTE_SIZE)
                canvas.drawString(LEFT, note_y - NOTE_LEADING + 2, line)
                note_y -= NOTE_LEADING
        canvas.setFont("Helvetica", 7)
        canvas.drawString(LEFT, 40, FOOTER)
        if page > 1:
            canvas.setFont("Helvetica", 8)
            canvas.drawString(LEFT, 805, LETTER.running_head)
            canvas.drawRightString(RIGHT, 805, str(page))
        canvas.showPage()

    for kind, words, indent in items:
        lines = _wrap(words, RIGHT - LEFT, indent)
        for index, line in enumerate(lines):
            markers = [int(t) for word in line for t, _, size, _ in word if size == 7.0]
            reserve = sum(len(_note_lines(n)) for n in page_notes + markers) * NOTE_LEADING
            if y - LEADING < BOTTOM + reserve + (10 if page_notes or markers else 0):
                finish_page()
                page, y, page_notes = page + 1, top, []
            page_notes += markers
            y -= LEADING
            x = LEFT
            if kind == "bullet":
                x += indent
                if index == 0:
                    canvas.setFont("Helvetica", BODY_SIZE)
                    canvas.drawString(LEFT, y, "\u2013")
            for word in line:
                for text, font, size, rise in word:
                    text = text.replace("\u00ad", "")
                    canvas.setFont(font, size)
                    canvas.drawString(x, y + rise, text)
                    x += _width([(text, font, size, rise)])
                x += _width([(" ", "Helvetica", BODY_SIZE, 0.0)])
        y -= 0 if kind == "signature" else GAP
    finish_page()
    canvas.save()
    return buffer.getvalue()
