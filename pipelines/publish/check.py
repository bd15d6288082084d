"""The publish gate: a staged package is checked in full before it may replace a release.

Each table is published twice, as Parquet and as CSV, from the same Arrow table. The gate checks:
- every resource's size and SHA-256 against the descriptor;
- every Parquet resource against its Table Schema with Arrow (`pipelines.tables.tablecheck`): types,
  required, unique, patterns, enums, bounds, primary and foreign keys, row counts;
- every CSV resource in full with Arrow: read with the types its Table Schema gives, it must
  hold exactly the rows and values of its Parquet twin, which the check above covered;
- the descriptor and the first `SAMPLE_ROWS` rows of each CSV with frictionless, the reference
  implementation, so a dialect, header or type that frictionless reads differently from Arrow
  is caught too.
frictionless reading every CSV row was most of a refresh's time (docs/performance.md);
tests/publish/test_check.py shows the gate and a full `frictionless validate` agree on valid and
broken packages.

The Arrow checks stream: each Parquet file is read once, a batch at a time, and every batch
goes both to its Table Schema checks and to the comparison with the CSV, which is read alongside.
The gate holds one batch of each file, the letter ids foreign keys refer to, and counts, however
large the package.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import frictionless
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipelines.publish.package import declared_file_problems
from pipelines.tables.schemas import arrow_field
from pipelines.tables.tablecheck import TableCheck, same_values
from pipelines.util import sha256_file

SAMPLE_ROWS = 1000
"""Rows of each CSV that frictionless reads itself; Arrow reads them all."""

BATCH_ROWS = 65_536
"""The most rows of a Parquet file the gate holds at a time.

Paragraphs run to millions of rows in a large corpus; the gate needs one batch.
"""

BATCH_BYTES = 1 << 24
"""About the most bytes of a Parquet file, uncompressed, the gate holds at a time.

A letter's row, with its text, is many times a paragraph's, so rows alone do not bound a batch.
"""

_READ_BUFFER = 1 << 20
"""Bytes of a Parquet column read from disk at a time. Without it Arrow reads a whole row group
first, which grows with the package.
"""

CSV_BLOCK_BYTES = 1 << 20
"""Bytes of a CSV the gate parses at a time, one batch: Arrow's default, and its best here.

Arrow's CSV reader keeps dozens of blocks in flight, so larger blocks cost memory and, as
measured (docs/performance.md), time too.
A row must fit in one block: a CSV holding a longer one (a letter of megabytes) is read again
with blocks `CSV_BLOCK_GROWTH` times larger, up to `MAX_CSV_BLOCK_BYTES`, from where it was.
"""

CSV_BLOCK_GROWTH = 16
MAX_CSV_BLOCK_BYTES = 1 << 30
"""The largest block the gate tries: Arrow's blocks are 32-bit, and a row larger than this is
no letter."""


def _file_problems(folder: Path, resource: dict[str, Any]) -> list[str]:
    path = folder / resource["path"]
    if not path.is_file():
        return [f"{resource['name']}: file {resource['path']} is missing"]
    if "hash" not in resource:
        return [f"{resource['name']}: {resource['path']} has no declared hash"]
    problems = declared_file_problems(resource, sha256_file(path), path.stat().st_size)
    return [f"{resource['name']}: {problem}" for problem in problems]


def _frictionless_problems(folder: Path, descriptor: dict[str, Any]) -> list[str]:
    """The descriptor, and a sample of every CSV resource, as frictionless sees them.

    Foreign keys are left to the full checks: frictionless would read the whole parent table
    once per child to look them up, which is most of its time.
    """
    resources = []
    for resource in descriptor["resources"]:
        if resource.get("format") != "csv":
            continue
        sample = {**resource, "schema": {**resource["schema"], "foreignKeys": []}}
        resources.append({k: v for k, v in sample.items() if k not in ("hash", "bytes")})
    report = frictionless.Package({**descriptor, "resources": resources}, basepath=str(folder))
    report = report.validate(limit_rows=SAMPLE_ROWS)
    problems = [f"package: {error.type}: {error.note}" for error in report.errors]
    for task in report.tasks:
        for error in task.errors[:20]:
            row = getattr(error, "row_number", None)
            where = f" row {row}" if row else ""
            problems.append(f"{task.name}{where}: {error.type}: {error.note}")
    return problems


def open_csv_resource(
    path: Path, schema: dict[str, Any], block_bytes: int = CSV_BLOCK_BYTES
) -> pacsv.CSVStreamingReader:
    """A CSV resource read batch by batch with the Arrow types of its Table Schema.

    Strict on purpose: only `true`/`false` are booleans, an empty unquoted cell is a missing
    value and a quoted empty cell is an empty string, exactly as the package's writer puts them.
    """
    arrow = pa.schema([arrow_field(field) for field in schema["fields"]])
    return pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=block_bytes),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types=arrow,
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
            true_values=["true"],
            false_values=["false"],
            null_values=[""],
        ),
    )


def _row_count_problems(resource: dict[str, Any], rows: int) -> list[str]:
    if resource.get("rows") is None or rows == resource["rows"]:
        return []
    return [f"{resource['name']}: {rows} rows, not {resource['rows']}"]


class _CsvTwin:
    """A CSV resource read alongside the Parquet batches of its twin and compared row by row.

    The readers cut their batches differently (CSV by bytes, Parquet by `BATCH_ROWS`), so rows
    are lined up by position: each step compares the rows both current batches still have and
    keeps the rest of the longer one. After the first difference the CSV is only read on, to
    count its rows, so the verdict is the one reading both files whole gave.
    """

    def __init__(self, folder: Path, resource: dict[str, Any], twin: pq.ParquetFile | None) -> None:
        self.resource, self.path = resource, folder / resource["path"]
        self.block_bytes = CSV_BLOCK_BYTES
        self.twin_schema = None if twin is None else twin.schema_arrow
        self.twin_rows = None if twin is None else twin.metadata.num_rows
        self.rows = 0
        self.compared = 0
        self.pending: pa.RecordBatch | None = None
        self.reader: pacsv.CSVStreamingReader | None = None
        self.unreadable: str | None = None
        self.unlike: str | None = None
        self.difference: str | None = None
        self.reader = self._open()
        if self.reader is None:
            return
        if self.twin_schema is not None and self.reader.schema.names != self.twin_schema.names:
            self.unlike = f"fields {self.reader.schema.names} differ from the schema's"

    def _comparing(self) -> bool:
        return self.twin_schema is not None and self.unlike is None and self.difference is None

    def _next(self) -> pa.RecordBatch | None:
        """The next batch of the CSV, typed as its twin while comparing; None at the end."""
        if self.reader is None:
            return None
        try:
            batch = self.reader.read_next_batch()
        except StopIteration:
            self.reader = None
            return None
        except (pa.ArrowInvalid, OSError) as exc:
            if self._grow(exc):
                return self._reopen_with_larger_blocks()
            self.unreadable = f"{self.resource['path']} does not read as its schema: {exc}"
            self.reader = None
            return None
        self.rows += batch.num_rows
        if not self._comparing():
            return batch
        try:
            return batch.cast(self.twin_schema)
        except (ValueError, TypeError) as exc:  # Arrow's own errors derive from both
            self.unlike = f"{self.resource['path']} does not read as its schema: {exc}"
            return batch

    def _open(self) -> pacsv.CSVStreamingReader | None:
        """The CSV opened with blocks that hold its first rows (the reader parses a block at
        once); None, with the reason kept, when it does not read."""
        while True:
            try:
                return open_csv_resource(self.path, self.resource["schema"], self.block_bytes)
            except (pa.ArrowInvalid, OSError) as exc:
                if not self._grow(exc):
                    self.unreadable = f"{self.resource['path']} does not read as its schema: {exc}"
                    return None

    def _grow(self, error: Exception) -> bool:
        """Whether `error` is a row longer than a block and larger blocks are left to try; if
        so, the next reader gets them."""
        if "straddl" not in str(error) or self.block_bytes >= MAX_CSV_BLOCK_BYTES:
            return False
        self.block_bytes = min(self.block_bytes * CSV_BLOCK_GROWTH, MAX_CSV_BLOCK_BYTES)
        return True

    def _reopen_with_larger_blocks(self) -> pa.RecordBatch | None:
        """Read the CSV again with larger blocks, for a row longer than a block, and go on
        from the first row not yet read."""
        read, self.rows = self.rows, 0
        self.reader = self._open()
        while (batch := self._next()) is not None and self.rows <= read:
            pass
        if batch is None:
            return None
        return batch.slice(batch.num_rows - (self.rows - read))

    def add(self, batch: pa.RecordBatch) -> None:
        """Compare the next rows of the Parquet twin with the CSV's rows at the same position."""
        while batch.num_rows and self._comparing():
            if self.pending is None or not self.pending.num_rows:
                self.pending = self._next()
                if self.pending is None:
                    return
                continue
            rows = min(batch.num_rows, self.pending.num_rows)
            self._compare(self.pending.slice(0, rows), batch.slice(0, rows))
            self.pending, batch = self.pending.slice(rows), batch.slice(rows)

    def _compare(self, csv: pa.RecordBatch, parquet: pa.RecordBatch) -> None:
        """Record the first row that differs, and its first column that does."""
        differing = []
        for index, name in enumerate(parquet.schema.names):
            same = same_values(csv.column(name), parquet.column(name))
            if not pc.all(same).as_py():
                differing.append((pc.index(same, False).as_py(), index, name))
        if differing:
            row, _, name = min(differing)
            self.difference = (
                f"row {self.compared + row + 2} ({name}) differs from its Parquet twin"
            )
        self.compared += csv.num_rows

    def problems(self) -> list[str]:
        """What is wrong with the CSV, once every batch of its twin has been added.

        Reads the rest of the CSV to count its rows. A CSV that does not read, or has a wrong
        number of rows, is reported as that alone, as before any row is compared.
        """
        while self._next() is not None:
            pass
        name = self.resource["name"]
        if self.unreadable:
            return [f"{name}: {self.unreadable}"]
        if row_count := _row_count_problems(self.resource, self.rows):
            return row_count
        if self.twin_schema is None:
            return [f"{name}: no Parquet twin to compare with"]
        if self.unlike:
            return [f"{name}: {self.unlike}"]
        if self.rows != self.twin_rows:
            return [f"{name}: {self.rows} rows where its Parquet twin has {self.twin_rows}"]
        return [f"{name}: {self.difference}"] if self.difference else []


def _foreign_keys(folder: Path, resources: list[dict[str, Any]]) -> dict[str, pa.Table]:
    """The columns other tables refer to, per Parquet resource: all the key checks need.

    Holding these instead of whole parent tables keeps the gate to one batch of a table at a
    time; for letters they are the letter ids.
    """
    wanted: dict[str, set[str]] = {}
    for resource in resources:
        for key in resource["schema"].get("foreignKeys", []):
            parent = key["reference"]["resource"]
            wanted.setdefault(parent, set()).update(key["reference"]["fields"])
    keys = {}
    for resource in resources:
        path = folder / resource["path"]
        if resource.get("format") == "parquet" and resource["name"] in wanted and path.is_file():
            keys[resource["name"]] = pq.read_table(path, columns=sorted(wanted[resource["name"]]))
    return keys


def _batch_rows(parquet: pq.ParquetFile) -> int:
    """Rows per batch: `BATCH_ROWS`, fewer where rows are so long they would pass `BATCH_BYTES`."""
    metadata = parquet.metadata
    size = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    if not size:
        return BATCH_ROWS
    return max(1, min(BATCH_ROWS, BATCH_BYTES * metadata.num_rows // size))


def _parquet_problems(
    folder: Path,
    resource: dict[str, Any],
    csv: dict[str, Any] | None,
    parents: dict[str, pa.Table],
) -> list[str]:
    """A Parquet resource checked in one pass over its batches, with its CSV twin alongside."""
    path = folder / resource["path"]
    with pq.ParquetFile(path, pre_buffer=False, buffer_size=_READ_BUFFER) as parquet:
        check = TableCheck(
            resource["name"],
            parquet.schema_arrow,
            resource["schema"],
            parents,
            lambda columns: pq.read_table(path, columns=columns),
        )
        twin = _CsvTwin(folder, csv, parquet) if csv else None
        for batch in parquet.iter_batches(batch_size=_batch_rows(parquet)):
            check.add(batch)
            if twin:
                twin.add(batch)
        problems = check.problems() + _row_count_problems(resource, parquet.metadata.num_rows)
    if twin:
        problems += twin.problems()
    return problems


def _csv_problems(folder: Path, resource: dict[str, Any]) -> list[str]:
    """A CSV resource without a Parquet twin: it must read as its schema, with its row count."""
    return _CsvTwin(folder, resource, None).problems()


def check_package(folder: Path) -> list[str]:
    """Every problem with the package in `folder`; an empty list means it may be published.

    The checks of each file run side by side in threads (Arrow, zstd and hashlib release the
    GIL); their problems are listed in the order they would have had one after the other.
    """
    descriptor_path = folder / "datapackage.json"
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"package: cannot read {descriptor_path}: {exc}"]
    resources = descriptor["resources"]
    parents = _foreign_keys(folder, resources)
    csv = {r["name"].removesuffix("-csv"): r for r in resources if r.get("format") == "csv"}
    hashes = [partial(_file_problems, folder, resource) for resource in resources]
    tables: list[tuple[int, Callable[[], list[str]]]] = []
    for resource in resources:
        path = folder / resource["path"]
        if resource.get("format") != "parquet" or not path.is_file():
            continue
        twin = csv.pop(resource["name"], None)
        twin = twin if twin and (folder / twin["path"]).is_file() else None
        size = path.stat().st_size + ((folder / twin["path"]).stat().st_size if twin else 0)
        tables.append((size, partial(_parquet_problems, folder, resource, twin, parents)))
    for resource in csv.values():
        if (folder / resource["path"]).is_file():
            size = (folder / resource["path"]).stat().st_size
            tables.append((size, partial(_csv_problems, folder, resource)))
    checks = [partial(_frictionless_problems, folder, descriptor), *hashes]
    checks += [check for _, check in tables]
    # frictionless (bound to the GIL) and the largest tables first, so that no thread is left
    # with a big table at the end; the hashes fill the gaps
    largest = [check for _, check in sorted(tables, key=lambda entry: -entry[0])]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        started = {id(c): pool.submit(c) for c in [checks[0], *largest, *hashes]}
        return [problem for check in checks for problem in started[id(check)].result()]
