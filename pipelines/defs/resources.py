"""Where the pipeline reads raw letters, caches parses and publishes packages, per run."""

from pathlib import Path

import dagster as dg

from pipelines import settings


class PipelinePaths(dg.ConfigurableResource):
    """Folders the refresh works on; relative paths are relative to the working directory."""

    raw_dir: str = "raw"
    out_dir: str = "published"
    cache_dir: str = ".cache"
    source_date_epoch: str | None = None
    parse_workers: int = settings.PARSE_WORKERS

    @property
    def raw(self) -> Path:
        return Path(self.raw_dir)

    @property
    def out(self) -> Path:
        return Path(self.out_dir)

    @property
    def cache(self) -> Path:
        return Path(self.cache_dir)

    @property
    def publish_lock(self) -> Path:
        """Held while writing into the output folder, so two runs never interleave writes."""
        return self.out / ".publish.lock"
