"""Recognize a raw file's format from its content, not its name.

Files in `raw/` are named by whoever dropped them there: a `.txt` can hold Markdown converted from
a PDF, and a download can lose its extension. Magic bytes settle binary formats; for text the
root element or Markdown syntax decides.
"""

from __future__ import annotations

import re

from pipelines.formats.markdown import MARKDOWN_SIGNS
from pipelines.model import SourceFormat

_XML_ROOT = re.compile(rb"<(?!\?|!)([A-Za-z_][\w.:-]*)")
_KOOP_ROOTS = {b"officiele-publicatie", b"kamerwrk", b"metadata_gegevens", b"owms-metadata"}


def detect_format(data: bytes) -> SourceFormat | None:
    """Return the source format of `data`, or None when it is no format we know.

    Binary data that is not a known container returns None so the caller can report it instead
    of parsing noise as text.
    """
    if data.startswith(b"PK\x03\x04"):
        return "docx" if b"word/document.xml" in data else None
    if data.startswith(b"%PDF-"):
        return "pdf"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        lowered = head.lower()
        if lowered.startswith(b"<!doctype html") or b"<html" in lowered:
            return "html"
        root = _XML_ROOT.search(head)
        if root and root.group(1) in _KOOP_ROOTS:
            return "koop_xml"
    if b"\x00" in data[:4096]:
        return None
    sample = data[:65536].decode("utf-8", errors="replace")
    return "markdown" if len(MARKDOWN_SIGNS.findall(sample)) >= 2 else "text"
