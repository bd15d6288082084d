"""The same letter in every format gives the same rows, provenance aside (issue 3).

Two letters: the published Kamerstuk kst-33783-46 in all six formats, and a ministry letter
answering written questions in the five formats it comes in (no KOOP XML of that layout).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from pipelines.extract import extract_letter
from pipelines.formats import parse_bytes
from tests.formats import sample_answers, sample_letter

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


ANSWER_RENDERERS: dict[str, Callable[[], bytes]] = {
    "docx": sample_answers.render_docx,
    "pdf": sample_answers.render_pdf,
    "html": sample_answers.render_html,
    "text": sample_answers.render_text,
    "markdown": sample_answers.render_markdown,
}


@pytest.fixture(scope="module")
def answer_rows() -> dict[str, dict[str, Any]]:
    out = {}
    for fmt, render in ANSWER_RENDERERS.items():
        detected, rows = normalized_rows(render(), f"antwoorden-{fmt}")
        assert detected == fmt
        out[fmt] = rows
    return out


def test_ministry_letter_reads_as_the_letter(answer_rows: dict[str, dict]) -> None:
    """The Word original: letterhead table, questions and answers, two signers side by side."""
    rows = answer_rows["docx"]
    assert rows["letter"]["date"] == "2024-03-12"
    assert rows["letter"]["subject"] == "Beantwoording Kamervragen over de uitvoering van de Woo"
    assert (rows["letter"]["salutation"], rows["letter"]["closing"]) == (
        "Geachte voorzitter,",
        "Hoogachtend,",
    )
    assert [(q["question_no"], q["answer"][:12]) for q in rows["questions"]] == [
        (1, "Ja."),
        (2, "Eind 2023 wa"),
    ]
    assert [(s["role"], s["name"]) for s in rows["signatories"]] == [
        ("De minister van Financi\u00ebn", "E. Heinen"),
        ("De staatssecretaris van Financi\u00ebn", "M.L.A. van Rij"),
    ]
    assert [(n["footnote_no"], n["text"][:10]) for n in rows["footnotes"]] == [
        (1, "Aanhangsel"),
        (2, "Zie ook Ka"),
    ]
    assert {"2024Z02345", "kst-32802-73"} <= {r["target_id"] for r in rows["references"]}


@pytest.mark.parametrize("fmt", [f for f in ANSWER_RENDERERS if f != "docx"])
@pytest.mark.parametrize(
    "table", ["letter", "paragraphs", "footnotes", "questions", "references", "signatories"]
)
def test_ministry_letter_gives_the_same_rows_in_every_format(
    answer_rows: dict[str, dict], fmt: str, table: str
) -> None:
    assert answer_rows[fmt][table] == answer_rows["docx"][table]
