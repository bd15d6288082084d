"""A raw folder mixing all six formats publishes one package; a broken file is only reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg

from pipelines.ingest import ingest
from pipelines.refresh import run_refresh
from tests.conftest import SEED_WORD
from tests.formats import sample_letter
from tests.formats.test_pdf import _pdf


def _mixed_raw(raw: Path) -> None:
    """Six different letters, one per format, and one truncated Word file."""
    raw.mkdir()
    shutil.copy(SEED_WORD, raw / "poi-text.txt")
    markdown = (
        "**Datum** 3 april 2024\n\n**Betreft** Jaarverslag\n\nGeachte voorzitter,\n\n"
        "Hierbij bied ik u het **jaarverslag** aan.<sup>1</sup>\n\n<sup>1</sup> Zie de bijlage.\n\n"
        "Hoogachtend,\n\nDe minister van Financi\u00ebn,\n\nE. Heinen\n"
    )
    (raw / "jaarverslag.md").write_text(markdown, encoding="utf-8")
    (raw / "kst-33783-46").write_bytes(sample_letter.render_koop_xml())
    signed = [
        (72, 720, "Helvetica", "Datum 5 april 2024", 11),
        (72, 700, "Helvetica", "Geachte voorzitter,", 11),
        (72, 680, "Helvetica", "Met deze brief bied ik u de voortgangsrapportage aan.", 11),
        (72, 660, "Helvetica", "Hoogachtend,", 11),
        (72, 630, "Helvetica", "De minister van Financi\u00ebn,", 11),
        (72, 616, "Helvetica", "E. Heinen", 11),
    ]
    (raw / "voortgang.pdf").write_bytes(_pdf(signed))
    paragraphs = ["Datum 6 april 2024", "Geachte voorzitter,", "Hierbij de beantwoording."]
    word = sample_letter.build_docx(
        "".join(sample_letter._w_paragraph(sample_letter._w_run(p)) for p in paragraphs)
    )
    (raw / "antwoord.docx").write_bytes(word)
    page = (
        "<html><body><p>Datum 7 april 2024</p><p>Geachte voorzitter,</p>"
        "<p>Een brief als webpagina, caf\u00e9.</p></body></html>"
    )
    (raw / "webpagina.htm").write_bytes(page.encode("cp1252"))
    (raw / "kapot.docx").write_bytes(word[:200])


def test_ingest_reads_every_format_and_reports_the_broken_file(tmp_path: Path) -> None:
    _mixed_raw(tmp_path / "raw")
    result = ingest(tmp_path / "raw")
    formats = sorted(letter.letter["source_format"] for letter in result.letters)
    assert formats == ["docx", "html", "koop_xml", "markdown", "pdf", "text"]
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
