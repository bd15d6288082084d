"""A build's tables: the rows of its letters merged, and kept for the next build.

An incremental refresh takes the rows of unchanged letters from the last build's tables instead of
loading and converting each letter again, so only the letters that changed are turned into rows.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipelines.extract import ParsedLetter
from pipelines.tables.files import TableFile
from pipelines.tables.rows import Run, build_tables, merge_tables
from pipelines.tables.schemas import TABLES, arrow_schema, schemas_dir
from pipelines.util import json_bytes, sha256_file, source_fingerprint, write_atomic

ROW_CODE = ("model.py", "formats", "extract", "tables")
"""The code that turns a raw file into rows: any change to it makes the kept tables stale."""
RELEASE_RECORD = "release.json"
"""In the tables' folder: the SHA-256 of the datapackage.json last staged from those tables."""


def tables_fingerprint() -> str:
    """A fingerprint of the code and Table Schemas that turn letters into rows.

    Not cached: the schemas folder can be switched (KAMERBRIEVEN_SCHEMAS) within one process.
    """
    digest = hashlib.sha256(source_fingerprint(ROW_CODE).encode())
    for path in sorted(schemas_dir().glob("*.schema.json")):
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
        """The rows of `letters` in `table`, still sorted, read a batch at a time.

        A set lookup builds its hash table anew for every batch, so each batch is matched
        against the smaller side, the letters kept or the letters dropped: against every kept
        letter, the work would grow with the batches times the letters, the square of the
        corpus. A daily refresh drops one letter or none, and then the batches pass as they are.
        """
        kept = set(letters)
        dropped = {letter for _, letter in self.origins.values()} - kept
        by_kept = len(kept) <= len(dropped)
        values = pa.array(sorted(kept if by_kept else dropped), pa.string())
        for batch in self.tables[table].batches():
            if not by_kept and not dropped:
                yield batch
                continue
            matched = pc.is_in(batch.column("letter_id"), value_set=values)
            yield batch.filter(matched if by_kept else pc.invert(matched))


@dataclass
class LetterRows:
    """The rows of one build's letters, before they are merged into its tables.

    A letter read this run is in `letters`, or in `runs` as rows on disk; a letter whose file did
    not change since the previous build is only in `kept`: its rows are in `previous`, that
    build's tables.
    """

    letters: list[ParsedLetter] = field(default_factory=list)
    runs: dict[str, list[TableFile]] = field(default_factory=dict)
    """The rows of the letters read this run as sorted runs, when they were spooled."""
    spool: str | None = None
    kept: list[str] = field(default_factory=list)
    previous: PreviousBuild | None = None
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Raw path -> (content key, letter_id) of every letter, for the next build to reuse."""
    notes: dict[str, list[str]] = field(default_factory=dict)
    """Raw path -> what is worth a look in a published letter (a legacy encoding, a value left
    empty), kept with the tables so that a letter kept unread keeps its notes."""

    def sources(self) -> dict[str, list[Run]]:
        """Per table, the sorted runs whose merge is this build's table."""
        sources: dict[str, list[Run]] = {table: list(self.runs.get(table, [])) for table in TABLES}
        if self.letters:
            letters = build_tables(self.letters)
            for table in TABLES:
                sources[table].append(letters[table])
        if self.previous is not None and self.kept:
            for table in TABLES:
                sources[table].append(self.previous.kept_rows(table, self.kept))
        return sources

    @property
    def same_as_previous(self) -> bool:
        """Whether this build's tables are the previous build's: every letter of that build was
        kept as it was, and no other letter was read."""
        return (
            self.previous is not None
            and not self.letters
            and not any(self.runs.values())
            and len(self.kept) == len(self.previous.origins)
        )

    def discard_runs(self) -> None:
        """Delete the spooled runs once they are merged into the tables."""
        if self.spool is not None:
            shutil.rmtree(self.spool, ignore_errors=True)
        self.runs = {}


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

    def _holds(self, tables: Mapping[str, TableFile]) -> bool:
        """Whether `tables` are the files of this cache."""
        return all(Path(table.path).parent == self.folder for table in tables.values())

    def record_release(self, tables: Mapping[str, TableFile], descriptor: Path) -> None:
        """Note that `tables`, the cache's, are the rows of the package whose datapackage.json
        is `descriptor` (staged or published from them).

        The note lives in the tables' folder, which a build with other rows replaces whole, so
        it never outlives the tables it speaks of.
        """
        if self._holds(tables):
            record = {"datapackage_sha256": sha256_file(descriptor)}
            write_atomic(self.folder / RELEASE_RECORD, json_bytes(record))

    def holds_release(self, tables: Mapping[str, TableFile], descriptor: Path) -> bool:
        """Whether `tables`, the cache's, are the rows of the package `descriptor` describes:
        a package was staged from them with exactly that datapackage.json, whose hashes pin
        every file of it. Then comparing them with that package row by row can be skipped."""
        if not self._holds(tables):
            return False
        try:
            record = json.loads((self.folder / RELEASE_RECORD).read_text(encoding="utf-8"))
            return record["datapackage_sha256"] == sha256_file(descriptor)
        except (OSError, ValueError, KeyError, TypeError):
            return False

    def build(self, rows: LetterRows) -> dict[str, TableFile]:
        """This build's tables from `rows`, kept for the next run, and the spooled runs deleted.

        When they are the previous build's, that build's files are used as they are: a
        scheduled refresh of an unchanged folder rewrites nothing.
        """
        if rows.same_as_previous:
            tables = dict(rows.previous.tables)
        else:
            tables = self.save(rows.sources(), rows.origins, rows.notes)
        rows.discard_runs()
        return tables
