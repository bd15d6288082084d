"""One letter (kst-33783-46, the seed `004_...`) rendered in every source format we read.

The content is defined once, as header lines, body items and footnotes; each renderer writes it
the way that format's producer does (KOOP XML elements, zoek.officielebekendmakingen classes,
Word OOXML parts, a typeset PDF with running heads and page-bottom footnotes, POI-style text,
PDF-converter Markdown). The cross-format test parses every rendering and compares the rows.
"""

from __future__ import annotations

import html
import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

Segment = str | int
"""Body text is a list of segments: strings, and ints where a footnote marker is printed."""

HOUSE = "Tweede Kamer der Staten-Generaal"
YEAR = "Vergaderjaar 2019\u20132020"
DOSSIER = "33 783"
DOSSIER_TITLE = "Nucleaire ontwapening en non-proliferatie"
NUMBER = "Nr. 46"
TITLE = "BRIEF VAN DE MINISTER VAN BUITENLANDSE ZAKEN"
ADDRESSEE = "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal"
PLACE_DATE = "Den Haag, 6 juli 2020"
ROLE = "De Minister van Buitenlandse Zaken,"
NAME = ("S.A.", "Blok")
RUNNING_HEAD = "Tweede Kamer, vergaderjaar 2019\u20132020, 33 783, nr. 46"
FOOTER = "kst-33783-46 ISSN 0921 - 7371 \u2019s-Gravenhage 2020"


@dataclass
class Item:
    kind: str  # "paragraph", "heading" or "bullet"
    segments: list[Segment]


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

HEADER = [HOUSE, YEAR, DOSSIER, DOSSIER_TITLE, NUMBER, TITLE, ADDRESSEE, PLACE_DATE]


def _plain(segments: list[Segment]) -> str:
    return "".join(s for s in segments if isinstance(s, str))


# --- text and Markdown -------------------------------------------------------------------------


def render_text() -> bytes:
    """POI-style text of a Word copy: `[footnoteRef:N]` markers, ` [N: text]` after the paragraph.

    POI writes the XML ids; here they are Word's (real notes from id 1), so they equal the printed
    numbers. Written in cp1252 to exercise the Windows decoding.
    """
    lines = list(HEADER)
    for item in BODY:
        body = "".join(
            f"[footnoteRef:{s}]" if isinstance(s, int) else s for s in item.segments
        ).replace("\u00ad", "")
        notes = "".join(f" [{s}: {NOTES[s]}]" for s in item.segments if isinstance(s, int))
        prefix = "\u2022 " if item.kind == "bullet" else ""
        lines.append(prefix + body + notes)
    lines += [ROLE, " ".join(NAME)]
    return "\r\n\r\n".join(lines).encode("cp1252")


def render_markdown() -> bytes:
    """PDF-to-Markdown converter output: `<sup>N</sup>` markers, note lines where a page ended."""
    out = [f"**{HOUSE}**", YEAR, f"**{DOSSIER}**", f"## **{DOSSIER_TITLE}**", f"**{NUMBER}**"]
    out += [f"### **{TITLE}**", ADDRESSEE, PLACE_DATE]
    for index, item in enumerate(BODY):
        body = "".join(f"<sup>{s}</sup>" if isinstance(s, int) else s for s in item.segments)
        if item.kind == "heading":
            out.append(f"### {body}")
        elif item.kind == "bullet":
            out.append(f"- {body}")
        else:
            out.append(body)
        if index == 2:
            out += [f"<sup>{n}</sup> {text}" for n, text in NOTES.items()]
    out.append(f"{ROLE}  \n{' '.join(NAME)}")
    return ("\ufeff" + "\n\n".join(out) + "\n").encode("utf-8")


# --- KOOP XML ----------------------------------------------------------------------------------


def _xml_segments(segments: list[Segment]) -> str:
    out = []
    for segment in segments:
        if isinstance(segment, int):
            out.append(_xml_note(segment))
            continue
        text = escape(segment).replace("\u00ad", "")
        text = text.replace(
            "(Kamerstuk 33 783, nr. 41)",
            '(Kamerstuk <extref soort="document" doc="kst-33783-41" status="actief">'
            "33 783, nr. 41</extref>)",
        )
        text = text.replace("kernwapenbeleid", "kernwapen<?xpp afbm?>beleid")
        out.append(text)
    return "".join(out)


def _xml_note(number: int) -> str:
    text = escape(NOTES[number]).replace(
        "www.tweedekamer.nl",
        '<extref soort="URL" doc="http://www.tweedekamer.nl">www.tweedekamer.nl</extref>',
    )
    return (
        f'<noot id="ID-33783-46-n{number}" type="voet"><noot.nr>{number}</noot.nr>'
        f"<noot.al>{text}</noot.al></noot>"
    )


def render_koop_xml() -> bytes:
    """A kst XML with the real element names: BOM, CRLF, PIs, indentation in mixed content."""
    body = []
    for item in BODY:
        content = _xml_segments(item.segments)
        if item.kind == "heading":
            body.append(f'<tussenkop kopopmaak="cur">{content}</tussenkop>')
        elif item.kind == "bullet":
            body.append(
                '<lijst type="ongemarkeerd"><li><li.nr>\u2013</li.nr>'
                f"<al>{content}</al></li></lijst>"
            )
        else:
            body.append(f"<al>{content}</al>")
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<officiele-publicatie xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:noNamespaceSchemaLocation="http://technische-documentatie.oep.overheid.nl/schema/op-xsd-2012-2">
  <metadata>
    <meta name="OVERHEIDop.externMetadataRecord" scheme="" \
content="https://zoek.officielebekendmakingen.nl/kst-33783-46/metadata.xml" />
  </metadata>
  <kamerstuk>
    <kamerstukkop>
      <tekstregel inhoud="kameraanduiding">{HOUSE}</tekstregel>
      <tekstregel inhoud="vergaderjaar">{YEAR}</tekstregel>
    </kamerstukkop>
    <dossier>
      <dossiernummer>
        <dossiernr>{DOSSIER}</dossiernr>
      </dossiernummer>
      <titel>{DOSSIER_TITLE}</titel>
    </dossier>
    <stuk>
      <stuknr>Nr. <ondernummer kamer="2">46</ondernummer></stuknr>
      <titel>{TITLE}</titel>
      <algemeen>
        <vrije-tekst>
          <tekst status="goed">
            <al>{ADDRESSEE}</al>
            <al>Den Haag, <datum isodatum="2020-07-06">6 juli 2020</datum></al>
            <?xpp qa?>
            {"".join(body)}
          </tekst>
        </vrije-tekst>
      </algemeen>
      <tekst-sluiting>
        <ondertekening>
          <functie>{ROLE}</functie>
          <naam>
            <voornaam>{NAME[0]}</voornaam>
            <achternaam>{NAME[1]}</achternaam>
          </naam>
        </ondertekening>
      </tekst-sluiting>
    </stuk>
  </kamerstuk>
</officiele-publicatie>
"""
    return b"\xef\xbb\xbf" + xml.replace("\n", "\r\n").encode("utf-8")


# --- HTML --------------------------------------------------------------------------------------


def _html_segments(segments: list[Segment]) -> str:
    out = []
    for segment in segments:
        if isinstance(segment, int):
            out.append(
                f'<sup><a class="nootnum supernote-click-ID-n{segment}" href="#ID-n{segment}">'
                f"{segment}</a></sup>"
            )
        else:
            out.append(html.escape(segment, quote=False).replace("\u00ad", "&shy;"))
    return "".join(out)


def render_html() -> bytes:
    """A zoek.officielebekendmakingen.nl page: chrome around `div#broodtekst`, notes in `#noten`."""
    body = []
    for item in BODY:
        content = _html_segments(item.segments)
        if item.kind == "heading":
            body.append(f'<h3 class="tussenkop">{content}</h3>')
        elif item.kind == "bullet":
            body.append(
                '<ul class="expliciet"><li class="li"><p class="labeled">'
                f'<span class="ol">\u2013 </span>{content}</p></li></ul>'
            )
        else:
            body.append(f'<p class="al">{content}</p>')
    notes = "".join(
        f'<div class="voet noot snp-mouseoffset snb-pinned notedefault" '
        f'id="supernote-note-ID-n{n}"><h5 class="note-close">Sluiten</h5>'
        f'<sup><span class="nootnum"><a id="ID-n{n}">{n}</a></span></sup>'
        f"<p>{_html_note(text)}</p></div>"
        for n, text in NOTES.items()
    )
    page = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>Kamerstuk 33783, nr. 46 | Overheid.nl</title>
<meta name="dcterms.identifier" content="kst-33783-46">
<script>var x = "Datum 1 januari 2000";</script>
</head><body>
<header><nav><a href="/">Home</a> Zoeken in officiële bekendmakingen</nav></header>
<div class="metadata"><table><tr><th>Datum publicatie</th><th>Organisatie</th></tr>
<tr><td>10-07-2020</td><td>Tweede Kamer der Staten-Generaal</td></tr></table></div>
<article><div id="broodtekst" class="stuk broodtekst-container">
<p class="kameraanduiding">{HOUSE}</p>
<p class="vergaderjaar">{YEAR}</p>
<h1 class="dossiertitel">{DOSSIER} {DOSSIER_TITLE}</h1>
<h2 class="stuktitel"><span class="stuknummer">{NUMBER}</span> {TITLE}</h2>
<p class="al">{ADDRESSEE}</p>
<p class="kamerstukdatum"><span class="datum">{PLACE_DATE}</span></p>
{"".join(body)}
<p class="ondertekening"><span class="functie">{ROLE}</span>
  <span class="naam"><span class="voornaam">{NAME[0]}</span>
  <span class="achternaam">{NAME[1]}</span></span></p>
<div id="noten">{notes}</div>
</div></article>
<footer><p>Dit is een publicatie van de Staten-Generaal.</p></footer>
</body></html>
"""
    return page.encode("utf-8")


def _html_note(text: str) -> str:
    return html.escape(text).replace(
        "www.tweedekamer.nl",
        '<a class="externe_link" href="http://www.tweedekamer.nl" '
        'title="link naar http://www.tweedekamer.nl">www.tweedekamer.nl</a>',
    )


# --- Word --------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
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
    """`word/footnotes.xml` in LibreOffice style: separators take ids 0 and 1."""
    content = [
        '<w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="1"><w:p><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>",
    ]
    for note_id, text in notes.items():
        content.append(
            f'<w:footnote w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            f"{_w_run(' ' + text)}</w:p></w:footnote>"
        )
    return _wrap_part("footnotes", "".join(content))


def render_docx() -> bytes:
    """The letter as a Word file: heading styles, a numbered bullet list, footnote ids from 2."""
    paragraphs = [_w_paragraph(_w_run(line)) for line in HEADER[:5]]
    paragraphs.append(_w_paragraph(_w_run(TITLE), style="Titel"))
    paragraphs += [_w_paragraph(_w_run(line)) for line in HEADER[6:]]
    for item in BODY:
        content = _w_segments(item.segments)
        if item.kind == "heading":
            paragraphs.append(_w_paragraph(content, style="Kop3"))
        elif item.kind == "bullet":
            paragraphs.append(_w_paragraph(content, num_id=1))
        else:
            paragraphs.append(_w_paragraph(content))
    paragraphs.append(_w_paragraph(_w_run(ROLE)))
    paragraphs.append(_w_paragraph(_w_run(NAME[0]) + _w_run(" " + NAME[1])))
    parts = {
        "word/footnotes.xml": footnotes_part({n + 1: text for n, text in NOTES.items()}),
        "word/styles.xml": STYLES_XML,
        "word/numbering.xml": NUMBERING_XML,
    }
    return build_docx("".join(paragraphs), parts)


# --- PDF ---------------------------------------------------------------------------------------

PAGE_W, PAGE_H = 595.0, 842.0
LEFT, RIGHT, BOTTOM = 72.0, 523.0, 70.0
BODY_SIZE, LEADING, GAP = 11.0, 14.0, 8.0
NOTE_SIZE, NOTE_LEADING = 8.0, 10.0
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
    from reportlab.pdfbase.pdfmetrics import stringWidth

    words, lines = f"{number} {NOTES[number]}".split(" "), [""]
    for word in words:
        candidate = f"{lines[-1]} {word}".strip()
        if stringWidth(candidate, "Helvetica", NOTE_SIZE) > RIGHT - LEFT:
            lines.append(word)
        else:
            lines[-1] = candidate
    return lines


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
    bold = {DOSSIER, DOSSIER_TITLE, NUMBER, TITLE}
    for line in HEADER:
        font = "Helvetica-Bold" if line in bold else "Helvetica"
        items.append(("paragraph", _words([line], font), 0.0))
    for item in BODY:
        font = "Helvetica-Bold" if item.kind == "heading" else "Helvetica"
        items.append((item.kind, _words(item.segments, font), 14.0 if item.kind == "bullet" else 0))
    items.append(("signature", [[(ROLE, "Helvetica", BODY_SIZE, 0.0)]], 0.0))
    items.append(("signature", [[(" ".join(NAME), "Helvetica", BODY_SIZE, 0.0)]], 0.0))

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
            canvas.drawString(LEFT, 805, RUNNING_HEAD)
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
