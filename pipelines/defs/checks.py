"""Blocking checks on the tables: a failure stops the run before anything is staged."""

import dagster as dg

from pipelines.defs.assets import TABLE_INS
from pipelines.quality import check_tables
from pipelines.schemas import TABLES
from pipelines.tablefiles import TableFile

_KEY_SPECS = [
    dg.AssetCheckSpec("schema_constraints", asset=table, blocking=True,
                      description="The table against its Table Schema: types, required, unique, "
                      "pattern, enum, bounds, primary key, foreign keys to letters.")
    for table in TABLES
]  # fmt: skip
_QUALITY_SPEC = dg.AssetCheckSpec(
    "quality_thresholds", asset="letters", blocking=True,
    description="At least one letter (an empty build never replaces a release), and shares of "
    "letters with a date, with a dossier number among those printing an ondernummer, and with "
    "at least one paragraph, against the thresholds in pipelines.settings.",
)  # fmt: skip


@dg.multi_asset_check(specs=[*_KEY_SPECS, _QUALITY_SPEC], ins=TABLE_INS)
def table_checks(**tables: TableFile):
    checked = check_tables(tables)
    for table, problems in checked.problems.items():
        yield dg.AssetCheckResult(
            asset_key=table, check_name="schema_constraints", passed=not problems,
            metadata={"problems": dg.MetadataValue.json(problems)},
        )  # fmt: skip
    metadata: dict[str, dg.MetadataValue] = {
        gate.name: dg.MetadataValue.json(
            {"share": gate.share, "minimum": gate.minimum, "passed": gate.passed}
        )
        for gate in checked.gates
    }
    metadata["letters"] = dg.MetadataValue.int(checked.letters)
    yield dg.AssetCheckResult(
        asset_key="letters",
        check_name="quality_thresholds",
        passed=checked.publishable,
        metadata=metadata,
    )
