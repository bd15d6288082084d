"""Data-quality gates on the tables before they are published.

Schema constraints are checked by `pipelines.tables.tablecheck`; these measure whether the
extraction worked well enough on this build to be worth publishing. A broken parser shows as a
share that falls or letters that go missing, so a build is judged against the latest release: a
share may drop by at most `MAX_SHARE_DROP` below the release's, the letter count fall by at most
`MAX_LETTER_DROP`. A folder that was always odd is no sign of a broken parser, and a share of a
handful of letters says little (two letters and one stray web page make a date share of 1/3), so
the fixed minima, and the comparisons, apply only to shares measured over `GATE_MIN_LETTERS`
letters, and the letter count is compared only with a release that large. A failing gate names
the letters that moved it most, so its message says where to look.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipelines import settings
from pipelines.publish.changelog import read_tables
from pipelines.publish.release import LATEST, read_latest
from pipelines.tables.files import TableLike, read_columns
from pipelines.tables.schemas import TABLES, table_schema
from pipelines.tables.tablecheck import table_problems

QUALITY_COLUMNS = [
    "letter_id",
    "date",
    "document_number",
    "dossier_number",
    "paragraph_count",
    "source_path",
]
"""The letters columns the gates read: the key the others refer to, what they measure, and the
file each letter came from, to name it."""

NAMED_LETTERS = 10
"""Letters a failing gate names; the others are counted, so the message stays readable."""


@dataclass
class Culprits:
    """The letters that moved a failed gate most, for its message and the check's metadata."""

    label: str
    """What the letters have in common, such as `without a date`."""
    letters: list[dict[str, str]]
    """At most `NAMED_LETTERS`: letter_id, source_path, and a note on what changed (or "")."""
    more: int
    """How many more letters there are."""

    def __str__(self) -> str:
        names = []
        for entry in self.letters:
            about = "; ".join(part for part in (entry["source_path"], entry["note"]) if part)
            names.append(f"{entry['letter_id']} ({about})")
        return f"{self.label}: {', '.join(names)}" + (f" and {self.more} more" if self.more else "")


@dataclass
class Gate:
    """One quality measure of the build and the lowest value with which it is published."""

    name: str
    value: float | None
    """The build's share or count; None when there is nothing to measure (no Kamerstukken)."""
    threshold: float | None
    """The strictest of the rules that apply to this build; None when none does."""
    rule: str
    """Where the threshold comes from, or why the gate is not judged."""
    reference: float | None = None
    """The same measure in the latest release, when there is one to compare with."""
    culprits: Culprits | None = None
    """When the gate failed, the letters to look at first."""

    @property
    def passed(self) -> bool:
        return self.threshold is None or self.value is None or self.value >= self.threshold

    def message(self) -> str:
        """Why the gate failed, in one line."""
        text = f"{self.name}: {_number(self.value)} is below {_number(self.threshold)}, {self.rule}"
        return f"{text}; {self.culprits}" if self.culprits else text

    def to_json(self) -> dict[str, Any]:
        """The gate as the asset check's metadata shows it."""
        record = {
            "value": self.value,
            "threshold": self.threshold,
            "reference": self.reference,
            "passed": self.passed,
            "rule": self.rule,
        }
        if self.culprits:
            record["culprits"] = asdict(self.culprits)
        return record


def _number(value: float | None) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


@dataclass
class Reference:
    """The latest release, as far as a build is judged against it."""

    version: str
    letters: pa.Table
    """Its letters' `QUALITY_COLUMNS`, those it has (an older release may lack one)."""

    def has(self, columns: tuple[str, ...]) -> bool:
        return set(columns) <= set(self.letters.column_names)


def latest_reference(out_dir: Path) -> Reference | None:
    """The latest release in `out_dir` to judge a build against; None before the first.

    Only `QUALITY_COLUMNS` of its letters.parquet are read.
    """
    latest = read_latest(out_dir)
    letters = read_tables(out_dir / LATEST).get("letters")
    if latest is None or letters is None:
        return None
    columns = [column for column in QUALITY_COLUMNS if column in letters.schema.names]
    return Reference(latest["version"], letters.read_columns(columns))


def _every(letters: pa.Table) -> pa.ChunkedArray:
    return pc.is_valid(letters["letter_id"])  # letter_id is required: true for every letter


@dataclass(frozen=True)
class _Share:
    """A share gate: of the letters `counted` picks, the part `good` picks."""

    name: str
    minimum: str
    """The setting with its fixed minimum."""
    what: str
    """What a good letter has, such as `a date`."""
    columns: tuple[str, ...]
    counted: Callable[[pa.Table], pa.ChunkedArray]
    good: Callable[[pa.Table], pa.ChunkedArray]

    def measure(self, letters: pa.Table) -> tuple[int, float | None]:
        """How many letters the share is measured over, and the share (None of no letters)."""
        counted = self.counted(letters)
        total = pc.sum(counted).as_py() or 0
        good = pc.sum(pc.and_(counted, self.good(letters))).as_py() or 0
        return total, good / total if total else None


_SHARES = (
    _Share("share with a date", "MIN_SHARE_WITH_DATE", "a date", ("date",), _every,
           lambda t: pc.is_valid(t["date"])),
    _Share("share of Kamerstukken with a dossier number", "MIN_SHARE_WITH_DOSSIER",
           "a dossier number", ("document_number", "dossier_number"),
           lambda t: pc.is_valid(t["document_number"]), lambda t: pc.is_valid(t["dossier_number"])),
    _Share("share with at least one paragraph", "MIN_SHARE_WITH_PARAGRAPH", "a paragraph",
           ("paragraph_count",), _every, lambda t: pc.greater(t["paragraph_count"], 0)),
)  # fmt: skip


def _culprits(label: str, letters: pa.Table, notes: dict[int, str] | None = None) -> Culprits:
    """`letters` (letter_id, source_path) named by letter_id; with `notes`, lowest `rank` first,
    each with the note of its rank."""
    keys = [("letter_id", "ascending")]
    if notes:
        keys.insert(0, ("rank", "ascending"))
    named = [
        {
            "letter_id": row["letter_id"],
            "source_path": row["source_path"],
            "note": notes[row["rank"]] if notes else "",
        }
        for row in letters.sort_by(keys).slice(0, NAMED_LETTERS).to_pylist()
    ]
    return Culprits(label, named, letters.num_rows - len(named))


def _share_culprits(share: _Share, letters: pa.Table, reference: Reference | None) -> Culprits:
    """The letters without what `share` counts: those that had it in the latest release first,
    then letters new since, then the rest (unchanged, or only now counted)."""
    lacking = pc.and_(share.counted(letters), pc.invert(share.good(letters)))
    found = letters.filter(lacking).select(["letter_id", "source_path"])
    if reference is None or not reference.has(share.columns):
        return _culprits(f"without {share.what}", found)
    before = reference.letters
    had_it = pc.and_(share.counted(before), share.good(before))
    ranks = pa.table({"letter_id": before["letter_id"], "rank": pc.if_else(had_it, 0, 2)})
    joined = found.join(ranks, "letter_id", join_type="left outer")
    column = joined.schema.get_field_index("rank")
    ranked = joined.set_column(column, "rank", pc.fill_null(joined["rank"], 1))
    version = reference.version
    notes = {0: f"with {share.what} in {version}", 1: f"new since {version}", 2: ""}
    return _culprits(f"without {share.what}", ranked, notes)


def _share_gate(share: _Share, letters: pa.Table, reference: Reference | None) -> Gate:
    """The share against its minimum and the latest release's share, where they apply."""
    total, value = share.measure(letters)
    before_total, before = 0, None
    if reference is not None and reference.has(share.columns):
        before_total, before = share.measure(reference.letters)
    enough = settings.GATE_MIN_LETTERS
    if total < enough:
        why = f"measured over {total} letters, fewer than KAMERBRIEVEN_GATE_MIN_LETTERS ({enough})"
        return Gate(share.name, value, None, f"not judged: {why}", before)
    rules = [(getattr(settings, share.minimum), f"the minimum KAMERBRIEVEN_{share.minimum}")]
    if reference is not None and before is not None and before_total >= enough:
        drop = settings.MAX_SHARE_DROP
        rules.append((
            round(before - drop, 9),
            f"{_number(before)} in release {reference.version} less KAMERBRIEVEN_MAX_SHARE_DROP "
            f"({drop:g})",
        ))  # fmt: skip
    threshold, rule = max(rules, key=lambda entry: entry[0])
    gate = Gate(share.name, value, threshold, rule, before)
    if not gate.passed:
        gate.culprits = _share_culprits(share, letters, reference)
    return gate


def _letter_count_gate(letters: pa.Table, reference: Reference | None) -> Gate:
    """At least one letter, and no more than `MAX_LETTER_DROP` fewer than a large enough release.

    A broken parser rejects files, so they go missing from the build; a deliberate removal of
    as many passes with the setting raised to 1 for that refresh.
    """
    rules = [(1, "an empty build never replaces a release")]
    before = None
    if reference is not None:
        before = reference.letters.num_rows
        if before >= settings.GATE_MIN_LETTERS:
            drop = settings.MAX_LETTER_DROP
            rules.append((
                math.ceil(round(before * (1 - drop), 9)),
                f"{before} in release {reference.version} less KAMERBRIEVEN_MAX_LETTER_DROP "
                f"({drop:g}); set it to 1 to publish a deliberate removal",
            ))  # fmt: skip
    threshold, rule = max(rules, key=lambda entry: entry[0])
    gate = Gate("letter count", letters.num_rows, threshold, rule, before)
    if not gate.passed and reference is not None:
        kept = pc.is_in(reference.letters["letter_id"], value_set=letters["letter_id"])
        gone = reference.letters.filter(pc.invert(kept)).select(["letter_id", "source_path"])
        gate.culprits = _culprits(f"removed since {reference.version}", gone)
    return gate


def quality_gates(letters: pa.Table, reference: Reference | None) -> list[Gate]:
    """The quality measures publishing depends on, judged against `reference` (the latest
    release, None before the first) and the thresholds in `pipelines.settings`.

    `letters` needs only `QUALITY_COLUMNS`, so a large build is never read whole for them.
    """
    gates = [_share_gate(share, letters, reference) for share in _SHARES]
    return [*gates, _letter_count_gate(letters, reference)]


@dataclass
class TableChecks:
    """What the blocking checks on a build's tables decide on."""

    problems: dict[str, list[str]]
    """Per table, every way it breaks its Table Schema."""
    gates: list[Gate]
    letters: int

    @property
    def publishable(self) -> bool:
        """Every gate passed; the letter count's also means an empty build never is."""
        return all(gate.passed for gate in self.gates)


def check_tables(tables: Mapping[str, TableLike], reference: Reference | None) -> TableChecks:
    """Every table against its Table Schema, and the quality gates, a batch at a time.

    Only the letters columns the gates and the foreign keys need are read whole.
    """
    letters = read_columns(tables["letters"], QUALITY_COLUMNS)
    problems = {
        table: table_problems(table, tables[table], table_schema(table), {"letters": letters})
        for table in TABLES
    }
    return TableChecks(problems, quality_gates(letters, reference), letters.num_rows)
