"""catalog.json: every version with its files, sizes, row counts and hashes."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from pipelines.publish.catalog import build_catalog, released_versions
from pipelines.publish.release import publish_site
from pipelines.tables.schemas import TABLES
from pipelines.util import sha256_file, write_atomic


def test_catalog_lists_every_file_with_its_hash_and_size(published: Path) -> None:
    catalog = json.loads((published / "catalog.json").read_text())
    assert catalog["latest"] == "1.0.1"
    assert [v["version"] for v in catalog["versions"]] == ["1.0.1", "1.0.0"]
    for version in catalog["versions"]:
        listed = {f["path"] for f in version["files"]}
        on_disk = {
            p.relative_to(published).as_posix() for p in (published / version["version"]).iterdir()
        }
        assert listed == on_disk
        for entry in [*version["files"], version["zip"]]:
            path = published / entry["path"]
            assert entry["bytes"] == path.stat().st_size
            assert entry["sha256"] == sha256_file(path)
        for entry in version["files"]:
            if entry.get("format") == "parquet":
                rows = pq.read_metadata(published / entry["path"]).num_rows
                assert entry["rows"] == rows == version["rows"][entry["resource"]]
    newest = catalog["versions"][0]
    assert newest["summary"] == "0 letters added, 1 changed, 0 removed"
    assert newest["period"] == {"start": "2020-07-06", "end": "2020-07-06"}


def test_catalog_is_rebuilt_identically(published: Path) -> None:
    on_disk = json.loads((published / "catalog.json").read_text())
    assert build_catalog(published) == on_disk


def test_versions_sort_as_numbers(tmp_path: Path) -> None:
    for version in ("1.9.0", "1.10.0", "2.0.0", "notes"):
        (tmp_path / version).mkdir()
        (tmp_path / version / "datapackage.json").write_text("{}")
    (tmp_path / "1.11.0").mkdir()
    assert released_versions(tmp_path) == ["2.0.0", "1.10.0", "1.9.0"]


def test_atomic_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "catalog.json"
    write_atomic(target, b"{}\n")
    write_atomic(target, b'{"a": 1}\n')
    assert [p.name for p in tmp_path.iterdir()] == ["catalog.json"]
    assert target.read_bytes() == b'{"a": 1}\n'


def test_releases_from_before_zips_and_changelogs_are_listed(
    published: Path, tmp_path: Path
) -> None:
    """A release folder holding only the package (as early releases did) still gets a page."""
    legacy = tmp_path / "1.0.0"
    legacy.mkdir()
    for path in (published / "1.0.0").iterdir():
        if path.suffix in (".parquet", ".csv") or path.name == "datapackage.json":
            (legacy / path.name).write_bytes(path.read_bytes())
    catalog = publish_site(tmp_path)
    version = catalog["versions"][0]
    assert (version["zip"], version["summary"]) == (None, None)
    assert len(version["files"]) == 2 * len(TABLES) + 1  # Parquet and CSV, datapackage.json
    assert "kamerbrieven-1.0.0.zip" not in (tmp_path / "index.html").read_text()
    assert json.loads((tmp_path / "dcat.jsonld").read_text())["@graph"][0]["@type"] == (
        "dcat:Catalog"
    )
