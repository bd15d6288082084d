"""Who asked the Kamervragen a letter answers, and when they were submitted: read off real
Aanhangsel PDFs and ministry answer letters, and generated openings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipelines.extract import extract_letter
from pipelines.formats import parse_file
from tests.extract.helpers import letter

NATIVE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "native"
needs_native = pytest.mark.skipif(not NATIVE.is_dir(), reason="../shared/samples is absent")

REAL = [
    ("files/ah-tk-20232024-1786.pdf", date(2024, 4, 4),
     [("Hirsch", "GroenLinks-PvdA"), ("Teunissen", "PvdA")]),
    ("files/jenv-20240725-kv-wolvega.docx", None,
     [("Mutluer", "GroenLinks-PvdA"), ("Lahlah", "GroenLinks-PvdA"), ("Boswijk", "CDA"),
      ("Helder", "BBB")]),
    ("files/jenv-20231107-kv-sammy-baker.docx", None,
     [("Mutluer", "PvDA"), ("Ellemeet", "GroenLinks")]),  # as printed
    ("unlabeled/1bca1484-2edb-43d1-913f-de5022c9a02b.pdf", date(2024, 7, 5),
     [("Bushoff", "GroenLinks-PvdA"), ("Patijn", "GroenLinks-PvdA")]),
    ("unlabeled/1bb0809b-f36a-48b7-9ef9-a96ed52c5b6d.pdf", date(2024, 5, 6),
     [("Faber-van de Klashorst", "PVV")]),
    ("unlabeled/1aa9bd01-68a1-4a4a-a808-5b0183bc217a.pdf", date(2023, 11, 20),
     [("Van Haga", "Groep Van Haga")]),
]  # fmt: skip


@needs_native
@pytest.mark.parametrize(("name", "submitted", "askers"), REAL, ids=[r[0] for r in REAL])
def test_askers_of_real_answers(
    name: str, submitted: date | None, askers: list[tuple[str, str]]
) -> None:
    parsed = extract_letter(parse_file(NATIVE / name, Path(name).name))
    assert [(a["name"], a["party"]) for a in parsed.askers] == askers
    assert [a["asker_no"] for a in parsed.askers] == list(range(1, len(askers) + 1))
    assert parsed.letter["questions_submitted"] == submitted


@pytest.mark.parametrize(
    ("opening", "askers"),
    [
        ("Vragen van het lid Van der Lee (GroenLinks-PvdA) aan de Minister van Financiën over "
         "rekeninggluren (ingezonden 28 juni 2024).", [("Van der Lee", "GroenLinks-PvdA")]),
        ("Vragen van de leden Ceder (ChristenUnie), Dobbe (SP) en Klaver (GroenLinks-PvdA) aan "
         "de Minister van Buitenlandse Zaken over Jemen (ingezonden 5 juni 2024).",
         [("Ceder", "ChristenUnie"), ("Dobbe", "SP"), ("Klaver", "GroenLinks-PvdA")]),
        ("Vragen van de leden Omtzigt, Van Dijk en Kuzu (allen NSC) aan de Minister-President "
         "over de uitvoering (ingezonden 5 juni 2024).",
         [("Omtzigt", "NSC"), ("Van Dijk", "NSC"), ("Kuzu", "NSC")]),
    ],
)  # fmt: skip
def test_askers_of_generated_aanhangsel_openings(
    opening: str, askers: list[tuple[str, str]]
) -> None:
    parsed = letter(
        "Tweede Kamer der Staten-Generaal\n\nAanhangsel van de Handelingen\n\nVragen gesteld door "
        f"de leden der Kamer, met de daarop door de regering gegeven antwoorden\n\n{opening}\n\n"
        "Vraag 1\nKent u het bericht?\n\nAntwoord 1\nJa.\n"
    )
    assert [(a["name"], a["party"]) for a in parsed.askers] == askers
    day = 28 if "rekeninggluren" in opening else 5
    assert parsed.letter["questions_submitted"] == date(2024, 6, day)


def test_a_committees_members_are_no_askers() -> None:
    parsed = letter(
        "Geachte voorzitter,\n\nDe vragen van de leden van de VVD-fractie over de begroting "
        "beantwoord ik hieronder.\n"
    )
    assert parsed.askers == [] and parsed.letter["questions_submitted"] is None
