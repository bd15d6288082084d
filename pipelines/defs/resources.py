"""Where the pipeline reads raw letters, caches parses and publishes packages, per run."""

from pathlib import Path

import dagster as dg

from pipelines import settings
from pipelines.storage import OutputMirror, Pushed, RawMirror, is_remote, show


class PipelinePaths(dg.ConfigurableResource):
    """Folders the refresh works on; relative paths are relative to the working directory.

    `raw_dir` and `out_dir` may also be bucket URIs (`s3://bucket/prefix`): the run then works on
    local mirrors under `cache_dir`, as the CLI does (`pipelines.storage`). The raw mirror is
    pulled before parsing, the output mirror before staging, and the new release is pushed once
    it is published.
    """

    raw_dir: str = "raw"
    out_dir: str = "published"
    cache_dir: str = ".cache"
    source_date_epoch: str | None = None
    parse_workers: int = settings.PARSE_WORKERS

    @property
    def raw(self) -> Path:
        if is_remote(self.raw_dir):
            return RawMirror.folder_for(self.raw_dir, self.cache, self.out_dir)
        return Path(self.raw_dir)

    @property
    def out(self) -> Path:
        if is_remote(self.out_dir):
            return OutputMirror.folder_for(self.out_dir, self.cache)
        return Path(self.out_dir)

    def location(self, name: str) -> str:
        """Where `name` in the output is published: under the bucket URI, or as a local path."""
        if is_remote(self.out_dir):
            return show(self.out_dir, name)
        return str((self.out / name).resolve())

    def pull_raw(self) -> None:
        """Bring the raw mirror up to date with its bucket, when `raw_dir` is one."""
        if is_remote(self.raw_dir):
            RawMirror(self.raw_dir, self.cache, self.out_dir).pull()

    def pull_out(self) -> None:
        """Bring the output mirror up to date with its bucket, when `out_dir` is one."""
        if is_remote(self.out_dir):
            OutputMirror(self.out_dir, self.cache).pull()

    def push_out(self) -> Pushed | None:
        """Upload what this run published to the bucket `out_dir` names, if it is one."""
        if is_remote(self.out_dir):
            return OutputMirror(self.out_dir, self.cache).resume().push()
        return None

    @property
    def cache(self) -> Path:
        return Path(self.cache_dir)

    @property
    def publish_lock(self) -> Path:
        """Held while writing into the output folder, so two runs never interleave writes."""
        return self.out / ".publish.lock"
