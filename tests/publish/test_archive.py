"""The zip of a release: complete, sorted, and the same bytes for the same package."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipelines.publish.archive import ZIP_EPOCH, write_zip, zip_name
from pipelines.util import sha256_file


def test_zip_holds_the_release_under_a_versioned_folder(published: Path) -> None:
    archive = published / zip_name("1.0.1")
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        assert names == sorted(names)
        release = sorted(p.name for p in (published / "1.0.1").iterdir())
        assert "kamerbrieven-1.0.1.sqlite" in release
        package = [name for name in release if name != "kamerbrieven-1.0.1.sqlite"]
        assert names == [f"kamerbrieven-1.0.1/{name}" for name in package], "not the database"
        for info in opened.infolist():
            assert info.date_time == ZIP_EPOCH
            data = opened.read(info)
            assert data == (published / "1.0.1" / info.filename.split("/", 1)[1]).read_bytes()


def test_zip_is_deterministic(published: Path, tmp_path: Path) -> None:
    again = write_zip(published / "1.0.1", tmp_path / "again.zip", "kamerbrieven-1.0.1")
    assert sha256_file(again) == sha256_file(published / zip_name("1.0.1"))


def test_zip_lives_next_to_the_release_not_inside(published: Path) -> None:
    assert not list((published / "1.0.1").glob("*.zip"))
    assert (published / "kamerbrieven-1.0.0.zip").is_file()


def test_parquet_is_stored_and_the_rest_deflated(published: Path) -> None:
    with zipfile.ZipFile(published / zip_name("1.0.1")) as opened:
        methods = {
            info.filename.rsplit("/", 1)[1]: info.compress_type for info in opened.infolist()
        }
    assert methods["letters.parquet"] == zipfile.ZIP_STORED
    assert methods["letters.csv"] == zipfile.ZIP_DEFLATED
    assert methods["datapackage.json"] == zipfile.ZIP_DEFLATED
