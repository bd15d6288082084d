"""The harvest and the refresh as Dagster assets: thin wrappers that add metadata around plain
functions."""

from datetime import date
from pathlib import Path

import dagster as dg
import pyarrow as pa

from pipelines import settings
from pipelines.defs.resources import HarvestHttp, PipelinePaths
from pipelines.harvest import Harvest, HarvestReport
from pipelines.harvest.run import SOURCES
from pipelines.ingest.cache import ParseCache
from pipelines.ingest.report import ingest_report, write_ingest_report
from pipelines.ingest.run import IngestResult, ingest, new_spool
from pipelines.ingest.scan import scan_raw
from pipelines.publish.release import (
    StagedRelease,
    clean_staging,
    latest_descriptor,
    promote,
    recover,
    stage,
)
from pipelines.publish.storage import is_remote
from pipelines.tables.build import TableCache
from pipelines.tables.files import TableFile
from pipelines.tables.schemas import TABLES, table_schema
from pipelines.util import LockBusy, exclusive, progress_bar

GROUP = "kamerbrieven"
HARVEST_GROUP = "harvest"
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


class HarvestConfig(dg.Config):
    """What one harvest fetches; each value can be changed for a run in the launchpad.

    `sources`: any of `tk` and `koop` (default `KAMERBRIEVEN_HARVEST_SOURCES`; none: nothing is
    harvested); `tk_url`, `koop_url`: the services (default `KAMERBRIEVEN_TK_URL`,
    `KAMERBRIEVEN_KOOP_URL`); `since`: first letter date, YYYY-MM-DD (default: what the last
    harvest used, else the start of the vergaderjaar); `limit`: stop after storing this many.
    """

    sources: list[str] = list(settings.HARVEST_SOURCES)
    tk_url: str = settings.TK_URL
    koop_url: str = settings.KOOP_URL
    since: str | None = None
    limit: int | None = None

    def harvest(self, raw: Path, http: HarvestHttp) -> Harvest:
        """The harvest into `raw` this config asks for; a value that makes no sense fails the
        run with a reason naming it, before any request is made."""
        unknown = [source for source in self.sources if source not in SOURCES]
        if unknown:
            raise dg.Failure(f"unknown harvest source {', '.join(unknown)}: use tk and/or koop")
        try:
            since = date.fromisoformat(self.since) if self.since else None
        except ValueError:
            raise dg.Failure(f"since {self.since!r} is not a date (YYYY-MM-DD)") from None
        if self.limit is not None and self.limit < 1:
            raise dg.Failure("limit must be at least 1")
        return Harvest(
            raw=raw,
            sources=tuple(self.sources),
            since=since,
            limit=self.limit,
            tk_url=self.tk_url,
            koop_url=self.koop_url,
            http=http.client_settings(),
            show_progress=False,
        )


def harvest_metadata(report: HarvestReport) -> dict[str, dg.MetadataValue]:
    """The report's metadata as typed Dagster values (counts as integers, lists and mappings as
    JSON), so the UI plots the counts over runs; with the report's summary line."""

    def typed(value: object) -> dg.MetadataValue:
        if isinstance(value, int):
            return dg.MetadataValue.int(value)
        if isinstance(value, str):
            return dg.MetadataValue.text(value)
        return dg.MetadataValue.json(value)

    metadata = {key: typed(value) for key, value in report.as_metadata().items()}
    metadata["summary"] = dg.MetadataValue.text(report.summary())
    return metadata


@dg.asset(
    group_name=HARVEST_GROUP,
    description="The raw folder brought in step with the Tweede Kamer and KOOP: new and changed "
    "letters fetched, withdrawn ones removed (pipelines.harvest). A source that cannot be "
    "reached fails the run; the refresh after it still publishes what the raw folder holds.",
)
def harvested_raw(
    context: dg.AssetExecutionContext,
    config: HarvestConfig,
    paths: PipelinePaths,
    harvest_http: HarvestHttp,
) -> dg.MaterializeResult:
    if not config.sources:
        return _not_harvested(context, "no sources: harvesting is off")
    if is_remote(paths.raw_dir):  # the refresh only ever pulls a bucket's mirror, never pushes it
        return _not_harvested(
            context, f"{paths.raw_dir} is a bucket: harvest into a folder and upload it"
        )
    harvest = config.harvest(paths.locations.raw_folder, harvest_http)
    try:
        report = harvest.run()
    except LockBusy as exc:
        raise dg.Failure(f"{exc}; not starting a second one") from None
    for failure in report.failed:
        context.log.warning(
            f"failed {failure.source} {failure.identifier}: {failure.reason} "
            "(the next harvest tries it again)"
        )
    for failure in report.refused:
        context.log.warning(f"refused {failure.source} {failure.identifier}: {failure.reason}")
    metadata = harvest_metadata(report)
    if report.unreachable:
        reasons = "; ".join(
            f"source {source} not reachable: {error}"
            for source, error in sorted(report.unreachable.items())
        )
        raise dg.Failure(
            description=f"{reasons}. What was fetched is kept ({report.summary()}); the refresh "
            "after this run publishes what the raw folder holds.",
            metadata=metadata,
        )
    context.log.info(report.summary())
    return dg.MaterializeResult(metadata=metadata)


def _not_harvested(context: dg.AssetExecutionContext, reason: str) -> dg.MaterializeResult:
    context.log.info(f"nothing harvested: {reason}")
    return dg.MaterializeResult(metadata={"skipped": dg.MetadataValue.text(reason)})


@dg.asset(
    group_name=GROUP,
    deps=[harvested_raw],
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
    cache = TableCache(where.cache)
    with exclusive(where.publish_lock, "publish", wait_seconds=PUBLISH_WAIT_SECONDS):
        where.pull_out()
        recover(where.out_folder)
        known = cache.holds_release(tables, latest_descriptor(where.out_folder))
        staged = stage(tables, where.out_folder, paths.source_date_epoch, known)
        cache.record_release(tables, Path(staged.path) / "datapackage.json")
    context.add_output_metadata(
        {"path": staged.path, "version": staged.version, "unchanged": staged.unchanged,
         "compared_with_latest": not known}
    )  # fmt: skip
    return staged


@dg.asset_check(
    asset=staged_package,
    blocking=True,
    description="The staged package checked in full when it was staged, while its database was "
    "finished: every hash, the Parquet resources against their Table Schemas with Arrow, every "
    "CSV row against its Parquet twin, the metadata and a sample of each CSV with frictionless.",
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
    problems = staged_package.problems
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
