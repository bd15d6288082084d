"""Tables on disk, sorted by primary key, walked a chunk of whole letters at a time.

The tables of a large corpus are gigabytes of Arrow, and every step that held them whole
(sorting, writing, diffing against the last release, checking) added its own copy
(docs/performance.md). Every table's primary key starts with `letter_id`, so rows sorted by
key are grouped by letter. That lets each step read a table as a stream of batches and cut it
into chunks of whole letters, holding one chunk at a time:

- `TableFile` is a table in an Arrow IPC or Parquet file, read batch by batch;
- `KeyCursor` hands out the rows of a sorted stream up to a given letter, which is how two
  streams (a build and the last release, or sorted runs) are walked side by side;
- `merge_sorted` merges sorted runs into one sorted stream (an external merge sort);
- `letter_chunks` cuts a stream into chunks of `LETTERS_PER_CHUNK` letters. The cut depends on
  the rows only, never on how they were batched, so a table written from memory and the same
  table merged from runs give byte-identical files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

LETTER_KEY = "letter_id"
LETTERS_PER_CHUNK = 1000
"""Letters per chunk: one Parquet row group, and what a streaming step holds at a time."""


class UnsortedError(ValueError):
    """Rows that should be sorted by letter_id are not."""


@dataclass(frozen=True)
class TableFile:
    """A table in an Arrow IPC (`.arrow`) or Parquet (`.parquet`) file, read batch by batch.

    Read into memory a batch at a time rather than memory-mapped: a mapped file's pages count
    as the process's memory once touched, so walking a mapped table costs as much as loading it.
    """

    path: str

    def _parquet(self) -> bool:
        return self.path.endswith(".parquet")

    @property
    def num_rows(self) -> int:
        """Rows in the file, from its footer."""
        if self._parquet():
            return pq.ParquetFile(self.path).metadata.num_rows
        with pa.memory_map(self.path) as source:  # only the batches' headers are read
            return pa.ipc.open_file(source).count_rows()

    @property
    def schema(self) -> pa.Schema:
        """The Arrow schema stored in the file."""
        if self._parquet():
            return pq.read_schema(self.path)
        with pa.OSFile(self.path) as source:
            return pa.ipc.open_file(source).schema

    def batches(self) -> Iterator[pa.RecordBatch]:
        """The rows in file order, one stored batch (IPC) or row group (Parquet) at a time."""
        if self._parquet():
            parquet = pq.ParquetFile(self.path)
            for group in range(parquet.num_row_groups):
                yield from parquet.read_row_group(group).to_batches()
            return
        with pa.OSFile(self.path) as source:
            reader = pa.ipc.open_file(source)
            for index in range(reader.num_record_batches):
                yield reader.get_batch(index)

    def read(self) -> pa.Table:
        """The whole table; for small tables and tests."""
        return pa.Table.from_batches(list(self.batches()), schema=self.schema)

    def read_columns(self, columns: list[str]) -> pa.Table:
        """Only `columns`, without reading the others' data.

        An IPC file is memory-mapped here, so only the pages of these columns are touched; they
        are copied out before the map is closed.
        """
        if self._parquet():
            return pq.read_table(self.path, columns=columns)
        with pa.memory_map(self.path) as source:
            reader = pa.ipc.open_file(source)
            parts = [reader.get_batch(i).select(columns) for i in range(reader.num_record_batches)]
            schema = pa.schema([reader.schema.field(column) for column in columns])
            return pa.Table.from_batches(parts, schema).combine_chunks()


TableLike = pa.Table | TableFile
"""A table held in memory or in a file; every streaming step accepts both."""


def batches(table: TableLike) -> Iterator[pa.RecordBatch]:
    """The rows of `table` as record batches, in order."""
    if isinstance(table, TableFile):
        return table.batches()
    return iter(table.to_batches())


def read_table(table: TableLike) -> pa.Table:
    """`table` whole, in memory."""
    return table.read() if isinstance(table, TableFile) else table


def read_columns(table: TableLike, columns: list[str]) -> pa.Table:
    """Only `columns` of `table`; of a file, the other columns are never read."""
    return table.read_columns(columns) if isinstance(table, TableFile) else table.select(columns)


class KeyCursor:
    """A stream of batches sorted by letter_id, handed out up to a given letter at a time.

    Checks the order as it goes: a stream that is not sorted raises `UnsortedError` rather than
    silently pairing the wrong rows.
    """

    def __init__(self, stream: Iterable[pa.RecordBatch]) -> None:
        self._stream = iter(stream)
        self._head: pa.RecordBatch | None = None
        self._last: str | None = None

    def _fill(self) -> bool:
        """Load the next non-empty batch when the current one is used up; False at the end."""
        while self._head is None or not self._head.num_rows:
            self._head = next(self._stream, None)
            if self._head is None:
                return False
            if self._head.num_rows:
                self._check_order(self._head.column(LETTER_KEY))
        return True

    def _check_order(self, keys: pa.Array) -> None:
        ordered = pc.all(pc.less_equal(keys.slice(0, len(keys) - 1), keys.slice(1))).as_py()
        if ordered is False or (self._last is not None and keys[0].as_py() < self._last):
            raise UnsortedError("rows are not sorted by letter_id")
        self._last = keys[-1].as_py()

    def head_last(self) -> str | None:
        """The letter_id of the last row in the current batch, or None when nothing is left."""
        return self._head.column(LETTER_KEY)[-1].as_py() if self._fill() else None

    def through(self, last: str | None) -> list[pa.RecordBatch]:
        """The next rows whose letter_id is at most `last`; every row left when `last` is None."""
        taken: list[pa.RecordBatch] = []
        while self._fill():
            head = self._head
            if last is None:
                count = head.num_rows
            else:
                count = pc.sum(pc.less_equal(head.column(LETTER_KEY), last)).as_py() or 0
            taken.append(head.slice(0, count))
            self._head = head.slice(count)
            if count < head.num_rows:
                break
        return [batch for batch in taken if batch.num_rows]


def merge_sorted(
    runs: Iterable[Iterable[pa.RecordBatch]], schema: pa.Schema, key: list[str]
) -> Iterator[pa.Table]:
    """Runs sorted by `key` merged into one stream sorted by `key`, in pieces of whole letters.

    Each step takes, from every run, the rows up to the smallest last letter among the runs'
    current batches, so at least one batch is used up per step and at most one batch per run
    is held.
    """
    cursors = [KeyCursor(run) for run in runs]
    order = [(column, "ascending") for column in key]
    while True:
        lasts = [last for cursor in cursors if (last := cursor.head_last()) is not None]
        if not lasts:
            return
        bound = min(lasts)
        taken = [parts for cursor in cursors if (parts := cursor.through(bound))]
        merged = pa.Table.from_batches([batch for parts in taken for batch in parts], schema)
        # rows from one run are sorted already: the usual case when most letters are kept
        yield merged if len(taken) == 1 else merged.sort_by(order)


def letter_chunks(
    stream: Iterable[pa.RecordBatch | pa.Table], per_chunk: int | None = None
) -> Iterator[pa.Table]:
    """Rows sorted by letter_id regrouped into tables of `per_chunk` whole letters each.

    Where the cuts fall depends on the letters alone, not on the batches they came in.
    """
    per_chunk = per_chunk or LETTERS_PER_CHUNK
    pending: list[pa.RecordBatch] = []
    letters = 0
    previous: str | None = None
    for piece in stream:
        for batch in piece.to_batches() if isinstance(piece, pa.Table) else [piece]:
            while batch.num_rows:
                keys = batch.column(LETTER_KEY)
                before = pa.array([previous], keys.type)
                shifted = pa.concat_arrays([before, keys.slice(0, len(keys) - 1)])
                starts = pc.indices_nonzero(pc.fill_null(pc.not_equal(keys, shifted), True))
                if letters + len(starts) <= per_chunk:
                    pending.append(batch)
                    letters += len(starts)
                    previous = keys[-1].as_py()
                    break
                cut = starts[per_chunk - letters].as_py()
                pending.append(batch.slice(0, cut))
                yield pa.Table.from_batches(pending)
                pending, letters, previous = [], 0, None
                batch = batch.slice(cut)
    if pending:
        yield pa.Table.from_batches(pending)


def write_table_file(
    path: Path, schema: pa.Schema, chunks: Iterable[pa.Table | pa.RecordBatch]
) -> TableFile:
    """Write `chunks` to an Arrow IPC file at `path`, each as one record batch.

    One batch per chunk, not the many small pieces a merged chunk is made of: every later step
    pays per batch it reads.
    """
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
        for chunk in chunks:
            writer.write(chunk.combine_chunks() if isinstance(chunk, pa.Table) else chunk)
    return TableFile(str(path))
