"""schemas/ is the single source of truth: every derived schema must agree with it."""

from __future__ import annotations

import json

import frictionless
import pyarrow as pa
import pytest

from pipelines.extract import CHILD_TABLES
from pipelines.publish.dictionary import render_dictionary
from pipelines.tables.schemas import TABLES, arrow_schema, schemas_dir, table_schema


def test_every_table_has_exactly_one_schema_file() -> None:
    files = sorted(p.name for p in schemas_dir().glob("*.schema.json"))
    assert files == sorted(f"{t}.schema.json" for t in TABLES)


@pytest.mark.parametrize("table", TABLES)
def test_schema_is_a_valid_table_schema(table: str) -> None:
    descriptor = json.loads((schemas_dir() / f"{table}.schema.json").read_text())
    report = frictionless.validate(descriptor, type="schema")
    assert report.valid, report.flatten(["type", "note"])


@pytest.mark.parametrize("table", TABLES)
def test_every_field_is_described(table: str) -> None:
    for field in table_schema(table)["fields"]:
        assert field.get("description"), f"{table}.{field['name']} has no description"


@pytest.mark.parametrize("table", TABLES)
def test_arrow_schema_follows_table_schema(table: str) -> None:
    fields = table_schema(table)["fields"]
    schema = arrow_schema(table)
    assert schema.names == [f["name"] for f in fields]
    expected_types = {"string": pa.string(), "integer": pa.int64(), "date": pa.date32()}
    for field, arrow in zip(fields, schema, strict=True):
        assert arrow.type == expected_types[field["type"]]
        assert arrow.nullable == (not field.get("constraints", {}).get("required", False))


@pytest.mark.parametrize("table", [t for t in TABLES if t != "letters"])
def test_child_tables_reference_letters(table: str) -> None:
    keys = table_schema(table)["foreignKeys"]
    assert keys == [
        {"fields": ["letter_id"], "reference": {"resource": "letters", "fields": ["letter_id"]}}
    ]


def test_committed_data_dictionary_is_generated_from_schemas() -> None:
    committed = (schemas_dir().parent / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert committed == render_dictionary(), "run `kamerbrieven dictionary` and commit the result"


def test_every_table_a_letter_gives_rows_for_is_published() -> None:
    """Extraction names the child tables a letter fills and `TABLES` the published ones (the
    stages cannot share one list: tables sit above extraction); they must agree, in order."""
    assert ("letters", *CHILD_TABLES) == TABLES
