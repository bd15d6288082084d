"""The same letter in six formats gives the same rows, provenance aside (issue 3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from pipelines.extract import extract_letter
from pipelines.formats import parse_bytes
from tests.formats import sample_letter

PROVENANCE = {"source_path", "source_format", "source_encoding", "source_sha256"}
RENDERERS: dict[str, Callable[[], bytes]] = {
    "markdown": sample_letter.render_markdown,
    "text": sample_letter.render_text,
    "koop_xml": sample_letter.render_koop_xml,
    "html": sample_letter.render_html,
    "docx": sample_letter.render_docx,
    "pdf": sample_letter.render_pdf,
}


def normalized_rows(data: bytes, name: str) -> tuple[str, dict[str, Any]]:
    """The detected format and every table's rows, with the provenance fields left out."""
    document = parse_bytes(data, name)
    record = extract_letter(document).to_json()
    record["letter"] = {k: v for k, v in record["letter"].items() if k not in PROVENANCE}
    return document.source_format, record


@pytest.fixture(scope="module")
def rows_by_format() -> dict[str, dict[str, Any]]:
    out = {}
    for fmt, render in RENDERERS.items():
        detected, rows = normalized_rows(render(), f"letter-without-extension-{fmt}")
        assert detected == fmt
        out[fmt] = rows
    return out


def test_reference_rendering_reads_as_the_letter(rows_by_format: dict[str, dict]) -> None:
    """Pin the expected rows once, so equality below is equality to the right answer."""
    rows = rows_by_format["markdown"]
    letter = rows["letter"]
    assert letter["letter_id"] == "kst-33783-46"
    assert letter["house"] == "Tweede Kamer"
    assert letter["parliamentary_year"] == "2019-2020"
    assert letter["date"] == date(2020, 7, 6).isoformat()
    assert letter["doc_type"] == "brief van de minister"
    assert letter["sender"] == "Minister van Buitenlandse Zaken"
    assert letter["dossier_title"] == "Nucleaire ontwapening en non-proliferatie"
    kinds = [p["kind"] for p in rows["paragraphs"]]
    assert kinds.count("heading") == 1 and kinds.count("list_item") == 2
    assert "risicobeperking" in rows["paragraphs"][2]["text"]
    assert [(n["footnote_no"], n["paragraph_no"]) for n in rows["footnotes"]] == [(1, 1), (2, 2)]
    assert [(s["role"], s["name"]) for s in rows["signatories"]] == [
        ("De Minister van Buitenlandse Zaken", "S.A. Blok")
    ]
    targets = [r["target_id"] for r in rows["references"]]
    assert targets[:3] == ["kst-33783-41", "kst-33694-20", "kst-33694-49"]
    assert "kst-33783-35" in targets


@pytest.mark.parametrize("fmt", [f for f in RENDERERS if f != "markdown"])
@pytest.mark.parametrize(
    "table", ["letter", "paragraphs", "footnotes", "questions", "references", "signatories"]
)
def test_every_format_gives_the_same_rows(
    rows_by_format: dict[str, dict], fmt: str, table: str
) -> None:
    assert rows_by_format[fmt][table] == rows_by_format["markdown"][table]


@pytest.mark.parametrize("top", [300.0, 450.0, 560.0, 610.0, 710.0, 770.0])
def test_pdf_rows_do_not_depend_on_where_pages_break(
    rows_by_format: dict[str, dict], top: float
) -> None:
    """Page breaks fall in other places (inside a paragraph, inside a hyphenated word)."""
    _, rows = normalized_rows(sample_letter.render_pdf(top), "letter.pdf")
    assert rows == rows_by_format["markdown"]
