"""Check one letter's rows against the Table Schema constraints before it joins the tables.

A letter whose rows break a constraint (a missing required field, two rows with the same key) is
rejected on its own, with the reason, instead of failing validation of the whole package and
holding back every other letter; an optional value that breaks one (a document number of an
unusual form) is emptied instead, and the letter published. Every constraint that one letter's
rows can break is checked here, with the rules of `pipelines.tables.constraints`: required, the
per-value ones and, since every key starts with letter_id, primary keys, unique fields and
foreign keys within the letter. The table checks then fail only for faults
that span letters, and frictionless still validates everything on the written package.
"""

from __future__ import annotations

from functools import cache

from pipelines.extract import ParsedLetter
from pipelines.tables.constraints import FieldRules, table_rules
from pipelines.tables.schemas import TABLES, schemas_dir


@cache
def _optional(folder: str, table: str) -> tuple[FieldRules, ...]:
    """The fields of `table` with per-value rules that a row can do without: optional, and in no
    key."""
    rules = table_rules(table)
    return tuple(
        field
        for field in rules.constrained
        if field.rules and not field.required and field.name not in rules.keyed
    )


def _key_problems(letter: ParsedLetter) -> list[str]:
    """Keys repeated within the letter, and references to rows the letter does not have.

    Every row of a letter is checked here, so the common case (no problem) is found with
    sets of key tuples; rows are walked one by one only to name a problem.
    """
    problems = []
    for table in TABLES:
        rows = letter.rows(table)
        rules = table_rules(table)
        for kind, fields in rules.keys:
            keys = [tuple(row.get(name) for name in fields) for row in rows]
            if len(set(keys)) == len(keys):
                continue
            seen: set[tuple] = set()
            for key in keys:
                if key in seen:
                    problems.append(f"{table}: {kind} ({', '.join(fields)}) {key!r} repeats")
                seen.add(key)
        for foreign in rules.foreign_keys:
            targets = {
                tuple(row.get(name) for name in foreign.reference)
                for row in letter.rows(foreign.resource)
            }
            keys = [tuple(row.get(name) for name in foreign.fields) for row in rows]
            if set(keys) <= targets:
                continue
            for key in keys:
                if None not in key and key not in targets:
                    problems.append(
                        f"{table}: {', '.join(foreign.fields)} {key!r} is not in {foreign.resource}"
                    )
    return problems


def clear_optional_faults(letter: ParsedLetter) -> list[str]:
    """Empty every optional value that breaks its constraint; say what was emptied.

    A letter whose printed document number takes an unusual form is still a letter worth
    publishing: only that value is lost, and the ingest report says so. Values a row cannot do
    without (required fields, keys) are left for `row_problems` to reject the letter over.
    """
    cleared = []
    folder = str(schemas_dir())
    for table in TABLES:
        fields = _optional(folder, table)
        if not fields:
            continue
        for row in letter.rows(table):
            for field in fields:
                value = row.get(field.name)
                if value is None:
                    continue
                for rule in field.rules:
                    if (fault := rule.fault(value)) is not None:
                        row[field.name] = None
                        cleared.append(f"{table}.{field.name}: {fault}; left empty")
                        break
    return cleared


def row_problems(letter: ParsedLetter) -> list[str]:
    """Every constraint the letter's rows break, as `table.field: reason` strings."""
    problems = _key_problems(letter)
    for table in TABLES:
        fields = table_rules(table).constrained
        for row in letter.rows(table):
            for field in fields:
                value = row.get(field.name)
                if value is None:
                    if field.required:
                        problems.append(f"{table}.{field.name}: missing")
                    continue
                for rule in field.rules:
                    if (fault := rule.fault(value)) is not None:
                        problems.append(f"{table}.{field.name}: {fault}")
    return problems
