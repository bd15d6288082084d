"""A ministry letter answering written questions, rendered as Word, PDF, HTML, text and Markdown.

Where `sample_letter` is the published Kamerstuk layout, this is the original letter as a
ministry sends it: a letterhead table (`Datum`, `Betreft`, `Ons kenmerk`), `Geachte voorzitter,`,
questions with their answers, `Hoogachtend,` and two signers side by side. KOOP XML does not carry
this layout, so it has five renderings. The content is invented for the test.
"""

from __future__ import annotations

import html
import io

from tests.formats.sample_letter import (
    NUMBERING_XML,
    STYLES_XML,
    Segment,
    _w_paragraph,
    _w_run,
    _w_segments,
    _width,
    _words,
    _wrap,
    build_docx,
    footnotes_part,
)

LETTERHEAD = [
    ("Datum", "12 maart 2024"),
    ("Betreft", "Beantwoording Kamervragen over de uitvoering van de Woo"),
    ("Ons kenmerk", "2024-0000123456"),
]
SALUTATION = "Geachte voorzitter,"
CLOSING = "Hoogachtend,"
SIGNERS = [
    ("De minister van Financi\u00ebn,", "E. Heinen"),
    ("De staatssecretaris van Financi\u00ebn,", "M.L.A. van Rij"),
]
NOTES = {
    1: "Aanhangsel Handelingen II 2023/24, nr. 1012.",
    2: "Zie ook Kamerstuk 32 802, nr. 73.",
}
BODY: list[list[Segment]] = [
    [
        "Hierbij zend ik u, mede namens de staatssecretaris van Financi\u00ebn, de antwoorden op "
        "de vragen van het lid Jansen over de uitvoering van de Woo (ingezonden 20 februari "
        "2024, kenmerk 2024Z02345).",
        1,
    ],
    ["Vraag 1"],
    ["Kent u het bericht \u2018Woo-verzoeken blijven maanden liggen\u2019?"],
    ["Antwoord 1"],
    ["Ja."],
    ["Vraag 2"],
    ["Hoeveel verzoeken waren er eind 2023 nog niet afgehandeld?"],
    ["Antwoord 2"],
    [
        "Eind 2023 waren 1.234 verzoeken nog niet afgehandeld. Over de oorzaken heb ik uw Kamer "
        "eerder ge\u00efnformeerd",
        2,
        ".",
    ],
]


def _plain(segments: list[Segment]) -> str:
    return "".join(s for s in segments if isinstance(s, str))


def render_text() -> bytes:
    """Apache POI output of the Word file: table cells split by tabs, notes after the paragraph."""
    lines = [f"{label}\t{value}" for label, value in LETTERHEAD] + [SALUTATION]
    for segments in BODY:
        body = "".join(f"[footnoteRef:{s}]" if isinstance(s, int) else s for s in segments)
        notes = "".join(f" [{s}: {NOTES[s]}]" for s in segments if isinstance(s, int))
        lines.append(body + notes)
    lines.append(CLOSING)
    lines.append("\t".join(role for role, _ in SIGNERS))
    lines.append("\t".join(name for _, name in SIGNERS))
    return "\n\n".join(lines).encode("utf-8")


def render_markdown() -> bytes:
    """pandoc-style Markdown: `[^N]` markers and definitions, bold letterhead labels."""
    lines = [f"**{label}** {value}" for label, value in LETTERHEAD] + [SALUTATION]
    for segments in BODY:
        lines.append("".join(f"[^{s}]" if isinstance(s, int) else s for s in segments))
    lines.append(CLOSING)
    lines.append("    ".join(role for role, _ in SIGNERS))
    lines.append("    ".join(name for _, name in SIGNERS))
    lines += [f"[^{n}]: {text}" for n, text in NOTES.items()]
    return ("\n\n".join(lines) + "\n").encode("utf-8")


def render_html() -> bytes:
    """mammoth-style HTML of the Word file: tables, `sup > a` markers, an `ol` of notes."""

    def cells(row: tuple[str, str]) -> str:
        return "".join(f"<td><p>{html.escape(cell)}</p></td>" for cell in row)

    parts = ["<table>", *(f"<tr>{cells(row)}</tr>" for row in LETTERHEAD), "</table>"]
    parts.append(f"<p>{SALUTATION}</p>")
    for segments in BODY:
        content = "".join(
            f'<sup><a href="#footnote-{s}" id="footnote-ref-{s}">[{s}]</a></sup>'
            if isinstance(s, int)
            else html.escape(s)
            for s in segments
        )
        parts.append(f"<p>{content}</p>")
    parts.append(f"<p>{CLOSING}</p><table>")
    parts.append(f"<tr>{cells(tuple(role for role, _ in SIGNERS))}</tr>")
    parts.append(f"<tr>{cells(tuple(name for _, name in SIGNERS))}</tr></table><ol>")
    parts += [
        f'<li id="footnote-{n}"><p> {html.escape(t)} <a href="#footnote-ref-{n}">\u2191</a>'
        "</p></li>"
        for n, t in NOTES.items()
    ]
    parts.append("</ol>")
    return "".join(parts).encode("utf-8")


def _w_table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        "<w:tr>" + "".join(f"<w:tc>{_w_paragraph(_w_run(cell))}</w:tc>" for cell in row) + "</w:tr>"
        for row in rows
    )
    return f"<w:tbl>{cells}</w:tbl>"


def render_docx() -> bytes:
    """The Word original: letterhead and signatures in tables, Word's footnote ids from 1."""
    body = [_w_table(LETTERHEAD), _w_paragraph(_w_run(SALUTATION))]
    body += [_w_paragraph(_w_segments(segments)) for segments in BODY]
    body.append(_w_paragraph(_w_run(CLOSING)))
    body.append(_w_table([tuple(r for r, _ in SIGNERS), tuple(n for _, n in SIGNERS)]))
    parts = {
        "word/footnotes.xml": footnotes_part({n + 1: text for n, text in NOTES.items()}),
        "word/styles.xml": STYLES_XML,
        "word/numbering.xml": NUMBERING_XML,
    }
    return build_docx("".join(body), parts)


def render_pdf() -> bytes:
    """The PDF the ministry sends: letterhead labels in a column, signers side by side."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(595, 842), invariant=True)
    y = 760.0
    for label, value in LETTERHEAD:
        canvas.setFont("Helvetica", 11)
        canvas.drawString(72, y, label)
        canvas.drawString(170, y, value)
        y -= 14
    for segments in [[SALUTATION], *BODY, [CLOSING]]:
        y -= 8
        for line in _wrap(_words(segments, "Helvetica"), 451):
            y -= 14
            x = 72.0
            for word in line:
                for text, font, size, rise in word:
                    canvas.setFont(font, size)
                    canvas.drawString(x, y + rise, text)
                    x += _width([(text, font, size, rise)])
                x += _width([(" ", "Helvetica", 11, 0.0)])
    y -= 36
    for row in ([role for role, _ in SIGNERS], [name for _, name in SIGNERS]):
        for column, text in enumerate(row):
            canvas.setFont("Helvetica", 11)
            canvas.drawString(72 + 250 * column, y, text)
        y -= 14
    note_y = 90.0
    for number, text in NOTES.items():
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, note_y, f"{number} {text}")
        note_y -= 10
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
