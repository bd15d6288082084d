"""The publish gate agrees with `frictionless validate` on valid and broken packages."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.publish import check
from pipelines.publish.check import check_package
from pipelines.publish.package import (
    created_timestamp,
    validate_package,
    write_descriptor,
    write_tables,
)
from pipelines.util import sha256_file


@pytest.fixture(scope="module")
def package(seed_tables, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("package")
    resources = write_tables(seed_tables, folder)
    write_descriptor(folder, resources, "1.0.0", created_timestamp(seed_tables, None))
    return folder


def _rewrite_parquet(folder: Path, name: str, change: Callable[[pa.Table], pa.Table]) -> None:
    """Write a changed Parquet resource and record its new hash, so only the data is wrong."""
    path = folder / f"{name}.parquet"
    pq.write_table(change(pq.read_table(path)), path)
    descriptor = json.loads((folder / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        if resource["name"] == name:
            resource["hash"] = f"sha256:{sha256_file(path)}"
    (folder / "datapackage.json").write_text(json.dumps(descriptor))


def _set(name: str, values: list) -> Callable[[pa.Table], pa.Table]:
    def change(table: pa.Table) -> pa.Table:
        index = table.schema.get_field_index(name)
        return table.set_column(
            index, table.field(index), pa.array(values, table.field(index).type)
        )

    return change


def _duplicate_first_row(table: pa.Table) -> pa.Table:
    return pa.concat_tables([table, table.slice(0, 1)])


def _edit_csv(folder: Path, old: bytes, new: bytes) -> None:
    path = folder / "letters.csv"
    path.write_bytes(path.read_bytes().replace(old, new, 1))


def _edit_last_row(folder: Path, name: str, change: Callable[[bytes], bytes]) -> None:
    """Change the last row of a CSV resource and record its new size and hash.

    The last row lies beyond the rows frictionless samples in the gate (the tests set the
    sample to one row), so only a full read of the CSV can find the problem.
    """
    path = folder / f"{name}.csv"
    head, _, last = path.read_bytes().rstrip(b"\n").rpartition(b"\n")
    path.write_bytes(head + b"\n" + change(last) + b"\n")
    descriptor = json.loads((folder / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        if resource["name"] == f"{name}-csv":
            resource["hash"] = f"sha256:{sha256_file(path)}"
            resource["bytes"] = path.stat().st_size
    (folder / "datapackage.json").write_text(json.dumps(descriptor))


def _field(index: int, value: bytes) -> Callable[[bytes], bytes]:
    def change(row: bytes) -> bytes:
        cells = row.split(b",")
        cells[index] = value
        return b",".join(cells)

    return change


BREAKAGES: dict[str, Callable[[Path], None]] = {
    "valid": lambda folder: None,
    "pattern": lambda f: _rewrite_parquet(f, "letters", _set("dossier_number", ["33 783", None])),
    "enum": lambda f: _rewrite_parquet(f, "letters", _set("source_format", ["word", "text"])),
    "minimum": lambda f: _rewrite_parquet(f, "letters", _set("word_count", [-5, 1])),
    "primary key": lambda f: _rewrite_parquet(f, "paragraphs", _duplicate_first_row),
    "foreign key": lambda f: _rewrite_parquet(
        f, "signatories", _set("letter_id", ["kst-99999-1", "kst-99999-1", "kst-99999-1"])
    ),
    "csv value": lambda f: _edit_csv(f, b"2020-07-06", b"2020-07-99"),
    "csv hash": lambda f: _edit_csv(f, b"Den Haag", b"Den Bosch"),
    "csv integer in the last row": lambda f: _edit_last_row(f, "signatories", _field(1, b"two")),
    "csv required value missing in the last row": lambda f: _edit_last_row(
        f, "signatories", _field(0, b"")
    ),
    "csv duplicate key in the last row": lambda f: _edit_last_row(
        f, "signatories", lambda row: b'"doc-1f03854c2146ca53",2,"De minister","A. Name"'
    ),
    "csv dangling foreign key in the last row": lambda f: _edit_last_row(
        f, "signatories", _field(0, b'"kst-99999-1"')
    ),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_gate_and_frictionless_agree(
    breakage: str, package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check, "SAMPLE_ROWS", 1)
    folder = tmp_path / "package"
    shutil.copytree(package, folder)
    BREAKAGES[breakage](folder)
    problems = check_package(folder)
    frictionless_valid = validate_package(folder).valid
    assert (problems == []) == frictionless_valid, problems
    assert frictionless_valid == (breakage == "valid")


def test_gate_also_catches_a_tampered_parquet_file(package: Path, tmp_path: Path) -> None:
    folder = tmp_path / "package"
    shutil.copytree(package, folder)
    table = pq.read_table(folder / "letters.parquet")
    pq.write_table(table, folder / "letters.parquet", compression="gzip")
    declared = json.loads((folder / "datapackage.json").read_text())["resources"][0]["hash"]
    actual = sha256_file(folder / "letters.parquet")
    assert check_package(folder) == [
        f"letters: letters.parquet: sha256 {actual} differs from the declared {declared}"
    ]


def test_gate_requires_each_csv_to_hold_its_parquet_twin(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CSV that is valid on its own but differs from its Parquet twin is refused.

    Stricter than frictionless, which validates each resource on its own: the two files of a
    table must give the same data whichever one a user downloads.
    """
    monkeypatch.setattr(check, "SAMPLE_ROWS", 1)
    folder = tmp_path / "package"
    shutil.copytree(package, folder)
    _edit_last_row(folder, "signatories", lambda row: row.replace(b"Blok", b"Blook"))
    assert validate_package(folder).valid
    assert check_package(folder) == ["signatories-csv: row 4 (name) differs from its Parquet twin"]


def _insert_copy(index: int) -> Callable[[pa.Table], pa.Table]:
    """A copy of row `index` put right after it: a duplicate key, the table still sorted."""

    def change(table: pa.Table) -> pa.Table:
        return pa.concat_tables(
            [table.slice(0, index + 1), table.slice(index, 1), table.slice(index + 1)]
        )

    return change


def _unsorted_with_a_duplicate(table: pa.Table) -> pa.Table:
    """The first row moved to the end, and row 5 copied to the front: out of key order."""
    return pa.concat_tables([table.slice(5, 1), table.slice(1), table.slice(0, 1)])


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parquet read two rows at a time, CSV in 4 KiB blocks: one letter or about ten paragraphs.

    So the batches of the two files of a table never line up, each side the longer in turn.
    """
    monkeypatch.setattr(check, "SAMPLE_ROWS", 1)
    monkeypatch.setattr(check, "BATCH_ROWS", 2)
    monkeypatch.setattr(check, "CSV_BLOCK_BYTES", 4096)


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
@pytest.mark.parametrize("batch_rows", [1, 3])
def test_the_gate_finds_the_same_problems_whatever_its_batch_size(
    breakage: str, batch_rows: int, package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check, "SAMPLE_ROWS", 1)
    folder = tmp_path / "package"
    shutil.copytree(package, folder)
    BREAKAGES[breakage](folder)
    whole = check_package(folder)
    monkeypatch.setattr(check, "BATCH_ROWS", batch_rows)
    monkeypatch.setattr(check, "CSV_BLOCK_BYTES", 4096)
    assert check_package(folder) == whole


@pytest.mark.usefixtures("small_batches")
def test_a_duplicate_key_across_a_batch_boundary_is_found(package: Path, tmp_path: Path) -> None:
    folder = tmp_path / "package"
    shutil.copytree(package, folder)
    _rewrite_parquet(folder, "paragraphs", _insert_copy(1))  # rows 1 and 2: two batches
    assert check_package(folder) == [
        "paragraphs: 1 duplicate primary keys (letter_id, paragraph_no)",
        "paragraphs: 21 rows, not 20",
        "paragraphs-csv: 20 rows where its Parquet twin has 21",
    ]


@pytest.mark.usefixtures("small_batches")
def test_a_duplicate_key_out_of_key_order_is_found(package: Path, tmp_path: Path) -> None:
    folder = tmp_path / "package"
    shutil.copytree(package, folder)
    _rewrite_parquet(folder, "paragraphs", _unsorted_with_a_duplicate)
    assert check_package(folder)[0] == (
        "paragraphs: 1 duplicate primary keys (letter_id, paragraph_no)"
    )


@pytest.mark.usefixtures("small_batches")
def test_a_bad_value_in_the_last_batch_is_found(package: Path, tmp_path: Path) -> None:
    folder = tmp_path / "package"
    shutil.copytree(package, folder)
    kinds = pq.read_table(folder / "paragraphs.parquet")["kind"].to_pylist()
    _rewrite_parquet(folder, "paragraphs", _set("kind", [*kinds[:-1], "footer"]))
    assert check_package(folder) == [
        "paragraphs.kind: 1 values not one of ['heading', 'paragraph', 'list_item', 'question', "
        "'answer', 'salutation', 'closing'] (e.g. 'footer')",
        "paragraphs-csv: row 21 (kind) differs from its Parquet twin",
    ]


@pytest.mark.usefixtures("small_batches")
def test_a_csv_differing_only_in_its_last_row_is_refused(package: Path, tmp_path: Path) -> None:
    folder = tmp_path / "package"
    shutil.copytree(package, folder)
    _edit_last_row(folder, "paragraphs", _field(1, b"99"))
    assert check_package(folder) == [
        "paragraphs-csv: row 21 (paragraph_no) differs from its Parquet twin"
    ]


@pytest.mark.usefixtures("small_batches")
def test_a_csv_missing_its_last_row_is_refused(package: Path, tmp_path: Path) -> None:
    folder = tmp_path / "package"
    shutil.copytree(package, folder)
    _edit_last_row(folder, "paragraphs", lambda row: b"")
    assert check_package(folder) == ["paragraphs-csv: 19 rows, not 20"]


def test_long_rows_are_read_fewer_at_a_time(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch is `BATCH_ROWS` rows or `BATCH_BYTES`, whichever is less: letters hold texts."""
    monkeypatch.setattr(check, "BATCH_BYTES", 8192)
    letters = check._batch_rows(pq.ParquetFile(package / "letters.parquet"))
    signatories = check._batch_rows(pq.ParquetFile(package / "signatories.parquet"))
    assert 1 <= letters < signatories
    monkeypatch.setattr(check, "BATCH_ROWS", 2)
    assert check._batch_rows(pq.ParquetFile(package / "signatories.parquet")) == 2


def test_a_row_longer_than_a_csv_block_is_read_with_larger_blocks(
    seed_tables: dict[str, pa.Table], tmp_path: Path
) -> None:
    """A letter of megabytes (one line of a broken source, or a very long report) gives a CSV
    row longer than the gate's block; the gate reads it with larger blocks, from where it was."""
    letters = seed_tables["letters"]
    long_text = "Kamerstuk 33 783, nr. 1, " * 200_000
    assert len(long_text) > 4 * check.CSV_BLOCK_BYTES
    tables = dict(seed_tables, letters=_set("text", [long_text] * letters.num_rows)(letters))
    resources = write_tables(tables, tmp_path)
    write_descriptor(tmp_path, resources, "1.0.0", created_timestamp(tables, None))
    assert check_package(tmp_path) == []
    _edit_last_row(tmp_path, "letters", _field(0, b"kst-00000-1"))
    assert check_package(tmp_path) == [
        "letters-csv: row 3 (letter_id) differs from its Parquet twin"
    ]
