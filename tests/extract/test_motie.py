"""A motie: its `Voorgesteld` date, and its submitters, whose names follow the closing formula
(`en gaat over tot de orde van de dag.`) without roles; in every format it comes in."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document as WordDocument

from pipelines.extract import extract_letter
from pipelines.formats import parse_bytes

NATIVE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "native" / "files"


def _motie_text(dossier: str, number: int, heading: str, proposed: str, names: list[str]) -> str:
    return (
        "\n\n".join(
            [
                "Tweede Kamer der Staten-Generaal",
                "Vergaderjaar 2022–2023",
                f"{dossier} Wet op de zorgverzekering",
                f"Nr. {number} {heading}",
                f"Voorgesteld {proposed}",
                "De Kamer,",
                "gehoord de beraadslaging,",
                "overwegende dat de wachtlijsten in de zorg al jaren toenemen;",
                "verzoekt de regering, de wachtlijsten elk kwartaal aan de Kamer te melden,",
                "en gaat over tot de orde van de dag.",
                *names,
            ]
        )
        + "\n"
    )


@pytest.mark.parametrize(
    ("dossier", "number", "heading", "proposed", "names", "expected_date"),
    [
        ("36 200 XVI", 87, "MOTIE VAN HET LID BIKKER", "14 november 2022", ["Bikker"],
         date(2022, 11, 14)),
        ("29 689", 1201, "MOTIE VAN DE LEDEN VAN DEN BERG EN DIJKSTRA", "2 februari 2023",
         ["Van den Berg", "Dijkstra"], date(2023, 2, 2)),
        ("31 765", 12, "MOTIE VAN DE LEDEN AGEMA, PAULUSMA EN DE KORT", "30 juni 2023",
         ["Agema", "Paulusma", "De Kort"], date(2023, 6, 30)),
        ("32 545", 143, "MOTIE VAN DE LEDEN INGE VAN DIJK EN GRINWIS", "6 juli 2021",
         ["Inge van Dijk", "Grinwis-Jansen"], date(2021, 7, 6)),
    ],
)  # fmt: skip
def test_generated_motie(
    dossier: str, number: int, heading: str, proposed: str, names: list[str], expected_date: date
) -> None:
    text = _motie_text(dossier, number, heading, proposed, names)
    letter = extract_letter(parse_bytes(text.encode(), "motie.txt"))
    assert letter.letter["date"] == expected_date
    assert [(row["name"], row["role"]) for row in letter.signatories] == [
        (name, None) for name in names
    ]
    assert letter.letter["text"].endswith("en gaat over tot de orde van de dag."), (
        "the names are the signature, not the motie's text"
    )


def test_a_sentence_after_the_formula_is_no_signature() -> None:
    text = _motie_text("36 200", 1, "MOTIE VAN HET LID BIKKER", "1 mei 2023",
                       ["Dit is een zin die na de motie volgt."])  # fmt: skip
    letter = extract_letter(parse_bytes(text.encode(), "motie.txt"))
    assert letter.signatories == []


def test_a_motie_set_in_one_table_cell_keeps_its_paragraphs() -> None:
    """The portal's Word moties hold the whole text in a table: a header row of two cells, then
    one cell with every paragraph. Those stay paragraphs, not lines of one block."""
    word = WordDocument()
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "36 278"
    table.cell(0, 1).text = "Wet kwaliteitsregistraties zorg"
    body = table.cell(1, 0).merge(table.cell(1, 1))
    body.text = "Nr. 32 MOTIE VAN HET LID RIKKERS-OOSTERKAMP"
    for text in ("Voorgesteld 24 april 2025", "De Kamer,", "gehoord de beraadslaging,",
                 "verzoekt de regering om de lasten jaarlijks in beeld te brengen,",
                 "en gaat over tot de orde van de dag.", "Rikkers-Oosterkamp"):  # fmt: skip
        body.add_paragraph(text)
    buffer = io.BytesIO()
    word.save(buffer)
    document = parse_bytes(buffer.getvalue(), "motie.docx")
    assert [block.text for block in document.blocks][-3:] == [
        "verzoekt de regering om de lasten jaarlijks in beeld te brengen,",
        "en gaat over tot de orde van de dag.",
        "Rikkers-Oosterkamp",
    ]
    letter = extract_letter(document)
    assert letter.letter["date"] == date(2025, 4, 24)
    assert [row["name"] for row in letter.signatories] == ["Rikkers-Oosterkamp"]


@pytest.mark.parametrize(
    ("name", "proposed", "names"),
    [
        ("kst-32545-143.xml", date(2021, 7, 6), ["Inge van Dijk", "Grinwis"]),
        ("kst-32545-143.pdf", date(2021, 7, 6), ["Inge van Dijk", "Grinwis"]),
        ("tk-motie-36278-32.docx", date(2025, 4, 24), ["Rikkers-Oosterkamp"]),
    ],
)
def test_real_motie(name: str, proposed: date, names: list[str]) -> None:
    path = NATIVE / name
    if not path.is_file():
        pytest.skip("../shared/samples/native is absent")
    letter = extract_letter(parse_bytes(path.read_bytes(), path.name))
    assert letter.letter["date"] == proposed
    assert [row["name"] for row in letter.signatories] == names


@pytest.mark.parametrize(
    ("heading", "number", "replaced"),
    [
        ("GEWIJZIGDE MOTIE VAN HET LID BIKKER TER VERVANGING VAN DIE GEDRUKT ONDER NR. {old}",
         145, 87),
        ("GEWIJZIGDE MOTIE VAN DE LEDEN AGEMA EN PAULUSMA\\n\\nTer vervanging van die gedrukt "
         "onder nr. {old}", 1302, 1201),
    ],
)  # fmt: skip
def test_what_a_changed_motie_replaces_is_not_its_number_or_type(
    heading: str, number: int, replaced: int
) -> None:
    printed = heading.format(old=replaced).replace("\\n", "\n")
    text = _motie_text("36 200 XVI", number, printed, "14 november 2022", ["Bikker"])
    row = extract_letter(parse_bytes(text.encode(), "motie.txt")).letter
    assert (row["letter_id"], row["document_number"]) == (f"kst-36200-XVI-{number}", str(number))
    assert row["doc_type"].startswith("gewijzigde motie van ")
    assert "vervanging" not in row["doc_type"]
    assert row["date"] == date(2022, 11, 14)
    assert row["text"].startswith("De Kamer,")
