"""Releases: deterministic, immutable, versioned by what changed, published only when valid."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from pipelines.ingest.run import ingest
from pipelines.publish import release
from pipelines.publish.release import promote, recover, stage
from pipelines.tables.rows import build_tables
from tests.conftest import RAW, SEED_PDF
from tests.publish.test_changelog import _without
from tests.releases import CHANGED_LETTER, publish, stage_a_short_paragraphs_csv, with_subject
from tests.test_cli import run_cli

SITE_FILES = ["catalog.json", "dcat.jsonld", "index.html"]
RELEASE_NAME = re.compile(r"\d+\.\d+\.\d+|latest|kamerbrieven-\d+\.\d+\.\d+\.zip")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every published file under `folder` by relative path, with its bytes.

    Hidden files (staging, lock files of running refreshes) are not published and left out.
    """
    files = (p for p in sorted(folder.rglob("*")) if p.is_file())
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in files
        if not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


def release_files(out: Path) -> dict[str, bytes]:
    """The release folders, zips and catalog files under `out`, leaving out operational files."""
    return {
        path: data
        for path, data in snapshot(out).items()
        if path in SITE_FILES or RELEASE_NAME.fullmatch(path.split("/")[0])
    }


def test_same_input_gives_identical_bytes_and_no_second_version(seed_tables, tmp_path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    publish(seed_tables, first)
    publish(build_tables(ingest(RAW).letters), second)
    assert snapshot(first) == snapshot(second)
    assert sorted(p.name for p in first.iterdir()) == sorted(
        ["1.0.0", "latest", "kamerbrieven-1.0.0.zip", *SITE_FILES]
    )
    before = snapshot(first)
    staged = publish(seed_tables, first)
    assert staged.unchanged and staged.version == "1.0.0"
    assert snapshot(first) == before
    assert not (first / ".staging").exists()


def test_unchanged_build_writes_nothing_and_is_the_latest_release(seed_tables, tmp_path) -> None:
    publish(seed_tables, tmp_path)
    staged = stage(build_tables(ingest(RAW).letters), tmp_path)
    assert (staged.unchanged, staged.version, staged.zip) == (True, "1.0.0", "")
    assert Path(staged.path) == tmp_path / "1.0.0"
    assert not list((tmp_path / ".staging").glob("*")), "an unchanged build stages no files"


def _database_until_stopped(stopped: list[bool]):
    """A stand-in for write_database that writes nothing and returns only when told to stop (or
    after 30 s, noting that it never was)."""

    def write(tables, target: Path, stop=None) -> None:
        deadline = time.monotonic() + 30
        while not (stop is not None and stop()) and time.monotonic() < deadline:
            time.sleep(0.01)
        stopped.append(stop is not None and stop())
        raise sqlite3.OperationalError("interrupted")

    return write


def test_the_database_started_beside_the_comparison_is_stopped_when_unchanged(
    seed_tables, tmp_path, monkeypatch
) -> None:
    publish(seed_tables, tmp_path)
    stopped: list[bool] = []
    monkeypatch.setattr(release, "write_database", _database_until_stopped(stopped))
    staged = stage(build_tables(ingest(RAW).letters), tmp_path)
    assert staged.unchanged and stopped == [True]
    assert not list((tmp_path / ".staging").glob("*"))


def test_a_failed_staging_stops_its_database_and_removes_the_build(
    seed_tables, tmp_path, monkeypatch
) -> None:
    stopped: list[bool] = []
    monkeypatch.setattr(release, "write_database", _database_until_stopped(stopped))

    def broken(tables, folder):
        raise OSError("disk full")

    monkeypatch.setattr(release, "write_tables", broken)
    with pytest.raises(OSError, match="disk full"):
        stage(seed_tables, tmp_path)
    assert stopped == [True]
    assert not list((tmp_path / ".staging").glob("*"))


def test_staging_an_unchanged_build_leaves_the_catalog_pages_alone(seed_tables, tmp_path) -> None:
    publish(seed_tables, tmp_path)
    pages = ("catalog.json", "dcat.jsonld", "index.html")
    before = {name: (tmp_path / name).stat() for name in pages}
    recover(tmp_path)
    stage(seed_tables, tmp_path)
    after = {name: (tmp_path / name).stat() for name in pages}
    assert {name: (s.st_ino, s.st_mtime_ns) for name, s in after.items()} == {
        name: (s.st_ino, s.st_mtime_ns) for name, s in before.items()
    }


def test_changed_letter_is_a_new_version_that_names_it(seed_tables, tmp_path) -> None:
    publish(seed_tables, tmp_path)
    old = snapshot(tmp_path / "1.0.0")
    staged = publish(with_subject(seed_tables, CHANGED_LETTER, "Corrected subject"), tmp_path)
    assert (staged.version, staged.unchanged) == ("1.0.1", False)
    assert snapshot(tmp_path / "1.0.0") == old, "a release is never rewritten"
    assert snapshot(tmp_path / "latest") == snapshot(tmp_path / "1.0.1")
    changelog = json.loads((tmp_path / "1.0.1" / "changelog.json").read_text())
    assert [c["letter_id"] for c in changelog["letters"]["changed"]] == [CHANGED_LETTER]
    descriptor = json.loads((tmp_path / "latest" / "datapackage.json").read_text())
    assert descriptor["version"] == "1.0.1"
    assert descriptor["description"].endswith(
        "Version 1.0.1 (against 1.0.0): 0 letters added, 1 changed, 0 removed. "
        "It holds 2 documents by class (doc_class): 2 Brief regering. "
        "0 of 11 references cite a letter it holds (references.cited_letter_id)."
    )
    catalog = json.loads((tmp_path / "catalog.json").read_text())
    assert [v["version"] for v in catalog["versions"]] == ["1.0.1", "1.0.0"]


def test_new_letter_is_a_minor_release(seed_tables, tmp_path) -> None:
    publish(_without(seed_tables, CHANGED_LETTER), tmp_path)
    staged = publish(seed_tables, tmp_path)
    assert staged.version == "1.1.0"
    changelog = json.loads((tmp_path / "1.1.0" / "changelog.json").read_text())
    assert changelog["letters"]["added"] == [CHANGED_LETTER]
    assert "1.1.0 (minor, " in (tmp_path / "1.1.0" / "CHANGELOG.md").read_text()


def test_latest_shares_its_files_with_the_release_and_moves_on(seed_tables, tmp_path) -> None:
    publish(seed_tables, tmp_path)
    first = snapshot(tmp_path / "1.0.0")
    for name in first:
        linked = (tmp_path / "latest" / name).stat()
        assert linked.st_ino == (tmp_path / "1.0.0" / name).stat().st_ino, name
    publish(with_subject(seed_tables, CHANGED_LETTER, "New subject"), tmp_path)
    assert snapshot(tmp_path / "1.0.0") == first, "the old release is untouched"
    assert snapshot(tmp_path / "latest") == snapshot(tmp_path / "1.0.1")
    assert snapshot(tmp_path / "latest") != first


def test_an_existing_release_is_never_overwritten(seed_tables, tmp_path) -> None:
    publish(seed_tables, tmp_path)
    staged = stage(with_subject(seed_tables, CHANGED_LETTER, "x"), tmp_path)
    (tmp_path / staged.version).mkdir()
    (tmp_path / staged.version / "datapackage.json").write_text("{}")
    with pytest.raises(FileExistsError):
        promote(staged, tmp_path)
    assert (tmp_path / staged.version / "datapackage.json").read_text() == "{}"
    assert json.loads((tmp_path / "latest" / "datapackage.json").read_text())["version"] == "1.0.0"


def test_refresh_end_to_end(tmp_path: Path) -> None:
    """Two refreshes of the same raw folder leave the same bytes; an edited letter is named."""
    shutil.copytree(RAW, tmp_path / "raw")
    out = tmp_path / "published"
    assert run_cli("refresh", cwd=tmp_path).returncode == 0
    first = release_files(out)
    again = run_cli("refresh", cwd=tmp_path)
    assert again.returncode == 0 and "Nothing changed" in again.stderr
    assert release_files(out) == first

    letter = tmp_path / "raw" / SEED_PDF.name
    letter.write_text(letter.read_text().replace("grote zorgen", "ernstige zorgen"))
    changed = run_cli("refresh", cwd=tmp_path)
    assert changed.returncode == 0, changed.stderr
    catalog = json.loads((out / "catalog.json").read_text())
    newest = catalog["latest"]
    assert newest != "1.0.0" and [v["version"] for v in catalog["versions"]][1:] == ["1.0.0"]
    changelog = json.loads((out / newest / "changelog.json").read_text())
    assert [c["letter_id"] for c in changelog["letters"]["changed"]] == [CHANGED_LETTER]
    assert f"`{CHANGED_LETTER}`" in (out / newest / "CHANGELOG.md").read_text()
    assert {k: v for k, v in release_files(out).items() if k.startswith("1.0.0/")} == {
        k: v for k, v in first.items() if k.startswith("1.0.0/")
    }


def test_failed_validation_publishes_nothing(tmp_path: Path) -> None:
    strict = tmp_path / "schemas"
    shutil.copytree(Path(__file__).resolve().parents[2] / "schemas", strict)
    letters = json.loads((strict / "letters.schema.json").read_text())
    for field in letters["fields"]:
        if field["name"] == "word_count":
            field["constraints"]["maximum"] = 10
    (strict / "letters.schema.json").write_text(json.dumps(letters))
    out = tmp_path / "out"
    done = run_cli("refresh", "--raw", str(RAW), "--out", str(out), cwd=tmp_path,
                   env={"KAMERBRIEVEN_SCHEMAS": str(strict)})  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert release_files(out) == {}


def test_a_release_without_its_database_is_followed_by_a_patch_that_has_it(
    seed_tables, tmp_path: Path
) -> None:
    """Releases from before the database get it with the next refresh, not only when the data
    changes."""
    publish(seed_tables, tmp_path)
    for folder in ("1.0.0", "latest"):
        (tmp_path / folder / "kamerbrieven-1.0.0.sqlite").unlink()
    staged = publish(seed_tables, tmp_path)
    assert (staged.version, staged.unchanged) == ("1.0.1", False)
    assert (tmp_path / "latest" / "kamerbrieven-1.0.1.sqlite").is_file()
    changelog = json.loads((tmp_path / "1.0.1" / "changelog.json").read_text())
    assert changelog["reasons"] == ["the release gains its SQLite database"]
    assert publish(seed_tables, tmp_path).unchanged


def test_staging_checks_the_package_it_writes(
    seed_tables, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert stage(seed_tables, tmp_path / "good").problems == []
    stage_a_short_paragraphs_csv(monkeypatch)
    staged = stage(seed_tables, tmp_path / "bad")
    problems = staged.problems
    assert problems[0] == 'paragraphs-csv: row-count: expected is "20" and actual is "19"'
    assert "sha256" in problems[1] and problems[2].endswith("bytes, not the declared 8081")
    assert problems[3:] == ["paragraphs-csv: 19 rows, not 20"]
    assert (Path(staged.path) / "kamerbrieven-1.0.0.sqlite").is_file()
