"""Data-quality gates on the Arrow tables."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pipelines.cache import TableCache
from pipelines.ingest import ingest
from pipelines.quality import check_tables, quality_gates
from pipelines.schemas import TABLES
from pipelines.tables import build_tables
from tests.conftest import RAW


@pytest.fixture(scope="module")
def tables() -> dict[str, pa.Table]:
    return build_tables(ingest(RAW).letters)


def test_quality_gates_on_the_seeds(tables) -> None:
    gates = {gate.name: (gate.share, gate.passed) for gate in quality_gates(tables["letters"])}
    assert gates == {
        "share with a date": (0.5, True),
        "share of Kamerstukken with a dossier number": (1.0, True),
        "share with at least one paragraph": (1.0, True),
    }


def test_table_checks_read_the_build_files(tables, tmp_path: Path) -> None:
    files = TableCache(tmp_path).save({name: [table] for name, table in tables.items()}, {})
    checked = check_tables(files)
    assert checked.problems == {name: [] for name in TABLES}
    assert (checked.letters, checked.publishable) == (2, True)


def test_a_dangling_row_and_an_empty_build_are_caught(tables, tmp_path: Path) -> None:
    letters = tables["letters"]
    kept = letters.filter(pc.equal(letters["letter_id"], "kst-33783-46"))
    checked = check_tables({**tables, "letters": kept})
    assert checked.problems["paragraphs"] == [
        "paragraphs: 12 rows whose letter_id is not in letters"
    ]
    empty = check_tables({name: table.schema.empty_table() for name, table in tables.items()})
    assert (empty.letters, empty.publishable) == (0, False)
