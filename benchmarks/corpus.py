"""A deterministic corpus of synthetic Kamerbrieven in every source format the pipeline reads.

`generate(folder, n, seed)` writes `n` letters; the same `n` and `seed` give the same bytes.
Each letter is first drawn as content (dossier, date, minister, paragraphs with Kamerstuk
citations and footnotes, sometimes numbered questions with answers, one or two signers) and
then rendered the way that format's producer writes it: KOOP XML (`kst-*.xml`, element names
of docs/formats.md §1.3), a zoek.officielebekendmakingen.nl HTML page, a Word file written with
python-docx (footnotes in `word/footnotes.xml`), POI-style text (`[footnoteRef:N]`), PDF-converter
Markdown (`<sup>N</sup>`), and a typeset PDF written with reportlab.

The renderers take any `Letter`: tests/formats/sample_letter.py describes its one fixed letter
as a `Letter` and writes it with these same renderers, so the format tests and the benchmark read
documents written by the same code. The renderers live here, not in a module of their own, because
benchmarks/run keys its cached corpora on this file's hash.

The default mix leaves PDFs out (`pdf_share=0`): the issue's throughput target is for the
other formats, and PDFs are timed on their own against the PDF library.

    python -m benchmarks.corpus OUT_DIR N [--seed S] [--pdf-share F]
"""

from __future__ import annotations

import argparse
import html
import io
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

MIX = {"xml": 0.30, "html": 0.20, "docx": 0.20, "txt": 0.15, "md": 0.15}
"""Share of each source format when PDFs are left out."""

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
MINISTRIES = [
    ("Buitenlandse Zaken", "BZ"),
    ("Binnenlandse Zaken en Koninkrijksrelaties", "BZK"),
    ("Financiën", "FIN"),
    ("Justitie en Veiligheid", "JenV"),
    ("Defensie", "DEF"),
    ("Onderwijs, Cultuur en Wetenschap", "OCW"),
    ("Volksgezondheid, Welzijn en Sport", "VWS"),
    ("Economische Zaken en Klimaat", "EZK"),
    ("Infrastructuur en Waterstaat", "IenW"),
    ("Sociale Zaken en Werkgelegenheid", "SZW"),
    ("Landbouw, Natuur en Voedselkwaliteit", "LNV"),
]
INITIALS = [
    "A.",
    "B.J.",
    "C.",
    "D.A.",
    "E.",
    "F.M.",
    "G.",
    "H.P.",
    "J.",
    "K.H.",
    "M.",
    "R.W.",
    "S.A.",
    "T.",
    "W.B.",
    "Y.C.",
]
SURNAMES = [
    "Blok",
    "de Jonge",
    "Hoekstra",
    "van Engelshoven",
    "Grapperhaus",
    "Bijleveld",
    "Koolmees",
    "Schouten",
    "van Nieuwenhuizen",
    "Wiebes",
    "Ollongren",
    "Kaag",
    "Slob",
    "van Ark",
    "Dekker",
    "Knops",
    "Snel",
    "Keijzer",
    "Visser",
    "Broekers",
]
TOPICS = [
    "Nucleaire ontwapening en non-proliferatie",
    "Staat van de rechtsstaat",
    "Klimaatbeleid",
    "Arbeidsmarktbeleid",
    "Stikstofproblematiek",
    "Digitale overheid",
    "Woningbouwopgave",
    "Curriculumherziening primair en voortgezet onderwijs",
    "Zorgverzekeringsstelsel",
    "Vaststelling van de begrotingsstaten",
    "Luchtvaartbeleid",
    "Asielbeleid",
    "Pensioenstelsel",
    "Jeugdzorg",
    "Energietransitie",
    "Cybersecurity",
]
SUBJECTS = [
    "het beleid",
    "de uitvoering",
    "de evaluatie",
    "het onderzoek",
    "de regeling",
    "de kosten",
    "het advies",
    "de planning",
    "de voortgang",
    "de maatregelen",
    "de wetgeving",
    "de subsidie",
    "het toezicht",
    "de gemeenten",
    "de provincies",
    "de burgers",
    "de ondernemers",
    "de uitvoeringsorganisaties",
    "de Kamer",
    "het kabinet",
    "de toezichthouder",
    "de sector",
]
VERBS = [
    "heeft",
    "zal",
    "kan",
    "moet",
    "wil",
    "blijft",
    "onderzoekt",
    "bespreekt",
    "beoordeelt",
    "verbetert",
    "ondersteunt",
    "versterkt",
    "bevordert",
    "verduidelijkt",
]
OBJECTS = [
    "de gevolgen van deze ontwikkelingen",
    "een nieuw actieplan",
    "de resultaten van de pilot",
    "de aanbevelingen van de commissie",
    "de risico\u2019s voor de samenleving",
    "een structurele oplossing",
    "de samenwerking met de betrokken partijen",
    "de financiële middelen",
    "de uitvoerbaarheid van de maatregel",
    "de gegevens uit de monitor",
    "de effecten op de regio",
    "een zorgvuldige afweging",
    "het wetsvoorstel",
    "de internationale afspraken",
    "de administratieve lasten",
]
TAILS = [
    "in de komende periode",
    "zoals eerder aangekondigd",
    "in nauw overleg met de sector",
    "voor het einde van dit jaar",
    "binnen de bestaande kaders",
    "op korte termijn",
    "met inachtneming van de motie",
    "in het voorjaar",
    "na afloop van de evaluatie",
    "waar dat mogelijk is",
]
NOTE_TEXTS = [
    "Raadpleegbaar via www.tweedekamer.nl.",
    "Bijlage bij dit Kamerstuk.",
    "Zie het rapport van de Algemene Rekenkamer.",
    "Staatsblad 2019, 123.",
    "Dit is in de bijlage nader toegelicht.",
]

Segment = str | int
"""Body text is a list of segments: strings, and ints where a footnote marker is printed."""


@dataclass
class Item:
    """One block of the body, as every format has it: a paragraph, a heading, a list item, or a
    numbered question or answer."""

    kind: str  # paragraph, heading, bullet, question, answer
    segments: list[Segment]
    number: int = 0  # question/answer number


@dataclass
class Letter:
    """A letter's content, apart from any format: what the renderers write and the tests expect
    the parser to read back from every rendering."""

    stem: str  # the corpus file name; also in KOOP's note ids
    dossier: str  # "33 783" or "36 200 XIV"
    number: int
    year_label: str  # "2019–2020"
    dossier_title: str
    title: str
    date: tuple[int, int, int]
    body: list[Item]
    notes: dict[int, str]
    signers: list[tuple[str, str, str]]  # role, initials, surname
    kind: str  # letter or answers
    doc_id: str = field(init=False)

    def __post_init__(self) -> None:
        self.doc_id = "kst-" + self.dossier.replace(" ", "", 1).replace(" ", "-")
        self.doc_id += f"-{self.number}"

    @property
    def date_text(self) -> str:
        y, m, d = self.date
        return f"{d} {MONTHS[m - 1]} {y}"

    @property
    def iso_date(self) -> str:
        y, m, d = self.date
        return f"{y:04d}-{m:02d}-{d:02d}"

    @property
    def header(self) -> list[str]:
        return [
            "Tweede Kamer der Staten-Generaal",
            f"Vergaderjaar {self.year_label}",
            self.dossier,
            self.dossier_title,
            f"Nr. {self.number}",
            self.title,
            "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
            f"Den Haag, {self.date_text}",
        ]

    @property
    def running_head(self) -> str:
        """The line a typeset Kamerstuk repeats at the top of every page after the first."""
        return f"Tweede Kamer, vergaderjaar {self.year_label}, {self.dossier}, nr. {self.number}"


# --- content -----------------------------------------------------------------------------------


DOSSIERS, NUMBERS = 15_600, 450
"""Dossier numbers 21 000 to 36 599, ondernummers 1 to 450."""


def _identity(rng: random.Random, index: int) -> tuple[str, int]:
    """Dossier and ondernummer of letter `index`: scattered over the whole range by a
    permutation of it, so no two letters of a corpus (up to 7 million) share a letter_id."""
    slot = (index * 2_654_437 + 1_234_567) % (DOSSIERS * NUMBERS)
    number = 21_000 + slot // NUMBERS
    text = f"{number // 1000} {number % 1000:03d}"
    if rng.random() < 0.1:
        text += " " + rng.choice(["VII", "XIV", "IX", "A", "B"])
    return text, 1 + slot % NUMBERS


def _citation(rng: random.Random) -> str:
    number = rng.randint(21000, 36599)
    nr = rng.randint(1, 400)
    if rng.random() < 0.2:
        return (
            f"Kamerstuk {number // 1000} {number % 1000:03d}, nrs. {nr} en {nr + rng.randint(1, 9)}"
        )
    return f"Kamerstuk {number // 1000} {number % 1000:03d}, nr. {nr}"


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(TAILS)]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, notes: dict[int, str], sentences: int) -> list[Segment]:
    parts: list[Segment] = []
    for _ in range(sentences):
        sentence = _sentence(rng)
        if rng.random() < 0.12:
            sentence = sentence[:-1] + f" ({_citation(rng)})."
        if parts and isinstance(parts[-1], str):
            parts[-1] += " " + sentence
        else:
            parts.append(sentence if not parts else " " + sentence)
        if rng.random() < 0.06 and len(notes) < 30:
            number = len(notes) + 1
            note = rng.choice(NOTE_TEXTS)
            if rng.random() < 0.5:
                note = f"Zie ook {_citation(rng)}."
            notes[number] = note
            last = parts[-1]
            assert isinstance(last, str)
            parts[-1] = last[:-1]
            parts += [number, "."]
    return parts


def make_letter(rng: random.Random, index: int) -> Letter:
    """One letter's content: 300 to 3,000 words, a quarter of them answers to questions."""
    ministry, _ = rng.choice(MINISTRIES)
    year = rng.randint(2010, 2024)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    session = year if month >= 9 else year - 1
    target_words = int(300 * (10 ** rng.random()))  # log-uniform, 300-3,000
    notes: dict[int, str] = {}
    body: list[Item] = []
    kind = "answers" if rng.random() < 0.25 else "letter"
    words = 0
    question = 0
    while words < target_words:
        if kind == "answers":
            question += 1
            q = _paragraph(rng, {}, rng.randint(1, 2))
            q = [s for s in q if isinstance(s, str)]
            body.append(Item("question", q, question))
            a = _paragraph(rng, notes, rng.randint(2, 6))
            body.append(Item("answer", a, question))
            words += sum(len(s.split()) for s in q + a if isinstance(s, str))
            continue
        roll = rng.random()
        if roll < 0.08:
            body.append(Item("heading", [_sentence(rng)[:-1].split(" ", 3)[-1].capitalize()]))
        elif roll < 0.18:
            for _ in range(rng.randint(2, 4)):
                body.append(Item("bullet", [_sentence(rng)[:-1].lower() + ";"]))
        else:
            body.append(Item("paragraph", _paragraph(rng, notes, rng.randint(2, 7))))
        words += sum(len(s.split()) for s in body[-1].segments if isinstance(s, str))
    if kind == "answers":
        title = f"BRIEF VAN DE MINISTER VAN {ministry.upper()}"
        body.insert(
            0,
            Item(
                "paragraph",
                [
                    "Hierbij beantwoord ik de vragen van de vaste commissie over "
                    f"{rng.choice(TOPICS).lower()}."
                ],
            ),
        )
    else:
        title = f"BRIEF VAN DE MINISTER VAN {ministry.upper()}"
    dossier, number = _identity(rng, index)
    signers = [(f"De Minister van {ministry},", rng.choice(INITIALS), rng.choice(SURNAMES))]
    if rng.random() < 0.3:
        second, _ = rng.choice(MINISTRIES)
        signers.append(
            (f"De Staatssecretaris van {second},", rng.choice(INITIALS), rng.choice(SURNAMES))
        )
    return Letter(
        stem=f"{index:06d}",
        dossier=dossier,
        number=number,
        year_label=f"{session}\u2013{session + 1}",
        dossier_title=rng.choice(TOPICS),
        title=title,
        date=(year, month, day),
        body=body,
        notes=notes,
        signers=signers,
        kind=kind,
    )


def _label(item: Item) -> str:
    """The bold line above a question or an answer."""
    return f"Vraag {item.number}" if item.kind == "question" else f"Antwoord {item.number}"


# --- text and Markdown -------------------------------------------------------------------------


def render_text(letter: Letter) -> bytes:
    """POI-style text of a Word copy: `[footnoteRef:N]` markers, ` [N: text]` after the block.

    POI drops Word's soft hyphens, and writes the note ids Word has, which (real notes from id 1)
    equal the printed numbers. Written in cp1252 to exercise the Windows decoding.
    """
    lines = list(letter.header)
    for item in letter.body:
        body = "".join(
            f"[footnoteRef:{s}]" if isinstance(s, int) else s for s in item.segments
        ).replace("\u00ad", "")
        notes = "".join(f" [{s}: {letter.notes[s]}]" for s in item.segments if isinstance(s, int))
        if item.kind in ("question", "answer"):
            lines.append(_label(item))
        prefix = "\u2022 " if item.kind == "bullet" else ""
        lines.append(prefix + body + notes)
    for role, initials, surname in letter.signers:
        lines += [role, f"{initials} {surname}"]
    return "\r\n\r\n".join(lines).encode("cp1252")


def render_markdown(letter: Letter, *, page_blocks: int = 8, bom: bool = False) -> bytes:
    """PDF-to-Markdown output: `<sup>N</sup>` markers, a page's notes where the page ended.

    A converted page holds `page_blocks` blocks, so where notes land depends on it; some
    converters write a byte order mark (`bom`), which the reader must take off.
    """
    h = letter.header
    out = [f"**{h[0]}**", h[1], f"**{h[2]}**", f"## **{h[3]}**", f"**{h[4]}**"]
    out += [f"### **{h[5]}**", h[6], h[7]]
    pending: list[int] = []
    for index, item in enumerate(letter.body):
        body = "".join(f"<sup>{s}</sup>" if isinstance(s, int) else s for s in item.segments)
        pending += [s for s in item.segments if isinstance(s, int)]
        if item.kind == "heading":
            out.append(f"### {body}")
        elif item.kind == "bullet":
            out.append(f"- {body}")
        elif item.kind in ("question", "answer"):
            out.append(f"**{_label(item)}**")
            out.append(body)
        else:
            out.append(body)
        if index % page_blocks == page_blocks - 1 and pending:
            out += [f"<sup>{n}</sup> {letter.notes[n]}" for n in pending]
            pending = []
    out += [f"<sup>{n}</sup> {letter.notes[n]}" for n in pending]
    out.append(
        "\n\n".join(f"{role}  \n{initials} {surname}" for role, initials, surname in letter.signers)
    )
    return ("\ufeff" * bom + "\n\n".join(out) + "\n").encode("utf-8")


# --- KOOP XML ----------------------------------------------------------------------------------


Markup = Callable[[str], str]
"""Inline markup for a run of escaped text: what a producer links or annotates in it."""


def link_citations(text: str) -> str:
    """Citations as KOOP marks them up: an extref to the cited document."""
    return re.sub(
        r"Kamerstuk (\d+) (\d{3}), nr\. (\d+)",
        lambda m: (
            f'Kamerstuk <extref soort="document" doc="kst-{m[1]}{m[2]}-{m[3]}" '
            f'status="actief">{m[1]} {m[2]}, nr. {m[3]}</extref>'
        ),
        text,
    )


def _xml_segments(letter: Letter, segments: list[Segment], markup: Markup) -> str:
    """Body text with its notes inline, where KOOP puts them; KOOP keeps no soft hyphens."""

    def text(raw: str) -> str:
        return markup(escape(raw).replace("\u00ad", ""))

    out = []
    for segment in segments:
        if isinstance(segment, int):
            out.append(
                f'<noot id="ID-{letter.stem}-n{segment}" type="voet"><noot.nr>{segment}</noot.nr>'
                f"<noot.al>{text(letter.notes[segment])}</noot.al></noot>"
            )
        else:
            out.append(text(segment))
    return "".join(out)


def render_koop_xml(
    letter: Letter, *, markup: Markup = link_citations, indented: bool = True
) -> bytes:
    """A kst XML with the real element names: BOM, CRLF, PIs, indentation in mixed content.

    `markup` marks up body and note text (by default every Kamerstuk citation is linked);
    `indented` puts each block on a line of its own, whitespace the reader must ignore, where
    otherwise the blocks follow each other directly.
    """
    body = []
    for item in letter.body:
        content = _xml_segments(letter, item.segments, markup)
        if item.kind == "heading":
            body.append(f'<tussenkop kopopmaak="cur">{content}</tussenkop>')
        elif item.kind == "bullet":
            body.append(
                '<lijst type="ongemarkeerd"><li><li.nr>\u2013</li.nr>'
                f"<al>{content}</al></li></lijst>"
            )
        elif item.kind in ("question", "answer"):
            body.append(f'<al><nadruk type="vet">{_label(item)}</nadruk></al><al>{content}</al>')
        else:
            body.append(f"<al>{content}</al>")
        if indented:
            body.append("\n            ")
    signers = "".join(
        f"""
        <ondertekening>
          <functie>{escape(role)}</functie>
          <naam>
            <voornaam>{initials}</voornaam>
            <achternaam>{surname}</achternaam>
          </naam>
        </ondertekening>"""
        for role, initials, surname in letter.signers
    )
    dossier_nr = letter.dossier
    doc = letter.doc_id.removeprefix("kst-")
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<officiele-publicatie xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:noNamespaceSchemaLocation="http://technische-documentatie.oep.overheid.nl/schema/op-xsd-2012-2">
  <metadata>
    <meta name="OVERHEIDop.externMetadataRecord" scheme="" \
content="https://zoek.officielebekendmakingen.nl/kst-{doc}/metadata.xml" />
  </metadata>
  <kamerstuk>
    <kamerstukkop>
      <tekstregel inhoud="kameraanduiding">Tweede Kamer der Staten-Generaal</tekstregel>
      <tekstregel inhoud="vergaderjaar">Vergaderjaar {letter.year_label}</tekstregel>
    </kamerstukkop>
    <dossier>
      <dossiernummer>
        <dossiernr>{dossier_nr}</dossiernr>
      </dossiernummer>
      <titel>{escape(letter.dossier_title)}</titel>
    </dossier>
    <stuk>
      <stuknr>Nr. <ondernummer kamer="2">{letter.number}</ondernummer></stuknr>
      <titel>{escape(letter.title)}</titel>
      <algemeen>
        <vrije-tekst>
          <tekst status="goed">
            <al>Aan de Voorzitter van de Tweede Kamer der Staten-Generaal</al>
            <al>Den Haag, <datum isodatum="{letter.iso_date}">{letter.date_text}</datum></al>
            <?xpp qa?>
            {"".join(body)}
          </tekst>
        </vrije-tekst>
      </algemeen>
      <tekst-sluiting>{signers}
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


def render_html(
    letter: Letter,
    *,
    note_markup: Markup = html.escape,
    title: str | None = None,
    metadata: str | None = None,
) -> bytes:
    """A zoek.officielebekendmakingen.nl page: chrome around `div#broodtekst`, notes in `#noten`.

    `note_markup` writes a note's text as HTML (by default escaped, with no links). The page's
    `title` and the cells of its `metadata` row (publication date, organisation) stand outside
    `div#broodtekst`, where the reader must not look; by default they carry the letter's own
    dossier and date.
    """
    body = []
    for item in letter.body:
        content = _html_segments(item.segments)
        if item.kind == "heading":
            body.append(f'<h3 class="tussenkop">{content}</h3>')
        elif item.kind == "bullet":
            body.append(
                '<ul class="expliciet"><li class="li"><p class="labeled">'
                f'<span class="ol">\u2013 </span>{content}</p></li></ul>'
            )
        elif item.kind in ("question", "answer"):
            body.append(f'<p class="al"><strong>{_label(item)}</strong></p>')
            body.append(f'<p class="al">{content}</p>')
        else:
            body.append(f'<p class="al">{content}</p>')
    notes = "".join(
        f'<div class="voet noot snp-mouseoffset snb-pinned notedefault" '
        f'id="supernote-note-ID-n{n}"><h5 class="note-close">Sluiten</h5>'
        f'<sup><span class="nootnum"><a id="ID-n{n}">{n}</a></span></sup>'
        f"<p>{note_markup(text)}</p></div>"
        for n, text in letter.notes.items()
    )
    signers = "".join(
        f'<p class="ondertekening"><span class="functie">{html.escape(role)}</span>\n'
        f'  <span class="naam"><span class="voornaam">{initials}</span>\n'
        f'  <span class="achternaam">{html.escape(surname)}</span></span></p>\n'
        for role, initials, surname in letter.signers
    )
    if title is None:
        title = f"Kamerstuk {letter.dossier}, nr. {letter.number}"
    if metadata is None:
        y, m, d = letter.date
        metadata = f"<td>{d:02d}-{m:02d}-{y}</td>\n<td>Tweede Kamer der Staten-Generaal</td>"
    h = letter.header
    page = f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>{title} | Overheid.nl</title>
<meta name="dcterms.identifier" content="{letter.doc_id}">
<script>var x = "Datum 1 januari 2000";</script>
</head><body>
<header><nav><a href="/">Home</a> Zoeken in officiële bekendmakingen</nav></header>
<div class="metadata"><table><tr><th>Datum publicatie</th><th>Organisatie</th></tr>
<tr>{metadata}</tr></table></div>
<article><div id="broodtekst" class="stuk broodtekst-container">
<p class="kameraanduiding">{h[0]}</p>
<p class="vergaderjaar">{h[1]}</p>
<h1 class="dossiertitel">{h[2]} {html.escape(h[3])}</h1>
<h2 class="stuktitel"><span class="stuknummer">{h[4]}</span> {html.escape(h[5])}</h2>
<p class="al">{h[6]}</p>
<p class="kamerstukdatum"><span class="datum">{h[7]}</span></p>
{"".join(body)}
{signers}<div id="noten">{notes}</div>
</div></article>
<footer><p>Dit is een publicatie van de Staten-Generaal.</p></footer>
</body></html>
"""
    return page.encode("utf-8")


# --- Word (python-docx) ------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def footnote_elements(notes_by_id: dict[int, str]) -> str:
    """The children of `w:footnotes`: the separators Word and LibreOffice write at ids 0 and 1,
    then each note under its `w:id`, its text after the `w:footnoteRef` mark."""
    content = [
        '<w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="1"><w:p><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>",
    ]
    for note_id, text in notes_by_id.items():
        content.append(
            f'<w:footnote w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/>'
            '</w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/>'
            f'</w:r><w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
        )
    return "".join(content)


def _footnotes_xml(notes: dict[int, str]) -> bytes:
    """`word/footnotes.xml`: the separators take ids 0 and 1, so note N has w:id N + 1."""
    elements = footnote_elements({number + 1: text for number, text in notes.items()})
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:footnotes xmlns:w="{W_NS}">{elements}</w:footnotes>'
    ).encode()


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps and order, so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name))
    return buffer.getvalue()


def render_docx(letter: Letter) -> bytes:
    """The letter as Word writes it (via python-docx): Title and Heading 3 styles, bullet list
    style, footnote references in the runs and their text in `word/footnotes.xml`."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    core = document.core_properties
    core.author = core.last_modified_by = "kamerbrieven benchmark"
    moment = datetime(*letter.date, 9, 0, 0)  # the letter's date, never the wall clock
    core.created = core.modified = core.last_printed = moment
    core.revision = 1
    h = letter.header
    for line in h[:5]:
        document.add_paragraph(line)
    document.add_paragraph(h[5], style="Title")
    for line in h[6:]:
        document.add_paragraph(line)
    for item in letter.body:
        if item.kind == "heading":
            paragraph = document.add_paragraph(style="Heading 3")
        elif item.kind == "bullet":
            paragraph = document.add_paragraph(style="List Bullet")
        else:
            if item.kind in ("question", "answer"):
                document.add_paragraph().add_run(_label(item)).bold = True
            paragraph = document.add_paragraph()
        for segment in item.segments:
            if isinstance(segment, int):
                run = paragraph.add_run()
                run.style = None
                r_pr = run._r.get_or_add_rPr()
                style = OxmlElement("w:rStyle")
                style.set(qn("w:val"), "FootnoteReference")
                r_pr.append(style)
                reference = OxmlElement("w:footnoteReference")
                reference.set(qn("w:id"), str(segment + 1))
                run._r.append(reference)
            else:
                paragraph.add_run(segment)
    for role, initials, surname in letter.signers:
        document.add_paragraph(role)
        document.add_paragraph(f"{initials} {surname}")
    if letter.notes:
        part = Part(
            PackURI("/word/footnotes.xml"),
            FOOTNOTES_CT,
            _footnotes_xml(letter.notes),
            document.part.package,
        )
        document.part.relate_to(part, RT.FOOTNOTES)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


# --- PDF (reportlab) ---------------------------------------------------------------------------

PAGE_W, PAGE_H = 595.0, 842.0
LEFT, RIGHT, BOTTOM, TOP = 72.0, 523.0, 70.0, 760.0
BODY_SIZE, LEADING, GAP = 11.0, 14.0, 8.0
NOTE_SIZE, NOTE_LEADING = 8.0, 10.0


def note_lines(number: int, text: str) -> list[str]:
    """A footnote as printed at the foot of the page: its number and text, filled greedily to
    the text width; a page reserves room for the lines of the notes it cites."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = [""]
    for word in f"{number} {text}".split(" "):
        candidate = f"{lines[-1]} {word}".strip()
        if stringWidth(candidate, "Helvetica", NOTE_SIZE) > RIGHT - LEFT:
            lines.append(word)
        else:
            lines[-1] = candidate
    return lines


def render_pdf(letter: Letter) -> bytes:
    """A typeset Kamerstuk: running head from page 2, a footer on every page, footnotes at the
    bottom of the page that cites them, raised note markers."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=True)
    space = stringWidth(" ", "Helvetica", BODY_SIZE)
    bold = set(letter.header[2:6])
    blocks: list[tuple[str, str, list[Segment]]] = []
    for line in letter.header:
        blocks.append(("line", "Helvetica-Bold" if line in bold else "Helvetica", [line]))
    for item in letter.body:
        if item.kind in ("question", "answer"):
            blocks.append(("line", "Helvetica-Bold", [_label(item)]))
        font = "Helvetica-Bold" if item.kind == "heading" else "Helvetica"
        blocks.append((item.kind, font, item.segments))
    for role, initials, surname in letter.signers:
        blocks += [("sign", "Helvetica", [role]), ("sign", "Helvetica", [f"{initials} {surname}"])]

    def lines_of(number: int) -> list[str]:
        return note_lines(number, letter.notes[number])

    state = {"page": 1, "y": TOP - 150, "notes": []}

    def finish_page() -> None:
        notes = state["notes"]
        y = BOTTOM + sum(len(lines_of(n)) for n in notes) * NOTE_LEADING
        if notes:
            canvas.line(LEFT, y + 6, LEFT + 100, y + 6)
        canvas.setFont("Helvetica", NOTE_SIZE)
        for number in notes:
            for line in lines_of(number):
                canvas.drawString(LEFT, y - NOTE_LEADING + 2, line)
                y -= NOTE_LEADING
        canvas.setFont("Helvetica", 7)
        canvas.drawString(LEFT, 40, f"{letter.doc_id} ISSN 0921 - 7371 \u2019s-Gravenhage")
        if state["page"] > 1:
            canvas.setFont("Helvetica", 8)
            canvas.drawString(LEFT, 805, letter.running_head)
            canvas.drawRightString(RIGHT, 805, str(state["page"]))
        canvas.showPage()
        state["page"] += 1
        state["y"] = TOP
        state["notes"] = []

    for kind, font, segments in blocks:
        # a word is a list of runs: (text, note number or 0); markers glue to their word
        words: list[list[tuple[str, int]]] = []
        glue = False
        for segment in segments:
            if isinstance(segment, int):
                words[-1].append((str(segment), segment))
                glue = True
                continue
            for index, piece in enumerate(segment.split(" ")):
                if piece and glue and index == 0 and words:
                    words[-1].append((piece, 0))
                elif piece:
                    words.append([(piece, 0)])
                glue = False
            glue = not segment.endswith(" ")

        def width_of(word: list[tuple[str, int]], font: str = font) -> float:
            return sum(
                stringWidth(t, "Helvetica", 7) if m else stringWidth(t, font, BODY_SIZE)
                for t, m in word
            )

        indent = 14.0 if kind == "bullet" else 0.0
        lines: list[list[list[tuple[str, int]]]] = [[]]
        used = indent
        for word in words:
            width = width_of(word) + (space if lines[-1] else 0.0)
            if used + width > RIGHT - LEFT and lines[-1]:
                lines.append([])
                used = indent
                width -= space
            lines[-1].append(word)
            used += width
        for index, line in enumerate(lines):
            markers = [m for word in line for _, m in word if m]
            reserve = sum(len(lines_of(n)) for n in state["notes"] + markers) * NOTE_LEADING
            if state["y"] - LEADING < BOTTOM + reserve + 10:
                finish_page()
            state["notes"] += markers
            state["y"] -= LEADING
            x = LEFT + indent
            if kind == "bullet" and index == 0:
                canvas.setFont("Helvetica", BODY_SIZE)
                canvas.drawString(LEFT, state["y"], "\u2013")
            for word in line:
                for text, marker in word:
                    if marker:
                        canvas.setFont("Helvetica", 7)
                        canvas.drawString(x, state["y"] + 4, text)
                        x += stringWidth(text, "Helvetica", 7)
                    else:
                        canvas.setFont(font, BODY_SIZE)
                        canvas.drawString(x, state["y"], text)
                        x += stringWidth(text, font, BODY_SIZE)
                x += space
        state["y"] -= 0 if kind == "sign" else GAP
    finish_page()
    canvas.save()
    return buffer.getvalue()


# --- corpus ------------------------------------------------------------------------------------

RENDERERS = {
    "xml": render_koop_xml,
    "html": render_html,
    "docx": render_docx,
    "txt": render_text,
    "md": render_markdown,
    "pdf": render_pdf,
}


def format_of(index: int, seed: int, pdf_share: float = 0.0) -> str:
    """The source format of letter `index`: drawn with the mix's shares, per letter, so adding
    letters never changes the format of earlier ones."""
    rng = random.Random(f"{seed}-format-{index}")
    if rng.random() < pdf_share:
        return "pdf"
    return rng.choices(list(MIX), weights=list(MIX.values()))[0]


def letter_bytes(index: int, fmt: str, seed: int) -> tuple[str, bytes, Letter]:
    """The file name and bytes of letter `index` in format `fmt`, and its content."""
    letter = make_letter(random.Random(f"{seed}-{index}"), index)
    return f"{letter.stem}.{fmt}", RENDERERS[fmt](letter), letter


REVISED = " Deze alinea is in de herziene versie aangevuld."
"""Added to a revised letter's first paragraph: the same document, corrected, as a ministry
reissues it."""


def revised_letter_bytes(index: int, fmt: str, seed: int) -> tuple[str, bytes, Letter]:
    """Letter `index` reissued with its first paragraph extended: same file name and letter id,
    other bytes; what a changed letter is to an incremental refresh."""
    letter = make_letter(random.Random(f"{seed}-{index}"), index)
    next(item for item in letter.body if item.kind == "paragraph").segments.append(REVISED)
    return f"{letter.stem}.{fmt}", RENDERERS[fmt](letter), letter


def generate(
    folder: Path, n: int, seed: int = 8, pdf_share: float = 0.0, start: int = 0
) -> list[Path]:
    """Write letters `start` .. `start + n - 1` of the seeded corpus into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + n):
        name, data, _ = letter_bytes(index, format_of(index, seed, pdf_share), seed)
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--pdf-share", type=float, default=0.0)
    args = parser.parse_args(argv)
    paths = generate(args.out, args.n, args.seed, args.pdf_share)
    print(f"wrote {len(paths)} letters to {args.out}")


if __name__ == "__main__":
    main()
