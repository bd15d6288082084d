"""When the refresh runs: on a schedule, and when the raw folder changes."""

import time

import dagster as dg

from pipelines import settings
from pipelines.defs.resources import PipelinePaths
from pipelines.ingest.watch import raw_state
from pipelines.publish.storage import is_remote

REFRESH_TAG = "kamerbrieven/refresh"
"""Every refresh run carries this tag; the instance allows one such run at a time."""

refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="Full refresh: raw/ to a validated, published data package (incremental: only "
    "changed files are parsed again).",
    tags={REFRESH_TAG: "true"},
)

refresh_schedule = dg.ScheduleDefinition(
    name="scheduled_refresh",
    job=refresh_job,
    cron_schedule=settings.REFRESH_CRON,
    execution_timezone=settings.TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=f"Refresh at '{settings.REFRESH_CRON}' ({settings.TIMEZONE}); set "
    "KAMERBRIEVEN_REFRESH_CRON and KAMERBRIEVEN_TIMEZONE to change it.",
)


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
