"""The per-letter row check judges every constraint one letter's rows can break, keys too."""

from __future__ import annotations

import copy

from pipelines.extract import extract_letter
from pipelines.formats import parse_file
from pipelines.tables.lettercheck import row_problems
from tests.conftest import SEED_PDF


def _seed():
    return extract_letter(parse_file(SEED_PDF, SEED_PDF.name))


def test_the_seed_breaks_no_constraint() -> None:
    assert row_problems(_seed()) == []


def test_a_repeated_primary_key_within_a_letter_is_named() -> None:
    letter = _seed()
    letter.paragraphs.append(copy.deepcopy(letter.paragraphs[2]))
    assert row_problems(letter) == [
        "paragraphs: primary key (letter_id, paragraph_no) ('kst-33783-46', 3) repeats"
    ]


def test_a_row_of_another_letter_is_named() -> None:
    letter = _seed()
    letter.footnotes[0]["letter_id"] = "kst-33783-47"
    assert row_problems(letter) == ["footnotes: letter_id ('kst-33783-47',) is not in letters"]


def test_length_constraints_are_judged_per_letter_too(tmp_path, monkeypatch) -> None:
    """Lengths were once checked only on whole tables: a letter breaking one held back all."""
    import json
    import shutil

    from pipelines.tables.schemas import schemas_dir

    strict = tmp_path / "schemas"
    shutil.copytree(schemas_dir(), strict)
    letters = json.loads((strict / "letters.schema.json").read_text())
    for field in letters["fields"]:
        if field["name"] == "letter_id":
            field["constraints"]["maxLength"] = 10
    (strict / "letters.schema.json").write_text(json.dumps(letters))
    monkeypatch.setenv("KAMERBRIEVEN_SCHEMAS", str(strict))
    assert row_problems(_seed()) == ["letters.letter_id: 'kst-33783-46' longer than 10 characters"]
