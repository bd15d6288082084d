"""Where the pipeline reads raw letters, caches parses and publishes packages, per run."""

from dataclasses import fields
from pathlib import Path

import dagster as dg

from pipelines import settings
from pipelines.harvest.http import HttpSettings
from pipelines.publish.storage import Locations


class PipelinePaths(dg.ConfigurableResource):
    """Folders the refresh works on; relative paths are relative to the working directory.

    `raw_dir` and `out_dir` may also be bucket URIs (`s3://bucket/prefix`), worked on through
    local mirrors under `cache_dir` (`Locations`).
    """

    raw_dir: str = "raw"
    out_dir: str = "published"
    cache_dir: str = ".cache"
    source_date_epoch: str | None = None
    parse_workers: int = settings.PARSE_WORKERS

    @property
    def locations(self) -> Locations:
        return Locations(self.raw_dir, self.out_dir, Path(self.cache_dir))


class HarvestHttp(dg.ConfigurableResource):
    """How the harvest's HTTP client treats the sources: timeouts, retries and politeness.

    The defaults are the `KAMERBRIEVEN_HARVEST_*` settings. A resource rather than fixed
    settings, because `HttpSettings` takes its defaults when the code location is imported: as
    a resource they can be changed for one run (the launchpad's `resources.harvest_http`), and
    a test gives a dead service one quick retry the same way.
    """

    connect_timeout: float = settings.HARVEST_CONNECT_TIMEOUT
    read_timeout: float = settings.HARVEST_READ_TIMEOUT
    retries: int = settings.HARVEST_RETRIES
    backoff: float = settings.HARVEST_BACKOFF
    max_wait: float = settings.HARVEST_MAX_WAIT
    in_flight: int = settings.HARVEST_IN_FLIGHT
    user_agent: str = settings.HARVEST_USER_AGENT

    def client_settings(self) -> HttpSettings:
        return HttpSettings(**{f.name: getattr(self, f.name) for f in fields(HttpSettings)})
