"""The state of the raw folder, as the sensor sees it: a fingerprint and when it last changed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipelines.ingest.scan import relative_name, scan_raw


@dataclass
class RawState:
    """`fingerprint` changes whenever a file is added, changed or removed; `last_change` is the
    newest modification time of any file or folder (a removal touches its folder)."""

    fingerprint: str
    last_change: float
    files: int


def raw_state(raw_dir: Path) -> RawState:
    """Fingerprint the raw folder from names, sizes and modification times (no file reads)."""
    digest = hashlib.sha256()
    last_change = raw_dir.stat().st_mtime if raw_dir.exists() else 0.0
    files = scan_raw(raw_dir) if raw_dir.exists() else []
    for path in files:
        info = path.lstat()
        digest.update(
            f"{relative_name(path, raw_dir)}\0{info.st_size}\0{info.st_mtime_ns}\n".encode()
        )
        last_change = max(last_change, info.st_mtime)
    for folder in {path.parent for path in files}:
        last_change = max(last_change, folder.stat().st_mtime)
    return RawState(digest.hexdigest(), last_change, len(files))
