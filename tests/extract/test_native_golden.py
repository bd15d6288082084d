"""Every gold value of ../shared/samples/native, compared by the evaluator's rules: real Word,
PDF, KOOP XML and ODT files as ministries and the portal send them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from pipelines.extract import ParsedLetter, extract_letter
from pipelines.extract.evaluate import FIELDS, RULES, read_gold
from pipelines.formats import parse_file

NATIVE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "native"
GOLD = read_gold(NATIVE / "gold.jsonl") if NATIVE.is_dir() else []

KNOWN_GAPS: dict[tuple[str, str], str] = {}
"""Gold values we do not reach yet; the tests fail once we do, so this list stays true."""


@cache
def _parsed(name: str) -> ParsedLetter:
    path = NATIVE / "files" / name
    return extract_letter(parse_file(path, path.name))


CASES = [
    pytest.param(
        row["file"],
        name,
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[(row["file"], name)])]
        if (row["file"], name) in KNOWN_GAPS
        else [],
        id=f"{row['file']}-{name}",
    )
    for row in GOLD
    for name in FIELDS
    if RULES[name].gold(row) is not None
]


@pytest.mark.skipif(not GOLD, reason="../shared/samples/native is absent")
@pytest.mark.parametrize(("file", "field"), CASES)
def test_native_file_matches_gold(file: str, field: str) -> None:
    row = next(row for row in GOLD if row["file"] == file)
    rule = RULES[field]
    assert rule.ours(_parsed(file)) == rule.gold(row)


@pytest.mark.skipif(not GOLD, reason="../shared/samples/native is absent")
def test_questions_answered_together_in_the_ministry_letters() -> None:
    """`Antwoord op vragen 3 en 4` and `Antwoord op vraag 3 en 8` as the letters print them;
    answers printed without their label (questions 5 and 6) are answers, not question text."""
    sammy = _parsed("jenv-20231107-kv-sammy-baker.docx").questions
    assert [q["answer_group"] for q in sammy] == [1, 2, 3, 3, 5, 6]
    assert sammy[3]["answer"] == sammy[2]["answer"]
    assert sammy[3]["answer"].startswith("Ik ben bekend met het Handelingskader")
    assert sammy[4]["question"].endswith("waarom bent u niet bereid tot een dergelijk onderzoek?")
    assert sammy[4]["answer"].startswith("Er wordt middels het Handelingskader")
    wolvega = _parsed("jenv-20240725-kv-wolvega.docx").questions
    assert [q["answer_group"] for q in wolvega] == [1, 2, 3, 4, 5, 6, 7, 3]
    assert wolvega[7]["answer"] == wolvega[2]["answer"]
