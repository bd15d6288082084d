"""The data changelog of a release: which letters were added, changed or removed.

Someone who cites version 1.3.0 and sees 1.4.0 appear wants to know whether their letters moved.
Every release folder carries `changelog.json` (complete, for scripts) and `CHANGELOG.md` (this
version on top of all earlier ones, for people); the package description ends with a one-line
summary. Rows are matched on each table's primary key and grouped by `letter_id`, so a letter is
"changed" when any of its rows in any table was added, removed or got a different value.
"""

from __future__ import annotations

import bisect
import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipelines.publish.versions import SUMMARY_MARK, Bump
from pipelines.tables.files import (
    KeyCursor,
    TableFile,
    TableLike,
    UnsortedError,
    batches,
    read_columns,
    read_table,
)
from pipelines.tables.schemas import TABLES, table_schema

LETTER_KEY = "letter_id"
CHANGELOG_JSON = "changelog.json"
CHANGELOG_MD = "CHANGELOG.md"
MD_LIST_LIMIT = 50
"""Letters listed by name per section in CHANGELOG.md; changelog.json always lists all."""


@dataclass
class TableChange:
    """What changed in one table for one letter."""

    rows_added: int = 0
    rows_removed: int = 0
    rows_changed: int = 0
    fields: set[str] = field(default_factory=set)

    def to_json(self) -> dict[str, Any]:
        """Counts and the sorted names of the fields whose values changed."""
        return {
            "rows_added": self.rows_added,
            "rows_removed": self.rows_removed,
            "rows_changed": self.rows_changed,
            "fields": sorted(self.fields),
        }


@dataclass
class DataDiff:
    """The difference in data between two builds, letter by letter."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, TableChange]] = field(default_factory=dict)
    rows: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def rows_added_or_removed(self) -> bool:
        """True when any table gained or lost rows: a minor release at least."""
        return bool(self.added or self.removed) or any(
            c.rows_added or c.rows_removed for t in self.changed.values() for c in t.values()
        )

    @property
    def values_changed(self) -> bool:
        """True when rows kept their keys but some values differ: a patch at least."""
        return any(c.rows_changed for t in self.changed.values() for c in t.values())

    def summary(self) -> str:
        """One line such as `1 letter added, 2 changed, 0 removed`."""
        noun = "letter" if len(self.added) == 1 else "letters"
        return (
            f"{len(self.added)} {noun} added, {len(self.changed)} changed, "
            f"{len(self.removed)} removed"
        )


def read_tables(folder: Path) -> dict[str, TableFile]:
    """The Parquet tables of a published release, to be read a chunk at a time.

    Tables the release does not have are left out.
    """
    return {
        table: TableFile(str(folder / f"{table}.parquet"))
        for table in TABLES
        if (folder / f"{table}.parquet").exists()
    }


def _rows_per_letter(keys: pa.Table) -> dict[str, int]:
    if not keys.num_rows:
        return {}
    counts = keys.group_by(LETTER_KEY).aggregate([([], "count_all")])
    return dict(zip(counts[LETTER_KEY].to_pylist(), counts["count_all"].to_pylist(), strict=True))


def _without_letters(table: pa.Table, letters: list[str]) -> pa.Table:
    """`table` without the rows of `letters` (sorted); only those in its range are looked up."""
    if not letters or not table.num_rows:
        return table
    bounds = pc.min_max(table[LETTER_KEY])
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    inside = letters[bisect.bisect_left(letters, low) : bisect.bisect_right(letters, high)]
    if not inside:
        return table
    return table.filter(pc.invert(pc.is_in(table[LETTER_KEY], value_set=pa.array(inside))))


def _row_keys(table: pa.Table, key: list[str]) -> pa.Array:
    """Each row's primary key as one string, so rows can be looked up with `is_in`."""
    parts = [pc.cast(table[column], pa.string()) for column in key]
    joined = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, "\x1f")
    return joined.combine_chunks() if isinstance(joined, pa.ChunkedArray) else joined


def _differs(left: pa.ChunkedArray, right: pa.ChunkedArray) -> pa.ChunkedArray:
    """Row by row: the values differ, a null and a value counting as different.

    A column whose type changed between releases differs in every row.
    """
    if left.type != right.type:
        return pa.chunked_array([pa.array([True] * len(left), pa.bool_())])
    both_null = pc.and_(pc.is_null(left), pc.is_null(right))
    return pc.invert(pc.or_(pc.fill_null(pc.equal(left, right), False), both_null))


def _diff_table(name: str, old: pa.Table, new: pa.Table, diff: DataDiff) -> None:
    """Count, per letter, the rows of `name` added, removed and changed, with Arrow kernels.

    Vectorized because an incremental refresh diffs every row of the corpus to find the few
    that changed, which as Python dicts took seconds (docs/performance.md).
    """
    key = table_schema(name)["primaryKey"]
    common = [c for c in new.column_names if c in old.column_names and c not in key]

    def change(letter: str) -> TableChange:
        return diff.changed.setdefault(letter, {}).setdefault(name, TableChange())

    # rows of letters added or removed as a whole are not counted per row: leave them out
    new = _without_letters(new, diff.added)
    old = _without_letters(old, diff.removed)
    if new.select(key).equals(old.select(key).cast(new.select(key).schema)):
        matched_new, matched_old = new, old  # the usual case: the same rows in the same order
    else:
        new_keys, old_keys = _row_keys(new, key), _row_keys(old, key)
        in_old = pc.is_in(new_keys, value_set=old_keys)
        in_new = pc.is_in(old_keys, value_set=new_keys)
        for letter, count in _rows_per_letter(new.filter(pc.invert(in_old))).items():
            change(letter).rows_added += count
        for letter, count in _rows_per_letter(old.filter(pc.invert(in_new))).items():
            change(letter).rows_removed += count
        matched_new, matched_old = new.filter(in_old), old.filter(in_new)
        if not new_keys.filter(in_old).equals(old_keys.filter(in_new)):
            # not sorted by key (as published packages are): line the rows up by key
            order_new = pc.sort_indices(new_keys.filter(in_old))
            order_old = pc.sort_indices(old_keys.filter(in_new))
            matched_new, matched_old = matched_new.take(order_new), matched_old.take(order_old)
    if not common:
        return
    letters = matched_new[LETTER_KEY]
    pairs = {c: (matched_new[c], matched_old[c]) for c in common}
    flags = {c: _differs(*pair) for c, pair in pairs.items()}
    changed = functools.reduce(pc.or_, flags.values())
    if not pc.any(changed).as_py():
        return
    rows = pa.table({LETTER_KEY: letters, **flags}).filter(changed)
    for row in rows.to_pylist():
        entry = change(row[LETTER_KEY])
        entry.rows_changed += 1
        entry.fields |= {c for c in common if row[c]}


def _aligned(old: TableLike, new: TableLike) -> Iterator[tuple[pa.Table, pa.Table]]:
    """Both tables, sorted by letter_id, in pairs of chunks that hold the same letters.

    Raises `UnsortedError` when either is not sorted.
    """
    old_rows, new_rows = KeyCursor(batches(old)), KeyCursor(batches(new))
    while (bound := new_rows.head_last()) is not None:
        yield (
            pa.Table.from_batches(old_rows.through(bound), old.schema),
            pa.Table.from_batches(new_rows.through(bound), new.schema),
        )
    yield pa.Table.from_batches(old_rows.through(None), old.schema), new.schema.empty_table()


def _diff_stream(name: str, old: TableLike | None, new: TableLike, diff: DataDiff) -> None:
    """`_diff_table` over both tables a chunk of letters at a time, so neither is held whole.

    Tables that are not sorted by letter_id (never so when published by this pipeline) are
    compared whole instead.
    """
    key = table_schema(name)["primaryKey"]
    if old is None or not set(key) <= set(old.schema.names):
        old = new.schema.empty_table()
    try:
        for old_part, new_part in _aligned(old, new):
            if not new_part.equals(old_part):  # most chunks are unchanged; a cheap test first
                _diff_table(name, old_part, new_part, diff)
    except UnsortedError:
        for tables in diff.changed.values():
            tables.pop(name, None)
        diff.changed = {letter: tables for letter, tables in diff.changed.items() if tables}
        _diff_table(name, read_table(old), read_table(new), diff)


def diff_tables(old: Mapping[str, TableLike], new: Mapping[str, TableLike]) -> DataDiff:
    """Letters added, removed and changed (per table, per field) from `old` to `new`."""
    new_ids = set(read_columns(new["letters"], [LETTER_KEY])[LETTER_KEY].to_pylist())
    old_ids = set()
    if "letters" in old:
        old_ids = set(read_columns(old["letters"], [LETTER_KEY])[LETTER_KEY].to_pylist())
    diff = DataDiff(added=sorted(new_ids - old_ids), removed=sorted(old_ids - new_ids))
    for name in TABLES:
        if old_ids:  # with no letters before, every row belongs to an added letter
            _diff_stream(name, old.get(name), new[name], diff)
        diff.rows[name] = {
            "before": old[name].num_rows if name in old else 0,
            "after": new[name].num_rows,
        }
    diff.changed = dict(sorted(diff.changed.items()))
    return diff


def same_rows(tables: Mapping[str, TableLike]) -> DataDiff:
    """The diff of `tables` with a release known to hold the same rows: nothing added, changed
    or removed, found without reading either."""
    counts = {name: tables[name].num_rows for name in TABLES}
    return DataDiff(rows={name: {"before": n, "after": n} for name, n in counts.items()})


def changelog_record(
    diff: DataDiff, bump: Bump, version: str, previous: str | None
) -> dict[str, Any]:
    """The content of changelog.json for one release."""
    return {
        "version": version,
        "previous_version": previous,
        "level": bump.level if previous else "initial",
        "summary": diff.summary(),
        "reasons": bump.reasons,
        "new_columns": bump.new_columns,
        "letters": {
            "added": diff.added,
            "changed": [
                {
                    LETTER_KEY: letter,
                    "tables": {t: c.to_json() for t, c in sorted(tables.items())},
                }
                for letter, tables in diff.changed.items()
            ],
            "removed": diff.removed,
        },
        "rows": diff.rows,
    }


def description_with_summary(base: str, record: dict[str, Any]) -> str:
    """The package description followed by this version's change summary."""
    previous = record["previous_version"]
    against = f"against {previous}" if previous else "first release"
    return f"{base}{SUMMARY_MARK}{record['version']} ({against}): {record['summary']}."


def _names(ids: list[str]) -> str:
    shown = ", ".join(f"`{i}`" for i in ids[:MD_LIST_LIMIT])
    more = len(ids) - MD_LIST_LIMIT
    return shown + (f" and {more} more (see changelog.json)" if more > 0 else "")


def _table_note(table: str, change: dict[str, Any]) -> str:
    parts = [
        f"{change[k]} rows {k.split('_')[1]}" for k in ("rows_added", "rows_removed") if change[k]
    ]
    if change["fields"]:
        parts.append(", ".join(change["fields"]))
    return f"{table}: {'; '.join(parts)}"


def render_entry(record: dict[str, Any], created: str) -> str:
    """This version's section of CHANGELOG.md."""
    letters = record["letters"]
    lines = [f"## {record['version']} ({record['level']}, {created[:10]})", ""]
    lines.append(f"{record['summary'][0].upper()}{record['summary'][1:]}.")
    lines.append("")
    if letters["added"]:
        lines.append(f"- Added: {_names(letters['added'])}")
    for entry in letters["changed"][:MD_LIST_LIMIT]:
        notes = "; ".join(_table_note(t, c) for t, c in entry["tables"].items())
        lines.append(f"- Changed: `{entry[LETTER_KEY]}` ({notes})")
    if len(letters["changed"]) > MD_LIST_LIMIT:
        more = len(letters["changed"]) - MD_LIST_LIMIT
        lines.append(f"- Changed: {more} more letters (see changelog.json)")
    if letters["removed"]:
        lines.append(f"- Removed: {_names(letters['removed'])}")
    lines += [f"- {reason}" for reason in record["reasons"] if reason != "first release"]
    if record.get("new_columns") and record["previous_version"]:
        lines += ["", "New columns:", ""]
        lines += [
            f"- `{c['table']}.{c['field']}` ({c['title']}): {c['description']}"
            for c in record["new_columns"]
        ]
    return "\n".join(lines).rstrip() + "\n"


def write_changelog(
    folder: Path, record: dict[str, Any], created: str, previous_folder: Path | None
) -> None:
    """Write changelog.json and CHANGELOG.md (this entry above the previous release's)."""
    (folder / CHANGELOG_JSON).write_text(
        json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    earlier = ""
    if previous_folder is not None and (previous_folder / CHANGELOG_MD).exists():
        text = (previous_folder / CHANGELOG_MD).read_text(encoding="utf-8")
        earlier = text.split("\n", 2)[2] if text.startswith("# ") else text
    entry = render_entry(record, created)
    body = f"# Changelog\n\n{entry}" + (f"\n{earlier}" if earlier else "")
    (folder / CHANGELOG_MD).write_text(body, encoding="utf-8")
