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
from pipelines.publish.files import sha256_file
from pipelines.publish.package import (
    created_timestamp,
    validate_package,
    write_descriptor,
    write_tables,
)


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
        f, "signatories", lambda row: b'"doc-7105fab8d92564e0",2,"De minister","A. Name"'
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
    assert check_package(folder) == ["letters: sha256 of letters.parquet does not match"]


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
