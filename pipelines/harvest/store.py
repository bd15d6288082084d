"""What a harvest writes into the raw folder, and where it keeps its own state.

Layout: `tk/<DocumentNummer>.<ext>` with the portal's record beside it as
`tk/<DocumentNummer>.tk.json`; `koop/<id>.xml` with `koop/<id>.metadata.xml`. Harvest state
(cursors, temporary downloads, the lock) lives in `.harvest/`, which ingest skips as it skips
every hidden entry.

Every name written derives from an identifier that matches a strict pattern, so a hostile
record (`DocumentNummer` `../../x`) cannot place a file outside the raw folder. A document is
committed file first, record last: the record is what says "stored", so a harvest killed
between the two fetches the file again rather than trusting half a pair.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.util import exclusive, json_bytes, write_atomic

STATE_DIR = ".harvest"
TK_DOCUMENT_NUMBER = re.compile(r"^(?:19|20)\d\dD\d{5,6}$")
"""A portal DocumentNummer (`2024D34636`)."""
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
KOOP_IDENTIFIER = re.compile(
    r"^(?:kst|ah-tk|ah-ek|h-tk|h-ek|blg|stcrt|stb)-[0-9A-Za-z]{1,12}(?:-[0-9A-Za-z]{1,12}){0,3}$"
)
"""A KOOP publication id (`kst-32545-143`, `kst-36200-VIII-5`, `ah-tk-20232024-1314`)."""
TK_SUFFIXES = (".pdf", ".docx", ".doc", ".odt", ".rtf")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class RefusedIdentifier(ValueError):
    """A record whose identifier does not match its pattern: nothing is written for it."""


def checked(identifier: object, pattern: re.Pattern[str], what: str) -> str:
    """`identifier` when it matches `pattern` in full, else `RefusedIdentifier`."""
    if not isinstance(identifier, str) or not pattern.fullmatch(identifier):
        raise RefusedIdentifier(f"{what} {identifier!r} does not match {pattern.pattern}")
    return identifier


def file_suffix(path: Path) -> str | None:
    """The extension the content of a downloaded letter calls for, from its magic bytes and,
    for zip packages, their parts; None for anything else (an HTML error page, say)."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if head.startswith(_OLE):
        return ".doc"
    if head.startswith(b"{\\rtf"):
        return ".rtf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return ".docx"
                if "mimetype" in names and archive.read("mimetype").startswith(
                    b"application/vnd.oasis.opendocument.text"
                ):
                    return ".odt"
        except zipfile.BadZipFile:
            return None
    return None


def is_xml(path: Path) -> bool:
    """Whether a downloaded publication is XML and not an HTML page served in its place."""
    with open(path, "rb") as handle:
        head = handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and not head.startswith((b"<html", b"<!doctype html"))


def record_bytes(record: dict[str, Any]) -> bytes:
    """A portal record as stored: keys sorted at every level, the project's JSON layout."""
    return (json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


@dataclass
class State:
    """Cursors and failures of earlier harvests, per source (`.harvest/state.json`)."""

    path: Path
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> State:
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            data = {}
        return cls(path, data if isinstance(data, dict) else {})

    def source(self, name: str) -> dict[str, Any]:
        return self.data.setdefault(name, {})

    def save(self) -> None:
        write_atomic(self.path, json_bytes(self.data))


class RawStore:
    """The raw folder as the harvester writes it."""

    def __init__(self, raw: Path) -> None:
        self.raw = raw
        self.tk = raw / "tk"
        self.koop = raw / "koop"
        self.home = raw / STATE_DIR
        self.temp = self.home / "tmp"

    def prepare(self) -> None:
        """Create the folders and drop what a killed harvest left half-written: temporary
        downloads, and the temporary files of records being written (`write_atomic`). Called
        under the lock, so no other harvest is writing them."""
        for folder in (self.tk, self.koop, self.home):
            folder.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.temp, ignore_errors=True)
        self.temp.mkdir()
        for folder in (self.tk, self.koop):
            for leftover in folder.glob(".*.tmp"):
                leftover.unlink(missing_ok=True)

    def lock(self) -> AbstractContextManager[None]:
        """The harvest's lock on this raw folder, held for the whole run."""
        self.home.mkdir(parents=True, exist_ok=True)
        return exclusive(self.home / "lock", "harvest of this raw folder")

    def state(self) -> State:
        return State.load(self.home / "state.json")

    def temp_file(self, name: str) -> Path:
        return self.temp / f"{name}.part"

    # Tweede Kamer documents

    def tk_record_path(self, number: str) -> Path:
        return self.tk / f"{number}.tk.json"

    def tk_files(self, number: str) -> list[Path]:
        return [self.tk / f"{number}{suffix}" for suffix in TK_SUFFIXES
                if (self.tk / f"{number}{suffix}").exists()]  # fmt: skip

    def tk_stored(self, number: str) -> tuple[dict[str, Any] | None, Path | None]:
        """The stored record of `number` and its file; (None, None) when not (fully) stored."""
        try:
            record = json.loads(self.tk_record_path(number).read_bytes())
        except (FileNotFoundError, ValueError):
            return None, None
        files = self.tk_files(number)
        return record, (files[0] if files else None)

    def tk_index(self) -> dict[str, str]:
        """Document Id -> DocumentNummer of every stored record: a withdrawn document's row may
        carry only its Id."""
        index: dict[str, str] = {}
        for path in sorted(self.tk.glob("*.tk.json")):
            number = path.name[: -len(".tk.json")]
            try:
                record = json.loads(path.read_bytes())
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get("Id"), str):
                index[record["Id"]] = number
        return index

    def commit_tk(
        self, number: str, record: dict[str, Any], download: Path | None, suffix: str | None
    ) -> None:
        """Store a document: its new file (when downloaded) in place of any other rendition,
        then its record."""
        if download is not None and suffix is not None:
            os.replace(download, self.tk / f"{number}{suffix}")
            for other in self.tk_files(number):
                if other.suffix != suffix:
                    other.unlink(missing_ok=True)
        write_atomic(self.tk_record_path(number), record_bytes(record))

    def withdraw_tk(self, number: str) -> bool:
        """Remove a withdrawn document (its files first, its record last); whether it was here."""
        files = self.tk_files(number)
        record = self.tk_record_path(number)
        present = bool(files) or record.exists()
        for path in files:
            path.unlink(missing_ok=True)
        record.unlink(missing_ok=True)
        return present

    # KOOP publications

    def koop_paths(self, identifier: str) -> tuple[Path, Path]:
        return self.koop / f"{identifier}.xml", self.koop / f"{identifier}.metadata.xml"

    def commit_koop(self, identifier: str, xml: Path, metadata: Path) -> None:
        """Store a publication: its metadata.xml first, its XML (what ingest reads) last."""
        xml_path, metadata_path = self.koop_paths(identifier)
        os.replace(metadata, metadata_path)
        os.replace(xml, xml_path)
