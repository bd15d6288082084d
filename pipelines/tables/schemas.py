"""The Table Schemas in `schemas/`, and everything derived from them.

`schemas/<table>.schema.json` is the single source of truth for a table. The Arrow schema used
to write Parquet, the resources in datapackage.json and the data dictionary in the docs are all
computed here from those files, never declared a second time.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa

TABLES = (
    "letters",
    "paragraphs",
    "footnotes",
    "questions",
    "references",
    "signatories",
    "offices",
    "cases",
    "portal_signers",
    "askers",
)
"""Every published table, parents before children (the order of the package's resources)."""

_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("s", tz="UTC"),
}


_CHECKOUT_SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def schemas_dir() -> Path:
    """The folder holding the Table Schemas (KAMERBRIEVEN_SCHEMAS overrides the checkout's).

    Called for every row check, so the checkout's path is resolved once, at import.
    """
    override = os.environ.get("KAMERBRIEVEN_SCHEMAS")
    return Path(override) if override else _CHECKOUT_SCHEMAS


@cache
def _load(folder: str, table: str) -> str:
    return (Path(folder) / f"{table}.schema.json").read_text(encoding="utf-8")


def table_schema(table: str) -> dict[str, Any]:
    """The Table Schema descriptor of `table`, as a fresh dict the caller may change."""
    return json.loads(_load(str(schemas_dir()), table))


def arrow_field(field: dict[str, Any]) -> pa.Field:
    """The Arrow field for one Table Schema field: its type, nullability and description."""
    required = field.get("constraints", {}).get("required", False)
    metadata = {"description": field["description"]} if "description" in field else None
    return pa.field(
        field["name"], _ARROW_TYPES[field["type"]], nullable=not required, metadata=metadata
    )


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of `table`, derived field by field from its Table Schema."""
    descriptor = table_schema(table)
    return pa.schema(
        [arrow_field(f) for f in descriptor["fields"]],
        metadata={"description": descriptor.get("description", "")},
    )
