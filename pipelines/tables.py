"""From parsed letters to Arrow tables shaped by `schemas/`."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from pipelines.extract import ParsedLetter
from pipelines.schemas import TABLES, arrow_schema, table_schema


def build_tables(letters: Iterable[ParsedLetter]) -> dict[str, pa.Table]:
    """One Arrow table per published table, rows sorted by primary key.

    Sorting makes the output independent of the order in which files were found or parsed,
    which is what keeps published files byte-identical between runs.
    """
    ordered = sorted(letters, key=lambda letter: letter.letter["letter_id"])
    tables: dict[str, pa.Table] = {}
    for table in TABLES:
        schema = arrow_schema(table)
        key = table_schema(table)["primaryKey"]
        rows = sorted(
            (row for letter in ordered for row in letter.rows(table)),
            key=lambda row: tuple(row[k] for k in key),
        )
        tables[table] = pa.Table.from_pylist(rows, schema=schema)
    return tables
