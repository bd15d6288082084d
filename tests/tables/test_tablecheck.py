"""Vectorized Table Schema checks on Arrow tables."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pipelines.ingest.run import ingest
from pipelines.tables.rows import build_tables
from pipelines.tables.schemas import TABLES, table_schema
from pipelines.tables.tablecheck import Columns, TableCheck, table_problems
from tests.conftest import RAW

KINDS = ["heading", "paragraph", "list_item", "question", "answer", "salutation", "closing"]


@pytest.fixture(scope="module")
def tables() -> dict[str, pa.Table]:
    return build_tables(ingest(RAW).letters)


def _unread(columns: list[str]) -> pa.Table:
    raise AssertionError(f"read {columns} whole, though the rows were in key order")


def _in_batches(
    name: str,
    table: pa.Table,
    parents: dict[str, pa.Table],
    columns: Columns = _unread,
    rows: int = 1,
) -> list[str]:
    """`table` checked `rows` rows at a time; by default failing if it reads any column whole."""
    check = TableCheck(name, table.schema, table_schema(name), parents, columns)
    for batch in table.to_batches(max_chunksize=rows):
        check.add(batch)
    return check.problems()


def _replace(table: pa.Table, name: str, values: list) -> pa.Table:
    index = table.schema.get_field_index(name)
    return table.set_column(index, table.field(index), pa.array(values, table.field(index).type))


def test_seed_tables_meet_their_schemas(tables) -> None:
    for table in TABLES:
        assert table_problems(table, tables[table], table_schema(table), tables) == [], table


def test_each_constraint_is_checked(tables) -> None:
    letters = tables["letters"]
    broken = _replace(letters, "dossier_number", ["33 783", None])
    broken = _replace(broken, "source_format", ["word", "text"])
    broken = _replace(broken, "word_count", [-1, 5])
    broken = _replace(broken, "text", [None, "x"])
    problems = table_problems("letters", broken, table_schema("letters"), {"letters": broken})
    assert problems == [
        "letters.dossier_number: 1 values not matching ^[0-9]{5}(-[0-9A-Za-z]+)*$ (e.g. '33 783')",
        "letters.text: 1 missing values",
        "letters.word_count: 1 values below 0 (e.g. -1)",
        "letters.source_format: 1 values not one of ['docx', 'odt', 'pdf', 'koop_xml', 'html', "
        "'text', 'markdown'] (e.g. 'word')",
    ]


def test_keys_are_checked(tables) -> None:
    paragraphs = pa.concat_tables([tables["paragraphs"], tables["paragraphs"].slice(0, 1)])
    orphan = tables["signatories"].slice(0, 1)
    orphan = _replace(orphan, "letter_id", ["kst-99999-1"])
    signatories = pa.concat_tables([tables["signatories"], orphan])
    assert table_problems("paragraphs", paragraphs, table_schema("paragraphs"), tables) == [
        "paragraphs: 1 duplicate primary keys (letter_id, paragraph_no)"
    ]
    assert table_problems("signatories", signatories, table_schema("signatories"), tables) == [
        "signatories: 1 rows whose letter_id is not in letters"
    ]
    unique_ids = _replace(tables["letters"], "letter_id", ["kst-33783-46", "kst-33783-46"])
    assert "letters.letter_id: values are not unique" in table_problems(
        "letters", unique_ids, table_schema("letters"), {"letters": unique_ids}
    )


def test_wrong_types_and_fields_are_reported(tables) -> None:
    letters = tables["letters"]
    as_text = letters.set_column(
        letters.schema.get_field_index("word_count"), "word_count",
        pc.cast(letters["word_count"], pa.string()),
    )  # fmt: skip
    assert table_problems("letters", as_text, table_schema("letters"), {}) == [
        "letters.word_count: type string differs from the schema's int64"
    ]
    dropped = letters.drop_columns(["closing"])
    assert table_problems("letters", dropped, table_schema("letters"), {})[0].startswith(
        "letters: fields ["
    )


def test_tables_in_key_order_are_checked_in_one_pass(tables) -> None:
    for table in TABLES:
        assert _in_batches(table, tables[table], tables) == [], table
        assert _in_batches(table, tables[table], tables, rows=3) == [], table


def test_duplicates_next_to_each_other_are_found_across_batches(tables) -> None:
    paragraphs = tables["paragraphs"]
    copied = pa.concat_tables([paragraphs.slice(0, 5), paragraphs.slice(4)])
    for rows in (1, 2, 5):
        assert _in_batches("paragraphs", copied, tables, rows=rows) == [
            "paragraphs: 1 duplicate primary keys (letter_id, paragraph_no)"
        ]
    letters = tables["letters"]
    twice = pa.concat_tables([letters, letters.slice(1)])
    assert _in_batches("letters", twice, {"letters": twice}) == [
        "letters.letter_id: values are not unique",
        "letters: 1 duplicate primary keys (letter_id)",
    ]


def test_rows_out_of_key_order_are_checked_on_the_key_columns_whole(tables) -> None:
    paragraphs = tables["paragraphs"]
    shuffled = pa.concat_tables(
        [paragraphs.slice(7, 1), paragraphs.slice(1), paragraphs.slice(0, 1)]
    )
    read = []

    def columns(names: list[str]) -> pa.Table:
        read.append(names)
        return shuffled.select(names)

    assert _in_batches("paragraphs", shuffled, tables, columns) == [
        "paragraphs: 1 duplicate primary keys (letter_id, paragraph_no)"
    ]
    assert read == [["letter_id", "paragraph_no"]]
    assert _in_batches("paragraphs", shuffled.slice(1), tables, shuffled.slice(1).select) == []


def test_offending_values_are_counted_over_all_batches(tables) -> None:
    paragraphs = tables["paragraphs"]
    kinds = paragraphs["kind"].to_pylist()
    kinds[3], kinds[9], kinds[14], kinds[19] = "kop", "tabel", "voetnoot", "bijlage"
    broken = _replace(paragraphs, "kind", kinds)
    assert _in_batches("paragraphs", broken, tables, rows=4) == [
        f"paragraphs.kind: 4 values not one of {KINDS} (e.g. 'kop', 'tabel', 'voetnoot')"
    ]
