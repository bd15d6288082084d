"""Normalized names: one person, one spelling, whatever titles and initials the print uses."""

from __future__ import annotations

import pytest

from pipelines.extract import extract_letter
from pipelines.extract.people import normalized_name
from pipelines.formats import parse_bytes
from tests.conftest import SEED_WORD


@pytest.mark.parametrize(
    ("printed", "normalized"),
    [
        ("drs. K.H. Ollongren", "K.H. Ollongren"),
        ("J. G. de Vries", "J.G. de Vries"),
        ("M. H. Schultz van Haegen-Maas Geesteranus", "M.H. Schultz van Haegen-Maas Geesteranus"),
        ("A.Th.B. Bijleveld-Schouten", "A.Th.B. Bijleveld-Schouten"),
        ("Hanke Bruins Slot", "H. Bruins Slot"),
        ("Martin Bosma", "M. Bosma"),
        ("Inge van Dijk", "I. van Dijk"),
        ("Dilan Yeşilgöz-Zegerius", "D. Yeşilgöz-Zegerius"),
        ("IJsbrand Visser", "IJ. Visser"),
        ("mr. drs. A.B. Jansen MSc", "A.B. Jansen"),
        ("prof. dr. ir. J.A. Smit", "J.A. Smit"),
        ("E.D. Wiebes, MBA", "E.D. Wiebes"),
        ("Bromet", "Bromet"),
        ("De Best", "De Best"),
        ("Snijder-Hazelhoff", "Snijder-Hazelhoff"),
        ("", None),
        (None, None),
    ],
)
def test_normalized_names(printed: str | None, normalized: str | None) -> None:
    assert normalized_name(printed) == normalized


def test_the_seed_signatories_are_normalized() -> None:
    parsed = extract_letter(parse_bytes(SEED_WORD.read_bytes(), SEED_WORD.name))
    assert [(s["name"], s["name_normalized"]) for s in parsed.signatories] == [
        ("Hanke Bruins Slot", "H. Bruins Slot"),
        ("drs. K.H. Ollongren", "K.H. Ollongren"),
    ]
