"""Blocking checks on the tables: a failure stops the run before anything is staged."""

import dagster as dg

from pipelines.defs.assets import PUBLISH_WAIT_SECONDS, TABLE_INS
from pipelines.defs.resources import PipelinePaths
from pipelines.publish.quality import check_tables, latest_reference
from pipelines.publish.release import latest_descriptor, recover
from pipelines.tables.build import TableCache
from pipelines.tables.files import TableFile
from pipelines.tables.schemas import TABLES
from pipelines.util import exclusive

_KEY_SPECS = [
    dg.AssetCheckSpec("schema_constraints", asset=table, blocking=True,
                      description="The table against its Table Schema: types, required, unique, "
                      "pattern, enum, bounds, primary key, foreign keys to letters.")
    for table in TABLES
]  # fmt: skip
_QUALITY_SPEC = dg.AssetCheckSpec(
    "quality_thresholds", asset="letters", blocking=True,
    description="Shares of letters with a date, with a dossier number among those printing an "
    "ondernummer, and with at least one paragraph: no more than a margin below the latest "
    "release's, and above fixed minima, once measured over enough letters; the letter count: at "
    "least one, and no more than a fraction below the latest release's. Thresholds in "
    "pipelines.settings; a failure names the letters that moved the measure most.",
)  # fmt: skip


@dg.multi_asset_check(specs=[*_KEY_SPECS, _QUALITY_SPEC], ins=TABLE_INS)
def table_checks(paths: PipelinePaths, **tables: TableFile):
    # the latest release is read as staged_package will see it: pulled, and recovered from an
    # interrupted run, under the publish lock; only its letters' quality columns are kept
    where = paths.locations
    with exclusive(where.publish_lock, "publish", wait_seconds=PUBLISH_WAIT_SECONDS):
        where.pull_out()
        recover(where.out_folder)
        reference = latest_reference(where.out_folder)
        known = TableCache(where.cache).holds_release(tables, latest_descriptor(where.out_folder))
    if known:
        # the very rows of the latest release, with the same schemas: checked when it was staged
        skipped = {"checked": False, "reason": f"the rows of release {reference.version}, "
                   "checked when it was staged"}  # fmt: skip
        for table in TABLES:
            yield dg.AssetCheckResult(asset_key=table, check_name="schema_constraints",
                                      passed=True, metadata=skipped)  # fmt: skip
        yield dg.AssetCheckResult(
            asset_key="letters", check_name="quality_thresholds", passed=True, metadata=skipped
        )
        return
    checked = check_tables(tables, reference)
    for table, problems in checked.problems.items():
        yield dg.AssetCheckResult(
            asset_key=table, check_name="schema_constraints", passed=not problems,
            metadata={"problems": dg.MetadataValue.json(problems)},
        )  # fmt: skip
    metadata: dict[str, dg.MetadataValue] = {
        gate.name: dg.MetadataValue.json(gate.to_json()) for gate in checked.gates
    }
    metadata["letters"] = dg.MetadataValue.int(checked.letters)
    metadata["latest release"] = dg.MetadataValue.text(reference.version if reference else "none")
    failed = [gate.message() for gate in checked.gates if not gate.passed]
    yield dg.AssetCheckResult(
        asset_key="letters",
        check_name="quality_thresholds",
        passed=checked.publishable,
        metadata=metadata,
        description="\n".join(failed) or None,
    )
