"""Sorted tables on disk: chunks of whole letters, merging runs, and walking two tables at once."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.tables.files import (
    KeyCursor,
    TableFile,
    UnsortedError,
    letter_chunks,
    merge_sorted,
    read_columns,
    write_table_file,
)

KEY = ["letter_id", "row_no"]


def _rows(letters: int, seed: int = 1) -> pa.Table:
    """Rows of `letters` letters, 0 to 4 rows each, sorted by (letter_id, row_no)."""
    draw = random.Random(seed)
    ids, numbers = [], []
    for letter in range(letters):
        for row in range(draw.randint(0, 4)):
            ids.append(f"kst-{letter:04d}")
            numbers.append(row + 1)
    return pa.table({"letter_id": ids, "row_no": pa.array(numbers, pa.int64())})


def _letters_in(chunk: pa.Table) -> int:
    return len(set(chunk["letter_id"].to_pylist()))


@pytest.mark.parametrize("batch_rows", [1, 2, 7, 1000])
def test_chunks_hold_whole_letters_and_do_not_depend_on_the_batches(batch_rows: int) -> None:
    table = _rows(40)
    chunks = list(letter_chunks(table.to_batches(max_chunksize=batch_rows), per_chunk=6))
    assert pa.concat_tables(chunks).equals(table)
    assert [_letters_in(chunk) for chunk in chunks[:-1]] == [6] * (len(chunks) - 1)
    firsts = [chunk["letter_id"][0].as_py() for chunk in chunks[1:]]
    lasts = [chunk["letter_id"][-1].as_py() for chunk in chunks[:-1]]
    assert all(last < first for last, first in zip(lasts, firsts, strict=True)), "no letter split"
    reference = list(letter_chunks([table], per_chunk=6))
    assert [chunk.num_rows for chunk in chunks] == [chunk.num_rows for chunk in reference]


def test_merging_sorted_runs_gives_the_sorted_whole() -> None:
    table = _rows(60, seed=2)
    shuffled = table.take(random.Random(3).sample(range(table.num_rows), table.num_rows))
    runs = [
        shuffled.slice(start, 25).sort_by([(c, "ascending") for c in KEY]).to_batches(3)
        for start in range(0, shuffled.num_rows, 25)
    ]
    merged = pa.concat_tables(merge_sorted(runs, table.schema, KEY))
    assert merged.equals(table)


def test_cursor_hands_out_rows_up_to_a_letter_across_batches() -> None:
    table = _rows(10, seed=4)
    cursor = KeyCursor(table.to_batches(max_chunksize=2))
    first = pa.Table.from_batches(cursor.through("kst-0004"), table.schema)
    rest = pa.Table.from_batches(cursor.through(None), table.schema)
    assert set(first["letter_id"].to_pylist()) <= {f"kst-{n:04d}" for n in range(5)}
    assert pa.concat_tables([first, rest]).equals(table)
    assert rest.num_rows == 0 or rest["letter_id"][0].as_py() > "kst-0004"


def test_cursor_refuses_rows_out_of_order() -> None:
    table = _rows(10, seed=5)
    backwards = table.take(list(range(table.num_rows - 1, -1, -1)))
    with pytest.raises(UnsortedError):
        KeyCursor(backwards.to_batches(max_chunksize=3)).through(None)
    across = [table.slice(4).to_batches()[0], table.slice(0, 4).to_batches()[0]]
    with pytest.raises(UnsortedError):
        KeyCursor(across).through(None)


@pytest.mark.parametrize("suffix", [".arrow", ".parquet"])
def test_table_files_read_back_by_batch_and_by_column(tmp_path: Path, suffix: str) -> None:
    table = _rows(30, seed=6)
    path = tmp_path / f"rows{suffix}"
    if suffix == ".arrow":
        file = write_table_file(path, table.schema, letter_chunks([table], per_chunk=4))
    else:
        pq.write_table(table, path, row_group_size=5)
        file = TableFile(str(path))
    assert file.num_rows == table.num_rows
    assert len(list(file.batches())) > 1
    assert file.read().equals(table)
    assert read_columns(file, ["row_no"]).equals(table.select(["row_no"]))
