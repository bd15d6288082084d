"""One parser per source format, all producing `pipelines.model.Document`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from pipelines.formats.detect import detect_format
from pipelines.formats.markdown import parse_markdown
from pipelines.formats.text import parse_text
from pipelines.model import Document, ParseError

Parser = Callable[[bytes, str, str], Document]

PARSERS: dict[str, Parser] = {
    "text": parse_text,
    "markdown": parse_markdown,
}


def parse_bytes(data: bytes, path: str) -> Document:
    """Detect the format of `data` and parse it; raise ParseError naming `path` and the reason."""
    if not data.strip():
        raise ParseError(f"{path}: file is empty")
    fmt = detect_format(data)
    if fmt is None:
        raise ParseError(f"{path}: not a letter format we can read (binary or unknown content)")
    parser = PARSERS.get(fmt)
    if parser is None:
        raise ParseError(f"{path}: detected format '{fmt}' has no parser yet")
    return parser(data, path, hashlib.sha256(data).hexdigest())


def parse_file(path: Path, display_path: str | None = None) -> Document:
    """Read and parse one raw file; `display_path` is the provenance path recorded in the data."""
    return parse_bytes(path.read_bytes(), display_path or str(path))
