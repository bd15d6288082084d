"""One parser per source format, all producing `pipelines.model.Document`."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

from pipelines.formats.detect import describe_unknown, detect_format, utf8_head
from pipelines.formats.docx import parse_docx
from pipelines.formats.html import parse_html
from pipelines.formats.koop_xml import parse_koop_xml, read_metadata_record
from pipelines.formats.markdown import parse_markdown
from pipelines.formats.odt import parse_odt
from pipelines.formats.pdf import parse_pdf
from pipelines.formats.portal import read_portal_record
from pipelines.formats.text import parse_text
from pipelines.model import Document, ParseError

Parser = Callable[[bytes, str, str], Document]

_DECLARES_ENTITIES = re.compile(rb"<!ENTITY\b|<!DOCTYPE\s+[\w.:-]+\s+SYSTEM\b", re.I)
"""Entity declarations and external DTDs: what XXE and billion-laughs files are made of. Real
KOOP XML has neither; XHTML's public DOCTYPE (`PUBLIC "-//W3C//DTD XHTML..."`) is allowed."""

PARSERS: dict[str, Parser] = {
    "docx": parse_docx,
    "odt": parse_odt,
    "pdf": parse_pdf,
    "koop_xml": parse_koop_xml,
    "html": parse_html,
    "text": parse_text,
    "markdown": parse_markdown,
}


def parse_bytes(data: bytes, path: str, metadata_record: bytes | None = None) -> Document:
    """Detect the format of `data` and parse it; raise ParseError naming `path` and the reason.

    `metadata_record` is the record saved beside the file: KOOP's `metadata.xml` beside
    publication XML, whose facts fill what the XML itself does not state, or the Tweede Kamer
    portal's `.tk.json` beside a harvested letter, kept as `Document.portal`.

    A parser meets files broken in ways no one foresaw (a truncated zip, a PDF with a damaged
    cross-reference table); whatever it raises is reported as a ParseError for that one file so
    a refresh goes on with the others.
    """
    if not data.strip():
        raise ParseError(f"{path}: file is empty")
    fmt = detect_format(data)
    if fmt is None:
        raise ParseError(f"{path}: {describe_unknown(data)}")
    if fmt in ("koop_xml", "html") and _DECLARES_ENTITIES.search(utf8_head(data)):
        raise ParseError(
            f"{path}: {fmt} that declares entities or loads an external DTD (<!ENTITY>, "
            "<!DOCTYPE ... SYSTEM>); refused, since no entity is ever resolved"
        )
    try:
        document = PARSERS[fmt](data, path, hashlib.sha256(data).hexdigest())
    except ParseError:
        raise
    except Exception as exc:
        raise ParseError(f"{path}: broken {fmt} file ({type(exc).__name__}: {exc})") from exc
    if not document.blocks:
        raise ParseError(f"{path}: no text found in this {fmt} file")
    if metadata_record is not None and _is_portal_record(metadata_record):
        document.portal = read_portal_record(metadata_record, f"{path} (portal record)")
    elif metadata_record is not None and fmt == "koop_xml":
        for key, value in read_metadata_record(metadata_record, f"{path} (metadata.xml)").items():
            document.metadata.setdefault(key, value)
    return document


def _is_portal_record(record: bytes) -> bool:
    """A portal record is JSON; KOOP's metadata.xml is XML (after any byte order mark)."""
    return record.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] != b"<"


def metadata_record_for(path: Path) -> Path | None:
    """The record that belongs to `path` when it lies beside it: KOOP's `metadata.xml` of
    publication XML, or the portal's `<DocumentNummer>.tk.json` of a harvested letter.

    KOOP serves `<id>.xml` with `<id>/metadata.xml`; saved they are `kst-33783-46.xml` with
    `kst-33783-46/metadata.xml` or `kst-33783-46.metadata.xml`. A bare `metadata.xml` in a
    folder of several publications could belong to any of them, so it is not taken.
    """
    for candidate in (
        path.with_name(f"{path.stem}.metadata.xml"),
        path.with_name(f"{path.name}.metadata.xml"),
        path.with_name(f"{path.stem}.tk.json"),
        path.parent / path.stem / "metadata.xml",
    ):
        if candidate != path and candidate.is_file():
            return candidate
    return None


def _is(test: Callable[[], bool]) -> bool:
    """A `DirEntry` test that answers False, as `Path.is_file` does, for a symlink loop."""
    try:
        return test()
    except OSError:
        return False


class MetadataRecords:
    """`metadata_record_for` over a whole folder: each directory is listed once, and a file's
    three candidates are looked up in that listing instead of stat-ed one by one, which was most
    of the scan of an unchanged folder.
    """

    def __init__(self) -> None:
        self._listings: dict[str, dict[str, os.DirEntry]] = {}

    def _entries(self, folder: str) -> dict[str, os.DirEntry]:
        if folder not in self._listings:
            try:
                with os.scandir(folder) as entries:
                    self._listings[folder] = {entry.name: entry for entry in entries}
            except OSError:
                self._listings[folder] = {}
        return self._listings[folder]

    def __call__(self, path: Path) -> Path | None:
        """The same answer as `metadata_record_for(path)`."""
        folder, name = os.path.split(str(path))
        entries = self._entries(folder or os.curdir)
        stem = path.stem
        for candidate in (f"{stem}.metadata.xml", f"{name}.metadata.xml", f"{stem}.tk.json"):
            entry = entries.get(candidate)
            if candidate != name and entry is not None and _is(entry.is_file):
                return path.with_name(candidate)
        entry = entries.get(stem)
        if entry is not None and _is(entry.is_dir):
            inner = self._entries(os.path.join(folder or os.curdir, stem)).get("metadata.xml")
            if inner is not None and _is(inner.is_file):
                return path.parent / stem / "metadata.xml"
        return None


def parse_file(path: Path, display_path: str | None = None) -> Document:
    """Read and parse one raw file; `display_path` is the provenance path recorded in the data.

    For KOOP publication XML, the facts of a `metadata.xml` beside it fill what the XML itself
    does not state.
    """
    name = display_path or str(path)
    record = metadata_record_for(path)
    return parse_bytes(path.read_bytes(), name, record.read_bytes() if record else None)
