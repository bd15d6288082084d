"""Format detection by content, and the reasons given for files we cannot read."""

from __future__ import annotations

import codecs
import io
import random
import zipfile

import pytest

from pipelines.formats import parse_bytes
from pipelines.formats.detect import _shows_markdown_signs, describe_unknown, detect_format
from pipelines.formats.docx import parse_docx
from pipelines.formats.markdown import MARKDOWN_SIGNS
from pipelines.model import ParseError
from tests.formats import sample_letter


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (sample_letter.render_docx(), "docx"),
        (sample_letter.render_pdf(), "pdf"),
        (sample_letter.render_koop_xml(), "koop_xml"),
        (b'<?xml version="1.0"?>\n<kamerwrk kamer="2"/>', "koop_xml"),
        (sample_letter.render_html(), "html"),
        (b'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC "x"><html/>', "html"),
        (b"\xef\xbb\xbf<table><tr><td>Datum</td></tr></table>", "html"),
        (sample_letter.render_markdown(), "markdown"),
        (sample_letter.render_text(), "text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", None),
        (b'<?xml version="1.0"?><svg/>', None),
    ],
)
def test_detect_format_from_content(data: bytes, expected: str | None) -> None:
    assert detect_format(data) == expected


def _zip(names: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"  \n", "file is empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "old binary Word"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "PNG image"),
        (_zip({"mimetype": "application/vnd.oasis.opendocument.text"}), "OpenDocument"),
        (_zip({"xl/workbook.xml": "<workbook/>"}), "without word/document.xml"),
        (b"PK\x03\x04" + bytes(40), "damaged zip"),
        (b'<?xml version="1.0"?><svg/>', "root <svg>"),
        (b"%PDF-1.4\ntrailer garbage", "pdf"),
    ],
)
def test_unreadable_files_are_reported_with_name_and_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_bytes(data, "raw/brief.bin")
    message = str(caught.value)
    assert message.startswith("raw/brief.bin: ")
    assert reason in message


UNICODE_FILES = {
    "utf-16-le": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "utf-32-le": lambda text: codecs.BOM_UTF32_LE + text.encode("utf-32-le"),
    "utf-32-be": lambda text: codecs.BOM_UTF32_BE + text.encode("utf-32-be"),
}
"""How Windows tools write UTF-16 and UTF-32: with a byte order mark."""


@pytest.mark.parametrize("encoding", sorted(UNICODE_FILES))
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (sample_letter.render_text().decode("cp1252"), "text"),
        (sample_letter.render_markdown().decode("utf-8-sig"), "markdown"),
        (sample_letter.render_html().decode("utf-8"), "html"),
        (sample_letter.render_koop_xml().decode("utf-8-sig"), "koop_xml"),
        ('<?xml version="1.0"?><svg/>', None),
    ],
)
def test_utf16_and_utf32_with_a_bom_are_detected_as_what_they_hold(
    text: str, expected: str | None, encoding: str
) -> None:
    """Their NUL bytes do not make them binary: detection reads the text they encode."""
    assert detect_format(UNICODE_FILES[encoding](text)) == expected


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize(
    "bom",
    [
        b"",
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE,
        codecs.BOM_UTF32_LE,
        codecs.BOM_UTF32_BE,
    ],
)
def test_random_bytes_are_no_text_even_behind_a_bom(bom: bytes, seed: int) -> None:
    assert detect_format(bom + random.Random(seed).randbytes(4096)) is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            codecs.BOM_UTF16_LE + "Den Haag".encode("utf-16-le") + b"\x00\xd8x\x00",
            "text marked as utf-16-le by its byte order mark is not utf-16-le (illegal UTF-16 "
            "surrogate)",
        ),
        (
            codecs.BOM_UTF32_BE + b"\x00\x11\x00\x00",
            "text marked as utf-32-be by its byte order mark is not utf-32-be (code point not "
            "in range(0x110000))",
        ),
        (
            codecs.BOM_UTF16_LE + "Den Haag\x00\x00".encode("utf-16-le"),
            "not a letter format we can read (binary or unknown content)",
        ),
        (
            UNICODE_FILES["utf-16-be"]('<?xml version="1.0"?><svg/>'),
            "an XML file with root <svg>, no letter format",
        ),
    ],
)
def test_unreadable_utf16_and_utf32_files_are_reported(data: bytes, reason: str) -> None:
    assert detect_format(data) is None
    assert describe_unknown(data) == reason
    with pytest.raises(ParseError, match="^brief.txt: "):
        parse_bytes(data, "brief.txt")


@pytest.mark.parametrize("encoding", sorted(UNICODE_FILES))
def test_entity_declarations_are_refused_in_utf16_and_utf32_too(encoding: str) -> None:
    xml = (
        '<?xml version="1.0"?><!DOCTYPE kamerstuk [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<kamerstuk>&x;</kamerstuk>"
    )
    with pytest.raises(ParseError, match="^x.xml: koop_xml that declares entities"):
        parse_bytes(UNICODE_FILES[encoding](xml), "x.xml")


def test_text_encodings_are_reported() -> None:
    assert parse_bytes(sample_letter.render_text(), "a.txt").encoding == "cp1252"
    assert parse_bytes(sample_letter.render_markdown(), "a.md").encoding == "utf-8-sig"
    assert parse_bytes("Geachte voorzitter, caf\u00e9.".encode(), "b.txt").encoding == "utf-8"
    letter = UNICODE_FILES["utf-16-be"]("Geachte voorzitter, caf\u00e9.")
    assert parse_bytes(letter, "c.txt").encoding == "utf-16-be"


@pytest.mark.parametrize(
    "sample",
    [
        "",
        "Geachte voorzitter,\n\nIk schrijf u.",
        "# Kop\n\nTekst",
        "# Kop\n## Tweede kop\n",
        "   ### Kop\n**vet** tekst",
        "**vet** en **nog eens**",
        "noot<sup>1</sup> en [^2] en [link](https://example.org)",
        "een [link](www.example.org) en #hashtag en * sterren *",
        "#geen kop\n**half",
    ],
)
def test_markdown_signs_counted_as_a_full_search_counts_them(sample: str) -> None:
    expected = len(MARKDOWN_SIGNS.findall(sample)) >= 2
    assert _shows_markdown_signs(sample) is expected


def test_archive_opened_by_detection_is_handed_over_only_for_the_same_bytes() -> None:
    """The docx parser reuses the zip that detection opened, never one of other bytes."""
    first = sample_letter.build_docx(sample_letter._w_paragraph(sample_letter._w_run("Eerste")))
    second = sample_letter.build_docx(sample_letter._w_paragraph(sample_letter._w_run("Tweede")))
    assert detect_format(first) == "docx"
    assert [b.text for b in parse_docx(second, "b.docx", "0").blocks] == ["Tweede"]
    assert detect_format(first) == "docx"
    assert [b.text for b in parse_docx(first, "a.docx", "0").blocks] == ["Eerste"]
    assert [b.text for b in parse_docx(first, "a.docx", "0").blocks] == ["Eerste"]
