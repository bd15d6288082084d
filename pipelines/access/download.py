"""Fetch a published package and prove it is the one that was published.

`download()` reads `catalog.json` at a base URL (http, https, file) or local folder, picks a
version (the newest by default), downloads every file of it into a temporary folder next to the
destination, and checks each file's size and sha256 against the catalog and each resource
against datapackage.json. Only a package that passes every check is renamed into place; on any
mismatch or error the temporary folder is deleted, so there is never a partial or tampered
package on disk. A base without a catalog is read as a single package folder and checked
against its datapackage.json alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from pipelines.publish.catalog import CATALOG
from pipelines.publish.package import declared_file_problems
from pipelines.util import sha256_file

CHUNK = 1 << 16
TIMEOUT_SECONDS = 60

Progress = Callable[[int], None]


class DownloadError(Exception):
    """A package could not be fetched, or a file did not match its published hash or size."""


@dataclass(frozen=True)
class RemoteFile:
    """One file to fetch: its path in the package, where it is, and what it must hash to."""

    path: str
    location: str
    sha256: str
    bytes: int | None


def is_url(base: str) -> bool:
    """Whether `base` is a URL (http, https, file) rather than a local folder."""
    return urllib.parse.urlsplit(base).scheme in ("http", "https", "file")


def join(base: str, relative: str) -> str:
    """`relative` (a catalog path) resolved under `base`, a URL or a local folder."""
    if is_url(base):
        return base.rstrip("/") + "/" + urllib.parse.quote(relative)
    return str(Path(base) / relative)


def _open(location: str) -> BinaryIO:
    try:
        if is_url(location):
            return urllib.request.urlopen(location, timeout=TIMEOUT_SECONDS)
        return Path(location).open("rb")
    except (OSError, urllib.error.URLError) as exc:
        raise DownloadError(f"cannot fetch {location}: {exc}") from exc


def read_json(location: str) -> dict[str, Any]:
    """The JSON document at `location`."""
    with _open(location) as handle:
        try:
            return json.loads(handle.read().decode("utf-8"))
        except ValueError as exc:
            raise DownloadError(f"{location} is not valid JSON: {exc}") from exc


def _safe(path: str) -> str:
    """`path` if it stays inside the package folder; a catalog cannot make us write elsewhere."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path or not pure.parts:
        raise DownloadError(f"refusing unsafe path {path!r} in the catalog")
    return pure.as_posix()


def _hex(resource_hash: str) -> str:
    return resource_hash.split(":", 1)[1] if ":" in resource_hash else resource_hash


def _from_catalog(base: str, catalog: dict[str, Any], version: str) -> tuple[str, list]:
    wanted = catalog.get("latest") if version == "latest" else version
    entry = next((v for v in catalog.get("versions", []) if v["version"] == wanted), None)
    if entry is None:
        known = ", ".join(v["version"] for v in catalog.get("versions", []))
        raise DownloadError(f"version {version} is not in the catalog (known: {known})")
    files = []
    for item in entry["files"]:
        if not item["path"].startswith(entry["path"]):
            raise DownloadError(f"catalog file {item['path']} is outside {entry['path']}")
        relative = _safe(item["path"][len(entry["path"]) :])
        files.append(RemoteFile(relative, join(base, item["path"]), item["sha256"], item["bytes"]))
    return entry["version"], files


def _from_descriptor(base: str, version: str) -> tuple[str, list]:
    descriptor = read_json(join(base, "datapackage.json"))
    if version not in ("latest", descriptor.get("version")):
        raise DownloadError(f"{base} holds version {descriptor.get('version')}, not {version}")
    files = [
        RemoteFile(_safe(r["path"]), join(base, r["path"]), _hex(r["hash"]), r.get("bytes"))
        for r in descriptor["resources"]
    ]
    files.append(RemoteFile("datapackage.json", join(base, "datapackage.json"), "", None))
    return descriptor["version"], files


def plan(base: str, version: str = "latest") -> tuple[str, list[RemoteFile]]:
    """The version number and the files to fetch for `version` from `base`."""
    try:
        catalog = read_json(join(base, CATALOG))
    except DownloadError:
        return _from_descriptor(base, version)
    return _from_catalog(base, catalog, version)


def fetch(remote: RemoteFile, target: Path, on_bytes: Progress | None = None) -> None:
    """Copy one file to `target`, deleting it unless its size and sha256 match."""
    digest, size = hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _open(remote.location) as source, target.open("wb") as sink:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if remote.bytes is not None and size > remote.bytes:
                    raise DownloadError(f"{remote.path}: more than the {remote.bytes} bytes listed")
                digest.update(chunk)
                sink.write(chunk)
                if on_bytes:
                    on_bytes(len(chunk))
        if remote.bytes is not None and size != remote.bytes:
            raise DownloadError(f"{remote.path}: {size} bytes, expected {remote.bytes}")
        if remote.sha256 and digest.hexdigest() != remote.sha256:
            raise DownloadError(
                f"{remote.path}: sha256 {digest.hexdigest()} does not match {remote.sha256}"
            )
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _check_descriptor(folder: Path) -> None:
    """Every resource in the downloaded datapackage.json matches the downloaded file."""
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        path = folder / _safe(resource["path"])
        if not path.is_file():
            raise DownloadError(f"{resource['path']} is in datapackage.json but not in the catalog")
        problems = declared_file_problems(resource, sha256_file(path), path.stat().st_size)
        if problems:
            raise DownloadError(f"{'; '.join(problems)} in datapackage.json")


def download(
    base: str,
    version: str = "latest",
    to: Path | None = None,
    on_bytes: Progress | None = None,
    on_file: Callable[[RemoteFile], None] | None = None,
    on_start: Callable[[str, list[RemoteFile]], None] | None = None,
) -> Path:
    """Download and verify `version` from `base` into `to` (default `kamerbrieven-<version>`).

    `on_start` is told the version and files before the first byte, `on_bytes` each chunk's size
    (for a progress bar) and `on_file` each file that passed its checks. Raises DownloadError
    and leaves nothing behind when a check fails.
    """
    number, files = plan(base, version)
    if on_start:
        on_start(number, files)
    target = Path(to) if to is not None else Path(f"kamerbrieven-{number}")
    if target.exists():
        raise DownloadError(f"{target} already exists; choose another --to or remove it")
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}-partial-", dir=target.parent))
    try:
        for remote in files:
            fetch(remote, temp / remote.path, on_bytes)
            if on_file:
                on_file(remote)
        _check_descriptor(temp)
        temp.chmod(0o755)
        os.replace(temp, target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return target
