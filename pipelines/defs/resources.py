"""Where the pipeline reads raw letters, caches parses and publishes packages, per run."""

from pathlib import Path

import dagster as dg

from pipelines import settings
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
