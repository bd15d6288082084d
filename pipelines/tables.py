"""From parsed letters to Arrow tables shaped by `schemas/`."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from pipelines.extract import ParsedLetter
from pipelines.schemas import TABLES, arrow_schema, table_schema


def build_tables(
    letters: Iterable[ParsedLetter], kept_rows: dict[str, pa.Table] | None = None
) -> dict[str, pa.Table]:
    """One Arrow table per published table, rows sorted by primary key.

    `kept_rows` are rows of other letters taken as they are (from the previous build). Sorting
    makes the output independent of the order in which files were found, parsed or kept, which
    is what keeps published files byte-identical between runs, incremental or not.
    """
    letters = list(letters)
    tables: dict[str, pa.Table] = {}
    for table in TABLES:
        schema = arrow_schema(table)
        built = pa.Table.from_pylist(
            [row for letter in letters for row in letter.rows(table)], schema=schema
        )
        if kept_rows:
            built = pa.concat_tables([kept_rows[table].cast(schema), built])
        key = table_schema(table)["primaryKey"]
        tables[table] = built.sort_by([(column, "ascending") for column in key])
    return tables
