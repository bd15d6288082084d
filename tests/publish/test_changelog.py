"""The data changelog: letters added, changed (which tables and fields) and removed."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from benchmarks.corpus import generate
from pipelines.ingest.run import ingest
from pipelines.publish.changelog import (
    CHANGELOG_JSON,
    CHANGELOG_MD,
    changelog_record,
    description_with_summary,
    diff_tables,
    read_tables,
    render_entry,
    write_changelog,
)
from pipelines.publish.package import write_tables
from pipelines.publish.versions import SUMMARY_MARK, Bump
from pipelines.tables import files as tablefiles
from pipelines.tables.build import TableCache
from pipelines.tables.rows import build_tables
from tests.releases import CHANGED_LETTER, with_subject


def _without(tables: dict[str, pa.Table], letter_id: str) -> dict[str, pa.Table]:
    return {
        name: table.filter(pc.not_equal(table.column("letter_id"), letter_id))
        for name, table in tables.items()
    }


def test_identical_tables_have_no_changes(seed_tables) -> None:
    diff = diff_tables(seed_tables, seed_tables)
    assert (diff.added, diff.removed, diff.changed) == ([], [], {})
    assert not diff.rows_added_or_removed and not diff.values_changed


def test_first_release_adds_every_letter(seed_tables) -> None:
    diff = diff_tables({}, seed_tables)
    assert diff.added == sorted(seed_tables["letters"].column("letter_id").to_pylist())
    assert diff.changed == {} and diff.rows_added_or_removed
    assert diff.rows["paragraphs"] == {"before": 0, "after": seed_tables["paragraphs"].num_rows}


def test_added_and_removed_letters(seed_tables) -> None:
    smaller = _without(seed_tables, CHANGED_LETTER)
    assert diff_tables(smaller, seed_tables).added == [CHANGED_LETTER]
    removed = diff_tables(seed_tables, smaller)
    assert removed.removed == [CHANGED_LETTER] and removed.changed == {}
    assert removed.summary() == "0 letters added, 0 changed, 1 removed"


def test_changed_value_names_letter_table_and_field(seed_tables) -> None:
    diff = diff_tables(seed_tables, with_subject(seed_tables, CHANGED_LETTER, "New subject"))
    assert list(diff.changed) == [CHANGED_LETTER]
    change = diff.changed[CHANGED_LETTER]["letters"]
    assert (change.rows_changed, change.fields) == (1, {"subject"})
    assert diff.values_changed and not diff.rows_added_or_removed


def test_lost_child_row_changes_the_letter(seed_tables) -> None:
    paragraphs = seed_tables["paragraphs"]
    last = paragraphs.num_rows - 1
    fewer = {**seed_tables, "paragraphs": paragraphs.slice(0, last)}
    letter = paragraphs.column("letter_id")[last].as_py()
    diff = diff_tables(seed_tables, fewer)
    assert diff.changed[letter]["paragraphs"].rows_removed == 1
    assert diff.rows_added_or_removed


def test_changelog_files_are_cumulative(seed_tables, tmp_path: Path) -> None:
    first, second = tmp_path / "1.0.0", tmp_path / "1.0.1"
    first.mkdir()
    second.mkdir()
    bump = Bump()
    bump.add("major", "first release")
    created = "2020-07-06T00:00:00Z"
    write_changelog(first, changelog_record(diff_tables({}, seed_tables), bump, "1.0.0", None),
                    created, None)  # fmt: skip
    changed = with_subject(seed_tables, CHANGED_LETTER, "New subject")
    patch = Bump()
    patch.add("patch", "values corrected")
    record = changelog_record(diff_tables(seed_tables, changed), patch, "1.0.1", "1.0.0")
    write_changelog(second, record, created, first)

    written = json.loads((second / CHANGELOG_JSON).read_text())
    assert written["letters"]["changed"] == [
        {
            "letter_id": CHANGED_LETTER,
            "tables": {
                "letters": {
                    "rows_added": 0,
                    "rows_removed": 0,
                    "rows_changed": 1,
                    "fields": ["subject"],
                }
            },
        }
    ]
    assert (written["level"], written["previous_version"]) == ("patch", "1.0.0")
    markdown = (second / CHANGELOG_MD).read_text()
    assert markdown.startswith("# Changelog\n\n## 1.0.1 (patch, 2020-07-06)\n")
    assert f"- Changed: `{CHANGED_LETTER}` (letters: subject)" in markdown
    assert markdown.count("# Changelog") == 1
    assert markdown.index("## 1.0.1") < markdown.index("## 1.0.0 (initial, 2020-07-06)")
    described = description_with_summary("Base.", record)
    assert described == (
        f"Base.{SUMMARY_MARK}1.0.1 (against 1.0.0): 0 letters added, 1 changed, 0 removed."
    )


def test_retyped_column_changes_every_row(seed_tables) -> None:
    """A field whose type changed between releases counts as changed in every row."""
    letters = seed_tables["letters"]
    index = letters.schema.get_field_index("word_count")
    as_text = pa.array([str(v) for v in letters["word_count"].to_pylist()], pa.string())
    old = {**seed_tables, "letters": letters.set_column(index, "word_count", as_text)}
    diff = diff_tables(old, seed_tables)
    assert sorted(diff.changed) == sorted(letters["letter_id"].to_pylist())
    assert all(c["letters"].fields == {"word_count"} for c in diff.changed.values())


def test_rows_in_another_order_are_matched_by_key(seed_tables) -> None:
    """A release whose rows are not in key order is still compared row for row."""
    changed = with_subject(seed_tables, CHANGED_LETTER, "New subject")
    paragraphs = changed["paragraphs"]
    reversed_rows = paragraphs.take(pa.array(range(paragraphs.num_rows - 1, -1, -1)))
    shuffled = {**changed, "paragraphs": reversed_rows.slice(1)}
    diff = diff_tables(seed_tables, shuffled)
    last = paragraphs.slice(paragraphs.num_rows - 1).to_pylist()[0]
    assert sorted(diff.changed) == sorted({CHANGED_LETTER, last["letter_id"]})
    assert diff.changed[CHANGED_LETTER]["letters"].fields == {"subject"}
    lost = diff.changed[last["letter_id"]]["paragraphs"]
    assert (lost.rows_removed, lost.rows_changed, lost.rows_added) == (1, 0, 0)


def test_release_files_are_diffed_a_chunk_of_letters_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(tmp_path / "corpus", 12, seed=5)
    old = build_tables(ingest(tmp_path / "corpus").letters)
    ids = old["letters"]["letter_id"].to_pylist()
    new = with_subject(_without(old, ids[3]), ids[7], "New subject")
    monkeypatch.setattr(tablefiles, "LETTERS_PER_CHUNK", 2)
    write_tables(old, tmp_path / "release")
    released = read_tables(tmp_path / "release")
    assert len(list(released["letters"].batches())) == 6, "row groups of two letters"
    built = TableCache(tmp_path / "cache").save({t: [new[t]] for t in new}, {})
    diff = diff_tables(released, built)
    assert (diff.added, diff.removed, list(diff.changed)) == ([], [ids[3]], [ids[7]])
    assert diff.changed[ids[7]]["letters"].to_json() == {
        "rows_added": 0, "rows_removed": 0, "rows_changed": 1, "fields": ["subject"],
    }  # fmt: skip
    assert diff.rows["letters"] == {"before": 12, "after": 11}


def test_a_release_entry_explains_its_new_columns() -> None:
    record = {
        "version": "7.0.0", "previous_version": "6.0.0", "level": "major",
        "summary": "0 letters added, 0 changed, 0 removed",
        "reasons": ["letters: fields changed (removed -; added doc_class)"],
        "new_columns": [{"table": "letters", "field": "doc_class", "title": "Document class",
                         "description": "What kind of document this is."}],
        "letters": {"added": [], "changed": [], "removed": []},
    }  # fmt: skip
    assert render_entry(record, "2024-01-02T00:00:00Z").endswith(
        "- letters: fields changed (removed -; added doc_class)\n\nNew columns:\n\n"
        "- `letters.doc_class` (Document class): What kind of document this is.\n"
    )
