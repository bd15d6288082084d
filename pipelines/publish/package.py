"""Write and validate one version of the data package: Parquet, CSV and datapackage.json.

Every table is published twice, as `<table>.parquet` (typed, compact) and `<table>.csv` (for
any tool), both described by the same Table Schema from `schemas/`. The CSV resources carry the
suffix `-csv` in their names, and their foreign keys point at the CSV `letters`, so each format
validates on its own.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import frictionless
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipelines.publish.citation import suggested_citation
from pipelines.publish.versions import CSV_SUFFIX
from pipelines.tables.files import TableLike, batches, letter_chunks, read_columns
from pipelines.tables.schemas import TABLES, table_schema
from pipelines.util import sha256_file

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"

PACKAGE_METADATA: dict[str, Any] = {
    "name": "kamerbrieven",
    "id": "https://github.com/kamerbrieven/kamerbrieven",
    "title": "Kamerbrieven: letters from the Dutch government to the Tweede Kamer",
    "description": (
        "Letters from ministers and state secretaries to the Dutch House of Representatives "
        "(Kamerbrieven), and the parliamentary papers that come with them (answers to written "
        "questions, moties, reports of written consultations), each classed in "
        "letters.doc_class by the Tweede Kamer's document classes (Document.Soort); normalized "
        "into tables: letters, paragraphs, footnotes, questions and answers, references to other "
        "parliamentary documents, signatories, offices, askers, and the portal's cases and "
        "signers."
    ),
    "homepage": "https://github.com/kamerbrieven/kamerbrieven",
    "keywords": ["Tweede Kamer", "Kamerbrieven", "parliament", "Netherlands", "open data"],
    "licenses": [
        {
            "name": "CC0-1.0",
            "path": "https://creativecommons.org/publicdomain/zero/1.0/",
            "title": "CC0 1.0 Universal",
        }
    ],
    "sources": [
        {
            "title": "Tweede Kamer der Staten-Generaal and officielebekendmakingen.nl",
            "path": "https://www.tweedekamer.nl/kamerstukken/brieven_regering",
        }
    ],
}


def created_timestamp(tables: Mapping[str, TableLike], epoch: str | None) -> str:
    """The package's `created`: SOURCE_DATE_EPOCH when given, else the newest letter date.

    Never the wall clock, so rebuilding the same input gives the same bytes.
    """
    if epoch:
        moment = datetime.fromtimestamp(int(epoch), tz=UTC)
    else:
        newest = pc.max(read_columns(tables["letters"], ["date"])["date"]).as_py()
        newest = newest or datetime(1970, 1, 1).date()
        moment = datetime(newest.year, newest.month, newest.day, tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _pandas_metadata(schema: pa.Schema) -> bytes:
    """pandas metadata that makes nullable integer columns read back as `Int64`, not float.

    frictionless validates Parquet by converting it to pandas; without this, an integer column
    with nulls arrives as floats (`1.0`, `NaN`) and fails its integer type.
    """
    empty = schema.empty_table().to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    return pa.Schema.from_pandas(empty, preserve_index=False).metadata[b"pandas"]


def _write_table(table: TableLike, folder: Path, name: str) -> None:
    """Write `table` as Parquet and CSV a chunk of letters at a time: one row group per chunk."""
    parquet_path, csv_path = folder / f"{name}.parquet", folder / f"{name}.csv"
    schema = table.schema
    metadata = {**(schema.metadata or {}), b"pandas": _pandas_metadata(schema)}
    with (
        pq.ParquetWriter(
            parquet_path, schema.with_metadata(metadata), compression="zstd",
            write_statistics=True,
        ) as parquet,
        pacsv.CSVWriter(
            csv_path, schema, write_options=pacsv.WriteOptions(quoting_style="needed")
        ) as csv,
    ):  # fmt: skip
        written = False
        for chunk in letter_chunks(batches(table)):
            parquet.write_table(chunk.replace_schema_metadata(metadata))
            csv.write_table(chunk)
            written = True
        if not written:  # an empty table still gets its one (empty) row group
            parquet.write_table(schema.with_metadata(metadata).empty_table())


def _resource(
    name: str, filename: str, fmt: str, schema: dict[str, Any], rows: int, path: Path | None
) -> dict[str, Any]:
    """A resource's descriptor; its size and hash only when the file at `path` is written."""
    resource: dict[str, Any] = {
        "name": name,
        "type": "table",
        "path": filename,
        "format": fmt,
        "mediatype": PARQUET_MEDIATYPE if fmt == "parquet" else "text/csv",
    }
    if fmt == "csv":
        # frictionless 5 counts bytes only for formats it streams itself; for Parquet it compares
        # `bytes` with None and fails, so Parquet sizes are recorded in the catalog instead.
        resource["encoding"] = "utf-8"
        if path is not None:
            resource["bytes"] = path.stat().st_size
    if path is not None:
        resource["hash"] = f"sha256:{sha256_file(path)}"
    resource.update(
        {
            "title": schema.get("title", name),
            "description": schema.get("description", ""),
            "rows": rows,
            "schema": schema,
        }
    )
    return resource


def declared_file_problems(resource: dict[str, Any], sha256: str, size: int) -> list[str]:
    """How a resource's file, hashed to `sha256` and `size` bytes long, differs from what its
    descriptor declares (`hash`, `bytes`): the one check the publish gate, the validator and
    the download client all make."""
    problems = []
    declared = resource.get("hash")
    if declared is not None and declared.removeprefix("sha256:") != sha256:
        problems.append(f"{resource['path']}: sha256 {sha256} differs from the declared {declared}")
    if "bytes" in resource and resource["bytes"] != size:
        problems.append(f"{resource['path']}: {size} bytes, not the declared {resource['bytes']}")
    return problems


def _resources(table: str, rows: int, folder: Path | None) -> tuple[dict, dict]:
    """The Parquet and the CSV resource of `table`, with file facts when written to `folder`."""
    return tuple(
        _resource(
            f"{table}{suffix}",
            f"{table}.{fmt}",
            fmt,
            _schema_for(table, suffix),
            rows,
            None if folder is None else folder / f"{table}.{fmt}",
        )  # fmt: skip
        for fmt, suffix in (("parquet", ""), ("csv", CSV_SUFFIX))
    )


def planned_resources(tables: Mapping[str, TableLike]) -> list[dict[str, Any]]:
    """The resources `write_tables` will describe, without the sizes and hashes of the files.

    Enough to decide a build's version (names, schemas, titles) before writing anything.
    """
    return _in_package_order([_resources(table, tables[table].num_rows, None) for table in TABLES])


def _in_package_order(pairs: list[tuple[dict, dict]]) -> list[dict[str, Any]]:
    """Each table's (Parquet, CSV) resources as datapackage.json lists them: Parquet ones first."""
    return [parquet for parquet, _ in pairs] + [csv for _, csv in pairs]


def _schema_for(table: str, suffix: str) -> dict[str, Any]:
    schema = table_schema(table)
    schema.pop("$schema", None)
    for key in schema.get("foreignKeys", []):
        key["reference"]["resource"] += suffix
    return schema


def write_tables(tables: Mapping[str, TableLike], folder: Path) -> list[dict[str, Any]]:
    """Write every table as Parquet and CSV into `folder`; return their resource descriptors.

    The tables are written side by side in threads: Arrow's writers and hashlib release the
    GIL, so on two cores this takes about half the time of one table after the other. Each is
    read a chunk of letters at a time, so a thread holds one chunk, never its whole table.
    """
    folder.mkdir(parents=True, exist_ok=True)

    def write(table: str) -> tuple[dict[str, Any], dict[str, Any]]:
        _write_table(tables[table], folder, table)
        return _resources(table, tables[table].num_rows, folder)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return _in_package_order(list(pool.map(write, TABLES)))


def build_descriptor(
    resources: list[dict[str, Any]], version: str, created: str, description: str | None = None
) -> dict[str, Any]:
    """The datapackage.json content for `resources`; `description` replaces the default one."""
    descriptor = {
        "$schema": PACKAGE_PROFILE,
        **PACKAGE_METADATA,
        "version": version,
        "created": created,
        "resources": resources,
    }
    if description is not None:
        descriptor["description"] = description
    descriptor["citation"] = suggested_citation(PACKAGE_METADATA, version, created)
    return descriptor


def contents_summary(letters: TableLike, references: TableLike) -> str:
    """Which classes of document (letters.doc_class) the release holds, most first, and how
    many references cite a letter it holds: the package's scope in exact numbers."""
    counts = pc.value_counts(read_columns(letters, ["doc_class"])["doc_class"]).to_pylist()
    ranked = sorted(((c["counts"], c["values"]) for c in counts), key=lambda c: (-c[0], c[1]))
    total = sum(count for count, _ in ranked)
    listed = ", ".join(f"{count} {name}" for count, name in ranked)
    cited = read_columns(references, ["cited_letter_id"])["cited_letter_id"]
    return (
        f"It holds {total} documents by class (doc_class): {listed}. "
        f"{len(cited) - cited.null_count} of {len(cited)} references cite a letter it holds "
        "(references.cited_letter_id)."
    )


def write_descriptor(
    folder: Path,
    resources: list[dict[str, Any]],
    version: str,
    created: str,
    description: str | None = None,
) -> dict[str, Any]:
    """Write datapackage.json for `resources` into `folder` and return it."""
    descriptor = build_descriptor(resources, version, created, description)
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return descriptor


def validate_package(folder: Path) -> frictionless.Report:
    """Validate the package in `folder` with frictionless: schemas, types, constraints, keys."""
    return frictionless.validate(str(folder / "datapackage.json"))
