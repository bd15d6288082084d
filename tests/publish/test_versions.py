"""Version numbers after the Frictionless "Data Package Version" recipe."""

from __future__ import annotations

import copy

import pytest

from pipelines.publish.package import PACKAGE_METADATA
from pipelines.publish.versions import (
    SUMMARY_MARK,
    Bump,
    bump_version,
    compare_resources,
    decide_version,
    parse_version,
)
from pipelines.tables.schemas import table_schema


def _resources() -> list[dict]:
    return [{"name": "letters", "title": "Letters", "schema": table_schema("letters")}]


def _level(change) -> str | None:
    old, new = _resources(), _resources()
    change(new[0]["schema"])
    bump = Bump()
    compare_resources(old, new, bump)
    return bump.level


def _field(schema: dict, name: str) -> dict:
    return next(f for f in schema["fields"] if f["name"] == name)


def _constrain(schema: dict, name: str, **constraints) -> None:
    _field(schema, name).setdefault("constraints", {}).update(constraints)


def test_bump_version_levels() -> None:
    assert bump_version(None, "major") == "1.0.0"
    assert bump_version("1.4.2", "major") == "2.0.0"
    assert bump_version("1.4.2", "minor") == "1.5.0"
    assert bump_version("1.4.2", "patch") == "1.4.3"
    assert sorted(["1.10.0", "1.9.0", "2.0.0"], key=parse_version) == ["1.9.0", "1.10.0", "2.0.0"]


@pytest.mark.parametrize(
    ("change", "level"),
    [
        (lambda s: _field(s, "subject").update(name="onderwerp"), "major"),
        (lambda s: s["fields"].pop(), "major"),
        (lambda s: s["fields"].append({"name": "extra", "type": "string"}), "major"),
        (lambda s: s["fields"].reverse(), "major"),
        (lambda s: _field(s, "word_count").update(type="number"), "major"),
        (lambda s: _constrain(s, "word_count", maximum=5), "major"),
        (lambda s: _constrain(s, "subject", required=True), "major"),
        (lambda s: s.update(primaryKey=["letter_id", "date"]), "major"),
        (lambda s: _field(s, "subject").update(description="Better words."), "patch"),
        (lambda s: s.update(description="Better words."), "patch"),
        (lambda s: None, None),
    ],
    ids=[
        "rename", "remove", "add-field", "reorder", "retype", "maximum", "required",
        "primary-key", "field-description", "schema-description", "nothing",
    ],
)  # fmt: skip
def test_schema_changes(change, level) -> None:
    assert _level(change) == level


def test_relaxed_constraint_is_a_patch() -> None:
    def relax(schema: dict) -> None:
        constraints = _field(schema, "letter_id")["constraints"]
        constraints.pop("pattern", None)
        constraints.pop("unique", None)

    assert _level(relax) == "patch"


def test_resource_added_is_minor_and_removed_is_major() -> None:
    bump = Bump()
    extra = {"name": "votes", "schema": {"fields": []}}
    compare_resources(_resources(), [*_resources(), extra], bump)
    assert bump.level == "minor" and bump.reasons == ["resource votes added"]
    bump = Bump()
    compare_resources([*_resources(), extra], _resources(), bump)
    assert bump.level == "major" and bump.reasons == ["resource votes removed"]


def test_new_columns_are_recorded_with_their_schema_words_once_per_table() -> None:
    old, new = _resources(), _resources()
    added = {"name": "tone", "type": "string", "title": "Tone",
             "description": "How the letter reads."}  # fmt: skip
    new[0]["schema"]["fields"].insert(2, added)
    offices = {"name": "offices", "schema": {"fields": [
        {"name": "letter_id", "type": "string", "title": "Letter", "description": "Its letter."}
    ]}}  # fmt: skip
    offices_csv = {**offices, "name": "offices-csv"}
    bump = Bump()
    compare_resources(old, [*new, offices, offices_csv], bump)
    assert bump.new_columns == [
        {"table": "offices", "field": "letter_id", "title": "Letter", "description": "Its letter."},
        {"table": "letters", "field": "tone", "title": "Tone",
         "description": "How the letter reads."},
    ]  # fmt: skip


def _descriptor(version: str = "1.2.3") -> dict:
    return {**copy.deepcopy(PACKAGE_METADATA), "version": version, "resources": _resources()}


def test_decide_version_from_data_changes() -> None:
    latest, build = _descriptor(), _descriptor("")
    assert decide_version(None, build, True, False)[0] == "1.0.0"
    assert decide_version(latest, build, True, True)[0] == "1.3.0"
    assert decide_version(latest, build, False, True)[0] == "1.2.4"
    version, bump = decide_version(latest, build, False, False)
    assert version == "1.2.3" and bump.level is None


def test_decide_version_ignores_the_change_summary_but_not_the_description() -> None:
    latest = _descriptor()
    latest["description"] += f"{SUMMARY_MARK}1.2.3 (against 1.2.2): 1 letter added."
    assert decide_version(latest, _descriptor(""), False, False)[1].level is None
    edited = _descriptor("")
    edited["description"] = "Another description."
    version, bump = decide_version(latest, edited, False, False)
    assert version == "1.2.4" and bump.reasons == ["package description changed"]


def test_schema_change_outranks_data_changes() -> None:
    build = _descriptor("")
    build["resources"][0]["schema"]["fields"].pop()
    version, bump = decide_version(_descriptor(), build, True, True)
    assert version == "2.0.0"
    assert bump.reasons[0].startswith("letters: fields changed (removed ")
