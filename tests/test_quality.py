"""Data-quality gates on the Arrow tables."""

from __future__ import annotations

import pyarrow as pa
import pytest

from pipelines.ingest import ingest
from pipelines.quality import quality_gates
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
