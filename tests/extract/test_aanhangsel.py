"""Answers to Kamervragen as the Aanhangsel van de Handelingen prints them: the identifier
`ah-tk-<vergaderjaar digits>-<number>`, the vergaderjaar on the title line, the date the answer
was received, and every footnote, also those on the first page above KOOP's colophon."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from pipelines.extract import extract_letter
from pipelines.formats import parse_bytes

NATIVE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "native"

# Read off the portal's PDFs (../shared/samples/native/unlabeled, one Aanhangsel each): the number
# under the title and in the footer, the `(ontvangen ...)` date, and the notes printed.
PORTAL_PDFS = [
    ("00fe7edd-24c8-4857-98da-774ed3b06836", "ah-tk-20232024-1314", date(2024, 3, 25), 2),
    ("01b2bcad-7296-43bb-bc44-e727fc69b23f", "ah-tk-20232024-2129", date(2024, 6, 28), 5),
    ("1a2d8959-7ce1-411d-bffe-c78970ae8d6b", "ah-tk-20232024-2210", date(2024, 7, 23), 2),
    ("1aa9bd01-68a1-4a4a-a808-5b0183bc217a", "ah-tk-20232024-1076", date(2024, 2, 20), 3),
    ("1b26915f-b542-4707-8495-b5c21f0edfe1", "ah-tk-20232024-1771", date(2024, 5, 17), 8),
    ("1b2d2126-a21e-4c3e-9b18-42206b4cc791", "ah-tk-20232024-2367", date(2024, 8, 29), 4),
    ("1b38043f-a835-4a63-a808-e6b1dc9bbc0a", "ah-tk-20232024-1292", date(2024, 3, 21), 1),
    ("1b62ee8d-e406-4042-b7f5-7e235f7bd1c0", "ah-tk-20232024-1432", date(2024, 4, 5), 3),
    ("1b650dd7-71d6-4b8f-8625-36c000046742", "ah-tk-20232024-1481", date(2024, 4, 11), 3),
    ("1b922783-f576-4df5-a031-ad0063d2afd4", "ah-tk-20232024-2395", date(2024, 8, 30), 2),
    ("1bb0809b-f36a-48b7-9ef9-a96ed52c5b6d", "ah-tk-20232024-1949", date(2024, 6, 11), 1),
    ("1bca1484-2edb-43d1-913f-de5022c9a02b", "ah-tk-20232024-2313", date(2024, 8, 22), 4),
    ("1bd47dc8-229e-4a1a-a808-5b33a1d4ca8d", "ah-tk-20232024-1893", date(2024, 6, 3), 1),
    ("1c0f765c-d7b4-455e-a241-35a4e9a9dc36", "ah-tk-20232024-1178", date(2024, 3, 7), 15),
    ("1c7587f8-1c7c-4912-9319-290e19c99d85", "ah-tk-20232024-1980", date(2024, 6, 13), 7),
    ("1cf0c343-2da4-429d-8a6d-729da6008af1", "ah-tk-20232024-2168", date(2024, 7, 17), 1),
]


def _portal_pdf(stem: str) -> Path:
    matches = sorted((NATIVE / "unlabeled").glob(f"{stem[:8]}*.pdf"))
    if not matches:
        pytest.skip("../shared/samples/native is absent")
    return matches[0]


@pytest.mark.parametrize(("stem", "letter_id", "received", "notes"), PORTAL_PDFS,
                         ids=[row[1] for row in PORTAL_PDFS])  # fmt: skip
def test_portal_aanhangsel(stem: str, letter_id: str, received: date, notes: int) -> None:
    path = _portal_pdf(stem)
    letter = extract_letter(parse_bytes(path.read_bytes(), path.name))
    row = letter.letter
    assert (row["letter_id"], row["date"], row["parliamentary_year"], row["house"]) == (
        letter_id, received, "2023-2024", "Tweede Kamer",
    )  # fmt: skip
    assert row["doc_type"] == "antwoord op schriftelijke vragen"
    assert [note["footnote_no"] for note in letter.footnotes] == list(range(1, notes + 1))
    assert letter.signatories == [], "an Aanhangsel prints no signature block"


def _aanhangsel_pdf(year: str, number: int, minister: str, received: str, notes: int) -> bytes:
    """An Aanhangsel typeset as KOOP does: title and number, the questions' and answer's lines,
    notes at the bottom of the first page, and under them the publication's id, ISSN and the
    colophon in body type."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(595, 842), invariant=True)
    y = 790
    for text, size in [
        ("Tweede Kamer der Staten-Generaal", 11),
        (f"Vergaderjaar {year} Aanhangsel van de Handelingen", 11),
        (
            "Vragen gesteld door de leden der Kamer, met de daarop door de regering gegeven "
            "antwoorden",
            9,
        ),  # fmt: skip
        (str(number), 14),
        ("Vragen van het lid Jansen (D66) aan de Minister over het bericht (ingezonden 2 mei).", 9),
        (f"Antwoord van {minister} (ontvangen {received}).", 9),
        ("Vraag 1", 9),
        ("Bent u bekend met het bericht over de subsidies?", 9),
        ("Antwoord 1", 9),
        ("Ja, dat bericht ken ik.", 9),
    ]:
        canvas.setFont("Helvetica", size)
        canvas.drawString(120, y, text)
        y -= 24
    canvas.setFont("Helvetica", 6)
    for note in range(1, notes + 1):
        canvas.drawString(120, 150 - 10 * note, f"{note} Zie de toelichting bij bericht {note}.")
    compact = year.replace("–", "")
    canvas.drawString(40, 60, f"ah-tk-{compact}-{number}")
    canvas.drawString(40, 52, "ISSN 0921 - 7398")
    canvas.setFont("Helvetica", 9)
    canvas.drawString(
        40, 40, f"’s-Gravenhage {year[-4:]}   Tweede Kamer, vergaderjaar {year}, Aanhangsel"
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("year", "number", "minister", "received", "notes", "expected_date"),
    [
        ("2021–2022", 87, "Minister Hoekstra (Buitenlandse Zaken)", "3 november 2021", 1,
         date(2021, 11, 3)),
        ("2023–2024", 2650, "Staatssecretaris Van Rij (Financiën)", "21 mei 2024", 3,
         date(2024, 5, 21)),
        ("2019–2020", 3999, "Minister Van Engelshoven (Onderwijs, Cultuur en Wetenschap)",
         "30 september 2020", 2, date(2020, 9, 30)),
    ],
)  # fmt: skip
def test_generated_aanhangsel(
    year: str, number: int, minister: str, received: str, notes: int, expected_date: date
) -> None:
    data = _aanhangsel_pdf(year, number, minister, received, notes)
    letter = extract_letter(parse_bytes(data, "aanhangsel.pdf"))
    compact = year.replace("–", "")
    assert letter.letter["letter_id"] == f"ah-tk-{compact}-{number}"
    assert letter.letter["date"] == expected_date
    assert letter.letter["parliamentary_year"] == year.replace("–", "-")
    assert [note["footnote_no"] for note in letter.footnotes] == list(range(1, notes + 1))
    assert "s-Gravenhage" not in letter.letter["text"]


def test_a_number_line_makes_no_identifier_outside_an_aanhangsel() -> None:
    text = "Den Haag, 1 mei 2024\n\n1314\n\nGeachte voorzitter,\n\nEen brief met een getal.\n"
    letter = extract_letter(parse_bytes(text.encode(), "brief.txt"))
    assert letter.letter["letter_id"].startswith("doc-")
