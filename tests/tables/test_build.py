"""The table cache: the last build's tables, reused only by the code and schemas that built them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from benchmarks.corpus import generate
from pipelines.ingest.run import ingest
from pipelines.tables.build import TableCache
from pipelines.tables.files import TableFile
from pipelines.tables.rows import build_tables
from pipelines.tables.schemas import schemas_dir
from tests.conftest import RAW


@pytest.fixture
def saved(tmp_path: Path) -> tuple[TableCache, dict]:
    result = ingest(RAW)
    tables = build_tables(result.letters)
    cache = TableCache(tmp_path / "cache")
    cache.save({table: [tables[table]] for table in tables}, result.rows.origins)
    return cache, tables


def test_saved_tables_load_back_equal_with_their_origins(saved) -> None:
    cache, tables = saved
    previous = cache.load()
    assert previous is not None
    assert {table: file.read() for table, file in previous.tables.items()} == tables
    assert {path: letter for path, (_, letter) in previous.origins.items()} == {
        "000_bd267e4e27e61377.txt": "doc-1f03854c2146ca53",
        "004_8e7c7b581cfe5445.txt": "kst-33783-46",
    }


def test_changed_schemas_make_the_tables_unusable(
    saved, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, _ = saved
    schemas = tmp_path / "schemas"
    shutil.copytree(schemas_dir(), schemas)
    letters = schemas / "letters.schema.json"
    descriptor = json.loads(letters.read_text())
    descriptor["description"] += " Changed."
    letters.write_text(json.dumps(descriptor))
    monkeypatch.setenv("KAMERBRIEVEN_SCHEMAS", str(schemas))
    assert cache.load() is None


def test_damaged_table_file_counts_as_no_previous_build(saved) -> None:
    cache, _ = saved
    (cache.folder / "paragraphs.arrow").write_bytes(b"not arrow")
    assert cache.load() is None


def test_saving_replaces_the_folder_and_clears_what_a_killed_run_left(saved) -> None:
    cache, tables = saved
    leftover = cache.folder.parent / ".tables-killed"
    leftover.mkdir()
    (leftover / "letters.arrow").write_bytes(b"half")
    cache.save({table: [tables[table]] for table in tables}, {})
    assert sorted(p.name for p in cache.folder.parent.iterdir()) == ["tables"]
    previous = cache.load()
    assert previous is not None and previous.origins == {}


def test_a_release_record_holds_only_for_its_package_and_its_tables(saved, tmp_path: Path) -> None:
    cache, tables = saved
    files = cache.load().tables
    descriptor = tmp_path / "datapackage.json"
    descriptor.write_text('{"version": "1.0.0"}')
    assert not cache.holds_release(files, descriptor)
    cache.record_release(files, descriptor)
    assert cache.holds_release(files, descriptor)
    descriptor.write_text('{"version": "1.0.1"}')  # another package
    assert not cache.holds_release(files, descriptor)
    descriptor.write_text('{"version": "1.0.0"}')
    elsewhere = {name: TableFile(str(tmp_path / f"{name}.arrow")) for name in files}
    assert not cache.holds_release(elsewhere, descriptor)
    cache.record_release(elsewhere, tmp_path / "missing.json")  # not the cache's: not recorded
    assert cache.holds_release(files, descriptor)
    cache.save({table: [tables[table]] for table in tables}, {})  # a build replaces the tables
    assert not cache.holds_release(cache.load().tables, descriptor)


@pytest.fixture(scope="module")
def six_letters(tmp_path_factory: pytest.TempPathFactory) -> tuple[TableCache, dict]:
    raw = tmp_path_factory.mktemp("raw")
    generate(raw, 6, seed=4)
    result = ingest(raw)
    tables = build_tables(result.letters)
    cache = TableCache(tmp_path_factory.mktemp("cache"))
    cache.save({table: [tables[table]] for table in tables}, result.rows.origins)
    return cache, tables


@pytest.mark.parametrize(
    "keep",
    [
        slice(None),  # every letter: the batches pass as they are
        slice(1, None),  # one dropped: matched by the dropped letter
        slice(0, 3),  # as many kept as dropped: matched by the kept letters
        slice(0, 0),
    ],
)
def test_kept_rows_are_exactly_the_kept_letters_rows(six_letters, keep: slice) -> None:
    cache, tables = six_letters
    previous = cache.load()
    letters = sorted(letter for _, letter in previous.origins.values())
    assert len(letters) == 6
    kept = letters[keep]
    for table, whole in tables.items():
        rows = pa.Table.from_batches(list(previous.kept_rows(table, kept)), whole.schema)
        expected = whole.filter(pc.is_in(whole["letter_id"], pa.array(kept, pa.string())))
        assert rows.equals(expected), table
    assert previous.tables["paragraphs"].num_rows > 6
