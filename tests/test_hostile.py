"""A raw folder of more than thirty kinds of broken, hostile and odd entries beside real letters,
refreshed by the real `kamerbrieven refresh` in a subprocess.

Every bad entry must be named with its reason in the output and in the ingest report, every good
letter published, nothing written outside the output and the caches, nothing fetched (the
external references point at a listener of the test's own on 127.0.0.1, which must see no
connection), and the run must end in bounded time and memory.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import socket
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import psutil
import pyarrow.parquet as pq
import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from benchmarks.corpus import letter_bytes
from pipelines.formats.common import decode_text
from tests.conftest import ROOT, SEED_PDF, SEED_WORD
from tests.formats import sample_letter
from tests.formats.test_odt import NAMESPACES, odt

SAMPLES = ROOT.parent / "shared" / "samples"
NATIVE = SAMPLES / "native" / "files"
NATIVE_LETTERS = [
    "jenv-20231018-kv-bijtincidenten.docx",
    "jenv-20231107-kv-sammy-baker.docx",
    "jenv-20240725-kv-wolvega.docx",
    "tk-motie-36278-32.docx",
    "kst-29338-289-vso.pdf",
    "ah-tk-20232024-1786.pdf",
    "kst-32545-143.xml",
]
"""Real native files, one rendition of each document (the motie's PDF and ODT give the XML's)."""

TIMEOUT_SECONDS = 8
MEMORY_MB = 1024
ENV = {
    "KAMERBRIEVEN_PARSE_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS),
    "KAMERBRIEVEN_PARSE_MEMORY_MB": str(MEMORY_MB),
}
PEAK_MEMORY_BYTES = 2 * 1024**3
"""The refresh's whole process tree must stay under this, whatever one file contains."""
OVER_TIME = f"took longer than {TIMEOUT_SECONDS} s to parse (KAMERBRIEVEN_PARSE_TIMEOUT_SECONDS)"
NOT_REGULAR = "; only regular files are read"
ENTITIES = "declares entities or loads an external DTD"
UNKNOWN = "not a letter format we can read (binary or unknown content)"


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it is offered: what any fetch
    of an external DTD, entity or relationship in the hostile files would reach."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.server.close()


@dataclass
class Folder:
    """The hostile folder: what each bad entry must be rejected for, and the good letters."""

    rejected: dict[str, str] = field(default_factory=dict)
    """Raw path -> the start of its reason."""
    published: set[str] = field(default_factory=set)
    """Raw paths that must become letters."""
    warned: set[str] = field(default_factory=set)
    """Good letters the report must note for their encoding."""


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


def _page_bomb(pages: int) -> bytes:
    """A small PDF of `pages` pages that share one font and one content stream."""
    content = b"BT /F1 12 Tf 72 720 Td (Den Haag, 1 mei 2024. Geachte voorzitter,) Tj ET"
    first_page = 5
    kids = b"".join(b"%d 0 R " % (first_page + n) for n in range(pages))
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[" + kids + b"]/Count %d>>" % pages,
        b"<</Length %d>>stream\n" % len(content) + content + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    objects += [
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 3 0 R"
        b"/Resources<</Font<</F1 4 0 R>>>>>>"
    ] * pages
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(
        b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _generated(index: int, fmt: str) -> bytes:
    """Letter `index` of the benchmark corpus (a Kamerstuk of its own) in format `fmt`."""
    return letter_bytes(index, fmt, seed=15)[1]


def _text(index: int) -> str:
    """Letter `index` of the benchmark corpus as plain text (which it writes in Windows-1252)."""
    return decode_text(_generated(index, "txt"), "generated")[0]


def _two_question_sets() -> bytes:
    """A letter answering the Kamervragen of two members, each set numbered from 1."""
    parts = [
        "Tweede Kamer der Staten-Generaal",
        "Den Haag, 6 juli 2020",
        "Betreft Antwoorden op Kamervragen",
        "Geachte voorzitter,",
    ]
    for member, count in (("Omtzigt", 3), ("Van Dijk", 2)):
        parts.append(f"Vragen van het lid {member}")
        for number in range(1, count + 1):
            parts.append(f"Vraag {number}\nWat is het standpunt van {member} over punt {number}?")
            parts.append(f"Antwoord {number}\nHet antwoord aan {member} op vraag {number}.")
    parts += ["Hoogachtend,", "De Minister van Financiën,", "W.B. Hoekstra"]
    return "\n\n".join(parts).encode()


def build(raw: Path, outside: Path, port: int) -> Folder:
    """Write the hostile folder into `raw` (and a file to point at into `outside`)."""
    folder = Folder()
    dtd = f"http://127.0.0.1:{port}/evil.dtd"

    def bad(name: str, data: bytes, reason: str) -> None:
        path = raw / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        folder.rejected[name] = reason

    def good(name: str, data: bytes) -> None:
        path = raw / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        folder.published.add(name)

    for sample in sorted((SAMPLES / "letters").glob("*.txt")):
        good(f"web/{sample.name}", sample.read_bytes())
    # the same letter from tweedekamer.nl and officielebekendmakingen.nl: the first is kept
    folder.published.remove("web/tk-2023D20981.txt")
    folder.rejected["web/tk-2023D20981.txt"] = "duplicate letter kst-35510-130, already read"
    for name in NATIVE_LETTERS:
        good(f"native/{name}", (NATIVE / name).read_bytes())
    (raw / "native" / "kst-32545-143.metadata.xml").write_bytes(
        (NATIVE / "kst-32545-143.metadata.xml").read_bytes()
    )
    good("004.txt", SEED_PDF.read_bytes())
    good("/".join(f"d{n}" for n in range(40)) + "/000.txt", SEED_WORD.read_bytes())

    # special entries: named, never opened
    (raw / "loop-a.txt").symlink_to("loop-b.txt")
    (raw / "loop-b.txt").symlink_to("loop-a.txt")
    (raw / "self.txt").symlink_to("self.txt")
    for name in ("loop-a.txt", "loop-b.txt", "self.txt"):
        folder.rejected[name] = "symlink loop: the link leads back to itself"
    (raw / "broken.txt").symlink_to("missing.txt")
    folder.rejected["broken.txt"] = "broken symlink (No such file or directory)"
    os.mkfifo(raw / "fifo.txt")
    folder.rejected["fifo.txt"] = "a named pipe (FIFO)" + NOT_REGULAR
    (raw / "to-fifo.pdf").symlink_to("fifo.txt")
    folder.rejected["to-fifo.pdf"] = "symlink to a named pipe (FIFO)" + NOT_REGULAR
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(str(raw / "socket.txt"))
    unix.close()
    folder.rejected["socket.txt"] = "a socket" + NOT_REGULAR
    (raw / "web" / "folder-link.txt").symlink_to("../native", target_is_directory=True)
    folder.rejected["web/folder-link.txt"] = "symlink to a folder" + NOT_REGULAR
    (raw / "zero.txt").symlink_to("/dev/zero")
    folder.rejected["zero.txt"] = "symlink pointing outside the raw folder"
    (outside / "elsewhere.txt").write_bytes(SEED_WORD.read_bytes())
    (raw / "elsewhere.txt").symlink_to(outside / "elsewhere.txt")
    folder.rejected["elsewhere.txt"] = "symlink pointing outside the raw folder"
    with (raw / "huge.txt").open("wb") as handle:
        handle.truncate(60 * 1024 * 1024)  # sparse: large on paper, nothing on disk
    folder.rejected["huge.txt"] = f"file is {60 * 1024 * 1024} bytes, over the limit"

    # XML and markup: no entity expanded, no DTD loaded, no depth followed down
    entity = '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    bad("xxe.xml", f'<?xml version="1.0"?>{entity}<officiele-publicatie><al>&xxe;</al>'
        "</officiele-publicatie>".encode(), f"koop_xml that {ENTITIES}")  # fmt: skip
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10 if n else "lol"}">' for n in range(9))
    bad("laughs.xml", f'<?xml version="1.0"?><!DOCTYPE d [{laughs}]><officiele-publicatie><al>'
        "&l8;</al></officiele-publicatie>".encode(), f"koop_xml that {ENTITIES}")  # fmt: skip
    remote = f'<?xml version="1.0"?><!DOCTYPE d SYSTEM "{dtd}"><officiele-publicatie><al>&remote;'
    bad(
        "remote-dtd.xml",
        f"{remote}</al></officiele-publicatie>".encode(),
        f"koop_xml that {ENTITIES}",
    )
    bad("deep.xml", b"<officiele-publicatie>" + b"<al>" * 100_000 + b"x", "broken XML")
    bad("deep.html", b"<html><body>" + b"<div>" * 200_000 + b"Den Haag" + b"</div>" * 200_000,
        "no text found in this html file")  # fmt: skip
    bad("entity.html", f'<?xml version="1.0"?>{entity}<html xmlns="http://www.w3.org/1999/xhtml">'
        "<body><p>&xxe;</p></body></html>".encode(), f"html that {ENTITIES}")  # fmt: skip
    docx = sample_letter.render_docx()
    xxe_parts = _zip_parts(_generated(5, "docx"))
    document = xxe_parts["word/document.xml"].replace(b"?>", f"?>{entity}".encode(), 1)
    xxe_parts["word/document.xml"] = document.replace(b"</w:t>", b"&xxe;</w:t>", 1)
    good("xxe.docx", _zip(xxe_parts))
    seed = decode_text(SEED_WORD.read_bytes(), SEED_WORD.name)[0]
    paragraphs = "".join(
        f"<text:p>{escape(line)}{' &xxe;' if not n else ''}</text:p>"
        for n, line in enumerate(line for line in seed.splitlines() if line.strip())
    )
    good("xxe.odt", odt(paragraphs, entity))
    hollow = io.BytesIO()  # a spreadsheet's content under a text's mimetype
    with zipfile.ZipFile(hollow, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        spreadsheet = "<office:body><office:spreadsheet/></office:body>"
        archive.writestr(
            "content.xml", f"<office:document-content {NAMESPACES}>{spreadsheet}"
            "</office:document-content>"
        )  # fmt: skip
    bad("hollow.odt", hollow.getvalue(), "an OpenDocument file without a text body")
    bomb = _zip({"word/document.xml": b"<" + b"a" * (200 * 1024 * 1024) + b">"})
    bad("bomb.docx", bomb, "part word/document.xml is too large (209715202 bytes)")
    traversal = _zip({"../../etc/evil.xml": b"x", "word/document.xml": b"<bad"})
    bad("traversal.docx", traversal, "broken XML in word/document.xml")
    bad("truncated.docx", docx[: len(docx) // 2], "a damaged zip archive (not a readable .docx)")
    bad("junk.docx", bytes(range(256)) * 8, UNKNOWN)
    external = dict(_zip_parts(_generated(1, "docx")))
    external["word/_rels/document.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/image" Target="' + dtd.encode() + b'" '
        b'TargetMode="External"/></Relationships>'
    )
    good("external-relationship.docx", _zip(external))

    # PDF: locked, broken, empty and endless
    pdf = sample_letter.render_pdf()
    bad("encrypted.pdf", _pdf(_letter_lines, encrypt=StandardEncryption("secret", canPrint=0)),
        "the PDF is encrypted with a password, so its text cannot be read")  # fmt: skip
    bad("truncated.pdf", pdf[: len(pdf) // 3], "broken pdf file (")
    bad("scan.pdf", _pdf(lambda page: page.rect(72, 72, 300, 500, fill=1)),
        "the PDF has no text layer (a scan needs OCR first)")  # fmt: skip
    bad("page-bomb.pdf", _page_bomb(200_000), OVER_TIME)  # PDFium reads ~5,000 pages a second
    bad("empty.pdf", b"", "file is empty")

    # other formats under letter names
    bad("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096),
        "an old binary Word or Office file (.doc/.xls, OLE2); save it as .docx")  # fmt: skip
    bad("letter.rtf", rb"{\rtf1\ansi Den Haag, 1 mei 2024\par Geachte voorzitter,\par}",
        "an RTF file, which is not read; save it as .docx")  # fmt: skip
    bad("archive.pdf", _zip({"brief.txt": SEED_WORD.read_bytes()}),
        "a zip archive without word/document.xml, so not a Word .docx")  # fmt: skip
    bad("compressed.txt", gzip.compress(SEED_WORD.read_bytes(), mtime=0),
        "a gzip archive; unpack it first")  # fmt: skip
    bad("image.html", b"\x89PNG\r\n\x1a\n" + bytes(2048), "a PNG image, not a letter text")
    bad("nul.txt", b"Den Haag, 1 mei 2024\x00\x00\x00" * 50, UNKNOWN)
    bad("empty.txt", b"", "file is empty")
    bad("whitespace.md", b"  \n\t\n", "file is empty")
    bad("metadata.xml", (NATIVE / "kst-32545-143.metadata.xml").read_bytes(), "a KOOP metadata")
    bad("utf16-lone-surrogate.txt", b"\xff\xfe" + "Den Haag\n\ud800".encode("utf-16-le",
        "surrogatepass"), "text marked as utf-16-le by its byte order mark")  # fmt: skip
    bad("duplicate-of-004.md", SEED_PDF.read_bytes(), "duplicate letter kst-33783-46")

    # real letters with real quirks, and odd names: published
    good("two-question-sets.txt", _two_question_sets())
    good("utf-16.txt", b"\xff\xfe" + _text(2).encode("utf-16-le"))
    good("windows-1252.txt", _text(3).encode("cp1252"))
    folder.warned |= {"utf-16.txt", "windows-1252.txt"}
    controls = _text(4).replace("\n\n", "\n\x0c\n", 3).replace(" ", "\x0b", 5)
    good("control-characters.txt", controls.encode())
    odd = ["new\nline.txt", "$(touch pwned); rm -rf ~.txt", "[red]markup[/red].md", "-rf.txt",
           "spaced  name .txt", "ünïcødé brief.txt", "x" * 200 + ".txt"]  # fmt: skip
    for index, name in enumerate(odd, start=10):
        good(name, _text(index).encode())
    return folder


def _zip_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _tree(folder: Path) -> dict[str, str]:
    """Every entry below `folder` with what it is: a file's hash, a link's target."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[str(path)] = "-> " + os.readlink(path)
        elif path.is_file():
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif not path.is_dir():
            found[str(path)] = "special"
    return found


@dataclass
class Run:
    root: Path
    folder: Folder
    returncode: int
    stderr: str
    seconds: float
    peak_bytes: int
    connections: int
    before: dict[str, str]


def _refresh(root: Path, budget: dict[str, str]) -> tuple[int, str, float, int]:
    """Run `kamerbrieven refresh` in `root` within the parse `budget`; its exit code, stderr,
    seconds and peak memory (of the whole process tree, sampled every 50 ms)."""
    env = {**os.environ, **budget, "HOME": str(root / "home")}
    env.pop("DAGSTER_HOME", None)
    started = time.monotonic()
    process = psutil.Popen(
        ["kamerbrieven", "refresh", "--raw", "raw", "--out", "out"],
        cwd=root, env=env, stdout=-1, stderr=-1, text=True,
    )  # fmt: skip
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        if time.monotonic() - started > 600:
            process.kill()
        time.sleep(0.05)
    _stdout, stderr = process.communicate()
    return process.returncode, stderr, time.monotonic() - started, peak


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("hostile")
    (root / "home").mkdir()
    (root / "outside").mkdir()
    listener = Listener()
    try:
        folder = build(root / "raw", root / "outside", listener.port)
        before = _tree(root / "raw") | _tree(root / "outside")
        returncode, stderr, seconds, peak = _refresh(root, ENV)
    finally:
        listener.close()
    return Run(root, folder, returncode, stderr, seconds, peak, listener.connections, before)


def test_the_hostile_folder_has_more_than_thirty_kinds(run: Run) -> None:
    assert len(run.folder.rejected) == 39
    assert len(run.folder.published) == 18 + len(NATIVE_LETTERS) + 2 + 2 + 4 + 8


def test_refresh_succeeds_in_bounded_time_and_memory(run: Run) -> None:
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert run.seconds < 300
    assert 0 < run.peak_bytes < PEAK_MEMORY_BYTES


def _reported(stderr: str) -> dict[str, str]:
    return {
        line.removeprefix("rejected ").split(": ", 1)[0]: line.split(": ", 1)[1]
        for line in stderr.splitlines()
        if line.startswith("rejected ")
    }


def test_every_bad_entry_is_named_with_its_reason_in_the_output(run: Run) -> None:
    reported = _reported(run.stderr)
    assert set(reported) == set(run.folder.rejected)
    for name, reason in run.folder.rejected.items():
        assert reported[name].startswith(reason), (name, reported[name])
        assert reported[name].strip()
    assert not any(reason.startswith("unexpected") for reason in reported.values()), reported


def test_the_ingest_report_names_the_same_entries_and_notes_the_encodings(run: Run) -> None:
    report = json.loads((run.root / "out" / "ingest-report.json").read_text())
    assert [entry["path"] for entry in report["rejected"]] == sorted(run.folder.rejected)
    reasons = {entry["path"]: entry["reason"] for entry in report["rejected"]}
    assert reasons["page-bomb.pdf"] == OVER_TIME
    assert report["letters"] == len(run.folder.published)
    assert report["raw_files"] == len(run.folder.published) + len(run.folder.rejected)
    assert {entry["path"] for entry in report["warnings"]} == run.folder.warned
    assert {entry["warning"] for entry in report["warnings"]} == {
        "read as utf-16-le, not UTF-8",
        "read as cp1252, not UTF-8",
    }


def test_every_good_letter_is_published(run: Run) -> None:
    latest = run.root / "out" / "latest"
    letters = pq.read_table(latest / "letters.parquet").to_pylist()
    assert {row["source_path"] for row in letters} == run.folder.published
    assert json.loads((latest / "datapackage.json").read_text())["version"] == "1.0.0"
    by_path = {row["source_path"]: row for row in letters}
    assert by_path["utf-16.txt"]["source_encoding"] == "utf-16-le"
    assert by_path["windows-1252.txt"]["source_encoding"] == "cp1252"
    questions = [
        (row["question_no"], row["question_label"], row["answer"])
        for row in pq.read_table(latest / "questions.parquet").to_pylist()
        if row["letter_id"] == by_path["two-question-sets.txt"]["letter_id"]
    ]
    assert questions == [
        (1, "1", "Het antwoord aan Omtzigt op vraag 1."),
        (2, "2", "Het antwoord aan Omtzigt op vraag 2."),
        (3, "3", "Het antwoord aan Omtzigt op vraag 3."),
        (4, "1", "Het antwoord aan Van Dijk op vraag 1."),
        (5, "2", "Het antwoord aan Van Dijk op vraag 2."),
    ]


def test_no_control_character_or_fetched_content_reaches_the_tables(run: Run) -> None:
    latest = run.root / "out" / "latest"
    for csv in latest.glob("*.csv"):
        text = csv.read_text(encoding="utf-8")
        assert "root:" not in text, "no external entity was resolved"
        assert not {chr(c) for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]} & set(text)


def test_nothing_is_fetched_and_nothing_written_outside_the_output(run: Run) -> None:
    assert run.connections == 0
    after = _tree(run.root / "raw") | _tree(run.root / "outside")
    assert after == run.before
    assert sorted(p.name for p in run.root.iterdir()) == sorted(
        [".cache", ".dagster", "home", "out", "outside", "raw"]
    )
    assert list((run.root / "home").iterdir()) == []
    assert not list(run.root.rglob("pwned"))


def test_a_one_line_citation_list_is_rejected_within_its_budget(tmp_path: Path) -> None:
    """Nine megabytes of `Kamerstuk 33 783 nr. 1, 1, 1, ...` on one line: extraction takes
    seconds for it (linear, the citation capped), so under a budget of half a second it is
    given up on by name, while the refresh stays small and publishes the other letters."""
    (tmp_path / "home").mkdir()
    raw = tmp_path / "raw"
    raw.mkdir()
    for seed in (SEED_WORD, SEED_PDF):
        (raw / seed.name).write_bytes(seed.read_bytes())
    (raw / "citations.txt").write_bytes(b"Kamerstuk 33 783 nr. 1" + b", 1" * 3_000_000)
    budget = {"KAMERBRIEVEN_PARSE_TIMEOUT_SECONDS": "0.5"}
    returncode, stderr, seconds, peak = _refresh(tmp_path, budget)
    assert returncode == 0, stderr
    assert _reported(stderr) == {
        "citations.txt": "took longer than 0.5 s to parse (KAMERBRIEVEN_PARSE_TIMEOUT_SECONDS)"
    }
    assert "Published 1.0.0 to out/1.0.0 and out/latest (2 letters, 1 rejected" in stderr
    assert seconds < 120
    assert 0 < peak < PEAK_MEMORY_BYTES
