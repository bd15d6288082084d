"""Key and quality checks on the Arrow tables."""

from __future__ import annotations

import pyarrow as pa
import pytest

from pipelines.ingest import ingest
from pipelines.quality import key_problems, quality_gates
from pipelines.tables import build_tables
from tests.conftest import RAW


@pytest.fixture(scope="module")
def tables() -> dict[str, pa.Table]:
    return build_tables(ingest(RAW).letters)


def test_seed_tables_have_no_key_problems(tables) -> None:
    for table in tables:
        assert key_problems(tables, table) == [], table


def test_duplicate_key_missing_value_and_dangling_reference(tables) -> None:
    broken = dict(tables)
    paragraphs = tables["paragraphs"]
    broken["paragraphs"] = pa.concat_tables([paragraphs, paragraphs.slice(0, 1)])
    assert key_problems(broken, "paragraphs") == [
        "1 duplicate primary keys (letter_id, paragraph_no)"
    ]
    orphan = tables["signatories"].slice(0, 1).to_pylist()
    orphan[0]["letter_id"] = "kst-99999-1"
    broken["signatories"] = pa.concat_tables(
        [tables["signatories"], pa.Table.from_pylist(orphan, schema=tables["signatories"].schema)]
    )
    assert key_problems(broken, "signatories") == ["1 rows whose letter_id is not in letters"]
    no_text = tables["letters"].set_column(
        tables["letters"].schema.get_field_index("text"), "text",
        pa.array([None] * tables["letters"].num_rows, pa.string()),
    )  # fmt: skip
    broken["letters"] = no_text
    assert key_problems(broken, "letters") == ["2 rows without text"]


def test_quality_gates_on_the_seeds(tables) -> None:
    gates = {gate.name: (gate.share, gate.passed) for gate in quality_gates(tables)}
    assert gates == {
        "share with a date": (0.5, True),
        "share of Kamerstukken with a dossier number": (1.0, True),
        "share with at least one paragraph": (1.0, True),
    }
