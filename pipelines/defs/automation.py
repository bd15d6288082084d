"""When the harvest and the refresh run: daily a harvest, then a refresh whatever the harvest's
outcome; and a refresh when the raw folder changes."""

import time
from collections.abc import Sequence

import dagster as dg

from pipelines import settings
from pipelines.defs.assets import harvested_raw
from pipelines.defs.resources import PipelinePaths
from pipelines.ingest.watch import raw_state
from pipelines.publish.storage import is_remote

REFRESH_TAG = "kamerbrieven/refresh"
"""Every refresh run carries this tag; the instance allows one such run at a time."""

HARVEST_RUN_TAG = "kamerbrieven/after_harvest"
"""A refresh started after a harvest carries that harvest's run id under this tag."""

refresh_job = dg.define_asset_job(
    "refresh",
    # without the harvest: the CLI, the raw-folder sensor and check-published never reach the
    # network, and a source that is down cannot stop a refresh of what raw/ holds
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(harvested_raw),
    description="Full refresh: raw/ to a validated, published data package (incremental: only "
    "changed files are parsed again).",
    tags={REFRESH_TAG: "true"},
)

harvest_job = dg.define_asset_job(
    "harvest",
    selection=[harvested_raw],
    description="Harvest: new, changed and withdrawn letters of the Tweede Kamer and KOOP into "
    "raw/. A refresh follows every run, whether it succeeded or failed.",
)


def daily_schedule(harvest_sources: Sequence[str]) -> dg.ScheduleDefinition:
    """The daily run: a harvest, after which the run-status sensors below start the refresh;
    with no sources to harvest (`KAMERBRIEVEN_HARVEST_SOURCES` empty), the refresh itself.

    Its name stays `scheduled_refresh`, what it was before harvesting, so an instance keeps
    the schedule's state (started or stopped, its ticks).
    """
    if harvest_sources:
        job, what = harvest_job, f"Harvest ({', '.join(harvest_sources)}), then refresh,"
    else:
        job, what = refresh_job, "Refresh (harvesting is off)"
    return dg.ScheduleDefinition(
        name="scheduled_refresh",
        job=job,
        cron_schedule=settings.REFRESH_CRON,
        execution_timezone=settings.TIMEZONE,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=f"{what} at '{settings.REFRESH_CRON}' ({settings.TIMEZONE}); set "
        "KAMERBRIEVEN_REFRESH_CRON and KAMERBRIEVEN_TIMEZONE to change it, "
        "KAMERBRIEVEN_HARVEST_SOURCES to change what is harvested.",
    )


refresh_schedule = daily_schedule(settings.HARVEST_SOURCES)


def _refresh_after(context: dg.RunStatusSensorContext) -> dg.RunRequest:
    """One refresh per harvest run (keyed by its run id, so a sensor evaluated again for the same
    run starts nothing more), of the folders that run harvested into: a harvest launched with
    other `paths` is refreshed with them."""
    harvest_run = context.dagster_run
    paths = harvest_run.run_config.get("resources", {}).get("paths")
    return dg.RunRequest(
        run_key=f"after-harvest-{harvest_run.run_id}",
        run_config={"resources": {"paths": paths}} if paths else {},
        tags={HARVEST_RUN_TAG: harvest_run.run_id},
    )


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    name="refresh_after_harvest",
    monitored_jobs=[harvest_job],
    request_job=refresh_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a refresh when a harvest run succeeds, to publish what it fetched.",
)
def refresh_after_harvest(context: dg.RunStatusSensorContext) -> dg.RunRequest:
    return _refresh_after(context)


@dg.run_failure_sensor(
    name="refresh_after_failed_harvest",
    monitored_jobs=[harvest_job],
    request_job=refresh_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a refresh when a harvest run fails (a source down, say): what raw/ "
    "holds, hand-dropped files and the other source's letters, is still published if changed.",
)
def refresh_after_failed_harvest(context: dg.RunFailureSensorContext) -> dg.RunRequest:
    return _refresh_after(context)


@dg.sensor(
    job=refresh_job,
    minimum_interval_seconds=settings.SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a refresh when files in the raw folder are added, changed or removed, "
    f"once the folder has been quiet for {settings.DEBOUNCE_SECONDS:.0f} s.",
)
def raw_folder_sensor(context: dg.SensorEvaluationContext, paths: PipelinePaths):
    if is_remote(paths.raw_dir):  # its mirror only changes when a run pulls it
        return dg.SkipReason(f"{paths.raw_dir} is a bucket: the schedule refreshes it")
    raw = paths.locations.raw_folder
    state = raw_state(raw)
    if state.fingerprint == context.cursor:
        return dg.SkipReason(f"no change in {raw} ({state.files} files)")
    quiet_for = time.time() - state.last_change
    if quiet_for < settings.DEBOUNCE_SECONDS:
        return dg.SkipReason(
            f"{raw} changed {quiet_for:.0f} s ago; waiting until it has been quiet for "
            f"{settings.DEBOUNCE_SECONDS:.0f} s"
        )
    context.update_cursor(state.fingerprint)
    return dg.RunRequest(
        run_key=state.fingerprint, tags={"kamerbrieven/raw_files": str(state.files)}
    )
