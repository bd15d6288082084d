"""The quality report: comparison rules, scoring of gold nulls, and the `evaluate` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.extract.evaluate import evaluate_directory, gold_reference_id, normalize_value

LETTER = """\
33 529 Gaswinning

Nr. 521 BRIEF VAN DE MINISTER VAN ECONOMISCHE ZAKEN EN KLIMAAT

Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 17 augustus 2018

Hierbij stuur ik uw Kamer de rapportage (Kamerstuk 33 529, nr. 502).

De Minister van Economische Zaken en Klimaat,

E.D. Wiebes
"""


def _gold(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": "letter",
        "doc_type": "brief van de minister (een toelichting)",
        "dossier_number": "33 529",
        "dossier_number_normalized": "33529",
        "dossier_title": "Gaswinning.",
        "document_number": "521",
        "vergaderjaar": None,
        "date": "2018-08-17",
        "addressee": "Aan de  VOORZITTER van de Tweede Kamer der Staten\u2013Generaal",
        "sender": "BRIEF VAN DE MINISTER VAN ECONOMISCHE ZAKEN EN KLIMAAT",
        "signatories": [
            {"role": "De Minister van Economische Zaken en Klimaat,", "name": "E.D. Wiebes"}
        ],
        "references": ["Kamerstuk 33 529, nr. 502"],
        "footnote_count": None,
    }
    row.update(overrides)
    return row


@pytest.fixture
def sample(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "letter.txt").write_text(LETTER, encoding="utf-8")
    return tmp_path / "gold.jsonl", folder


def _write(gold_path: Path, *rows: dict[str, object]) -> None:
    gold_path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")


def test_normalize_value_follows_the_readme_rules() -> None:
    assert normalize_value("  Jeugdzorg 2003\u20132006. ") == "jeugdzorg 2003-2006"
    assert normalize_value(None) is None


@pytest.mark.parametrize(
    ("printed", "target"),
    [
        ("Kamerstuk 33 529, nr. 502", "kst-33529-502"),
        ("Kamerstukken II 2001/02 28 000 VI nr. 46", "kst-28000-VI-46"),
        ("Kamerstuk 35510-115", "kst-35510-115"),
        ("Kamerstuk 21501-32-1740", "kst-21501-32-1740"),
        ("29 435, nr. 256", "kst-29435-256"),
        ("Kamerstuk 30 306/30 307, letter D", "kst-30306-D"),
        ("Kamerstuk 34 919", "kst-34919"),
        ("kamerstuk 24 095 nr. 99", "kst-24095-99"),
    ],
)
def test_gold_citations_normalize_to_target_ids(printed: str, target: str) -> None:
    assert gold_reference_id(printed) == target


def test_every_field_right_on_a_clean_letter(sample: tuple[Path, Path]) -> None:
    gold_path, folder = sample
    _write(gold_path, _gold())
    evaluation = evaluate_directory(gold_path, folder)
    assert evaluation.mismatches == []
    assert evaluation.scored["vergaderjaar"] == 0, "gold nulls are not scored"
    assert evaluation.accuracy("addressee") == 1.0
    assert evaluation.overall() == 1.0


def test_mismatch_and_missing_file_are_reported(sample: tuple[Path, Path]) -> None:
    gold_path, folder = sample
    _write(gold_path, _gold(document_number="522"), _gold(id="absent"))
    evaluation = evaluate_directory(gold_path, folder)
    assert [(m.field, m.expected, m.got) for m in evaluation.mismatches] == [
        ("document_number", "522", "521")
    ]
    assert "absent" in evaluation.failures


def test_cli_prints_accuracy_and_mismatches(
    sample: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    gold_path, folder = sample
    _write(gold_path, _gold(date="2018-08-18"))
    assert main(["evaluate", str(gold_path), str(folder)]) == 0
    out = capsys.readouterr().out
    assert "date" in out and "0%" in out
    assert "letter date: expected '2018-08-18', got '2018-08-17'" in out


def test_cli_json_report(sample: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    gold_path, folder = sample
    _write(gold_path, _gold())
    assert main(["evaluate", str(gold_path), str(folder), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["fields"]["signatories"] == {"scored": 1, "correct": 1, "accuracy": 1.0}
    assert report["mismatches"] == []
