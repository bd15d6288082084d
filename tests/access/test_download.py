"""The download client: round trip from a local HTTP server, and nothing kept that fails a check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipelines.access.download import DownloadError, download, plan
from pipelines.util import sha256_file
from tests.publish.test_release import snapshot


@pytest.fixture
def copy(published: Path, tmp_path: Path) -> Path:
    """A private copy of the published folder that a test may tamper with."""
    return Path(shutil.copytree(published, tmp_path / "published"))


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_round_trip_over_http(published: Path, serve_folder, tmp_path: Path) -> None:
    base = serve_folder(published)
    seen: list[str] = []
    received: list[int] = []
    target = download(base, to=tmp_path / "pkg", on_file=lambda f: seen.append(f.path),
                      on_bytes=received.append)  # fmt: skip
    assert snapshot(target) == snapshot(published / "1.0.1")
    assert sorted(seen) == sorted(snapshot(published / "1.0.1"))
    assert sum(received) == sum(len(data) for data in snapshot(target).values())
    assert _leftovers(tmp_path) == ["pkg"]


def test_a_chosen_version_from_a_local_folder(published: Path, tmp_path: Path) -> None:
    target = download(str(published), version="1.0.0", to=tmp_path / "old")
    assert snapshot(target) == snapshot(published / "1.0.0")
    assert json.loads((target / "datapackage.json").read_text())["version"] == "1.0.0"


def test_default_destination_is_named_after_the_version(
    published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert download(published.as_uri()) == Path("kamerbrieven-1.0.1")
    assert (tmp_path / "kamerbrieven-1.0.1" / "letters.parquet").is_file()


def test_tampered_file_is_rejected_and_nothing_is_kept(
    copy: Path, serve_folder, tmp_path: Path
) -> None:
    csv = copy / "1.0.1" / "signatories.csv"
    csv.write_bytes(csv.read_bytes().replace(b"Blok", b"Bluk"))
    base = serve_folder(copy)
    downloads = tmp_path / "downloads"
    with pytest.raises(DownloadError, match="signatories.csv: sha256"):
        download(base, to=downloads / "pkg")
    assert _leftovers(downloads) == []


def test_truncated_or_padded_file_is_rejected(copy: Path, tmp_path: Path) -> None:
    parquet = copy / "1.0.1" / "letters.parquet"
    parquet.write_bytes(parquet.read_bytes() + b"extra")
    with pytest.raises(DownloadError, match="letters.parquet: more than"):
        download(str(copy), to=tmp_path / "pkg")
    parquet.write_bytes(parquet.read_bytes()[:-100])
    with pytest.raises(DownloadError, match="letters.parquet: .* bytes, expected"):
        download(str(copy), to=tmp_path / "pkg")
    assert _leftovers(tmp_path) == ["published"]


def test_catalog_and_datapackage_must_agree(copy: Path, tmp_path: Path) -> None:
    """A catalog rewritten to match a tampered file is caught by datapackage.json's hashes."""
    csv = copy / "1.0.1" / "letters.csv"
    csv.write_bytes(csv.read_bytes().replace(b"Den Haag", b"Den Bosch"))
    catalog = json.loads((copy / "catalog.json").read_text())
    for entry in catalog["versions"][0]["files"]:
        if entry["path"] == "1.0.1/letters.csv":
            entry.update(sha256=sha256_file(csv), bytes=csv.stat().st_size)
    (copy / "catalog.json").write_text(json.dumps(catalog))
    with pytest.raises(DownloadError, match="letters.csv"):
        download(str(copy), to=tmp_path / "pkg")
    assert not (tmp_path / "pkg").exists()


def test_unsafe_paths_and_unknown_versions_are_refused(copy: Path, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="version 9.9.9 is not in the catalog"):
        plan(str(copy), "9.9.9")
    catalog = json.loads((copy / "catalog.json").read_text())
    catalog["versions"][0]["files"][0]["path"] = "1.0.1/../../escape.txt"
    (copy / "catalog.json").write_text(json.dumps(catalog))
    with pytest.raises(DownloadError, match="unsafe path"):
        download(str(copy), to=tmp_path / "pkg")


def test_existing_destination_is_not_overwritten(published: Path, tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    with pytest.raises(DownloadError, match="already exists"):
        download(str(published), to=tmp_path / "pkg")


def test_a_bare_package_folder_is_checked_against_its_descriptor(
    published: Path, tmp_path: Path
) -> None:
    target = download(str(published / "1.0.0"), to=tmp_path / "pkg")
    assert (target / "letters.parquet").read_bytes() == (
        published / "1.0.0" / "letters.parquet"
    ).read_bytes()


def test_unreachable_server_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="cannot fetch"):
        download("http://127.0.0.1:9/", to=tmp_path / "pkg")
    assert _leftovers(tmp_path) == []
