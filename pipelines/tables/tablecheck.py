"""Table Schema validation the vectorized way, on Arrow tables and streams of batches.

frictionless validates Parquet by converting it to pandas and checking row by row, which takes
most of a refresh. The same Table Schema is checked here with Arrow compute kernels: types and
field order, required, unique, pattern, enum, bounds, lengths, primary and foreign keys. The
publish gate (`pipelines.publish.check`) runs this on the Parquet resources; tests show it and
frictionless reach the same verdict on broken packages.

`TableCheck` takes a table one batch at a time and keeps only counts, the first few offending
values and the last key, so the gate can check a Parquet file of millions of rows in the memory
of one batch. `unique` and the primary key are checked by comparing each row with the one
before it: the tables are sorted by primary key (`pipelines.tables.rows`), so equal keys are
neighbours. A table that turns out not to be sorted is checked on its key columns read whole,
which is still far less than the table. `table_problems` runs the same checks on a table held
in memory.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import partial
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipelines.tables.constraints import FieldRules, ValueRule, rules_of
from pipelines.tables.files import TableLike, batches, read_columns
from pipelines.tables.schemas import arrow_field

_EXAMPLES = 3

Columns = Callable[[list[str]], pa.Table]
"""Reads the named columns of the table under check, whole: the fallback for unsorted keys."""


def _count(mask: pa.ChunkedArray | pa.Array) -> int:
    return pc.sum(pc.cast(mask, pa.int64())).as_py() or 0


def same_values(
    left: pa.ChunkedArray | pa.Array, right: pa.ChunkedArray | pa.Array
) -> pa.ChunkedArray | pa.Array:
    """Where `left` and `right` hold the same value, two missing values counting as the same.

    `pc.equal` gives null wherever either side is missing; grouping and comparing two copies of
    a table both need missing to equal missing instead.
    """
    equal = pc.fill_null(pc.equal(left, right), False)
    return pc.or_(equal, pc.and_(pc.is_null(left), pc.is_null(right)))


def _neighbours(rows: pa.Table, columns: list[str]) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """For each row after the first: whether it sorts after the row before it, or equals it.

    Rows are ordered by `columns` in turn, missing values last, as `pa.Table.sort_by` puts them.
    """
    before, after = rows.slice(0, rows.num_rows - 1), rows.slice(1)
    ascending = equal = None
    for column in columns:
        greater = pc.fill_null(pc.greater(after[column], before[column]), False)
        greater = pc.or_(greater, pc.and_(pc.is_valid(before[column]), pc.is_null(after[column])))
        same = same_values(before[column], after[column])
        if equal is None:
            ascending, equal = greater, same
        else:
            ascending = pc.or_(ascending, pc.and_(equal, greater))
            equal = pc.and_(equal, same)
    return ascending, equal


class _Repeats:
    """How many values of `columns` occur more than once, counted while rows stream past.

    Each row is compared with the row before it, the last row of the previous batch included,
    which finds every repeat as long as the rows come sorted by `columns`. The first row that
    sorts before its predecessor ends the count (`in_order` turns False): the caller then counts
    on the columns read whole. Missing values sort last and count as equal to each other, as
    `group_by` groups them; `skip_missing` leaves them out instead, as `unique` wants.
    """

    def __init__(self, columns: list[str], skip_missing: bool) -> None:
        self.columns = columns
        self.skip_missing = skip_missing
        self.in_order = True
        self.repeated = 0
        self._last: pa.Table | None = None
        self._last_repeats = False

    def add(self, batch: pa.RecordBatch) -> None:
        if not self.in_order:
            return
        rows = pa.Table.from_batches([batch.select(self.columns)])
        if self.skip_missing:
            rows = rows.filter(pc.is_valid(rows.column(0)))
        if self._last is not None:
            rows = pa.concat_tables([self._last, rows])
        if rows.num_rows < 2:
            self._last = rows
            return
        ascending, equal = _neighbours(rows, self.columns)
        if not pc.all(pc.or_(ascending, equal)).as_py():
            self.in_order = False
            return
        previous = pa.chunked_array(
            [pa.array([self._last_repeats]), *equal.slice(0, len(equal) - 1).chunks]
        )
        self.repeated += _count(pc.and_(equal, pc.invert(previous)))
        self._last_repeats = equal[-1].as_py()
        self._last = rows.slice(rows.num_rows - 1)


@dataclasses.dataclass
class _Count:
    """Values that break one rule, counted batch by batch with a few examples."""

    rule: ValueRule
    count: int = 0
    examples: list[Any] = dataclasses.field(default_factory=list)

    def add(self, present: pa.Array) -> None:
        mask = self.rule.breaks_array(present)
        if found := _count(mask):
            self.count += found
            wanted = _EXAMPLES - len(self.examples)
            self.examples += pc.filter(present, mask).slice(0, wanted).to_pylist()


class _FieldCheck:
    """One field's constraints, checked batch by batch."""

    def __init__(self, table: str, field: FieldRules) -> None:
        self.name = field.name
        self.label = f"{table}.{field.name}"
        self.required = field.required
        self.missing = 0
        self.unique = _Repeats([self.name], skip_missing=True) if field.unique else None
        self.counts = [_Count(rule) for rule in field.rules]

    def add(self, batch: pa.RecordBatch) -> None:
        column = batch.column(self.name)
        self.missing += column.null_count
        if self.unique:
            self.unique.add(batch)
        if self.counts:
            present = pc.drop_null(column)
            for count in self.counts:
                count.add(present)

    def problems(self, columns: Columns) -> list[str]:
        problems = []
        if self.required and self.missing:
            problems.append(f"{self.label}: {self.missing} missing values")
        if self.unique and _repeats(self.unique, columns):
            problems.append(f"{self.label}: values are not unique")
        for count in self.counts:
            if count.count:
                examples = ", ".join(repr(v) for v in count.examples)
                problems.append(
                    f"{self.label}: {count.count} values {count.rule.what} (e.g. {examples})"
                )
        return problems


def _repeats(repeats: _Repeats, columns: Columns) -> int:
    """Values seen more than once: counted on the stream, or on the columns whole if unsorted."""
    if repeats.in_order:
        return repeats.repeated
    table = columns(repeats.columns)
    if repeats.skip_missing:
        table = table.filter(pc.is_valid(table.column(0)))
    counts = table.group_by(repeats.columns).aggregate([([], "count_all")])
    return _count(pc.greater(counts["count_all"], 1))


@dataclasses.dataclass
class _ForeignKey:
    """Rows whose value is not among the parent's, counted batch by batch."""

    column: str
    parent: str
    known: pa.Array | None
    dangling: int = 0

    def add(self, batch: pa.RecordBatch) -> None:
        if self.known is not None:
            self.dangling += _count(
                pc.invert(pc.is_in(batch.column(self.column), value_set=self.known))
            )


class TableCheck:
    """Every way a table breaks its Table Schema, fed one batch at a time.

    `schema` is the table's Arrow schema, checked against the Table Schema `descriptor` first:
    with the wrong fields or types no batch is looked at, as the value checks would only repeat
    that. `parents` holds, per resource, at least the columns foreign keys refer to; `columns`
    reads columns of this table whole, for a key found not to be sorted.
    """

    def __init__(
        self,
        name: str,
        schema: pa.Schema,
        descriptor: dict[str, Any],
        parents: dict[str, pa.Table],
        columns: Columns,
    ) -> None:
        self.name = name
        self.columns = columns
        expected = pa.schema([arrow_field(field) for field in descriptor["fields"]])
        if schema.names != expected.names:
            self.schema_problems = [
                f"{name}: fields {schema.names} differ from the schema's {expected.names}"
            ]
        else:
            self.schema_problems = [
                f"{name}.{actual.name}: type {actual.type} differs from the schema's {wanted.type}"
                for actual, wanted in zip(schema, expected, strict=True)
                if actual.type != wanted.type
            ]
        rules = rules_of(descriptor)
        self.fields = [_FieldCheck(name, field) for field in rules.fields]
        key = list(rules.primary_key)
        self.key = _Repeats(key, skip_missing=False) if key else None
        self.foreign = []
        for foreign in rules.foreign_keys:
            known = parents.get(foreign.resource)
            if known is not None:
                known = pc.unique(known[foreign.reference[0]])
            self.foreign.append(_ForeignKey(foreign.fields[0], foreign.resource, known))

    def add(self, batch: pa.RecordBatch) -> None:
        """Check the next rows of the table."""
        if self.schema_problems:
            return
        for field in self.fields:
            field.add(batch)
        if self.key:
            self.key.add(batch)
        for foreign in self.foreign:
            foreign.add(batch)

    def problems(self) -> list[str]:
        """The problems of all rows added so far, in the order of the Table Schema."""
        if self.schema_problems:
            return self.schema_problems
        problems = []
        for field in self.fields:
            problems += field.problems(self.columns)
        if self.key and (duplicates := _repeats(self.key, self.columns)):
            key = ", ".join(self.key.columns)
            problems.append(f"{self.name}: {duplicates} duplicate primary keys ({key})")
        for foreign in self.foreign:
            if foreign.known is None:
                problems.append(f"{self.name}: foreign key to missing {foreign.parent}")
            elif foreign.dangling:
                problems.append(
                    f"{self.name}: {foreign.dangling} rows whose {foreign.column} is not in "
                    f"{foreign.parent}"
                )
        return problems


def table_problems(
    name: str, table: TableLike, schema: dict[str, Any], parents: dict[str, pa.Table]
) -> list[str]:
    """Every way `table` breaks its Table Schema; `parents` resolves foreign keys by resource.

    A table in a file is read a batch at a time.
    """
    check = TableCheck(name, table.schema, schema, parents, partial(read_columns, table))
    for batch in batches(table):
        check.add(batch)
    return check.problems()
