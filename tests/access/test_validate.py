"""`kamerbrieven validate`: local folders, files and URLs; readable and JSON reports; exit codes."""

from __future__ import annotations

import functools
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipelines.access.validate import INVALID, UNREADABLE, VALID, format_validation, validate_source
from pipelines.ingest.run import ingest
from pipelines.publish.package import created_timestamp, write_descriptor, write_tables
from pipelines.tables.rows import build_tables
from pipelines.tables.schemas import TABLES
from tests.conftest import RAW
from tests.test_cli import run_cli


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("package")
    tables = build_tables(ingest(RAW).letters)
    write_descriptor(folder, write_tables(tables, folder), "1.0.0", created_timestamp(tables, None))
    return folder


@pytest.fixture
def tampered(package: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "tampered"
    shutil.copytree(package, copy)
    csv = copy / "letters.csv"
    csv.write_bytes(csv.read_bytes().replace(b"2020-07-06", b"2020-13-45"))
    return copy


@pytest.fixture
def server(package: Path) -> Iterator[str]:
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(package))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_valid_folder_and_descriptor(package: Path) -> None:
    for source in (str(package), str(package / "datapackage.json")):
        result = validate_source(source)
        assert result.exit_code == VALID and result.errors == []
        assert len(result.resources) == 2 * len(TABLES)  # Parquet and CSV of each
    assert format_validation(validate_source(str(package))).startswith(f"VALID: {package}\n")


def test_tampered_data_is_invalid(tampered: Path) -> None:
    result = validate_source(str(tampered))
    assert result.exit_code == INVALID
    types = {(e["resource"], e["type"]) for e in result.errors}
    assert ("letters-csv", "type-error") in types
    assert ("letters-csv", "hash-count") in types
    report = format_validation(result)
    assert report.startswith("INVALID:")
    assert "BAD letters-csv" in report


def test_missing_package_is_unreadable(tmp_path: Path) -> None:
    result = validate_source(str(tmp_path / "nothing"))
    assert result.exit_code == UNREADABLE
    assert "no data package at" in format_validation(result)


def test_broken_descriptor_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "datapackage.json").write_text("{not json")
    assert validate_source(str(tmp_path)).exit_code == UNREADABLE


def test_package_served_over_http_validates(server: str) -> None:
    result = validate_source(server + "/")
    assert result.exit_code == VALID, result.errors
    assert {r["name"] for r in result.resources} >= {"letters", "letters-csv"}


def test_cli_exit_codes_and_json(package: Path, tampered: Path, tmp_path: Path) -> None:
    ok = run_cli("validate", str(package), cwd=tmp_path)
    assert ok.returncode == 0 and ok.stdout.startswith("VALID")
    bad = run_cli("validate", str(tampered), "--json", cwd=tmp_path)
    assert bad.returncode == 1
    report = json.loads(bad.stdout)
    assert set(report) == {"source", "valid", "exit_code", "resources", "errors"}
    assert report["valid"] is False and report["exit_code"] == 1
    gone = run_cli("validate", str(tmp_path / "gone"), cwd=tmp_path)
    assert gone.returncode == 2


def test_tampered_parquet_is_caught_by_its_hash(package: Path, tmp_path: Path) -> None:
    copy = tmp_path / "parquet-tampered"
    shutil.copytree(package, copy)
    table = pq.read_table(copy / "letters.parquet")
    pq.write_table(table, copy / "letters.parquet", compression="gzip")
    result = validate_source(str(copy))
    assert result.exit_code == INVALID
    assert [(e["resource"], e["type"]) for e in result.errors] == [("letters", "hash-count")]
    assert "BAD letters " in format_validation(result)
