"""`pipelines.load("letters")`: one published table as an Arrow table, in one line.

A local published folder is read directly. From a URL, only the one Parquet file is fetched,
checked against the catalog's sha256 and size, and kept in a cache folder per version
(`KAMERBRIEVEN_CACHE`, default `~/.cache/kamerbrieven`), so a second call costs nothing and a
version, being immutable, never needs fetching again.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.access.download import DownloadError, fetch, is_url, plan
from pipelines.util import sha256_file


def cache_dir() -> Path:
    """Where downloaded tables are kept: KAMERBRIEVEN_CACHE or ~/.cache/kamerbrieven."""
    override = os.environ.get("KAMERBRIEVEN_CACHE")
    return Path(override) if override else Path.home() / ".cache" / "kamerbrieven"


def load(table: str, version: str = "latest", base: str | Path = "published") -> pa.Table:
    """The Arrow table `table` of `version` (default the newest) from `base`.

    `base` is a published folder or the URL it is served at (http, https or file), e.g.
    `load("letters", base="http://127.0.0.1:8000")`.
    """
    base = str(base)
    name = f"{table}.parquet"
    if not is_url(base):
        path = Path(base) / version / name
        if not path.is_file():
            raise FileNotFoundError(f"no table {table!r} in version {version} under {base}")
        return pq.read_table(path)
    number, files = plan(base, version)
    remote = next((f for f in files if f.path == name), None)
    if remote is None:
        raise DownloadError(f"version {number} at {base} has no table {table!r}")
    cached = cache_dir() / number / name
    if not (cached.is_file() and sha256_file(cached) == remote.sha256):
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{name}-", dir=cached.parent)
        os.close(fd)
        try:
            fetch(remote, Path(temp))
            os.replace(temp, cached)
        finally:
            Path(temp).unlink(missing_ok=True)
    return pq.read_table(cached)
