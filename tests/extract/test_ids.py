"""Letter ids come from what identifies the letter in its source, never from the parsed text."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date
from pathlib import Path

import pytest

from pipelines.extract import extract_letter
from pipelines.extract.ids import kenmerk_id
from pipelines.formats import parse_bytes
from pipelines.model import Block, Document
from tests.conftest import SEED_PDF, SEED_WORD

SHARED = Path(__file__).resolve().parents[3] / "shared" / "samples"
WORD = SHARED / "native" / "files" / "jenv-20231018-kv-bijtincidenten.docx"
WEB = SHARED / "letters" / "nieuwsbank-1497550.txt"
needs_samples = pytest.mark.skipif(not WORD.is_file(), reason="../shared/samples is absent")


def _with_page_furniture(document: Document) -> Document:
    """The document as a parser that missed page furniture reads it: a running page number and
    the repeated letterhead date in the middle of the body."""
    middle = len(document.blocks) // 2
    furniture = [Block(text="Pagina 2 van 3"), Block(text="Datum 18 oktober 2023")]
    blocks = document.blocks[:middle] + furniture + document.blocks[middle:]
    return dataclasses.replace(document, blocks=blocks)


@needs_samples
def test_a_kenmerk_letter_keeps_its_id_when_page_furniture_is_cleaned_up() -> None:
    document = parse_bytes(WORD.read_bytes(), WORD.name)
    clean, dirty = extract_letter(document), extract_letter(_with_page_furniture(document))
    assert clean.letter["text"] != dirty.letter["text"], "the furniture reached the text"
    assert clean.letter["kenmerk"] == "4980892"
    assert (
        clean.letter["letter_id"]
        == dirty.letter["letter_id"]
        == kenmerk_id("4980892", date(2023, 10, 18))
    )


def test_a_letter_without_kenmerk_keeps_its_id_when_page_furniture_is_cleaned_up() -> None:
    data = SEED_WORD.read_bytes()
    document = parse_bytes(data, SEED_WORD.name)
    clean, dirty = extract_letter(document), extract_letter(_with_page_furniture(document))
    assert clean.letter["text"] != dirty.letter["text"]
    assert clean.letter["kenmerk"] is None
    expected = "doc-" + hashlib.sha256(data).hexdigest()[:16]
    assert clean.letter["letter_id"] == dirty.letter["letter_id"] == expected


@needs_samples
def test_the_same_kenmerk_letter_in_other_bytes_keeps_its_id() -> None:
    data = WEB.read_bytes()
    windows = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    assert windows != data
    first = extract_letter(parse_bytes(data, "a.txt")).letter
    second = extract_letter(parse_bytes(windows, "b.txt")).letter
    assert first["source_sha256"] != second["source_sha256"]
    assert first["kenmerk"] == second["kenmerk"] == "DEU-33/99"
    assert first["letter_id"] == second["letter_id"] == kenmerk_id("DEU-33/99", date(1999, 1, 27))


def test_kenmerk_ids_ignore_spacing_and_case_and_tell_dates_apart() -> None:
    assert kenmerk_id("DEU-33/99", date(1999, 1, 27)) == kenmerk_id(
        " deu-33/99 ", date(1999, 1, 27)
    )
    assert kenmerk_id("2024-0000123456", date(2024, 5, 1)) != kenmerk_id(
        "2024-0000123456", date(2024, 5, 2)
    )
    assert kenmerk_id("4980892", None) != kenmerk_id("4980892", date(2023, 10, 18))
    assert kenmerk_id("4980892", None).startswith("doc-") and len(kenmerk_id("4980892", None)) == 20


def test_a_printed_kamerstuk_number_comes_before_anything_else() -> None:
    letter = extract_letter(parse_bytes(SEED_PDF.read_bytes(), SEED_PDF.name)).letter
    assert letter["letter_id"] == "kst-33783-46"
