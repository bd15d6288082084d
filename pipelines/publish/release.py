"""Versioned releases under the output folder: `OUT/<version>/` and a copied `OUT/latest/`.

A release is built in `OUT/.staging/`, validated there, and only then moved into place, so a
failed or interrupted build never touches what is already published. Staging writes the package,
its changelog and its zip; promoting moves them to `OUT/<version>/` and
`OUT/kamerbrieven-<version>.zip` (never overwriting a release), refreshes `OUT/latest/`, and
rewrites `OUT/catalog.json`, `OUT/dcat.jsonld` and `OUT/index.html`, each through a temporary
file and os.replace.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.publish.archive import write_zip, zip_name
from pipelines.publish.atomic import replace_dir, restore_backup
from pipelines.publish.catalog import CATALOG, build_catalog, released_versions
from pipelines.publish.changelog import (
    changelog_record,
    description_with_summary,
    diff_tables,
    read_tables,
    same_rows,
    write_changelog,
)
from pipelines.publish.check import check_package
from pipelines.publish.citation import write_citation
from pipelines.publish.database import database_name, write_database
from pipelines.publish.dcat import build_dcat
from pipelines.publish.package import (
    PACKAGE_METADATA,
    build_descriptor,
    contents_summary,
    created_timestamp,
    planned_resources,
    write_descriptor,
    write_tables,
)
from pipelines.publish.site import render_index
from pipelines.publish.versions import bump_version, decide_version, parse_version
from pipelines.tables.files import TableLike
from pipelines.util import json_bytes, write_atomic

STAGING = ".staging"
_RELEASE_NAME = re.compile(r"(?:kamerbrieven-)?(\d+\.\d+\.\d+)(?:\.zip)?")
LATEST = "latest"
_DATABASE = "database.sqlite"
"""The database's name in a build until the build's version, part of its final name, is known."""
DCAT = "dcat.jsonld"
INDEX = "index.html"


@dataclass
class StagedRelease:
    """A build's package: where it is, its version, and whether it changes anything.

    A changed build is written to staging; an unchanged one is the latest release itself.
    """

    path: str
    version: str
    unchanged: bool
    zip: str = ""
    problems: list[str] = field(default_factory=list)
    """What `check_package` found in the staged package; empty when it may be published (and
    for an unchanged build, which stages nothing to check)."""


def latest_descriptor(out_dir: Path) -> Path:
    """Where the current release's datapackage.json is."""
    return out_dir / LATEST / "datapackage.json"


def read_latest(out_dir: Path) -> dict[str, Any] | None:
    """The datapackage.json of the current release, or None before the first release."""
    descriptor = latest_descriptor(out_dir)
    if not descriptor.exists():
        return None
    return json.loads(descriptor.read_text(encoding="utf-8"))


def clean_staging(out_dir: Path) -> None:
    """Remove what an interrupted earlier run left in staging."""
    shutil.rmtree(out_dir / STAGING, ignore_errors=True)


def _release_version(entry: Path) -> tuple[int, int, int] | None:
    """The version a release folder (`1.2.0`) or zip (`kamerbrieven-1.2.0.zip`) belongs to."""
    match = _RELEASE_NAME.fullmatch(entry.name)
    return parse_version(match.group(1)) if match else None


def recover(out_dir: Path) -> None:
    """Return the output folder to its last complete release after an interrupted run.

    Promotion moves the version folder and zip in first and switches `latest/` last, so a
    release newer than `latest/` was never finished: it is removed and will be built again. A
    `latest/` lost between two renames is put back from staging. The catalog pages are rewritten
    only when they do not list the releases really there; after a clean run nothing is written.
    """
    if not out_dir.exists():
        return
    restore_backup(out_dir / LATEST, out_dir / STAGING)
    current = read_latest(out_dir)
    newest = parse_version(current["version"]) if current else None
    for entry in out_dir.iterdir():
        version = _release_version(entry)
        if version is not None and (newest is None or version > newest):
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    clean_staging(out_dir)
    if current is not None and _pages_stale(out_dir):
        publish_site(out_dir)


def _pages_stale(out_dir: Path) -> bool:
    """Whether the catalog pages are missing or list other releases than `out_dir` holds."""
    if not all((out_dir / name).is_file() for name in (CATALOG, DCAT, INDEX)):
        return True
    try:
        listed = json.loads((out_dir / CATALOG).read_text(encoding="utf-8"))["versions"]
        return [entry["version"] for entry in listed] != released_versions(out_dir)
    except (OSError, ValueError, KeyError, TypeError):
        return True


def stage(
    tables: Mapping[str, TableLike],
    out_dir: Path,
    epoch: str | None = None,
    same_rows_as_latest: bool = False,
) -> StagedRelease:
    """Decide the build's version; if it has one, write its package, changelog and zip to staging
    and check the package.

    The version follows from comparing the build with the latest release (see `versions`), which
    needs no file written. When neither data nor schemas changed, nothing is kept: the result
    keeps the latest version, points at that release and is marked unchanged, as publishing it
    would add nothing (the database begun during the comparison is stopped and removed). With
    `same_rows_as_latest` (the tables are those the latest release was staged from) the
    row-by-row comparison is skipped and nothing is written at all: a scheduled refresh of an
    unchanged folder writes and checks nothing. The package is checked (`check_package`, its
    problems in the result) while the database, which is not among the files checked, is being
    finished: the database is the longest part of staging.
    """
    latest = read_latest(out_dir)
    compared = latest is None or not same_rows_as_latest
    # while the build is compared with the latest release row by row, its database is written
    database = _BackgroundDatabase(tables, out_dir) if compared else None
    try:
        if compared:
            diff = diff_tables(read_tables(out_dir / LATEST) if latest else {}, tables)
        else:
            diff = same_rows(tables)
        created = created_timestamp(tables, epoch)
        version, bump = decide_version(
            latest,
            build_descriptor(planned_resources(tables), "", created),
            diff.rows_added_or_removed,
            diff.values_changed,
        )
        if latest is not None and bump.level is None:
            if (out_dir / LATEST / database_name(version)).exists():
                if database is not None:
                    database.discard()
                return StagedRelease(str(out_dir / version), version, unchanged=True)
            bump.add("patch", "the release gains its SQLite database")
            version = bump_version(version, "patch")
        database = database or _BackgroundDatabase(tables, out_dir)
        folder = database.build / "package"
        folder.mkdir()
        resources = write_tables(tables, folder)
        record = changelog_record(diff, bump, version, latest["version"] if latest else None)
        write_changelog(folder, record, created, out_dir / LATEST if latest else None)
        write_citation(folder, version, created)
        description = description_with_summary(PACKAGE_METADATA["description"], record)
        description += " " + contents_summary(tables["letters"], tables["references"])
        write_descriptor(folder, resources, version, created, description)
        archive = write_zip(
            folder, database.build / zip_name(version), prefix=f"kamerbrieven-{version}"
        )
        problems = check_package(folder)
        database.move_into(folder / database_name(version))
    except BaseException:
        if database is not None:
            database.discard()
        raise
    return StagedRelease(str(folder), version, unchanged=False, zip=str(archive), problems=problems)


class _BackgroundDatabase:
    """A build's folder in staging, and its database written there in a thread meanwhile.

    The database, the longest part of staging, needs the rows only, and is written mostly in
    SQLite's C code, which releases the GIL: so it is written beside the package's files and
    zip, and, when the build must first be compared with the latest release row by row, during
    that comparison too. When the build turns out to be that release, or staging fails, it is
    stopped and the build removed.
    """

    def __init__(self, tables: Mapping[str, TableLike], out_dir: Path) -> None:
        (out_dir / STAGING).mkdir(parents=True, exist_ok=True)
        self.build = Path(tempfile.mkdtemp(prefix="build-", dir=out_dir / STAGING))
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._written = self._pool.submit(
            write_database, tables, self.build / _DATABASE, self._stop.is_set
        )

    def move_into(self, target: Path) -> None:
        """Wait for the database, then move it to `target`, its name in the package."""
        self._written.result()
        self._pool.shutdown()
        os.replace(self.build / _DATABASE, target)

    def discard(self) -> None:
        """Stop writing the database and remove the build."""
        self._stop.set()
        self._pool.shutdown()
        shutil.rmtree(self.build, ignore_errors=True)


def publish_site(out_dir: Path) -> dict[str, Any]:
    """Rewrite catalog.json, dcat.jsonld and index.html from the releases in `out_dir`."""
    catalog = build_catalog(out_dir)
    if not catalog["versions"]:
        return catalog
    pages = {
        CATALOG: json_bytes(catalog),
        DCAT: json_bytes(build_dcat(catalog)),
        INDEX: render_index(out_dir, catalog).encode("utf-8"),
    }
    for name, data in pages.items():
        write_atomic(out_dir / name, data)
    return catalog


def _link_or_copy(source: str, target: str) -> None:
    """A hard link where the filesystem allows one, else a copy.

    Published files are never changed in place (every write goes through a new file and a
    rename), so `latest/` can share them with its version folder instead of a copy.
    """
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def promote(staged: StagedRelease, out_dir: Path) -> Path:
    """Move a validated staged package to `OUT/<version>/` and copy it to `OUT/latest/`."""
    target = out_dir / staged.version
    archive = out_dir / zip_name(staged.version)
    for path in (target, archive):
        if path.exists():
            raise FileExistsError(f"release {staged.version} already exists at {path}")
    os.replace(staged.path, target)
    if staged.zip:
        os.replace(staged.zip, archive)
    fresh = Path(tempfile.mkdtemp(prefix="latest-", dir=out_dir / STAGING))
    fresh.chmod(0o755)
    shutil.copytree(target, fresh, dirs_exist_ok=True, copy_function=_link_or_copy)
    replace_dir(fresh, out_dir / LATEST, out_dir / STAGING)
    publish_site(out_dir)
    clean_staging(out_dir)
    return target
