"""The release as one SQLite database: every table with its keys, indexes on what people filter
by, the schemas' descriptions, and full-text search over letters and paragraphs.

Parquet and CSV serve pipelines; a journalist or clerk opens one file in Datasette, sqlite3 or
DBeaver and searches and joins without code. Everything is declared from `schemas/`, as the
Arrow schemas and the package are. The database is written from the release's tables a batch at
a time, in key order, with no timestamps, so the same tables give the same bytes. It needs the
rows only, not the package's files, so staging writes it while it writes those. Not vacuumed:
written in one transaction into a new file, it has no free pages to reclaim (a VACUUM took 18%
of the time for 1% of the size).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipelines.tables.files import TableLike, batches
from pipelines.tables.schemas import TABLES, table_schema

SQLITE_MEDIATYPE = "application/vnd.sqlite3"
_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER",
              "date": "TEXT", "datetime": "TEXT"}  # fmt: skip
"""Table Schema types as SQLite stores them; dates as ISO 8601 text, which sorts and compares."""
INDEXED = {
    "letters": ("date", "dossier_number", "parliamentary_year", "doc_type", "doc_class"),
    "offices": ("ministry_code", "name_normalized"),
    "signatories": ("name_normalized",),
    "references": ("target_id", "cited_letter_id"),
}
"""Columns people filter by, beyond the keys (which their primary key indexes)."""
SEARCHED = {"letters": ("subject", "dossier_title", "text"), "paragraphs": ("text",)}
"""Columns of the full-text indexes `<table>_search`."""
VIEWS = {
    "citations": """
        SELECT letter_id AS citing_letter_id, cited_letter_id, count(*) AS "references"
        FROM "references" WHERE cited_letter_id IS NOT NULL
        GROUP BY letter_id, cited_letter_id""",
    "letter_citations": """
        SELECT l.letter_id, l.date, l.subject,
          (SELECT count(DISTINCT cited_letter_id) FROM "references" r
           WHERE r.letter_id = l.letter_id AND r.cited_letter_id IS NOT NULL) AS cites,
          (SELECT count(DISTINCT r.letter_id) FROM "references" r
           WHERE r.cited_letter_id = l.letter_id) AS cited_by
        FROM letters l""",
}
"""The citation graph: which letter cites which (with how many references), and per letter
how many letters of the release it cites and is cited by."""
TOKENIZER = "unicode61 remove_diacritics 2"
"""Case and diacritics folded, so `financien` finds `Financiën` and `reele` finds `reële`."""
SEARCH_AUTOMERGE = 8
"""Segments an FTS5 index level holds before they are merged into the next (SQLite's default
is 4): fewer merge passes while the index is built, at the same file size and query speed
(docs/performance.md)."""


def database_name(version: str) -> str:
    """The release's database file: `kamerbrieven-<version>.sqlite`."""
    return f"kamerbrieven-{version}.sqlite"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_statement(table: str, schema: dict[str, Any]) -> str:
    """`CREATE TABLE` for `table`: columns typed, required ones NOT NULL, keys from `schemas/`."""
    columns = [
        f"{_quote(f['name'])} {_SQL_TYPES[f['type']]}"
        + (" NOT NULL" if f.get("constraints", {}).get("required") else "")
        for f in schema["fields"]
    ]
    columns.append(f"PRIMARY KEY ({', '.join(map(_quote, schema['primaryKey']))})")
    for key in schema.get("foreignKeys", []):
        reference = key["reference"]
        columns.append(
            f"FOREIGN KEY ({', '.join(map(_quote, key['fields']))}) REFERENCES "
            f"{_quote(reference['resource'])} ({', '.join(map(_quote, reference['fields']))})"
        )
    return f"CREATE TABLE {_quote(table)} (\n  " + ",\n  ".join(columns) + "\n)"


_BATCH_ROWS = 1000
"""Rows turned into Python values at a time: a letter's row holds its whole text, and a batch of
Parquet's default 65,536 rows held every letter of a 10,000-letter release in memory at once
(800 MB peak; 1,000 rows keep it near what the tables' other steps use)."""
PAGE_SIZE = 32768
"""Bytes per database page: larger pages than SQLite's 4,096 mean fewer page splits while the
tables and search indexes fill (docs/performance.md)."""


def _values(column: pa.Array) -> list[Any]:
    """A column as Python values SQLite stores: dates and times as ISO 8601 text."""
    if pa.types.is_temporal(column.type):
        return [None if v is None else v.isoformat() for v in column.to_pylist()]
    return column.to_pylist()


def _rows(table: TableLike) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of `table` as tuples of Python values, a few at a time."""
    for batch in batches(table):
        for start in range(0, batch.num_rows, _BATCH_ROWS):
            piece = batch.slice(start, _BATCH_ROWS)
            yield list(zip(*map(_values, piece.columns), strict=True))


def _describe(connection: sqlite3.Connection) -> None:
    """Tables `_tables` and `_columns` with the schemas' titles and descriptions, for tools and
    people who open the file without the data dictionary."""
    connection.execute("CREATE TABLE _tables (name TEXT PRIMARY KEY, title TEXT, description TEXT)")
    connection.execute(
        "CREATE TABLE _columns (table_name TEXT NOT NULL REFERENCES _tables (name), "
        "position INTEGER NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, title TEXT, "
        "description TEXT, PRIMARY KEY (table_name, position))"
    )
    for table in TABLES:
        schema = table_schema(table)
        connection.execute(
            "INSERT INTO _tables VALUES (?, ?, ?)",
            (table, schema.get("title"), schema.get("description")),
        )
        connection.executemany(
            "INSERT INTO _columns VALUES (?, ?, ?, ?, ?, ?)",
            [
                (table, position, f["name"], f["type"], f.get("title"), f.get("description"))
                for position, f in enumerate(schema["fields"], start=1)
            ],
        )


_STOP_CHECK_STEPS = 100_000
"""SQLite instructions between two calls of the `stop` test within a statement (one FTS5 rebuild
is a single statement of many seconds on a large release): a stop takes effect within
milliseconds."""


def write_database(
    tables: Mapping[str, TableLike], target: Path, stop: Callable[[], bool] | None = None
) -> None:
    """Write the database of a release with `tables` to `target`.

    `stop`, when given, is asked before each batch of rows and now and then while SQLite works;
    once it says true, `sqlite3.OperationalError("interrupted")` is raised, leaving `target`
    half-written. Staging starts the database before it knows whether the build is new.
    """
    target.unlink(missing_ok=True)
    connection = sqlite3.connect(target, isolation_level=None)
    if stop is not None:
        connection.set_progress_handler(stop, _STOP_CHECK_STEPS)
    try:
        connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("BEGIN")
        for table in TABLES:
            schema = table_schema(table)
            connection.execute(create_statement(table, schema))
            placeholders = ", ".join("?" for _ in schema["fields"])
            insert = f"INSERT INTO {_quote(table)} VALUES ({placeholders})"
            for rows in _rows(tables[table]):
                if stop is not None and stop():  # as SQLite says when it stops a statement
                    raise sqlite3.OperationalError("interrupted")
                connection.executemany(insert, rows)
            for column in INDEXED.get(table, ()):
                connection.execute(
                    f"CREATE INDEX {_quote(f'{table}_{column}')} "
                    f"ON {_quote(table)} ({_quote(column)})"
                )
        for table, columns in SEARCHED.items():
            search = _quote(f"{table}_search")
            connection.execute(
                f"CREATE VIRTUAL TABLE {search} USING fts5("
                f"{', '.join(map(_quote, columns))}, content={_quote(table)}, "
                f"content_rowid='rowid', tokenize='{TOKENIZER}')"
            )
            connection.execute(
                f"INSERT INTO {search} ({search}, rank) VALUES ('automerge', {SEARCH_AUTOMERGE})"
            )
            connection.execute(f"INSERT INTO {search} ({search}) VALUES ('rebuild')")
        for name, query in VIEWS.items():
            connection.execute(f"CREATE VIEW {_quote(name)} AS {query.strip()}")
        _describe(connection)
        connection.execute("COMMIT")
    finally:
        connection.close()
