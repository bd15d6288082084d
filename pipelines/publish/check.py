"""The publish gate: a staged package is checked in full before it may replace a release.

Each table is published twice, as Parquet and as CSV, from the same Arrow table. The gate checks:
- every resource's size and SHA-256 against the descriptor;
- every Parquet resource against its Table Schema with Arrow (`pipelines.arrowcheck`): types,
  required, unique, patterns, enums, bounds, primary and foreign keys, row counts;
- every CSV resource in full with Arrow: read with the types its Table Schema gives, it must
  hold exactly the rows and values of its Parquet twin, which the check above covered;
- the descriptor and the first `SAMPLE_ROWS` rows of each CSV with frictionless, the reference
  implementation, so a dialect, header or type that frictionless reads differently from Arrow
  is caught too.
frictionless reading every CSV row was two thirds of a 10,000-letter refresh (15 s of 22 s in
the gate, README "Performance"); tests/publish/test_check.py shows the gate and a full
`frictionless validate` agree on valid and broken packages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import frictionless
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipelines.arrowcheck import table_problems
from pipelines.publish.files import sha256_file
from pipelines.schemas import arrow_field

SAMPLE_ROWS = 1000
"""Rows of each CSV that frictionless reads itself; Arrow reads them all."""


def _file_problems(folder: Path, resource: dict[str, Any]) -> list[str]:
    path = folder / resource["path"]
    if not path.is_file():
        return [f"{resource['name']}: file {resource['path']} is missing"]
    problems = []
    if "bytes" in resource and path.stat().st_size != resource["bytes"]:
        problems.append(f"{resource['name']}: {resource['path']} is not {resource['bytes']} bytes")
    if resource.get("hash") != f"sha256:{sha256_file(path)}":
        problems.append(f"{resource['name']}: sha256 of {resource['path']} does not match")
    return problems


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


def read_csv_resource(path: Path, schema: dict[str, Any]) -> pa.Table:
    """A CSV resource read with the Arrow types of its Table Schema.

    Strict on purpose: only `true`/`false` are booleans, an empty unquoted cell is a missing
    value and a quoted empty cell is an empty string, exactly as the package's writer puts them.
    """
    arrow = pa.schema([arrow_field(field) for field in schema["fields"]])
    return pacsv.read_csv(
        path,
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


def _row_count_problems(resource: dict[str, Any], table: pa.Table) -> list[str]:
    if resource.get("rows") is None or table.num_rows == resource["rows"]:
        return []
    return [f"{resource['name']}: {table.num_rows} rows, not {resource['rows']}"]


def _first_difference(csv: pa.Table, parquet: pa.Table) -> str:
    if csv.num_rows != parquet.num_rows:
        return f"{csv.num_rows} rows where its Parquet twin has {parquet.num_rows}"
    for name in parquet.column_names:
        same = pc.fill_null(pc.equal(csv[name], parquet[name]), False)
        same = pc.or_(same, pc.and_(pc.is_null(csv[name]), pc.is_null(parquet[name])))
        if not pc.all(same).as_py():
            row = pc.index(same, False).as_py()
            return f"row {row + 2} ({name}) differs from its Parquet twin"
    return "differs from its Parquet twin"


def _csv_problems(folder: Path, resource: dict[str, Any], twin: pa.Table | None) -> list[str]:
    name = resource["name"]
    try:
        table = read_csv_resource(folder / resource["path"], resource["schema"])
    except (pa.ArrowInvalid, OSError) as exc:
        return [f"{name}: {resource['path']} does not read as its schema: {exc}"]
    if row_count := _row_count_problems(resource, table):
        return row_count
    if twin is None:
        return [f"{name}: no Parquet twin to compare with"]
    if table.column_names != twin.column_names:
        return [f"{name}: fields {table.column_names} differ from the schema's"]
    try:
        table = table.cast(twin.schema)
    except (ValueError, TypeError) as exc:  # Arrow's own errors derive from both
        return [f"{name}: {resource['path']} does not read as its schema: {exc}"]
    if not table.equals(twin):
        return [f"{name}: {_first_difference(table, twin)}"]
    return []


def _foreign_keys(folder: Path, resources: list[dict[str, Any]]) -> dict[str, pa.Table]:
    """The columns other tables refer to, per Parquet resource: all the key checks need.

    Holding these instead of whole parent tables keeps one table in memory at a time.
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


def check_package(folder: Path) -> list[str]:
    """Every problem with the package in `folder`; an empty list means it may be published."""
    descriptor_path = folder / "datapackage.json"
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"package: cannot read {descriptor_path}: {exc}"]
    resources = descriptor["resources"]
    problems = _frictionless_problems(folder, descriptor)
    for resource in resources:
        problems += _file_problems(folder, resource)
    parents = _foreign_keys(folder, resources)
    csv = {r["name"].removesuffix("-csv"): r for r in resources if r.get("format") == "csv"}
    for resource in resources:
        path = folder / resource["path"]
        if resource.get("format") != "parquet" or not path.is_file():
            continue
        table = pq.read_table(path)
        problems += table_problems(resource["name"], table, resource["schema"], parents)
        problems += _row_count_problems(resource, table)
        if (twin := csv.pop(resource["name"], None)) and (folder / twin["path"]).is_file():
            problems += _csv_problems(folder, twin, table)
    for resource in csv.values():
        if (folder / resource["path"]).is_file():
            problems += _csv_problems(folder, resource, None)
    return problems
