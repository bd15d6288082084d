"""The refresh as Dagster assets: thin wrappers that add metadata around plain functions."""

from pathlib import Path

import dagster as dg
import pyarrow as pa

from pipelines.defs.resources import PipelinePaths
from pipelines.ingest.cache import ParseCache
from pipelines.ingest.report import ingest_report, write_ingest_report
from pipelines.ingest.run import IngestResult, ingest, new_spool
from pipelines.ingest.scan import scan_raw
from pipelines.publish.check import check_package
from pipelines.publish.release import StagedRelease, clean_staging, promote, recover, stage
from pipelines.tables.build import TableCache
from pipelines.tables.files import TableFile
from pipelines.tables.schemas import TABLES, table_schema
from pipelines.util import exclusive, progress_bar

GROUP = "kamerbrieven"
PUBLISH_WAIT_SECONDS = 600.0


def column_schema(table: str) -> dg.TableSchema:
    """The Dagster column schema of `table`, from its Table Schema."""
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                f["name"],
                f["type"],
                description=f.get("description"),
                constraints=dg.TableColumnConstraints(
                    nullable=not f.get("constraints", {}).get("required", False),
                    unique=bool(f.get("constraints", {}).get("unique", False)),
                ),
            )
            for f in table_schema(table)["fields"]
        ]
    )


def preview(table: pa.RecordBatch | None, rows: int = 5) -> dg.MetadataValue:
    """The first rows of a table's first batch as Markdown, long text cut short."""
    if table is None:
        return dg.MetadataValue.md("(no rows)")
    columns = table.schema.names[:8]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in table.slice(0, rows).to_pylist():
        cells = [str("" if row[c] is None else row[c])[:60].replace("|", "\\|") for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return dg.MetadataValue.md("\n".join(lines))


@dg.asset(
    group_name=GROUP,
    description="Every letter in the raw folder, parsed and extracted; unchanged files come from "
    "the parse cache (keyed by content hash and parser code), or keep their rows from the "
    "previous build's tables when their path and content are the same.",
)
def parsed_letters(context: dg.AssetExecutionContext, paths: PipelinePaths) -> IngestResult:
    where = paths.locations
    where.pull_raw()
    files = scan_raw(where.raw_folder)
    with progress_bar("Parsing letters", len(files)) as advance:
        result = ingest(
            where.raw_folder, files, on_file=advance, cache=ParseCache(where.cache),
            workers=paths.parse_workers, previous=TableCache(where.cache).load(),
            spool=new_spool(where.cache),
        )  # fmt: skip
    for rejection in result.rejections:
        context.log.warning(f"rejected {rejection.path}: {rejection.reason}")
    context.add_output_metadata(
        {
            "raw_dir": str(where.raw_folder.resolve()),
            "raw_files": len(files),
            "letters": result.letter_count,
            "parsed": result.parsed,
            "reused": result.reused,
            "rejected": len(result.rejections),
            "removed": result.removed,
            "rejections": dg.MetadataValue.json(
                [{"path": r.path, "reason": r.reason} for r in result.rejections]
            ),
        }
    )
    return result


@dg.multi_asset(
    group_name=GROUP,
    outs={
        table: dg.AssetOut(
            description=table_schema(table).get("description"),
            metadata={"dagster/column_schema": column_schema(table)},
        )
        for table in TABLES
    },
)
def letter_tables(paths: PipelinePaths, parsed_letters: IngestResult):
    """The normalized tables, typed by schemas/, as sorted Arrow files in the table cache.

    Passed on as files, not tables: every later step reads them a chunk of letters at a time.
    """
    tables = TableCache(paths.locations.cache).build(parsed_letters.rows)
    for table in TABLES:
        yield dg.Output(
            tables[table],
            output_name=table,
            metadata={
                "dagster/row_count": tables[table].num_rows,
                "preview": preview(next(tables[table].batches(), None)),
            },
        )


TABLE_INS = {table: dg.AssetIn(table) for table in TABLES}
"""Every table as an input, passed to the function as keyword arguments named after it."""


@dg.asset(
    group_name=GROUP,
    ins=TABLE_INS,
    description="The data package written to staging, not yet published; when the build equals "
    "the latest release, that release, and nothing is written.",
)
def staged_package(
    context: dg.AssetExecutionContext, paths: PipelinePaths, **tables: TableFile
) -> StagedRelease:
    where = paths.locations
    with exclusive(where.publish_lock, "publish", wait_seconds=PUBLISH_WAIT_SECONDS):
        where.pull_out()
        recover(where.out_folder)
        staged = stage(tables, where.out_folder, paths.source_date_epoch)
    context.add_output_metadata(
        {"path": staged.path, "version": staged.version, "unchanged": staged.unchanged}
    )
    return staged


@dg.asset_check(
    asset=staged_package,
    blocking=True,
    description="The staged package checked in full: every hash, the Parquet resources against "
    "their Table Schemas with Arrow, every CSV row against its Parquet twin, the metadata and a "
    "sample of each CSV with frictionless.",
)
def package_is_valid(staged_package: StagedRelease) -> dg.AssetCheckResult:
    if staged_package.unchanged:
        # nothing was staged and nothing will be published: the build is the latest release
        return dg.AssetCheckResult(
            passed=True,
            metadata={
                "checked": False,
                "reason": f"unchanged: the build equals release {staged_package.version}, "
                "checked when it was published; nothing is staged",
            },
        )
    problems = check_package(Path(staged_package.path))
    return dg.AssetCheckResult(
        passed=not problems,
        metadata={
            "checked": True,
            "errors": len(problems),
            "first_errors": dg.MetadataValue.json(problems[:20]),
        },
    )


@dg.asset(
    group_name=GROUP,
    description="The published release: OUT/<version>/, OUT/latest/, and the ingest report "
    "OUT/ingest-report.json naming every raw file that did not become a letter, and what is "
    "worth a look in the letters published.",
)
def published_package(
    context: dg.AssetExecutionContext,
    paths: PipelinePaths,
    staged_package: StagedRelease,
    parsed_letters: IngestResult,
) -> str:
    raw_files = parsed_letters.letter_count + len(parsed_letters.rejections)
    where = paths.locations
    with exclusive(where.publish_lock, "publish", wait_seconds=PUBLISH_WAIT_SECONDS):
        if staged_package.unchanged:
            clean_staging(where.out_folder)
            published = False
        else:
            promote(staged_package, where.out_folder)
            published = True
        report = write_ingest_report(where.out_folder, ingest_report(parsed_letters, raw_files))
        pushed = where.push_out()
    context.add_output_metadata(
        {
            "uploaded": len(pushed.uploaded) if pushed else 0,
            "deleted": len(pushed.deleted) if pushed else 0,
            "version": staged_package.version,
            "path": where.location(staged_package.version),
            "latest": where.location("latest"),
            "ingest_report": where.location(report.name),
            "published": published,
        }
    )
    return staged_package.version
