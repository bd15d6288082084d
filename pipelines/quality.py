"""Checks on the tables before they are published: keys, required fields, quality thresholds.

frictionless validates the written package as well; these run on the Arrow tables first, the
vectorized way, and name the problem in terms a maintainer can act on.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from pipelines import settings
from pipelines.schemas import table_schema


def key_problems(tables: dict[str, pa.Table], table: str) -> list[str]:
    """Duplicate primary keys, missing required values and dangling foreign keys in `table`."""
    schema = table_schema(table)
    data = tables[table]
    problems = []
    key = schema["primaryKey"]
    if data.num_rows:
        groups = data.group_by(key).aggregate([([], "count_all")])
        duplicates = groups.filter(pc.greater(groups["count_all"], 1)).num_rows
        if duplicates:
            problems.append(f"{duplicates} duplicate primary keys ({', '.join(key)})")
    for field in schema["fields"]:
        if field.get("constraints", {}).get("required") and data[field["name"]].null_count:
            problems.append(f"{data[field['name']].null_count} rows without {field['name']}")
    for foreign in schema.get("foreignKeys", []):
        parent = tables[foreign["reference"]["resource"]]
        child_values = data[foreign["fields"][0]]
        known = parent[foreign["reference"]["fields"][0]]
        dangling = pc.sum(pc.invert(pc.is_in(child_values, value_set=known))).as_py() or 0
        if dangling:
            problems.append(f"{dangling} rows whose {foreign['fields'][0]} is not in letters")
    return problems


@dataclass
class Gate:
    """One data-quality measure with its threshold."""

    name: str
    share: float | None
    minimum: float

    @property
    def passed(self) -> bool:
        return self.share is None or self.share >= self.minimum


def _share(mask: pa.ChunkedArray | pa.Array) -> float | None:
    total = len(mask)
    return None if total == 0 else (pc.sum(mask).as_py() or 0) / total


def quality_gates(tables: dict[str, pa.Table]) -> list[Gate]:
    """The quality measures publishing depends on, thresholds from `pipelines.settings`."""
    letters = tables["letters"]
    kamerstuk_layout = letters.filter(
        pc.or_(pc.is_valid(letters["document_number"]), pc.is_valid(letters["parliamentary_year"]))
    )
    return [
        Gate("share with a date", _share(pc.is_valid(letters["date"])),
             settings.MIN_SHARE_WITH_DATE),
        Gate("share of Kamerstukken with a dossier number",
             _share(pc.is_valid(kamerstuk_layout["dossier_number"])),
             settings.MIN_SHARE_WITH_DOSSIER),
        Gate("share with at least one paragraph",
             _share(pc.greater(letters["paragraph_count"], 0)),
             settings.MIN_SHARE_WITH_PARAGRAPH),
    ]  # fmt: skip
