"""Run the refresh job in-process on the project's Dagster instance.

The CLI and the tests start runs through here, with the same definitions `dagster dev` loads,
so a refresh from the command line shows up in the UI's run history.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg

from pipelines.defs.automation import REFRESH_TAG
from pipelines.ingest import IngestResult, Rejection
from pipelines.publish.release import StagedRelease
from pipelines.schemas import TABLES

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
    run_id: str = ""


def run_refresh(
    raw_dir: Path,
    out_dir: Path,
    cache_dir: Path,
    instance: dg.DagsterInstance | None = None,
) -> RefreshOutcome:
    """Run the `refresh` job over `raw_dir`, publishing into `out_dir`.

    `cache_dir` keeps parsed letters between runs, so only changed files are parsed again.
    """
    from pipelines.defs import defs

    if instance is None:
        dagster_home()
        instance = dg.DagsterInstance.get()
    run_config = {
        "resources": {
            "paths": {
                "config": {
                    "raw_dir": str(raw_dir.resolve()),
                    "out_dir": str(out_dir.resolve()),
                    "cache_dir": str(cache_dir.resolve()),
                    "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
                }
            }
        },
        "loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
    }
    # In one process, steps hand their outputs over in memory: the default filesystem IO manager
    # would pickle every output into DAGSTER_HOME/storage and unpickle it for each consumer
    # (449 MB and two extra copies of the parsed letters for 10,000 letters; see README,
    # Performance). Runs launched from the UI, schedule or sensor keep the definitions' IO
    # manager, which their separate step processes need.
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
    errors += [
        f"step {event.step_key} failed: {_cause(event.step_failure_data.error)}"
        for event in result.all_events
        if event.is_step_failure and event.step_failure_data.error is not None
    ]
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
        run_id=result.run_id,
    )


def _cause(error: SerializableErrorInfo) -> str:
    """The innermost error's message: Dagster wraps what a step raised in errors of its own."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


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
