"""Blocking checks on the tables: a failure stops the run before anything is staged."""

import dagster as dg
import pyarrow as pa

from pipelines.quality import key_problems, quality_gates
from pipelines.schemas import TABLES

_KEY_SPECS = [
    dg.AssetCheckSpec("keys_and_required_fields", asset=table, blocking=True,
                      description="Primary key unique, required fields present, foreign keys "
                      "resolve to letters.")
    for table in TABLES
]  # fmt: skip
_QUALITY_SPEC = dg.AssetCheckSpec(
    "quality_thresholds", asset="letters", blocking=True,
    description="At least one letter (an empty build never replaces a release), and shares of "
    "letters with a date, with a dossier number where the Kamerstuk layout prints one, and with "
    "at least one paragraph, against the thresholds in pipelines.settings.",
)  # fmt: skip


@dg.multi_asset_check(specs=[*_KEY_SPECS, _QUALITY_SPEC], ins={t: dg.AssetIn(t) for t in TABLES})
def table_checks(
    letters: pa.Table,
    paragraphs: pa.Table,
    footnotes: pa.Table,
    questions: pa.Table,
    references: pa.Table,
    signatories: pa.Table,
):
    tables = dict(zip(TABLES, (letters, paragraphs, footnotes, questions, references, signatories),
                      strict=True))  # fmt: skip
    for table in TABLES:
        problems = key_problems(tables, table)
        yield dg.AssetCheckResult(
            asset_key=table, check_name="keys_and_required_fields", passed=not problems,
            metadata={"problems": dg.MetadataValue.json(problems)},
        )  # fmt: skip
    gates = quality_gates(tables)
    metadata: dict[str, dg.MetadataValue] = {
        gate.name: dg.MetadataValue.json(
            {"share": gate.share, "minimum": gate.minimum, "passed": gate.passed}
        )
        for gate in gates
    }
    metadata["letters"] = dg.MetadataValue.int(letters.num_rows)
    yield dg.AssetCheckResult(
        asset_key="letters",
        check_name="quality_thresholds",
        passed=letters.num_rows > 0 and all(gate.passed for gate in gates),
        metadata=metadata,
    )
