"""Blocking checks on the tables: a failure stops the run before anything is staged."""

import dagster as dg

from pipelines.arrowcheck import table_problems
from pipelines.defs.assets import TABLE_INS
from pipelines.quality import QUALITY_COLUMNS, quality_gates
from pipelines.schemas import TABLES, table_schema
from pipelines.tablefiles import TableFile, read_columns, read_table

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
    letters = read_columns(tables["letters"], QUALITY_COLUMNS)
    for table in TABLES:
        problems = table_problems(
            table, read_table(tables[table]), table_schema(table), {"letters": letters}
        )
        yield dg.AssetCheckResult(
            asset_key=table, check_name="schema_constraints", passed=not problems,
            metadata={"problems": dg.MetadataValue.json(problems)},
        )  # fmt: skip
    gates = quality_gates(letters)
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
