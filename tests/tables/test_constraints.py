"""One reading of the schema constraints: the per-letter test and the per-table Arrow kernel of
every rule agree value by value, and both checks name a broken value the same way."""

from __future__ import annotations

import pyarrow as pa
import pytest

from pipelines.tables.constraints import rules_of, table_rules, value_rules
from pipelines.tables.schemas import TABLES, table_schema
from pipelines.tables.tablecheck import table_problems

CASES = [
    (
        {"name": "id", "type": "string", "constraints": {"pattern": "[0-9]{5}(-[A-Z]+)?"}},
        ["33783", "33783-IV", "3378", "33783-iv", "x33783", "33783\n", ""],
        "not matching [0-9]{5}(-[A-Z]+)?",
    ),
    (
        {"name": "kind", "type": "string", "constraints": {"enum": ["heading", "paragraph"]}},
        ["heading", "paragraph", "Heading", "kop", ""],
        "not one of ['heading', 'paragraph']",
    ),
    (
        {"name": "n", "type": "integer", "constraints": {"minimum": 0, "maximum": 9}},
        [-1, 0, 9, 10, 5],
        None,
    ),
    (
        {"name": "text", "type": "string", "constraints": {"minLength": 2, "maxLength": 4}},
        ["a", "ab", "abcd", "abcde", "éé", "ééééé"],
        None,
    ),
]


@pytest.mark.parametrize(("field", "values", "what"), CASES, ids=[c[0]["name"] for c in CASES])
def test_python_and_arrow_agree_on_every_value(field: dict, values: list, what: str | None):
    rules = value_rules(field)
    assert rules, "every case has a rule"
    array = pa.array(values, type=pa.int64() if field["type"] == "integer" else pa.string())
    for rule in rules:
        assert rule.breaks_array(array).to_pylist() == [rule.breaks(v) for v in values], rule.what
    if what is not None:
        assert [rule.what for rule in rules] == [what]


def test_bounds_and_lengths_read_as_their_names_say() -> None:
    bounds = value_rules(CASES[2][0])
    assert [rule.what for rule in bounds] == ["below 0", "above 9"]
    assert [[rule.breaks(v) for v in (-1, 0, 9, 10)] for rule in bounds] == [
        [True, False, False, False],
        [False, False, False, True],
    ]
    lengths = value_rules(CASES[3][0])
    assert [rule.what for rule in lengths] == [
        "shorter than 2 characters",
        "longer than 4 characters",
    ]
    assert lengths[1].fault("ééééé") == "'ééééé' longer than 4 characters"


def test_every_constraint_in_schemas_is_read() -> None:
    """Each constraint a field of schemas/ declares becomes a rule or a key; none is dropped."""
    understood = {"required", "unique", "pattern", "enum", "minimum", "maximum", "minLength",
                  "maxLength"}  # fmt: skip
    for table in TABLES:
        descriptor = table_schema(table)
        rules = table_rules(table)
        for field, read in zip(descriptor["fields"], rules.fields, strict=True):
            constraints = field.get("constraints", {})
            assert set(constraints) <= understood, (table, field["name"], constraints)
            values = set(constraints) - {"required", "unique"}
            assert len(read.rules) == len(values), (table, field["name"])
            assert (read.required, read.unique) == (
                bool(constraints.get("required")),
                bool(constraints.get("unique")),
            )
        assert list(rules.primary_key) == descriptor["primaryKey"]
        assert [(list(k.fields), k.resource) for k in rules.foreign_keys] == [
            (k["fields"], k["reference"]["resource"]) for k in descriptor.get("foreignKeys", [])
        ]


def test_the_table_check_words_a_broken_value_as_the_letter_check() -> None:
    field = CASES[1][0]
    descriptor = {"fields": [field], "primaryKey": ["kind"]}
    table = pa.table({"kind": pa.array(["heading", "kop"])})
    [rule] = rules_of(descriptor).fields[0].rules
    assert rule.fault("kop") == "'kop' not one of ['heading', 'paragraph']"
    assert table_problems("t", table, descriptor, {}) == [
        "t.kind: 1 values not one of ['heading', 'paragraph'] (e.g. 'kop')"
    ]
