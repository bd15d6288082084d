"""Recognize a raw file's format from its content, not its name.

Files in `raw/` are named by whoever dropped them there: a `.txt` can hold Markdown converted from
a PDF, and a download can lose its extension. Magic bytes settle binary formats; for text the
root element or Markdown syntax decides, read through a UTF-16 or UTF-32 byte order mark.
"""

from __future__ import annotations

import codecs
import io
import itertools
import re
import threading
import zipfile

from pipelines.formats.common import not_as_marked, unicode_bom
from pipelines.formats.markdown import MARKDOWN_SIGN_LITERALS, MARKDOWN_SIGNS
from pipelines.model import ParseError, SourceFormat

_XML_ROOT = re.compile(rb"<(?!\?|!)([A-Za-z_][\w.:-]*)")
_KOOP_ROOTS = {
    b"officiele-publicatie",
    b"kamerwrk",
    b"kamerstuk",
    b"metadata_gegevens",
    b"owms-metadata",
}
_HTML_ROOTS = {
    b"html", b"head", b"body", b"article", b"main", b"section", b"div", b"table", b"p", b"h1",
    b"h2", b"ul", b"ol",
}  # fmt: skip
HEAD_BYTES = 65536
"""How much of a file detection reads."""
_MAGIC = {
    b"\xd0\xcf\x11\xe0": "an old binary Word or Office file (.doc/.xls, OLE2); save it as .docx",
    b"{\\rtf": "an RTF file, which is not read; save it as .docx",
    b"\x89PNG": "a PNG image, not a letter text",
    b"\xff\xd8\xff": "a JPEG image, not a letter text",
    b"GIF8": "a GIF image, not a letter text",
    b"\x1f\x8b": "a gzip archive; unpack it first",
}


_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
"""The first entry of an OpenDocument Text zip, stored uncompressed as the standard asks."""

_OPENED = threading.local()
"""The zip archive this thread's detection last opened, with the bytes it was opened from."""


def _zip_names(data: bytes) -> list[str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return []
    _OPENED.archive = (data, archive)
    return archive.namelist()


def opened_zip(data: bytes) -> zipfile.ZipFile:
    """`data` as a zip archive: the one detection just opened from these bytes, else a new one.

    Reading a .docx's central directory was a twentieth of its parse, done twice; the archive
    is handed over once, and only for the very bytes object it was opened from.
    """
    kept = getattr(_OPENED, "archive", None)
    _OPENED.archive = None
    if kept is not None and kept[0] is data:
        return kept[1]
    return zipfile.ZipFile(io.BytesIO(data))


def open_archive(data: bytes, path: str, kind: str) -> zipfile.ZipFile:
    """`data` as a zip archive (see `opened_zip`), or a ParseError naming `path` and `kind`."""
    try:
        return opened_zip(data)
    except zipfile.BadZipFile as exc:
        raise ParseError(f"{path}: broken {kind} (not a readable zip archive: {exc})") from exc


def detect_format(data: bytes) -> SourceFormat | None:
    """Return the source format of `data`, or None when it is no format we know.

    Binary data that is not a known container returns None so the caller can report it instead
    of parsing noise as text; `describe_unknown` says what it is.
    """
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if "word/document.xml" in names:
            return "docx"
        return "odt" if "mimetype" in names and _ODT_MIMETYPE in data[:200] else None
    if data.startswith(b"%PDF-"):
        return "pdf"
    if any(data.startswith(magic) for magic in _MAGIC):
        return None
    try:
        start = utf8_head(data)
    except UnicodeDecodeError:
        return None
    head = start[:4096].lstrip(b" \t\r\n")
    if head.startswith(b"<"):
        lowered = head.lower()
        if lowered.startswith(b"<!doctype html") or b"<html" in lowered:
            return "html"
        root = _XML_ROOT.search(head)
        if root and root.group(1) in _KOOP_ROOTS:
            return "koop_xml"
        if root and root.group(1).lower() in _HTML_ROOTS:
            return "html"
        if root and head.startswith(b"<?xml"):
            return None
    if b"\x00" in head:
        return None
    sample = start.decode("utf-8", errors="replace")
    return "markdown" if _shows_markdown_signs(sample) else "text"


def utf8_head(data: bytes) -> bytes:
    """The first `HEAD_BYTES` of `data` after any byte order mark, recoded to UTF-8 when the mark
    is UTF-16's or UTF-32's.

    Detection reads markup and Markdown signs as ASCII bytes, which UTF-16 and UTF-32 spread out
    with NULs. A character cut in two at the end is no error (the incremental decoder holds it
    back), while binary data behind such a mark seldom decodes: a lone surrogate or a code point
    beyond Unicode raises UnicodeDecodeError, and no format is detected.
    """
    marked = unicode_bom(data)
    if marked is None:
        return data[:HEAD_BYTES]
    bom, codec = marked
    head = data[len(bom) : len(bom) + HEAD_BYTES]
    if codec == "utf-8":
        return head
    return codecs.getincrementaldecoder(codec)().decode(head).encode("utf-8")


def _shows_markdown_signs(sample: str) -> bool:
    """Whether `sample` shows at least two Markdown signs.

    The search stops at the second sign, and runs only when a literal that a sign needs occurs:
    it starts with a line anchor, so the regex engine tries it at every character of the 64 kB.
    """
    if not any(literal in sample for literal in MARKDOWN_SIGN_LITERALS):
        return False
    return next(itertools.islice(MARKDOWN_SIGNS.finditer(sample), 1, None), None) is not None


def describe_unknown(data: bytes) -> str:
    """Why `data` is not a format we read, in words for the ingest report."""
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if not names:
            return "a damaged zip archive (not a readable .docx)"
        if "mimetype" in names and b"opendocument" in data[:200]:
            return "an OpenDocument file other than text (a spreadsheet or slides), not a letter"
        return "a zip archive without word/document.xml, so not a Word .docx"
    for magic, reason in _MAGIC.items():
        if data.startswith(magic):
            return reason
    try:
        head = utf8_head(data)[:4096]
    except UnicodeDecodeError as exc:
        return not_as_marked(exc)
    root = _XML_ROOT.search(head)
    if root and head.lstrip(b" \t\r\n").startswith(b"<?xml"):
        return f"an XML file with root <{root.group(1).decode(errors='replace')}>, no letter format"
    return "not a letter format we can read (binary or unknown content)"
