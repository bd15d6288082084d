"""Data-quality gates on the tables before they are published.

Schema constraints are checked by `pipelines.arrowcheck`; these measure whether the extraction
worked well enough on this build to be worth publishing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from pipelines import settings
from pipelines.arrowcheck import table_problems
from pipelines.schemas import TABLES, table_schema
from pipelines.tablefiles import TableLike, read_columns


@dataclass
class Gate:
    """One data-quality measure with its threshold."""

    name: str
    share: float | None
    minimum: float

    @property
    def passed(self) -> bool:
        return self.share is None or self.share >= self.minimum


def _share(mask: pa.ChunkedArray | pa.Array) -> float | None:
    total = len(mask)
    return None if total == 0 else (pc.sum(mask).as_py() or 0) / total


QUALITY_COLUMNS = ["letter_id", "date", "document_number", "dossier_number", "paragraph_count"]
"""The letters columns the gates read: the key the others refer to, and what they measure."""


def quality_gates(letters: pa.Table) -> list[Gate]:
    """The quality measures publishing depends on, thresholds from `pipelines.settings`.

    `letters` needs only `QUALITY_COLUMNS`, so a large build is never read whole for them.
    """
    kamerstuk_layout = letters.filter(pc.is_valid(letters["document_number"]))
    return [
        Gate("share with a date", _share(pc.is_valid(letters["date"])),
             settings.MIN_SHARE_WITH_DATE),
        Gate("share of Kamerstukken with a dossier number",
             _share(pc.is_valid(kamerstuk_layout["dossier_number"])),
             settings.MIN_SHARE_WITH_DOSSIER),
        Gate("share with at least one paragraph",
             _share(pc.greater(letters["paragraph_count"], 0)),
             settings.MIN_SHARE_WITH_PARAGRAPH),
    ]  # fmt: skip


@dataclass
class TableChecks:
    """What the blocking checks on a build's tables decide on."""

    problems: dict[str, list[str]]
    """Per table, every way it breaks its Table Schema."""
    gates: list[Gate]
    letters: int

    @property
    def publishable(self) -> bool:
        """At least one letter (an empty build never replaces a release), and every gate passed."""
        return self.letters > 0 and all(gate.passed for gate in self.gates)


def check_tables(tables: Mapping[str, TableLike]) -> TableChecks:
    """Every table against its Table Schema, and the quality gates, a batch at a time.

    Only the letters columns the gates and the foreign keys need are read whole.
    """
    letters = read_columns(tables["letters"], QUALITY_COLUMNS)
    problems = {
        table: table_problems(table, tables[table], table_schema(table), {"letters": letters})
        for table in TABLES
    }
    return TableChecks(problems, quality_gates(letters), letters.num_rows)
