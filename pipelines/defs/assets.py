"""The refresh as Dagster assets: thin wrappers that add metadata around plain functions."""

from pathlib import Path

import dagster as dg
import pyarrow as pa

from pipelines.defs.resources import PipelinePaths
from pipelines.ingest import IngestResult, ingest, scan_raw
from pipelines.progress import progress_bar
from pipelines.publish.package import validate_package
from pipelines.publish.release import StagedRelease, clean_staging, promote, stage
from pipelines.schemas import TABLES, table_schema
from pipelines.tables import build_tables

GROUP = "kamerbrieven"


def _preview(table: pa.Table, rows: int = 5) -> dg.MetadataValue:
    head = table.slice(0, rows).to_pylist()
    columns = [name for name in table.column_names if name != "text"][:8]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in head:
        cells = [
            str(row[c] if row[c] is not None else "")[:60].replace("|", "\\|") for c in columns
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return dg.MetadataValue.md("\n".join(lines))


@dg.asset(group_name=GROUP, description="Every letter in the raw folder, parsed and extracted.")
def parsed_letters(context: dg.AssetExecutionContext, paths: PipelinePaths) -> IngestResult:
    files = scan_raw(paths.raw)
    with progress_bar("Parsing letters", len(files)) as advance:
        result = ingest(paths.raw, files, on_file=advance)
    for rejection in result.rejections:
        context.log.warning(f"rejected {rejection.path}: {rejection.reason}")
    context.add_output_metadata(
        {
            "raw_dir": str(paths.raw.resolve()),
            "letters": len(result.letters),
            "rejected": len(result.rejections),
            "rejections": dg.MetadataValue.json(
                [{"path": r.path, "reason": r.reason} for r in result.rejections]
            ),
        }
    )
    return result


@dg.asset(
    group_name=GROUP,
    description="The normalized tables (" + ", ".join(TABLES) + "), typed by schemas/.",
)
def letter_tables(
    context: dg.AssetExecutionContext, parsed_letters: IngestResult
) -> dict[str, pa.Table]:
    tables = build_tables(parsed_letters.letters)
    metadata: dict[str, object] = {f"rows/{name}": t.num_rows for name, t in tables.items()}
    metadata["preview/letters"] = _preview(tables["letters"])
    metadata["schema/letters"] = dg.TableSchema(
        columns=[
            dg.TableColumn(f["name"], f["type"], description=f.get("description"))
            for f in table_schema("letters")["fields"]
        ]
    )
    context.add_output_metadata(metadata)
    return tables


@dg.asset(group_name=GROUP, description="The data package written to staging, not yet published.")
def staged_package(
    context: dg.AssetExecutionContext, paths: PipelinePaths, letter_tables: dict[str, pa.Table]
) -> StagedRelease:
    clean_staging(paths.out)
    staged = stage(letter_tables, paths.out, paths.source_date_epoch)
    context.add_output_metadata(
        {"path": staged.path, "version": staged.version, "unchanged": staged.unchanged}
    )
    return staged


@dg.asset_check(
    asset=staged_package,
    blocking=True,
    description="frictionless validation of the staged package; a failure blocks publishing.",
)
def package_is_valid(staged_package: StagedRelease) -> dg.AssetCheckResult:
    report = validate_package(Path(staged_package.path))
    errors = report.flatten(["rowNumber", "fieldName", "type", "note"])
    return dg.AssetCheckResult(
        passed=report.valid,
        metadata={
            "errors": len(errors),
            "first_errors": dg.MetadataValue.json([list(map(str, e)) for e in errors[:20]]),
        },
    )


@dg.asset(group_name=GROUP, description="The published release: OUT/<version>/ and OUT/latest/.")
def published_package(
    context: dg.AssetExecutionContext, paths: PipelinePaths, staged_package: StagedRelease
) -> str:
    if staged_package.unchanged:
        clean_staging(paths.out)
        context.add_output_metadata({"version": staged_package.version, "published": False})
        return staged_package.version
    target = promote(staged_package, paths.out)
    context.add_output_metadata(
        {"version": staged_package.version, "path": str(target.resolve()), "published": True}
    )
    return staged_package.version
