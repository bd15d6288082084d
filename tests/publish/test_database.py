"""The release's SQLite database: the same rows as the Parquet files, keys, descriptions and
full-text search with folded diacritics, written byte-identically from the same tables."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipelines.ingest.run import ingest
from pipelines.publish.database import (
    PAGE_SIZE,
    SEARCH_AUTOMERGE,
    SEARCHED,
    database_name,
    write_database,
)
from pipelines.tables.files import TableFile
from pipelines.tables.rows import build_tables
from pipelines.tables.schemas import TABLES, table_schema
from tests.conftest import SEED_PDF
from tests.releases import publish
from tests.tables.test_citations import CITING

SEED_WITHOUT_HEADER = "doc-1f03854c2146ca53"


@pytest.fixture
def database(published: Path) -> sqlite3.Connection:
    version = json.loads((published / "latest" / "datapackage.json").read_text())["version"]
    path = published / "latest" / database_name(version)
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    yield connection
    connection.close()


def _latest_tables(published: Path) -> dict[str, TableFile]:
    """The latest release's tables, read from its Parquet files."""
    return {table: TableFile(str(published / "latest" / f"{table}.parquet")) for table in TABLES}


def _plain(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def test_every_table_holds_the_rows_of_its_parquet_file(
    published: Path, database: sqlite3.Connection
) -> None:
    for table in TABLES:
        schema = table_schema(table)
        names = [f["name"] for f in schema["fields"]]
        expected = [
            tuple(_plain(row[name]) for name in names)
            for row in pq.read_table(published / "latest" / f"{table}.parquet").to_pylist()
        ]
        key = ", ".join(f'"{k}"' for k in schema["primaryKey"])
        columns = ", ".join(f'"{n}"' for n in names)
        got = database.execute(f'SELECT {columns} FROM "{table}" ORDER BY {key}').fetchall()
        assert got == expected, table


def test_keys_and_descriptions_come_from_the_schemas(database: sqlite3.Connection) -> None:
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []
    assert database.execute("PRAGMA page_size").fetchone() == (PAGE_SIZE,)
    for table in TABLES:
        schema = table_schema(table)
        info = database.execute(f'PRAGMA table_info("{table}")').fetchall()
        assert [row[1] for row in info if row[5]] == schema["primaryKey"]
        references = database.execute(f'PRAGMA foreign_key_list("{table}")').fetchall()
        assert [(r[2], r[3], r[4]) for r in references] == [
            (k["reference"]["resource"], f, k["reference"]["fields"][0])
            for k in schema.get("foreignKeys", [])
            for f in k["fields"]
        ]
        assert database.execute(
            "SELECT description FROM _tables WHERE name = ?", (table,)
        ).fetchone() == (schema["description"],)
        described = database.execute(
            "SELECT name, description FROM _columns WHERE table_name = ? ORDER BY position",
            (table,),
        ).fetchall()
        assert described == [(f["name"], f.get("description")) for f in schema["fields"]]
    indexes = {row[0] for row in database.execute("SELECT name FROM sqlite_master")}
    assert {"letters_date", "letters_dossier_number", "offices_ministry_code"} <= indexes


def test_full_text_search_folds_case_and_diacritics(database: sqlite3.Connection) -> None:
    """The seed prints `reële`; a search for `REELE` finds it, in the letter and its paragraph."""
    found = database.execute(
        "SELECT letter_id FROM letters WHERE rowid IN "
        "(SELECT rowid FROM letters_search WHERE letters_search MATCH 'REELE')"
    ).fetchall()
    assert found == [(SEED_WITHOUT_HEADER,)]
    paragraphs = database.execute(
        "SELECT p.letter_id, p.text FROM paragraphs_search s "
        "JOIN paragraphs p ON p.rowid = s.rowid WHERE paragraphs_search MATCH 'reele'"
    ).fetchall()
    assert [(letter, "reële" in text) for letter, text in paragraphs] == [
        (SEED_WITHOUT_HEADER, True)
    ]
    nucleair = database.execute(
        "SELECT count(*) FROM letters_search WHERE letters_search MATCH 'kernwapens'"
    ).fetchone()
    assert nucleair == (1,)


def test_the_search_indexes_agree_with_their_tables(published: Path, tmp_path: Path) -> None:
    version = json.loads((published / "latest" / "datapackage.json").read_text())["version"]
    copy = tmp_path / "copy.sqlite"  # the integrity check is a write statement
    shutil.copy(published / "latest" / database_name(version), copy)
    connection = sqlite3.connect(copy)
    try:
        for table in SEARCHED:
            search = f"{table}_search"
            # rank 1: every indexed row is also checked against its row in the content table
            connection.execute(
                f"INSERT INTO {search} ({search}, rank) VALUES ('integrity-check', 1)"
            )
            setting = connection.execute(f"SELECT v FROM {search}_config WHERE k = 'automerge'")
            assert setting.fetchone() == (SEARCH_AUTOMERGE,)
    finally:
        connection.close()


def test_a_database_told_to_stop_stops(published: Path, tmp_path: Path) -> None:
    tables = _latest_tables(published)
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        write_database(tables, tmp_path / "stopped.sqlite", stop=lambda: True)


def test_the_same_tables_give_the_same_bytes(published: Path, tmp_path: Path) -> None:
    tables = _latest_tables(published)
    write_database(tables, tmp_path / "a.sqlite")
    write_database(tables, tmp_path / "b.sqlite")
    assert (tmp_path / "a.sqlite").read_bytes() == (tmp_path / "b.sqlite").read_bytes()


def test_the_citation_graph_between_two_published_letters(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED_PDF, raw / SEED_PDF.name)
    (raw / "kst-33783-41.txt").write_text(CITING, encoding="utf-8")
    staged = publish(build_tables(ingest(raw).letters), tmp_path / "published")
    connection = sqlite3.connect(tmp_path / "published" / "latest" / database_name(staged.version))
    try:
        edges = connection.execute(
            "SELECT citing_letter_id, cited_letter_id FROM citations ORDER BY 1"
        ).fetchall()
        counts = connection.execute(
            "SELECT letter_id, cites, cited_by FROM letter_citations ORDER BY 1"
        ).fetchall()
    finally:
        connection.close()
    assert edges == [("kst-33783-41", "kst-33783-46"), ("kst-33783-46", "kst-33783-41")]
    assert counts == [("kst-33783-41", 1, 1), ("kst-33783-46", 1, 1)]
    descriptor = json.loads((tmp_path / "published" / "latest" / "datapackage.json").read_text())
    references = pq.read_table(tmp_path / "published" / "latest" / "references.parquet")
    resolved = references.num_rows - references["cited_letter_id"].null_count
    assert (
        f"{resolved} of {references.num_rows} references cite a letter it holds"
        in descriptor["description"]
    )
    assert resolved >= 3
