"""A zip of each release for one-click download, byte-identical for the same package.

Zip entries carry a timestamp and permissions; both are fixed here (1980-01-01, 0644) and the
entries are sorted, so the zip's sha256 depends on the package's content alone.

Parquet files are stored as they are (they are zstd-compressed already, and deflating them again
gains next to nothing) and everything else is deflated at level 3, a little larger than the
default level 6 in a fraction of its time (docs/performance.md).
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
DEFLATE_LEVEL = 3
STORED_SUFFIXES = (".parquet",)
LEFT_OUT_SUFFIXES = (".sqlite",)
"""The release's database is a download of its own: the zip is the data package, and holding
the same rows a third time would double it for every user who wants the tables."""


def zip_name(version: str) -> str:
    """The zip's file name, next to (not inside) the release folder it holds."""
    return f"kamerbrieven-{version}.zip"


def write_zip(folder: Path, target: Path, prefix: str) -> Path:
    """Zip every file of the package under `folder` (not its database) into `target`, under the
    folder name `prefix/`."""
    files = (p for p in folder.rglob("*") if p.is_file() and p.suffix not in LEFT_OUT_SUFFIXES)
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"{prefix}/{path.relative_to(folder).as_posix()}", ZIP_EPOCH)
            if path.suffix in STORED_SUFFIXES:
                info.compress_type = zipfile.ZIP_STORED
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                # the one way to set a level for ZipFile.open (Python 3.13 names it compress_level)
                info._compresslevel = DEFLATE_LEVEL
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            info.file_size = path.stat().st_size
            with path.open("rb") as source, archive.open(info, "w") as sink:
                shutil.copyfileobj(source, sink, 1 << 20)
    return target
