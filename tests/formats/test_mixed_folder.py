"""A raw folder mixing all six formats publishes one package; a broken file is only reported."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import dagster as dg

from pipelines.defs.runner import run_refresh
from pipelines.ingest.run import ingest
from tests.formats import sample_letter


def _renumbered(data: bytes, number: int) -> bytes:
    """The sample letter as another ondernummer of the dossier, so each file is its own letter."""
    if not data.startswith(b"PK"):
        return re.sub(rb"(?<=Nr\. )46\b|(?<=kst-33783-)46\b|(?<=kamer=\"2\">)46\b",
                      str(number).encode(), data)  # fmt: skip
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            target.writestr(name, _renumbered(source.read(name), number))
    return buffer.getvalue()


def _mixed_raw(raw: Path) -> None:
    """The sample letter as six ondernummers, one per format, and one truncated Word file."""
    raw.mkdir()
    (raw / "brief.pdf").write_bytes(sample_letter.render_pdf())
    (raw / "kst-33783-47").write_bytes(_renumbered(sample_letter.render_koop_xml(), 47))
    (raw / "pagina.htm").write_bytes(_renumbered(sample_letter.render_html(), 48))
    (raw / "conversie.txt").write_bytes(_renumbered(sample_letter.render_markdown(), 49))
    (raw / "poi.txt").write_bytes(_renumbered(sample_letter.render_text(), 50))
    word = _renumbered(sample_letter.render_docx(), 51)
    (raw / "brief.docx").write_bytes(word)
    (raw / "kapot.docx").write_bytes(word[:200])


def test_ingest_reads_every_format_and_reports_the_broken_file(tmp_path: Path) -> None:
    _mixed_raw(tmp_path / "raw")
    result = ingest(tmp_path / "raw")
    read = sorted((ln.letter["letter_id"], ln.letter["source_format"]) for ln in result.letters)
    assert read == [
        ("kst-33783-46", "pdf"),
        ("kst-33783-47", "koop_xml"),
        ("kst-33783-48", "html"),
        ("kst-33783-49", "markdown"),
        ("kst-33783-50", "text"),
        ("kst-33783-51", "docx"),
    ]
    assert [(r.path, r.reason) for r in result.rejections] == [
        ("kapot.docx", "a damaged zip archive (not a readable .docx)")
    ]


def test_refresh_publishes_one_package_from_a_mixed_folder(tmp_path: Path) -> None:
    _mixed_raw(tmp_path / "raw")
    outcome = run_refresh(
        tmp_path / "raw",
        tmp_path / "out",
        tmp_path / "cache",
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert outcome.success and outcome.published, outcome.errors
    assert outcome.letters == 6
    assert [r.path for r in outcome.rejections] == ["kapot.docx"]
    assert (tmp_path / "out" / "latest" / "datapackage.json").is_file()
