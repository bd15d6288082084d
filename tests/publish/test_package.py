"""Writing and validating one package version."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipelines.ingest.run import ingest
from pipelines.publish.package import (
    PARQUET_MEDIATYPE,
    created_timestamp,
    sha256_file,
    validate_package,
    write_descriptor,
    write_tables,
)
from pipelines.tables import files as tablefiles
from pipelines.tables.build import TableCache
from pipelines.tables.rows import build_tables
from pipelines.tables.schemas import TABLES, arrow_schema
from tests.conftest import RAW


@pytest.fixture(scope="module")
def tables():
    return build_tables(ingest(RAW).letters)


def _write(tables, folder: Path, epoch: str | None = None) -> dict:
    resources = write_tables(tables, folder)
    return write_descriptor(folder, resources, "1.0.0", created_timestamp(tables, epoch))


def test_package_validates_with_frictionless(tables, tmp_path: Path) -> None:
    _write(tables, tmp_path)
    report = validate_package(tmp_path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_descriptor_follows_data_package_v2(tables, tmp_path: Path) -> None:
    descriptor = _write(tables, tmp_path)
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert descriptor["licenses"][0]["name"] == "CC0-1.0"
    assert descriptor["created"] == "2020-07-06T00:00:00Z"
    names = [r["name"] for r in descriptor["resources"]]
    assert names == list(TABLES) + [f"{t}-csv" for t in TABLES]
    for resource in descriptor["resources"]:
        path = tmp_path / resource["path"]
        assert resource["type"] == "table"
        assert resource["hash"] == f"sha256:{sha256_file(path)}"
        if resource["format"] == "parquet":
            assert resource["mediatype"] == PARQUET_MEDIATYPE
        else:
            assert resource["mediatype"] == "text/csv"
            assert resource["bytes"] == path.stat().st_size
    on_disk = json.loads((tmp_path / "datapackage.json").read_text())
    assert on_disk == descriptor


def test_source_date_epoch_sets_created(tables, tmp_path: Path) -> None:
    assert _write(tables, tmp_path, epoch="1700000000")["created"] == "2023-11-14T22:13:20Z"


def test_tables_from_files_are_written_a_chunk_of_letters_at_a_time_and_as_from_memory(
    tables, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tablefiles, "LETTERS_PER_CHUNK", 1)
    files = TableCache(tmp_path / "cache").save({t: [tables[t]] for t in TABLES}, {})
    from_memory, from_files = tmp_path / "memory", tmp_path / "files"
    _write(tables, from_memory)
    _write(files, from_files)
    assert pq.ParquetFile(from_files / "letters.parquet").num_row_groups == 2, "one per letter"
    for path in sorted(from_memory.iterdir()):
        assert path.read_bytes() == (from_files / path.name).read_bytes(), path.name


def test_rebuild_is_byte_identical(tables, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    _write(tables, first)
    _write(build_tables(ingest(RAW).letters), second)
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_parquet_keeps_the_arrow_schema(tables, tmp_path: Path) -> None:
    _write(tables, tmp_path)
    for table in TABLES:
        read = pq.read_table(tmp_path / f"{table}.parquet")
        assert read.schema.remove_metadata().equals(arrow_schema(table).remove_metadata())
        assert read.num_rows == tables[table].num_rows


def test_tampered_csv_fails_validation(tables, tmp_path: Path) -> None:
    _write(tables, tmp_path)
    csv = tmp_path / "signatories.csv"
    csv.write_bytes(csv.read_bytes().replace(b"Blok", b"Bluk"))
    report = validate_package(tmp_path)
    assert not report.valid
    assert report.flatten(["type"]) == [["hash-count"]]
