"""Where the pipeline reads raw letters and publishes packages, configurable per run."""

from pathlib import Path

import dagster as dg


class PipelinePaths(dg.ConfigurableResource):
    """The raw folder and the output folder; relative paths are relative to the working dir."""

    raw_dir: str = "raw"
    out_dir: str = "published"
    source_date_epoch: str | None = None

    @property
    def raw(self) -> Path:
        return Path(self.raw_dir)

    @property
    def out(self) -> Path:
        return Path(self.out_dir)
