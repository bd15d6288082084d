"""Run the refresh job in-process on the project's Dagster instance.

The CLI and the tests start runs through here, with the same definitions `dagster dev` loads,
so a refresh from the command line shows up in the UI's run history. `check_published` proves
with the same job that the committed release is what the committed raw folder produces.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg

from pipelines.access.validate import validate_source
from pipelines.defs.automation import REFRESH_TAG
from pipelines.ingest.run import IngestResult, Rejection
from pipelines.publish.governance import load_schema_set, schema_diff
from pipelines.publish.release import LATEST, StagedRelease
from pipelines.publish.storage import Locations, StorageError, is_remote
from pipelines.tables.schemas import TABLES
from pipelines.util import exclusive

if TYPE_CHECKING:
    from dagster._utils.error import SerializableErrorInfo

INSTANCE_CONFIG = f"""\
# Written by kamerbrieven for a project-local Dagster instance (default SQLite storage).
telemetry:
  enabled: false
concurrency:
  runs:
    tag_concurrency_limits:
      # One refresh at a time: further refresh runs wait in the queue.
      - key: "{REFRESH_TAG}"
        limit: 1
"""


def dagster_home() -> Path:
    """DAGSTER_HOME, defaulting to `.dagster/` in the working directory, created if missing."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(Path(".dagster").resolve())))
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        (home / "dagster.yaml").write_text(INSTANCE_CONFIG, encoding="utf-8")
    return home


@dataclass
class RefreshOutcome:
    """What a refresh did, for the CLI's summary and exit code."""

    success: bool
    published: bool
    version: str | None
    letters: int
    parsed: int = 0
    reused: int = 0
    removed: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    storage_errors: dict[str, str] = field(default_factory=dict)
    """Step -> what went wrong reaching a bucket (a missing bucket, an interrupted upload)."""
    pushed: tuple[int, int] | None = None
    """Objects uploaded and deleted, when the output is a bucket and the run published."""
    run_id: str = ""


def run_refresh(
    raw: str | Path,
    out: str | Path,
    cache_dir: Path,
    instance: dg.DagsterInstance | None = None,
) -> RefreshOutcome:
    """Run the `refresh` job over `raw`, publishing into `out` (folders or bucket URIs).

    `cache_dir` keeps parsed letters between runs, so only changed files are parsed again. The
    refresh lock of the output is held for the whole run: a second refresh of the same output
    raises `LockBusy` instead of starting.
    """
    from pipelines.defs import defs

    where = Locations(_absolute(raw), _absolute(out), cache_dir.resolve())
    if instance is None:
        dagster_home()
        instance = dg.DagsterInstance.get()
    run_config = {
        "resources": {
            "paths": {
                "config": {
                    "raw_dir": where.raw,
                    "out_dir": where.out,
                    "cache_dir": str(where.cache),
                    "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
                }
            }
        },
        "loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
    }
    # In one process, steps hand their outputs over in memory: the default filesystem IO manager
    # would pickle every output into DAGSTER_HOME/storage and unpickle it for each consumer
    # (docs/performance.md). Runs launched from the UI, schedule or sensor keep the definitions'
    # IO manager, which their separate step processes need.
    with exclusive(where.refresh_lock, "refresh"):
        result = defs.resolve_job_def("refresh").execute_in_process(
            run_config=run_config,
            instance=instance,
            raise_on_error=False,
            resources={"io_manager": dg.mem_io_manager},
        )
    ingested: IngestResult | None = _output(result, "parsed_letters")
    staged: StagedRelease | None = _output(result, "staged_package")
    version: str | None = _output(result, "published_package")
    tables = {name: _output(result, "letter_tables", name) for name in TABLES}
    errors = [
        f"check {e.check_name} on {e.asset_key.to_user_string()} failed: "
        f"{e.description or _describe(e.metadata)}"
        for e in result.get_asset_check_evaluations()
        if not e.passed
    ]
    storage_errors = {}
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data.error is not None:
            cause = _innermost(event.step_failure_data.error)
            if cause.cls_name == StorageError.__name__:
                storage_errors[event.step_key] = cause.message.strip()
            errors.append(f"step {event.step_key} failed: {cause.message.strip()}")
    return RefreshOutcome(
        success=version is not None,
        published=version is not None and staged is not None and not staged.unchanged,
        version=version,
        letters=ingested.letter_count if ingested else 0,
        parsed=ingested.parsed if ingested else 0,
        reused=ingested.reused if ingested else 0,
        removed=ingested.removed if ingested else 0,
        rejections=ingested.rejections if ingested else [],
        rows={name: table.num_rows for name, table in tables.items() if table is not None},
        errors=errors,
        storage_errors=storage_errors,
        pushed=_pushed(result) if version is not None and is_remote(where.out) else None,
        run_id=result.run_id,
    )


def _absolute(location: str | Path) -> str:
    """A bucket URI as it is, a folder as an absolute path: runs may start elsewhere."""
    return str(location) if is_remote(str(location)) else str(Path(location).resolve())


def _pushed(result: dg.ExecuteInProcessResult) -> tuple[int, int]:
    [published] = result.asset_materializations_for_node("published_package")
    return published.metadata["uploaded"].value, published.metadata["deleted"].value


def _innermost(error: SerializableErrorInfo) -> SerializableErrorInfo:
    """The error a step raised: Dagster wraps it in errors of its own."""
    while error.cause is not None:
        error = error.cause
    return error


def _describe(metadata: dict) -> str:
    """A check's metadata as one line, so the reason it failed is printed with it, for checks
    that do not describe their failure themselves."""
    text = "; ".join(f"{key}: {json.dumps(entry.value, default=str)}" for key, entry in
                     metadata.items())  # fmt: skip
    return text if len(text) <= 800 else text[:797] + "..."


def _output(result: dg.ExecuteInProcessResult, node: str, output: str = "result"):
    try:
        return result.output_for_node(node, output)
    except Exception:  # the step was skipped or failed; its absence is reported via errors
        return None


def check_published(raw_dir: Path, published: Path, schemas: Path) -> list[str]:
    """Problems that mean `published/` and the code have drifted apart; empty when in step.

    The release must validate, follow `schemas/`, and be what the refresh job makes of
    `raw_dir`: the job runs on a copy, on a throwaway Dagster instance, and must publish nothing.
    """
    latest = published / LATEST
    validation = validate_source(str(latest))
    problems = [f"{latest} does not validate: {e['type']}: {e['note']}" for e in
                validation.errors[:10]]  # fmt: skip
    if not (latest / "datapackage.json").exists():
        return problems
    diff = schema_diff(load_schema_set(str(latest)), load_schema_set(str(schemas)))
    problems += [f"schemas/ differs from the published schemas: {level} {change}"
                 for level, change in diff.changes]  # fmt: skip
    if set(diff.new.schemas) != set(TABLES):
        problems.append(f"schemas/ holds {sorted(diff.new.schemas)}, the code expects {TABLES}")
        return problems
    with tempfile.TemporaryDirectory() as tmp, dg.DagsterInstance.ephemeral() as instance:
        copy = Path(tmp) / "published"
        shutil.copytree(published, copy, ignore=shutil.ignore_patterns(".*"))
        outcome = run_refresh(raw_dir, copy, Path(tmp) / "cache", instance)
    if not outcome.success:
        problems += [f"a refresh of {raw_dir} fails: {error}" for error in outcome.errors]
    elif outcome.published:
        problems.append(
            f"{published} is not what a refresh of {raw_dir} produces (it would publish "
            f"{outcome.version}): run `kamerbrieven refresh` and commit {published}"
        )
    return problems
