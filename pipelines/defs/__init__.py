"""The Dagster code location: `dagster dev` loads `defs` from here (see pyproject.toml)."""

import dagster as dg

from pipelines import settings
from pipelines.defs.assets import (
    harvested_raw,
    letter_tables,
    package_is_valid,
    parsed_letters,
    published_package,
    staged_package,
)
from pipelines.defs.automation import (
    harvest_job,
    raw_folder_sensor,
    refresh_after_failed_harvest,
    refresh_after_harvest,
    refresh_job,
    refresh_schedule,
)
from pipelines.defs.checks import table_checks
from pipelines.defs.resources import HarvestHttp, PipelinePaths


def executor(name: str = settings.EXECUTOR) -> dg.ExecutorDefinition:
    """The executor named by KAMERBRIEVEN_EXECUTOR, so a cluster needs configuration, not code."""
    if name == "multiprocess":
        return dg.multiprocess_executor
    if name == "k8s":
        from dagster_k8s import k8s_job_executor

        return k8s_job_executor
    if name == "celery":
        from dagster_celery import celery_executor

        return celery_executor
    raise ValueError(f"KAMERBRIEVEN_EXECUTOR={name!r}: use multiprocess, k8s or celery")


defs = dg.Definitions(
    assets=[harvested_raw, parsed_letters, letter_tables, staged_package, published_package],
    asset_checks=[package_is_valid, table_checks],
    jobs=[refresh_job, harvest_job],
    schedules=[refresh_schedule],
    sensors=[raw_folder_sensor, refresh_after_harvest, refresh_after_failed_harvest],
    resources={"paths": PipelinePaths(), "harvest_http": HarvestHttp()},
    executor=executor(),
)


def refresh_job_definition() -> dg.JobDefinition:
    """The resolved refresh job, for `dg.reconstructable` (runs in other processes)."""
    return defs.resolve_job_def("refresh")
