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
