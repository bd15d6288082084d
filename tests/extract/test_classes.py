"""doc_class: every letter in one of the Tweede Kamer's document classes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.extract import extract_letter
from pipelines.extract.classes import DOC_CLASSES, doc_class
from pipelines.formats import parse_bytes
from pipelines.tables.schemas import table_schema
from tests.conftest import SEED_WORD

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"


def test_the_schema_enum_is_the_list_of_classes() -> None:
    [field] = [f for f in table_schema("letters")["fields"] if f["name"] == "doc_class"]
    assert field["constraints"]["enum"] == list(DOC_CLASSES)


def test_the_classes_are_tweede_kamer_document_soorten() -> None:
    """Each class but Overig is a value of Document.Soort in the sourced reference."""
    reference = SAMPLES.parent / "reference" / "tk-opendata" / "README.md"
    if not reference.is_file():
        pytest.skip("../shared/reference is absent")
    text = " ".join(reference.read_text(encoding="utf-8").split())
    letters = [c for c in DOC_CLASSES if c.startswith(("Brief", "Antwoord", "Mededeling"))]
    assert [c for c in letters if f"`{c}`" not in text] == []


@pytest.mark.parametrize(
    ("doc_type", "kwargs", "expected"),
    [
        ("brief van de minister", {}, "Brief regering"),
        ("brief van de staatssecretaris", {}, "Brief regering"),
        ("brief van de minister-president", {}, "Brief regering"),
        ("departementale brief", {}, "Brief regering"),
        ("departementale brief", {"answers_members": True}, "Antwoord schriftelijke vragen"),
        ("brief van de minister", {"subject": "Uitstel beantwoording Kamervragen"},
         "Mededeling (uitstel antwoord)"),
        ("antwoord op schriftelijke vragen", {}, "Antwoord schriftelijke vragen"),
        ("motie van de leden inge van dijk en grinwis", {}, "Motie"),
        ("gewijzigde motie van het lid x", {}, "Motie (gewijzigd/nader)"),
        ("verslag van een schriftelijk overleg", {}, "Verslag van een schriftelijk overleg"),
        ("lijst van vragen en antwoorden", {}, "Lijst van vragen en antwoorden"),
        ("brief van de voorzitter van de tweede kamer", {}, "Brief Voorzitter"),
        ("brief van de informateurs", {}, "Brief informateur"),
        ("brief van de vaste commissie voor financien", {}, "Brief commissie"),
        (None, {"government": True}, "Brief regering"),
        (None, {}, "Overig"),
        ("brief van de minister", {"portal_kind": "Brief commissie"}, "Brief commissie"),
        ("brief van de minister", {"portal_kind": "Stenogram"}, "Brief regering"),
    ],
)  # fmt: skip
def test_classes_from_print_and_portal(doc_type: str | None, kwargs: dict, expected: str) -> None:
    args = {"government": False, "answers_members": False, "subject": None} | kwargs
    assert doc_class(doc_type, args.pop("portal_kind", None), **args) == expected


def test_an_untyped_letter_signed_by_two_ministers_is_a_government_letter() -> None:
    parsed = extract_letter(parse_bytes(SEED_WORD.read_bytes(), SEED_WORD.name))
    assert (parsed.letter["doc_type"], parsed.letter["doc_class"]) == (None, "Brief regering")


def test_classes_of_the_real_samples_match_their_gold_kind() -> None:
    """The native gold records each file's kind; its classes follow from it."""
    gold = SAMPLES / "native" / "gold.jsonl"
    if not gold.is_file():
        pytest.skip("../shared/samples/native is absent")
    found = {}
    for line in gold.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        path = SAMPLES / "native" / "files" / record["file"]
        found[record["file"]] = extract_letter(parse_bytes(path.read_bytes(), path.name)).letter[
            "doc_class"
        ]
    assert found == {
        "ah-tk-20232024-1786.pdf": "Antwoord schriftelijke vragen",
        "jenv-20231018-kv-bijtincidenten.docx": "Antwoord schriftelijke vragen",
        "jenv-20231107-kv-sammy-baker.docx": "Antwoord schriftelijke vragen",
        "jenv-20240725-kv-wolvega.docx": "Antwoord schriftelijke vragen",
        "kst-29338-289-vso.pdf": "Verslag van een schriftelijk overleg",
        "kst-32545-143.odt": "Motie",
        "kst-32545-143.pdf": "Motie",
        "kst-32545-143.xml": "Motie",
        "tk-motie-36278-32.docx": "Motie",
    }
