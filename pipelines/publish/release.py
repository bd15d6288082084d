"""Versioned releases under the output folder: `OUT/<version>/` and a copied `OUT/latest/`.

A release is built in `OUT/.staging/`, validated there, and only then moved into place, so a
failed or interrupted build never touches what is already published.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipelines.publish.package import created_timestamp, write_descriptor, write_tables

STAGING = ".staging"
LATEST = "latest"
FIRST_VERSION = "1.0.0"


@dataclass
class StagedRelease:
    """A package written to staging: where it is, its version, and whether it changes anything."""

    path: str
    version: str
    unchanged: bool


def read_latest(out_dir: Path) -> dict[str, Any] | None:
    """The datapackage.json of the current release, or None before the first release."""
    descriptor = out_dir / LATEST / "datapackage.json"
    if not descriptor.exists():
        return None
    return json.loads(descriptor.read_text(encoding="utf-8"))


def _data_fingerprint(resources: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted((r["name"], r["hash"]) for r in resources)


def next_version(previous: str | None) -> str:
    """The version after `previous`: new or changed letters are a minor release."""
    if previous is None:
        return FIRST_VERSION
    major, minor, _patch = (int(part) for part in previous.split("."))
    return f"{major}.{minor + 1}.0"


def clean_staging(out_dir: Path) -> None:
    """Remove what an interrupted earlier run left in staging."""
    shutil.rmtree(out_dir / STAGING, ignore_errors=True)


def stage(tables: dict[str, pa.Table], out_dir: Path, epoch: str | None = None) -> StagedRelease:
    """Write the package into a fresh staging folder and decide its version.

    When the data files are byte-identical to the latest release the staged package keeps the
    latest version and is marked unchanged: publishing it would add nothing.
    """
    (out_dir / STAGING).mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="build-", dir=out_dir / STAGING))
    resources = write_tables(tables, folder)
    latest = read_latest(out_dir)
    unchanged = latest is not None and _data_fingerprint(latest["resources"]) == _data_fingerprint(
        resources
    )
    version = latest["version"] if unchanged else next_version(latest and latest["version"])
    write_descriptor(folder, resources, version, created_timestamp(tables, epoch))
    return StagedRelease(str(folder), version, unchanged)


def promote(staged: StagedRelease, out_dir: Path) -> Path:
    """Move a validated staged package to `OUT/<version>/` and copy it to `OUT/latest/`."""
    target = out_dir / staged.version
    if target.exists():
        raise FileExistsError(f"release {staged.version} already exists at {target}")
    os.replace(staged.path, target)
    fresh = Path(tempfile.mkdtemp(prefix="latest-", dir=out_dir / STAGING))
    shutil.copytree(target, fresh, dirs_exist_ok=True)
    latest = out_dir / LATEST
    if latest.exists():
        old = Path(tempfile.mkdtemp(prefix="old-latest-", dir=out_dir / STAGING))
        os.replace(latest, old / LATEST)
    os.replace(fresh, latest)
    clean_staging(out_dir)
    return target
