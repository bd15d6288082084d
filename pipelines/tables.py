"""From parsed letters to Arrow tables shaped by `schemas/`."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from pipelines.extract import ParsedLetter
from pipelines.schemas import TABLES, arrow_schema, table_schema

LETTERS_PER_BATCH = 500
"""Letters whose rows are turned into Arrow at a time while a folder is read."""


class RowBuffer:
    """Rows of letters gathered into Arrow tables a batch of letters at a time.

    Holding every letter as Python rows until the whole folder is read took most of a
    refresh's memory; Arrow keeps the same rows in a fraction of it.
    """

    def __init__(self) -> None:
        self._pending: list[ParsedLetter] = []
        self._batches: dict[str, list[pa.Table]] = {table: [] for table in TABLES}

    def add(self, letter: ParsedLetter) -> None:
        """Take one letter's rows; they are converted once a batch is full."""
        self._pending.append(letter)
        if len(self._pending) >= LETTERS_PER_BATCH:
            self._flush()

    def _flush(self) -> None:
        for table in TABLES:
            rows = [row for letter in self._pending for row in letter.rows(table)]
            self._batches[table].append(pa.Table.from_pylist(rows, schema=arrow_schema(table)))
        self._pending.clear()

    def tables(self) -> dict[str, pa.Table]:
        """Every row taken so far, per table, in the order the letters came."""
        self._flush()
        return {table: pa.concat_tables(self._batches[table]) for table in TABLES}


def sort_tables(*parts: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The parts joined into one table each, typed by schemas/ and sorted by primary key.

    Sorting makes the output independent of the order in which files were found, parsed or
    kept from an earlier build, which is what keeps published files byte-identical between
    runs, incremental or not.
    """
    tables: dict[str, pa.Table] = {}
    for table in TABLES:
        schema = arrow_schema(table)
        joined = pa.concat_tables(
            [part[table].cast(schema) for part in parts if table in part] or [schema.empty_table()]
        )
        key = table_schema(table)["primaryKey"]
        tables[table] = joined.sort_by([(column, "ascending") for column in key])
    return tables


def build_tables(
    letters: Iterable[ParsedLetter], kept_rows: dict[str, pa.Table] | None = None
) -> dict[str, pa.Table]:
    """One Arrow table per published table, rows sorted by primary key.

    `kept_rows` are rows of other letters taken as they are (from the previous build).
    """
    buffer = RowBuffer()
    for letter in letters:
        buffer.add(letter)
    return sort_tables(buffer.tables(), kept_rows or {})
