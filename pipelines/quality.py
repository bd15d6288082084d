"""Data-quality gates on the tables before they are published.

Schema constraints are checked by `pipelines.arrowcheck`; these measure whether the extraction
worked well enough on this build to be worth publishing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from pipelines import settings


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
