"""`OUT/catalog.json`: every published version with its files, sizes, row counts and hashes.

The catalog is what the download client, the catalog page and the DCAT description read: one
file that says what exists and what each file's bytes must hash to. Paths in it are relative to
the catalog itself, so the published folder works from any file server or bucket. Releases are
immutable, so a version already in the catalog keeps its entry and only new versions are hashed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.publish.archive import zip_name
from pipelines.publish.changelog import CHANGELOG_JSON
from pipelines.publish.versions import base_description, parse_version
from pipelines.util import sha256_file

CATALOG = "catalog.json"


def file_entry(root: Path, path: Path) -> dict[str, Any]:
    """Path (relative to `root`, with forward slashes), size and sha256 of one file."""
    return {
        "path": path.relative_to(root).as_posix(),
        "bytes": path.stat().st_size,
        "sha256": sha256_file(path),
    }


def released_versions(out_dir: Path) -> list[str]:
    """Every version folder under `out_dir` holding a datapackage.json, newest first."""
    versions = []
    for folder in out_dir.iterdir() if out_dir.is_dir() else []:
        try:
            parse_version(folder.name)
        except ValueError:
            continue
        if (folder / "datapackage.json").is_file():
            versions.append(folder.name)
    return sorted(versions, key=parse_version, reverse=True)


def letter_period(folder: Path) -> dict[str, str] | None:
    """The first and last letter date of a release, for the catalog page and DCAT."""
    path = folder / "letters.parquet"
    if not path.exists():
        return None
    span = pc.min_max(pq.read_table(path, columns=["date"]).column("date")).as_py()
    if span["min"] is None:
        return None
    return {"start": span["min"].isoformat(), "end": span["max"].isoformat()}


def version_entry(out_dir: Path, version: str) -> dict[str, Any]:
    """The catalog entry of one release folder and its zip."""
    folder = out_dir / version
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    changelog_path = folder / CHANGELOG_JSON
    changelog = (
        json.loads(changelog_path.read_text(encoding="utf-8")) if changelog_path.exists() else {}
    )
    resources = {r["path"]: r for r in descriptor["resources"]}
    files = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        entry = file_entry(out_dir, path)
        resource = resources.get(path.relative_to(folder).as_posix())
        if resource is not None:
            entry.update(
                resource=resource["name"],
                format=resource["format"],
                mediatype=resource["mediatype"],
                rows=resource["rows"],
                title=resource.get("title", resource["name"]),
            )
        files.append(entry)
    archive = out_dir / zip_name(version)
    return {
        "version": version,
        "created": descriptor["created"],
        "path": f"{version}/",
        "datapackage": f"{version}/datapackage.json",
        "level": changelog.get("level"),
        "summary": changelog.get("summary"),
        "rows": {r["name"]: r["rows"] for r in descriptor["resources"] if r["format"] == "parquet"},
        "period": letter_period(folder),
        "zip": file_entry(out_dir, archive) if archive.exists() else None,
        "files": files,
    }


def build_catalog(out_dir: Path) -> dict[str, Any]:
    """The catalog of every release under `out_dir`, reusing entries of versions it had."""
    previous: dict[str, dict[str, Any]] = {}
    if (out_dir / CATALOG).exists():
        listed = json.loads((out_dir / CATALOG).read_text(encoding="utf-8"))
        previous = {v["version"]: v for v in listed.get("versions", [])}
    versions = [previous.get(v) or version_entry(out_dir, v) for v in released_versions(out_dir)]
    if not versions:
        return {"versions": []}
    newest = json.loads((out_dir / versions[0]["datapackage"]).read_text(encoding="utf-8"))
    return {
        "name": newest["name"],
        "id": newest["id"],
        "title": newest["title"],
        "description": base_description(newest),
        "homepage": newest.get("homepage"),
        "keywords": newest.get("keywords", []),
        "licenses": newest.get("licenses", []),
        "sources": newest.get("sources", []),
        "latest": versions[0]["version"],
        "versions": versions,
    }
