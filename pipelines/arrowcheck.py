"""Table Schema validation the vectorized way, on Arrow tables and Parquet files.

frictionless validates Parquet by converting it to pandas and checking row by row, which takes
most of a refresh. The same Table Schema is checked here with Arrow compute kernels: types and
field order, required, unique, pattern, enum, bounds, lengths, primary and foreign keys. The
publish gate (`pipelines.publish.check`) runs this on the Parquet resources; tests show it and
frictionless reach the same verdict on broken packages.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipelines.schemas import arrow_field

_EXAMPLES = 3


def _examples(values: pa.ChunkedArray | pa.Array, mask: pa.ChunkedArray | pa.Array) -> str:
    bad = pc.filter(values, mask).slice(0, _EXAMPLES).to_pylist()
    return ", ".join(repr(v) for v in bad)


def _count(mask: pa.ChunkedArray | pa.Array) -> int:
    return pc.sum(pc.cast(mask, pa.int64())).as_py() or 0


def _field_problems(name: str, column: pa.ChunkedArray, field: dict[str, Any]) -> list[str]:
    problems = []
    constraints = field.get("constraints", {})
    label = f"{name}.{field['name']}"
    if constraints.get("required") and column.null_count:
        problems.append(f"{label}: {column.null_count} missing values")
    present = pc.drop_null(column)
    if constraints.get("unique") and pc.count_distinct(present).as_py() != len(present):
        problems.append(f"{label}: values are not unique")
    checks = []
    if "pattern" in constraints:
        matches = pc.match_substring_regex(present, f"^(?:{constraints['pattern']})$")
        checks.append((pc.invert(matches), f"do not match {constraints['pattern']}"))
    if "enum" in constraints:
        allowed = pa.array(constraints["enum"], type=present.type)
        checks.append((pc.invert(pc.is_in(present, value_set=allowed)), "are not in the enum"))
    if "minimum" in constraints:
        checks.append((pc.less(present, constraints["minimum"]), f"< {constraints['minimum']}"))
    if "maximum" in constraints:
        checks.append((pc.greater(present, constraints["maximum"]), f"> {constraints['maximum']}"))
    if "minLength" in constraints:
        short = pc.less(pc.utf8_length(present), constraints["minLength"])
        checks.append((short, f"are shorter than {constraints['minLength']}"))
    if "maxLength" in constraints:
        long = pc.greater(pc.utf8_length(present), constraints["maxLength"])
        checks.append((long, f"are longer than {constraints['maxLength']}"))
    for mask, what in checks:
        if count := _count(mask):
            problems.append(f"{label}: {count} values {what} (e.g. {_examples(present, mask)})")
    return problems


def table_problems(
    name: str, table: pa.Table, schema: dict[str, Any], parents: dict[str, pa.Table]
) -> list[str]:
    """Every way `table` breaks its Table Schema; `parents` resolves foreign keys by resource."""
    expected = pa.schema([arrow_field(field) for field in schema["fields"]])
    if table.schema.names != expected.names:
        return [f"{name}: fields {table.schema.names} differ from the schema's {expected.names}"]
    problems = [
        f"{name}.{actual.name}: type {actual.type} differs from the schema's {wanted.type}"
        for actual, wanted in zip(table.schema, expected, strict=True)
        if actual.type != wanted.type
    ]
    if problems:
        return problems
    for field in schema["fields"]:
        problems += _field_problems(name, table[field["name"]], field)
    key = schema.get("primaryKey", [])
    if key and table.num_rows:
        counts = table.group_by(key).aggregate([([], "count_all")])
        if duplicates := _count(pc.greater(counts["count_all"], 1)):
            problems.append(f"{name}: {duplicates} duplicate primary keys ({', '.join(key)})")
    for foreign in schema.get("foreignKeys", []):
        parent = parents.get(foreign["reference"]["resource"])
        if parent is None:
            problems.append(f"{name}: foreign key to missing {foreign['reference']['resource']}")
            continue
        child = table[foreign["fields"][0]]
        known = parent[foreign["reference"]["fields"][0]]
        if dangling := _count(pc.invert(pc.is_in(child, value_set=pc.unique(known)))):
            problems.append(
                f"{name}: {dangling} rows whose {foreign['fields'][0]} is not in "
                f"{foreign['reference']['resource']}"
            )
    return problems
