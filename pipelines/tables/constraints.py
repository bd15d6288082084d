"""The constraints of `schemas/`, read once into rules that judge one value or a whole column.

Constraints are checked at two grains: a letter's rows before the letter joins the tables
(`pipelines.tables.lettercheck`, in Python, so one bad letter is rejected on its own), and whole
tables before they are published (`pipelines.tables.tablecheck`, with Arrow kernels, batch by
batch). Both take their rules from here, so what a constraint means, and how a value that breaks
it is described, is written once: a `ValueRule` holds the Python test and the Arrow kernel of one
constraint side by side, and `TableRules` holds which fields are required, unique, keyed and
referred to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipelines.tables.schemas import arrow_field, schemas_dir, table_schema

VALUE_CONSTRAINTS = ("pattern", "enum", "minimum", "maximum", "minLength", "maxLength")
"""The Table Schema constraints judged on each present value on its own."""


@dataclass(frozen=True)
class ValueRule:
    """One per-value constraint of a field.

    `breaks` tells whether a present value breaks it; `breaks_array` marks the present values of
    an Arrow array that do. `what` describes such a value, after the value or a count of values:
    "'x' not matching ^[0-9]+$", "3 values not matching ^[0-9]+$".
    """

    what: str
    breaks: Callable[[Any], bool]
    breaks_array: Callable[[pa.Array], pa.Array]

    def fault(self, value: Any) -> str | None:
        """How a present value breaks this rule, or None."""
        return f"{value!r} {self.what}" if self.breaks(value) else None


def value_rules(field: dict[str, Any]) -> tuple[ValueRule, ...]:
    """The per-value rules of a Table Schema field, in the order of `VALUE_CONSTRAINTS`.

    A pattern must match the whole value, as Table Schema says; Python's `re.fullmatch` and the
    anchored RE2 pattern Arrow runs agree on the patterns `schemas/` uses.
    """
    constraints = field.get("constraints", {})
    rules = []
    if "pattern" in constraints:
        pattern = constraints["pattern"]
        compiled, anchored = re.compile(pattern), f"^(?:{pattern})$"
        rules.append(ValueRule(
            f"not matching {pattern}",
            lambda v: compiled.fullmatch(str(v)) is None,
            lambda a: pc.invert(pc.match_substring_regex(a, anchored)),
        ))  # fmt: skip
    if "enum" in constraints:
        allowed = constraints["enum"]
        allowed_set, allowed_array = set(allowed), pa.array(allowed, type=arrow_field(field).type)
        rules.append(ValueRule(
            f"not one of {allowed}",
            lambda v: v not in allowed_set,
            lambda a: pc.invert(pc.is_in(a, value_set=allowed_array)),
        ))  # fmt: skip
    if "minimum" in constraints:
        low = constraints["minimum"]
        rules.append(ValueRule(f"below {low}", lambda v: v < low, lambda a: pc.less(a, low)))
    if "maximum" in constraints:
        high = constraints["maximum"]
        rules.append(ValueRule(f"above {high}", lambda v: v > high, lambda a: pc.greater(a, high)))
    if "minLength" in constraints:
        shortest = constraints["minLength"]
        rules.append(ValueRule(
            f"shorter than {shortest} characters",
            lambda v: len(v) < shortest,
            lambda a: pc.less(pc.utf8_length(a), shortest),
        ))  # fmt: skip
    if "maxLength" in constraints:
        longest = constraints["maxLength"]
        rules.append(ValueRule(
            f"longer than {longest} characters",
            lambda v: len(v) > longest,
            lambda a: pc.greater(pc.utf8_length(a), longest),
        ))  # fmt: skip
    return tuple(rules)


@dataclass(frozen=True)
class FieldRules:
    """What one field's values must be: present (`required`), distinct (`unique`), and within
    each of its `rules`."""

    name: str
    required: bool
    unique: bool
    rules: tuple[ValueRule, ...]


@dataclass(frozen=True)
class ForeignKey:
    """Fields of a table whose values must be a row's key in another table (`resource`)."""

    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class TableRules:
    """Every constraint of one Table Schema, in the order it declares them."""

    fields: tuple[FieldRules, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]

    @cached_property
    def constrained(self) -> tuple[FieldRules, ...]:
        """The fields with a constraint a single value can break: most fields have none."""
        return tuple(field for field in self.fields if field.required or field.rules)

    @cached_property
    def keys(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Field lists no two rows may share a value of: the primary key, then unique fields."""
        keys = [("primary key", self.primary_key)] if self.primary_key else []
        return tuple(keys + [("unique", (f.name,)) for f in self.fields if f.unique])

    @cached_property
    def keyed(self) -> frozenset[str]:
        """The fields a key is made of: a row hangs on them, so they are never emptied."""
        names = {name for _kind, fields in self.keys for name in fields}
        return frozenset(names.union(*(key.fields for key in self.foreign_keys)))


def rules_of(descriptor: dict[str, Any]) -> TableRules:
    """The rules of a Table Schema descriptor."""
    fields = tuple(
        FieldRules(
            field["name"],
            bool(field.get("constraints", {}).get("required")),
            bool(field.get("constraints", {}).get("unique")),
            value_rules(field),
        )
        for field in descriptor["fields"]
    )
    foreign = tuple(
        ForeignKey(
            tuple(key["fields"]), key["reference"]["resource"], tuple(key["reference"]["fields"])
        )
        for key in descriptor.get("foreignKeys", [])
    )
    return TableRules(fields, tuple(descriptor.get("primaryKey", [])), foreign)


def table_rules(table: str) -> TableRules:
    """The rules of `table` in the schemas folder in use (KAMERBRIEVEN_SCHEMAS may switch it)."""
    return _table_rules(str(schemas_dir()), table)


@cache
def _table_rules(folder: str, table: str) -> TableRules:
    return rules_of(table_schema(table))
