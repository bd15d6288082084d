"""Text as people save it (issue 15): any Unicode encoding with a BOM, Windows-1252 without one,
page breaks and manual line breaks in header lines.

The formats whose bytes the project decodes itself (plain text, and Markdown and HTML through the
same decoding) must read a letter the same in every encoding, and say which encoding it was.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from benchmarks import corpus
from benchmarks.corpus import Item, Letter
from pipelines.extract import ParsedLetter
from pipelines.ingest.run import parse_one

ACCENTED = Letter(
    stem="accenten",
    dossier="35 925",
    number=12,
    year_label="2019\u20132020",
    dossier_title="Financi\u00eble verantwoording",
    title="BRIEF VAN DE MINISTER VAN FINANCI\u00cbN",
    date=(2020, 7, 6),
    body=[
        Item(
            "paragraph",
            [
                "Het caf\u00e9 in \u2019s-Hertogenbosch rekent \u20ac 12,50 per co\u00f6peratie; "
                "dat is \u00e9\u00e9n idee",
                1,
                ".",
            ],
        ),
        Item(
            "paragraph",
            [
                "De reactie van de Raad van State volgt v\u00f3\u00f3r 1 september 2020 "
                "(Kamerstuk 35 925, nr. 3)."
            ],
        ),
    ],
    notes={1: "Zie de Financi\u00eble verantwoording 2019."},
    signers=[("De Minister van Financi\u00ebn,", "W.B.", "Hoekstra")],
    kind="letter",
)
"""A letter whose `ë`, `é`, `ö`, `’` and `€` are other bytes in every encoding tested."""

BODY = (
    "Het caf\u00e9 in \u2019s-Hertogenbosch rekent \u20ac 12,50 per co\u00f6peratie; dat is "
    "\u00e9\u00e9n idee.\n\n"
    "De reactie van de Raad van State volgt v\u00f3\u00f3r 1 september 2020 (Kamerstuk 35 925, "
    "nr. 3)."
)
RENDERERS: dict[str, Callable[[Letter], bytes]] = {
    "text": corpus.render_text,
    "markdown": corpus.render_markdown,
    "html": corpus.render_html,
}
ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-sig": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "utf-32-le": lambda text: codecs.BOM_UTF32_LE + text.encode("utf-32-le"),
    "utf-32-be": lambda text: codecs.BOM_UTF32_BE + text.encode("utf-32-be"),
    "cp1252": lambda text: text.encode("cp1252"),
}
"""Each encoding as the name recorded in `source_encoding`, and how a file is written in it."""
PROVENANCE = {"source_encoding", "source_sha256"}


def rendered(fmt: str) -> str:
    """The letter as its renderer writes it, decoded back to text."""
    data = RENDERERS[fmt](ACCENTED)
    return data.decode("cp1252" if fmt == "text" else "utf-8")


def accepted(data: bytes, name: str) -> ParsedLetter:
    """What ingest makes of the file: a letter, not a rejection."""
    outcome = parse_one(data, name)
    assert isinstance(outcome, ParsedLetter), outcome
    return outcome


def rows_without_provenance(letter: ParsedLetter) -> dict[str, Any]:
    """Every table's rows, without what tells the files apart: their bytes and encoding."""
    record = letter.to_json()
    record["letter"] = {k: v for k, v in record["letter"].items() if k not in PROVENANCE}
    return record


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_the_utf8_reference_reads_as_the_letter(fmt: str) -> None:
    """Pin the rows once, so that equality below is equality to the right answer."""
    letter = accepted(rendered(fmt).encode("utf-8"), f"brief.{fmt}")
    row = letter.letter
    assert (row["letter_id"], row["date"], row["place"]) == (
        "kst-35925-12",
        date(2020, 7, 6),
        "Den Haag",
    )
    assert row["dossier_title"] == "Financi\u00eble verantwoording"
    assert row["sender"] == "Minister van Financi\u00ebn"
    assert row["text"] == BODY
    assert [n["text"] for n in letter.footnotes] == ["Zie de Financi\u00eble verantwoording 2019."]
    assert [(s["role"], s["name"]) for s in letter.signatories] == [
        ("De Minister van Financi\u00ebn", "W.B. Hoekstra")
    ]
    assert (row["source_format"], row["source_encoding"]) == (fmt, "utf-8")


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_every_encoding_gives_the_rows_of_the_utf8_file(fmt: str, encoding: str) -> None:
    text = rendered(fmt)
    reference = accepted(text.encode("utf-8"), f"brief.{fmt}")
    letter = accepted(ENCODINGS[encoding](text), f"brief.{fmt}")
    assert letter.letter["source_encoding"] == encoding
    assert letter.letter["source_format"] == fmt
    assert letter.letter["text"] == BODY
    assert rows_without_provenance(letter) == rows_without_provenance(reference)


def test_bytes_windows_1252_leaves_undefined_are_read_as_spaces() -> None:
    """0x81, 0x8D, 0x8F, 0x90 and 0x9D have no character in Windows-1252: Latin-1 reads them as
    C1 controls, which text reads as spaces."""
    data = corpus.render_text(ACCENTED).replace(b"rekent ", b"rekent \x81\x8d\x8f\x90\x9d", 1)
    letter = accepted(data, "brief.txt")
    assert letter.letter["source_encoding"] == "cp1252"
    assert letter.letter["text"] == BODY


@pytest.mark.parametrize(
    "date_line",
    [
        "Den Haag,\f6 juli 2020",
        "Den Haag,\v6 juli 2020",
        "Den Haag, 6\fjuli\v2020",
        "\fDen Haag, 6 juli 2020",
        "Den Haag, 6 juli 2020\f",
        "\vDen Haag,\f\f6 juli 2020\v",
        "Den Haag,\x856 juli\u20282020\u2029",
    ],
)
@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_page_and_line_breaks_in_the_date_line_keep_date_and_place(
    fmt: str, date_line: str
) -> None:
    """`pdftotext` writes a form feed where a page ends, Word text a vertical tab for a manual
    line break: in the line `Den Haag, 6 juli 2020` these, NEL and the Unicode line and paragraph
    separators are spaces."""
    text = rendered(fmt)
    assert text.count("Den Haag, 6 juli 2020") == 1
    reference = accepted(text.encode("utf-8"), f"brief.{fmt}")
    letter = accepted(
        text.replace("Den Haag, 6 juli 2020", date_line).encode("utf-8"), f"brief.{fmt}"
    )
    assert (letter.letter["date"], letter.letter["place"]) == (date(2020, 7, 6), "Den Haag")
    assert rows_without_provenance(letter) == rows_without_provenance(reference)


def test_form_feeds_between_pages_of_pdftotext_output() -> None:
    """A form feed starts each page after the first, glued to its first line, or stands on a
    line of its own."""
    text = rendered("text")
    paged = (
        text.replace("\r\n\r\nDen Haag,", "\r\n\r\n\fDen Haag,")
        .replace("\r\n\r\nDe reactie", "\r\n\f\r\nDe reactie")
        .replace("\r\n\r\nDe Minister", "\r\n\r\n\f\r\n\r\nDe Minister")
    )
    assert paged.count("\f") == 3
    reference = accepted(text.encode("utf-8"), "brief.txt")
    letter = accepted(paged.encode("utf-8"), "brief.txt")
    assert (letter.letter["date"], letter.letter["place"]) == (date(2020, 7, 6), "Den Haag")
    assert letter.letter["text"] == BODY
    assert rows_without_provenance(letter) == rows_without_provenance(reference)
