"""`kamerbrieven explore`: a release's SQLite database in Datasette on 127.0.0.1.

Datasette gives a person search, facets, joins and SQL in a browser without installing anything
else; the metadata it shows (titles, descriptions, licence, source) and the canned queries come
from `schemas/` and the package, so the browser says what the data dictionary says.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pipelines.publish.database import SEARCHED, database_name
from pipelines.publish.package import PACKAGE_METADATA
from pipelines.tables.schemas import TABLES, table_schema

QUERIES = {
    "letters_per_ministry_per_year": {
        "title": "Letters per ministry and vergaderjaar",
        "sql": (
            "select o.ministry_code, l.parliamentary_year, count(distinct l.letter_id) as letters "
            "from offices o join letters l using (letter_id) where o.relation = 'signer' "
            "group by 1, 2 order by 1, 2"
        ),
    },
    "letters_per_minister_per_year": {
        "title": "Letters per minister and vergaderjaar",
        "sql": (
            "select o.name_normalized, o.function, o.portfolio, l.parliamentary_year, "
            "count(distinct l.letter_id) as letters from offices o join letters l "
            "using (letter_id) where o.relation = 'signer' and o.name_normalized is not null "
            "group by 1, 2, 3, 4 order by 1, 4"
        ),
    },
    "most_cited_letters": {
        "title": "Most cited letters",
        "sql": (
            "select letter_id, date, subject, cited_by from letter_citations "
            "where cited_by > 0 order by cited_by desc, letter_id limit 100"
        ),
    },
    "dossier_letters": {
        "title": "A dossier's letters in order",
        "sql": (
            "select letter_id, document_number, date, doc_class, subject from letters "
            "where dossier_number = :dossier order by date, letter_id"
        ),
    },
}
"""Questions people ask first, ready to run (the dossier one takes `dossier`, e.g. 33783)."""


def datasette_metadata(version: str) -> dict[str, Any]:
    """Datasette metadata for the release's database: licence, source, every table's and
    column's description, full-text search on letters and paragraphs, the canned queries."""
    tables: dict[str, Any] = {}
    for table in TABLES:
        schema = table_schema(table)
        tables[table] = {
            "title": schema.get("title", table),
            "description": schema.get("description", ""),
            "columns": {f["name"]: f.get("description", "") for f in schema["fields"]},
        }
        if table in SEARCHED:
            tables[table] |= {"fts_table": f"{table}_search", "fts_pk": "rowid"}
    licence = PACKAGE_METADATA["licenses"][0]
    source = PACKAGE_METADATA["sources"][0]
    return {
        "title": PACKAGE_METADATA["title"],
        "description": f"Release {version}",
        "license": licence["title"],
        "license_url": licence["path"],
        "source": source["title"],
        "source_url": source["path"],
        "databases": {Path(database_name(version)).stem: {"tables": tables, "queries": QUERIES}},
    }


def explore_command(database: Path, metadata: Path, port: int) -> list[str]:
    """The Datasette command serving `database` with `metadata` on 127.0.0.1:`port` (0: any
    free port), read-only (immutable), so exploring never changes a release."""
    return [
        sys.executable, "-m", "datasette", "serve", "--immutable", str(database),
        "--metadata", str(metadata), "--host", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip


def write_metadata(folder: Path, version: str) -> Path:
    """Write the Datasette metadata of `version` into `folder`; its path."""
    path = folder / "datasette.json"
    path.write_text(json.dumps(datasette_metadata(version), indent=2, ensure_ascii=False))
    return path
