"""From parsed letters to Arrow tables shaped by `schemas/`, sorted by primary key on disk.

Letters arrive in ingest order, a batch at a time. Each batch's rows become Arrow tables, are
sorted and written as a run (`RowSpool`); `merge_tables` merges the runs, with any rows kept
from the previous build, into one file per table. Memory holds one batch of letters and one
batch per run, however many letters there are.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyarrow as pa

from pipelines.extract import ParsedLetter
from pipelines.tables.citations import CitationTargets
from pipelines.tables.files import (
    TableFile,
    TableLike,
    batches,
    letter_chunks,
    merge_sorted,
    write_table_file,
)
from pipelines.tables.schemas import TABLES, arrow_schema, table_schema

LETTERS_PER_BATCH = 500
"""Letters whose rows are turned into Arrow at a time."""
LETTERS_PER_RUN = 4000
"""Letters written as one sorted run. Fewer, longer runs make the merge cheaper: each of its
steps looks at every run (docs/performance.md)."""
RUN_BATCH_BYTES = 1 << 20
"""Size of the batches a run is written in: a merge holds one such batch per run."""

Run = TableLike | Iterable[pa.RecordBatch]
"""Rows sorted by primary key: a table, a table file, or a stream of batches."""


def primary_key(table: str) -> list[str]:
    """The primary key columns of `table`, from its Table Schema."""
    return table_schema(table)["primaryKey"]


class RowSpool:
    """Rows of letters written to `folder` as sorted runs, a batch of letters at a time.

    Holding every letter's rows until the folder was read took most of a refresh's memory.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._pending: list[ParsedLetter] = []
        self._converted: dict[str, list[pa.Table]] = {table: [] for table in TABLES}
        self._letters_converted = 0
        self.runs: dict[str, list[TableFile]] = {table: [] for table in TABLES}

    def add(self, letter: ParsedLetter) -> None:
        """Take one letter's rows; they are converted once a batch is full, written per run."""
        self._pending.append(letter)
        if len(self._pending) >= LETTERS_PER_BATCH:
            self._convert()
        if self._letters_converted >= LETTERS_PER_RUN:
            self._write_run()

    def _convert(self) -> None:
        for table in TABLES:
            rows = [row for letter in self._pending for row in letter.rows(table)]
            schema = arrow_schema(table)
            columns = {name: [row.get(name) for row in rows] for name in schema.names}
            self._converted[table].append(pa.Table.from_pydict(columns, schema=schema))
        self._letters_converted += len(self._pending)
        self._pending.clear()

    def _write_run(self) -> None:
        self._convert()
        if not self._letters_converted:
            return
        number = len(self.runs["letters"])
        for table in TABLES:
            run = pa.concat_tables(self._converted[table])
            self._converted[table] = []
            run = run.sort_by([(column, "ascending") for column in primary_key(table)])
            per_batch = max(1, run.num_rows * RUN_BATCH_BYTES // max(run.nbytes, 1))
            path = self.folder / f"{table}-{number:06d}.arrow"
            self.runs[table].append(write_table_file(path, run.schema, run.to_batches(per_batch)))
        self._letters_converted = 0

    def finish(self) -> dict[str, list[TableFile]]:
        """Every run written, per table."""
        self._write_run()
        return self.runs


def merge_tables(sources: Mapping[str, Sequence[Run]], folder: Path) -> dict[str, TableFile]:
    """One file per table in `folder`: every source's rows, merged and sorted by primary key.

    Sorting makes the output independent of the order in which files were found, parsed or
    kept from an earlier build, which is what keeps published files byte-identical between
    runs, incremental or not. References are resolved against the merged letters
    (`CitationTargets`), kept ones too.
    """
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for table in TABLES:
        schema = arrow_schema(table)
        runs = [
            (batch.cast(schema) for batch in batches(run))
            if isinstance(run, (pa.Table, TableFile))
            else run
            for run in sources.get(table, [])
        ]
        merged = letter_chunks(merge_sorted(runs, schema, primary_key(table)))
        if table == "references":
            merged = map(CitationTargets(files["letters"]).resolve, merged)
        files[table] = write_table_file(folder / f"{table}.arrow", schema, merged)
    return files


def build_tables(letters: Iterable[ParsedLetter]) -> dict[str, pa.Table]:
    """One Arrow table per published table, rows sorted by primary key, held in memory.

    Goes through the same runs and merge as a refresh, so tests see what a refresh publishes.
    """
    with tempfile.TemporaryDirectory(prefix="kamerbrieven-tables-") as scratch:
        spool = RowSpool(Path(scratch) / "runs")
        for letter in letters:
            spool.add(letter)
        files = merge_tables(spool.finish(), Path(scratch) / "tables")
        return {table: file.read() for table, file in files.items()}
