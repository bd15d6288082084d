"""What a refresh keeps between runs: parsed letters, and the tables of the last build.

An incremental refresh re-parses only files whose bytes changed since the last run. The key is
the file's SHA-256 plus a fingerprint of the parsing and extraction code (and PARSER_VERSION), so a
change to any rule invalidates every entry without anyone having to remember to bump a number.

It also takes the rows of unchanged letters from the last build's tables instead of loading and
converting each letter again (at 10,000 letters that was most of an incremental refresh), so only
the letters that changed are turned into rows.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

import pipelines
from pipelines import PARSER_VERSION
from pipelines.publish.files import json_bytes, write_atomic
from pipelines.schemas import TABLES, arrow_schema, schemas_dir
from pipelines.tablefiles import TableFile
from pipelines.tables import Run, merge_tables

_CODE_DIRS = ("formats", "extract")
_CODE_FILES = ("model.py", "__init__.py")
_TABLE_CODE_FILES = ("tables.py", "tablefiles.py", "rowcheck.py", "schemas.py")


@cache
def code_fingerprint() -> str:
    """SHA-256 over the parser version and the source of every parsing and extraction module."""
    root = Path(pipelines.__file__).parent
    digest = hashlib.sha256(PARSER_VERSION.encode())
    files = [root / name for name in _CODE_FILES]
    files += sorted(p for d in _CODE_DIRS for p in (root / d).rglob("*.py"))
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class ParseCache:
    """Parsed letters (or rejection reasons) on disk, one pickle per raw file content.

    Also keeps the manifest of the previous run (raw path -> content hash), which is how a
    refresh knows which files were removed since.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.entries = folder / f"parsed-{code_fingerprint()}"
        self.manifest_path = folder / "manifest.json"

    def get(self, sha256: str) -> object | None:
        """The cached result for a content hash, or None on a miss or an unreadable entry."""
        path = self.entries / f"{sha256}.pkl"
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def has(self, sha256: str) -> bool:
        """Whether an entry for this content hash exists (it may still fail to read)."""
        return (self.entries / f"{sha256}.pkl").is_file()

    def entry(self, sha256: str) -> Path:
        """Where the pickled result for a content hash is stored (atomically, see `write_atomic`).

        The parsing worker writes it itself, with the bytes it hands back anyway; the folder
        is created here.
        """
        self.entries.mkdir(parents=True, exist_ok=True)
        return self.entries / f"{sha256}.pkl"

    def previous_manifest(self) -> dict[str, str]:
        """Raw path -> content hash as of the last completed ingest."""
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def finish(self, manifest: dict[str, str]) -> None:
        """Record this run's manifest and drop entries and old code versions no file uses."""
        self.folder.mkdir(parents=True, exist_ok=True)
        keep = {f"{sha}.pkl" for sha in manifest.values()}
        if self.entries.exists():
            for entry in self.entries.iterdir():
                if entry.name not in keep:  # includes temporary files of a killed run
                    entry.unlink(missing_ok=True)
        for other in self.folder.glob("parsed-*"):
            if other != self.entries:
                shutil.rmtree(other, ignore_errors=True)
        write_atomic(self.manifest_path, json_bytes(dict(sorted(manifest.items()))))


def tables_fingerprint() -> str:
    """The parser's fingerprint plus the code and Table Schemas that turn letters into rows.

    Not cached: the schemas folder can be switched (KAMERBRIEVEN_SCHEMAS) within one process.
    """
    root = Path(pipelines.__file__).parent
    digest = hashlib.sha256(code_fingerprint().encode())
    for path in [root / name for name in _TABLE_CODE_FILES] + sorted(
        schemas_dir().glob("*.schema.json")
    ):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class PreviousBuild:
    """The tables of the last build, and which raw file (by path and content) each letter had."""

    tables: dict[str, TableFile]
    origins: dict[str, tuple[str, str]]
    """Raw path -> (content key, letter_id), for every letter in `tables`."""
    notes: dict[str, list[str]] = field(default_factory=dict)
    """Raw path -> the ingest report's notes on that letter, for letters that have any."""

    def kept_rows(self, table: str, letters: list[str]) -> Iterator[pa.RecordBatch]:
        """The rows of `letters` in `table`, still sorted, read a batch at a time."""
        wanted = pa.array(sorted(letters), pa.string())
        for batch in self.tables[table].batches():
            yield batch.filter(pc.is_in(batch.column("letter_id"), value_set=wanted))


class TableCache:
    """The last build's tables as Arrow IPC files, sorted by primary key.

    They are the tables a refresh publishes, and the next refresh takes the rows of unchanged
    letters from them. The folder is replaced whole and carries the fingerprint of the code and
    schemas that built it; anything unreadable or built by other code counts as no previous
    build.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "tables"

    def load(self) -> PreviousBuild | None:
        """The previous build, or None when there is none this code can reuse."""
        try:
            index = json.loads((self.folder / "origins.json").read_text(encoding="utf-8"))
            if index["fingerprint"] != tables_fingerprint():
                return None
            tables = {table: TableFile(str(self.folder / f"{table}.arrow")) for table in TABLES}
            for table in TABLES:
                if tables[table].schema != arrow_schema(table):
                    return None
        except (OSError, ValueError, KeyError, pa.ArrowException):
            return None
        origins = {path: (key, letter) for path, (key, letter) in index["origins"].items()}
        return PreviousBuild(tables, origins, index.get("notes", {}))

    def save(
        self,
        sources: Mapping[str, Sequence[Run]],
        origins: dict[str, tuple[str, str]],
        notes: Mapping[str, list[str]] | None = None,
    ) -> dict[str, TableFile]:
        """Merge `sources` into the tables kept for the next run, and return those tables.

        Built in a fresh folder that replaces the old one only when complete (the old one may
        be among the sources), so a run killed halfway leaves no table cache at all.
        """
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=".tables-", dir=self.folder.parent))
        merge_tables(sources, fresh)
        index = {
            "fingerprint": tables_fingerprint(),
            "origins": dict(sorted(origins.items())),
            "notes": dict(sorted((notes or {}).items())),
        }
        (fresh / "origins.json").write_bytes(json_bytes(index))
        shutil.rmtree(self.folder, ignore_errors=True)
        fresh.rename(self.folder)
        for stale in self.folder.parent.glob(".tables-*"):  # left by a killed run
            shutil.rmtree(stale, ignore_errors=True)
        return {table: TableFile(str(self.folder / f"{table}.arrow")) for table in TABLES}
