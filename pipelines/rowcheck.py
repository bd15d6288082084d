"""Check one letter's rows against the Table Schema constraints before it joins the tables.

A letter whose values break a constraint (a dossier number that does not match its pattern, a
missing required field) is rejected on its own, with the reason, instead of failing validation
of the whole package and holding back every other letter. The per-value constraints are checked
here (required, pattern, enum, minimum, maximum); frictionless still validates everything on the
written package.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pipelines.extract import ParsedLetter
from pipelines.schemas import TABLES, schemas_dir, table_schema


@cache
def _rules(
    folder: str, table: str
) -> list[tuple[str, bool, re.Pattern | None, set | None, Any, Any]]:
    """The checks per constrained field; fields without constraints are left out, as most are."""
    rules = []
    for field in table_schema(table)["fields"]:
        constraints = field.get("constraints", {})
        if not constraints.keys() & {"required", "pattern", "enum", "minimum", "maximum"}:
            continue
        pattern = constraints.get("pattern")
        rules.append(
            (
                field["name"],
                bool(constraints.get("required")),
                re.compile(pattern) if pattern else None,
                set(constraints["enum"]) if "enum" in constraints else None,
                constraints.get("minimum"),
                constraints.get("maximum"),
            )
        )
    return rules


def row_problems(letter: ParsedLetter) -> list[str]:
    """Every constraint the letter's rows break, as `table.field: reason` strings."""
    problems = []
    for table in TABLES:
        rules = _rules(str(schemas_dir()), table)
        for row in letter.rows(table):
            for name, required, pattern, enum, minimum, maximum in rules:
                value = row.get(name)
                if value is None:
                    if required:
                        problems.append(f"{table}.{name}: missing")
                    continue
                if pattern is not None and not pattern.fullmatch(str(value)):
                    problems.append(f"{table}.{name}: {value!r} does not match {pattern.pattern}")
                if enum is not None and value not in enum:
                    problems.append(f"{table}.{name}: {value!r} is not one of {sorted(enum)}")
                if minimum is not None and value < minimum:
                    problems.append(f"{table}.{name}: {value!r} is below {minimum}")
                if maximum is not None and value > maximum:
                    problems.append(f"{table}.{name}: {value!r} is above {maximum}")
    return problems
