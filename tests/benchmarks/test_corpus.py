"""The benchmark corpus is deterministic and its letters are parsed as the letters they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.corpus import MIX, REVISED, format_of, generate, letter_bytes, revised_letter_bytes
from pipelines.ingest.run import parse_one


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", 12, seed=3)
    second = generate(tmp_path / "b", 12, seed=3)
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))
    other = generate(tmp_path / "c", 12, seed=4)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in first]


def test_adding_letters_keeps_earlier_ones(tmp_path: Path) -> None:
    small = generate(tmp_path / "small", 5, seed=3)
    extra = generate(tmp_path / "small", 1, seed=3, start=5)
    large = generate(tmp_path / "large", 6, seed=3)
    assert [p.read_bytes() for p in small + extra] == [p.read_bytes() for p in large]


@pytest.mark.parametrize("fmt", [*MIX, "pdf"])
def test_letters_parse_with_their_identity(fmt: str) -> None:
    for index in range(2):
        name, data, letter = letter_bytes(index, fmt, seed=8)
        parsed = parse_one(data, name)
        assert not isinstance(parsed, str), parsed
        row = parsed.letter
        assert row["letter_id"] == letter.doc_id
        assert str(row["date"]) == letter.iso_date
        assert len(parsed.rows("signatories")) == len(letter.signers)
        notes = [(r["footnote_no"], r["text"]) for r in parsed.rows("footnotes")]
        assert notes == list(letter.notes.items())
        questions = sum(1 for item in letter.body if item.kind == "question")
        assert len(parsed.rows("questions")) == questions


def test_mix_has_every_format() -> None:
    formats = {format_of(index, 8) for index in range(200)}
    assert formats == set(MIX)


@pytest.mark.parametrize("fmt", MIX)
def test_a_revised_letter_is_the_same_letter_with_one_paragraph_more(fmt: str) -> None:
    name, data, letter = letter_bytes(3, fmt, seed=8)
    revised_name, revised, _ = revised_letter_bytes(3, fmt, seed=8)
    assert revised_name == name and revised != data
    before, after = parse_one(data, name), parse_one(revised, name)
    assert after.letter["letter_id"] == before.letter["letter_id"] == letter.doc_id
    texts = [row["text"] for row in before.rows("paragraphs")]
    revised_texts = [row["text"] for row in after.rows("paragraphs")]
    changed = [(a, b) for a, b in zip(texts, revised_texts, strict=True) if a != b]
    assert changed == [(changed[0][0], changed[0][0] + REVISED)]
