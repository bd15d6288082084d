"""Check one letter's rows against the Table Schema constraints before it joins the tables.

A letter whose rows break a constraint (a missing required field, two rows with the same key) is
rejected on its own, with the reason, instead of failing validation of the whole package and
holding back every other letter; an optional value that breaks one (a document number of an
unusual form) is emptied instead, and the letter published. Every
constraint that one letter's rows can break is checked here: the per-value ones (required,
pattern, enum, minimum, maximum) and, since every key starts with letter_id, primary keys,
unique fields and foreign keys within the letter. The table checks then fail only for faults
that span letters, and frictionless still validates everything on the written package.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from pipelines.extract import ParsedLetter
from pipelines.schemas import TABLES, schemas_dir, table_schema

Rule = tuple[re.Pattern | None, set | None, Any, Any]
"""A field's per-value constraints: pattern, enum, minimum, maximum."""


@cache
def _rules(folder: str, table: str) -> list[tuple[str, bool, Rule | None]]:
    """Per constrained field: its name, whether it is required, and its per-value constraints
    (None when it has only `required`); fields without constraints are left out, as most are."""
    rules = []
    for field in table_schema(table)["fields"]:
        constraints = field.get("constraints", {})
        if not constraints.keys() & {"required", "pattern", "enum", "minimum", "maximum"}:
            continue
        pattern = constraints.get("pattern")
        rule = (
            re.compile(pattern) if pattern else None,
            set(constraints["enum"]) if "enum" in constraints else None,
            constraints.get("minimum"),
            constraints.get("maximum"),
        )
        has_rule = any(part is not None for part in rule)
        rules.append((field["name"], bool(constraints.get("required")), rule if has_rule else None))
    return rules


@cache
def _optional_rules(folder: str, table: str) -> list[tuple[str, Rule]]:
    """The per-value constraints of fields a row can do without: optional, and in no key."""
    keyed = _keyed(folder, table)
    return [
        (name, rule)
        for name, required, rule in _rules(folder, table)
        if rule is not None and not required and name not in keyed
    ]


@cache
def _keys(folder: str, table: str) -> list[tuple[str, list[str]]]:
    """Field lists whose values no two rows may share: the primary key, then unique fields."""
    descriptor = table_schema(table)
    keys = [("primary key", descriptor["primaryKey"])] if descriptor.get("primaryKey") else []
    keys += [
        ("unique", [field["name"]])
        for field in descriptor["fields"]
        if field.get("constraints", {}).get("unique")
    ]
    return keys


@cache
def _foreign_keys(folder: str, table: str) -> list[tuple[list[str], str, list[str]]]:
    """Each foreign key of `table`: its fields, the table referred to, and the fields there."""
    return [
        (foreign["fields"], foreign["reference"]["resource"], foreign["reference"]["fields"])
        for foreign in table_schema(table).get("foreignKeys", [])
    ]


@cache
def _keyed(folder: str, table: str) -> frozenset[str]:
    """The fields of `table` a key is made of: never emptied, since rows hang on them."""
    names = {name for _kind, fields in _keys(folder, table) for name in fields}
    return frozenset(names.union(*(fields for fields, _, _ in _foreign_keys(folder, table))))


def _key_problems(letter: ParsedLetter) -> list[str]:
    """Keys repeated within the letter, and references to rows the letter does not have.

    Every row of a letter is checked here, so the common case (no problem) is found with
    sets of key tuples; rows are walked one by one only to name a problem.
    """
    problems = []
    folder = str(schemas_dir())
    for table in TABLES:
        rows = letter.rows(table)
        for kind, fields in _keys(folder, table):
            keys = [tuple(row.get(name) for name in fields) for row in rows]
            if len(set(keys)) == len(keys):
                continue
            seen: set[tuple] = set()
            for key in keys:
                if key in seen:
                    problems.append(f"{table}: {kind} ({', '.join(fields)}) {key!r} repeats")
                seen.add(key)
        for fields, target, theirs in _foreign_keys(folder, table):
            targets = {tuple(row.get(name) for name in theirs) for row in letter.rows(target)}
            keys = [tuple(row.get(name) for name in fields) for row in rows]
            if set(keys) <= targets:
                continue
            for key in keys:
                if None not in key and key not in targets:
                    problems.append(f"{table}: {', '.join(fields)} {key!r} is not in {target}")
    return problems


def _fault(value: Any, pattern, enum, minimum, maximum) -> str | None:
    """How a present value breaks its field's per-value constraints, or None."""
    if pattern is not None and not pattern.fullmatch(str(value)):
        return f"{value!r} does not match {pattern.pattern}"
    if enum is not None and value not in enum:
        return f"{value!r} is not one of {sorted(enum)}"
    if minimum is not None and value < minimum:
        return f"{value!r} is below {minimum}"
    if maximum is not None and value > maximum:
        return f"{value!r} is above {maximum}"
    return None


def clear_optional_faults(letter: ParsedLetter) -> list[str]:
    """Empty every optional value that breaks its constraint; say what was emptied.

    A letter whose printed document number takes an unusual form is still a letter worth
    publishing: only that value is lost, and the ingest report says so. Values a row cannot do
    without (required fields, keys) are left for `row_problems` to reject the letter over.
    """
    cleared = []
    folder = str(schemas_dir())
    for table in TABLES:
        rules = _optional_rules(folder, table)
        if not rules:
            continue
        for row in letter.rows(table):
            for name, rule in rules:
                value = row.get(name)
                if value is not None and (fault := _fault(value, *rule)) is not None:
                    row[name] = None
                    cleared.append(f"{table}.{name}: {fault}; left empty")
    return cleared


def row_problems(letter: ParsedLetter) -> list[str]:
    """Every constraint the letter's rows break, as `table.field: reason` strings."""
    problems = _key_problems(letter)
    folder = str(schemas_dir())
    for table in TABLES:
        rules = _rules(folder, table)
        for row in letter.rows(table):
            for name, required, rule in rules:
                value = row.get(name)
                if value is None:
                    if required:
                        problems.append(f"{table}.{name}: missing")
                elif rule is not None and (fault := _fault(value, *rule)) is not None:
                    problems.append(f"{table}.{name}: {fault}")
    return problems
