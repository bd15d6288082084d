"""Schema governance: every kind of schema change classified, and the schema-diff command."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from pipelines.publish.governance import SchemaSet, load_schema_set, schema_diff
from pipelines.tables.schemas import schemas_dir, table_schema
from tests.test_cli import run_cli


def _field(schema: dict, name: str) -> dict:
    return next(f for f in schema["fields"] if f["name"] == name)


def _rename(s: dict) -> None:
    _field(s, "place")["name"] = "location"


def _reorder(s: dict) -> None:
    s["fields"][1], s["fields"][2] = s["fields"][2], s["fields"][1]


def _remove(s: dict) -> None:
    s["fields"] = [f for f in s["fields"] if f["name"] != "closing"]


def _add(s: dict) -> None:
    s["fields"].append({"name": "rubriek", "type": "string", "description": "KOOP rubriek."})


def _retype(s: dict) -> None:
    _field(s, "document_number")["type"] = "integer"


def _require(s: dict) -> None:
    _field(s, "place")["constraints"] = {"required": True}


def _pattern(s: dict) -> None:
    _field(s, "addressee")["constraints"] = {"pattern": "^Voorzitter.*"}


def _new_alternative(s: dict) -> None:
    pattern = _field(s, "letter_id")["constraints"]["pattern"]
    _field(s, "letter_id")["constraints"]["pattern"] = pattern.replace("|doc-", "|x-[0-9]+|doc-")


def _drop_alternative(s: dict) -> None:
    pattern = _field(s, "letter_id")["constraints"]["pattern"]
    head, _, _ = pattern.partition("|doc-")
    _field(s, "letter_id")["constraints"]["pattern"] = head + ")$"


def _shrink_enum(s: dict) -> None:
    _field(s, "house")["constraints"]["enum"] = ["Tweede Kamer"]


def _raise_minimum(s: dict) -> None:
    _field(s, "word_count")["constraints"]["minimum"] = 1


def _primary_key(s: dict) -> None:
    s["primaryKey"] = ["letter_id", "date"]


def _describe(s: dict) -> None:
    _field(s, "place")["description"] = "Where the letter was signed."


def _relax(s: dict) -> None:
    _field(s, "word_count")["constraints"].pop("minimum")


def _grow_enum(s: dict) -> None:
    _field(s, "house")["constraints"]["enum"].append("Verenigde Vergadering")


CASES: list[tuple[Callable[[dict], None], str, str]] = [
    (_rename, "major", "letters: fields changed (removed place; added location)"),
    (_reorder, "major", "letters: fields changed (re-ordered)"),
    (_remove, "major", "letters: fields changed (removed closing; added -)"),
    (_add, "major", "letters: fields changed (removed -; added rubriek)"),
    (_retype, "major", "letters.document_number: type string -> integer"),
    (_require, "major", "letters.place: constraint required is stricter"),
    (_pattern, "major", "letters.addressee: constraint pattern is stricter"),
    (_new_alternative, "patch", "letters.letter_id: constraints relaxed"),
    (_drop_alternative, "major", "letters.letter_id: constraint pattern is stricter"),
    (_shrink_enum, "major", "letters.house: constraint enum is stricter"),
    (_raise_minimum, "major", "letters.word_count: constraint minimum is stricter"),
    (_primary_key, "major", "letters: primaryKey changed"),
    (_describe, "patch", "letters.place: description changed"),
    (_relax, "patch", "letters.word_count: constraints relaxed"),
    (_grow_enum, "patch", "letters.house: constraints relaxed"),
]


def _sets(change: Callable[[dict], None]) -> tuple[SchemaSet, SchemaSet]:
    old = {"letters": table_schema("letters")}
    new = copy.deepcopy(old)
    change(new["letters"])
    return SchemaSet("old", old, "1.4.0"), SchemaSet("new", new, "1.5.0")


@pytest.mark.parametrize(("change", "level", "reason"), CASES, ids=[c[0].__name__ for c in CASES])
def test_change_is_classified(change, level: str, reason: str) -> None:
    diff = schema_diff(*_sets(change))
    assert diff.changes == [(level, reason)]
    assert diff.breaking == (level == "major")
    assert diff.approved == (level != "major"), "1.4.0 -> 1.5.0 does not approve a break"


def test_tables_added_and_removed() -> None:
    letters, footnotes = table_schema("letters"), table_schema("footnotes")
    old = SchemaSet("old", {"letters": letters, "footnotes": footnotes})
    new = SchemaSet("new", {"letters": letters, "annexes": footnotes})
    assert schema_diff(old, new).changes == [
        ("minor", "table annexes added"),
        ("major", "table footnotes removed"),
    ]


def test_a_new_major_version_or_an_explicit_flag_approves_a_break() -> None:
    old, new = _sets(_rename)
    new.version = "2.0.0"
    assert schema_diff(old, new).approved
    new.version = None
    assert not schema_diff(old, new).approved
    assert schema_diff(old, new, allow_breaking=True).approved


def test_identical_schemas_have_no_changes() -> None:
    same = load_schema_set(str(schemas_dir()))
    assert schema_diff(same, same).changes == []


def test_schema_diff_cli(project: Path) -> None:
    old = project / "published" / "latest"
    same = run_cli("schema-diff", str(old), str(project / "schemas"), cwd=project)
    assert same.returncode == 0 and same.stdout == "no schema changes\n"
    path = project / "schemas" / "letters.schema.json"
    schema = json.loads(path.read_text())
    _retype(schema)
    path.write_text(json.dumps(schema))
    broken = run_cli("schema-diff", str(old), str(project / "schemas"), "--json", cwd=project)
    assert broken.returncode == 1
    report = json.loads(broken.stdout)
    assert report["breaking"] is True and report["approved"] is False
    assert report["changes"] == [
        {"level": "major", "change": "letters.document_number: type string -> integer"}
    ]
    allowed = run_cli("schema-diff", str(old), str(project / "schemas"), "--allow-breaking",
                      cwd=project)  # fmt: skip
    assert allowed.returncode == 0
    assert "breaking changes approved" in allowed.stdout
    missing = run_cli("schema-diff", str(project / "nope"), str(project / "schemas"), cwd=project)
    assert missing.returncode == 2
