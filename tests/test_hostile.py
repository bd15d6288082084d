"""A raw folder full of broken and hostile files, refreshed together with good letters.

Every bad file must be reported by name with a reason, no traceback may escape, and the good
letters must still be published.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from tests.conftest import RAW, SEED_PDF
from tests.formats import sample_letter
from tests.test_cli import run_cli

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE officiele-publicatie [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<officiele-publicatie><kamerstuk><stuk><al>&xxe;</al></stuk></kamerstuk></officiele-publicatie>
"""
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE officiele-publicatie [
 <!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
]>
<officiele-publicatie><kamerstuk><stuk><al>&h;</al></stuk></kamerstuk></officiele-publicatie>
"""
REMOTE_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE officiele-publicatie SYSTEM "http://127.0.0.1:9/evil.dtd">
<officiele-publicatie><kamerstuk><stuk><al>&remote;</al></stuk></kamerstuk></officiele-publicatie>
"""


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _pdf(draw, **options) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1, **options)
    draw(page)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _letter_lines(page: canvas.Canvas) -> None:
    page.drawString(72, 720, "Den Haag, 1 mei 2024")
    page.drawString(72, 700, "Geachte voorzitter,")


def hostile_files() -> dict[str, bytes]:
    docx = sample_letter.render_docx()
    pdf = sample_letter.render_pdf()
    return {
        "empty.txt": b"",
        "whitespace.md": b"  \n\t\n",
        "junk.docx": bytes(range(256)) * 8,
        "truncated.docx": docx[: len(docx) // 2],
        "no-document.docx": _zip({"word/styles.xml": b"<styles/>", "[Content_Types].xml": b"<x/>"}),
        "traversal.docx": _zip({"../../etc/evil.xml": b"x", "word/document.xml": b"<bad"}),
        "bomb.docx": _zip({"word/document.xml": b"<" + b"a" * (200 * 1024 * 1024) + b">"}),
        "xxe.xml": XXE,
        "laughs.xml": BILLION_LAUGHS,
        "remote-dtd.xml": REMOTE_DTD,
        "malformed.html": b"<html><body><div class='stuk'><p>Geen brief</div></span>",
        "truncated.pdf": pdf[: len(pdf) // 3],
        "encrypted.pdf": _pdf(_letter_lines, encrypt=StandardEncryption("secret", canPrint=0)),
        "scan.pdf": _pdf(lambda page: page.rect(72, 72, 300, 500, fill=1)),
        "utf16.txt": "Den Haag, 1 mei 2024\n\nGeachte voorzitter,\n".encode("utf-16"),
        "duplicate-of-004.md": SEED_PDF.read_bytes(),
    }


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("hostile")
    raw = root / "raw"
    shutil.copytree(RAW, raw)
    for name, content in hostile_files().items():
        (raw / name).write_bytes(content)
    done = run_cli("refresh", "--raw", str(raw), "--out", str(root / "out"), cwd=root)
    assert done.returncode == 0, done.stderr
    return root, done.stderr


def test_no_traceback_escapes(refreshed: tuple[Path, str]) -> None:
    _root, stderr = refreshed
    assert "Traceback" not in stderr
    assert "unexpected" not in stderr, "every failure is one the parsers anticipated"


def test_every_bad_file_is_reported_with_a_reason(refreshed: tuple[Path, str]) -> None:
    _root, stderr = refreshed
    reported = {
        line.removeprefix("rejected ").split(": ", 1)[0]: line.split(": ", 1)[1]
        for line in stderr.splitlines()
        if line.startswith("rejected ")
    }
    assert set(reported) == set(hostile_files())
    assert all(reason.strip() for reason in reported.values())
    assert reported["duplicate-of-004.md"].startswith("duplicate letter kst-33783-46")
    assert reported["scan.pdf"] == "the PDF has no text layer (a scan needs OCR first)"
    assert reported["encrypted.pdf"] == (
        "the PDF is encrypted with a password, so its text cannot be read"
    )
    for name in ("xxe.xml", "laughs.xml", "remote-dtd.xml"):
        assert reported[name].startswith("koop_xml that declares entities or loads an external DTD")


def test_good_letters_are_published(refreshed: tuple[Path, str]) -> None:
    root, stderr = refreshed
    assert f"2 letters, {len(hostile_files())} rejected" in stderr
    letters = (root / "out" / "latest" / "letters.csv").read_text(encoding="utf-8")
    assert "kst-33783-46" in letters
    assert "root:" not in letters, "no external entity was resolved"
    descriptor = json.loads((root / "out" / "latest" / "datapackage.json").read_text())
    assert descriptor["version"] == "1.0.0"


def test_ingest_report_lists_every_rejected_file(refreshed: tuple[Path, str]) -> None:
    root, stderr = refreshed
    report_path = root / "out" / "ingest-report.json"
    assert f"The ingest report is {report_path}." in stderr
    report = json.loads(report_path.read_text())
    assert report["raw_files"] == 2 + len(hostile_files())
    assert report["letters"] == 2
    assert [entry["path"] for entry in report["rejected"]] == sorted(hostile_files())
    assert all(entry["reason"] for entry in report["rejected"])
