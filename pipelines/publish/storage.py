"""Refreshing from and publishing to an object store by URI (`s3://bucket/prefix`).

The refresh itself works on local folders: parsing, the parse cache, provenance paths relative to
the raw folder, and a release that is staged, validated and promoted with renames. A bucket has
none of that (no rename, no multi-object transaction), so for a URI the refresh runs on a local
mirror of the prefix under the cache folder, and this module moves objects in and out:

- `RawMirror.pull` makes the mirror equal to the raw prefix, downloading only objects whose size
  or last-modified time changed since the last pull and deleting files whose objects are gone.
- `OutputMirror.pull` fetches what a refresh reads of the published state: catalog.json and the
  other top-level files, the newest release in full (the changelog is diffed against it and the
  catalog page shows it), only `datapackage.json` of older releases (so versions keep counting
  up), and rebuilds `latest/` as a copy of the newest release. `OutputMirror.push` then uploads
  what the refresh changed: the new release folder and zip, then `latest/`, then the top-level
  files with catalog.json last. It never overwrites a release catalog.json lists, and refuses to
  upload anything if the bucket changed while the refresh ran.

catalog.json is the commit point: a release is only published once catalog.json names it, and a
release folder that no catalog.json names was left by an interrupted upload and is written again.

The object store is opened with `pyarrow.fs.FileSystem.from_uri`, which takes credentials the
AWS SDK's way (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, instance
roles) and the endpoint from AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (an `http://` endpoint talks
plain HTTP), or from the URI's query (`?endpoint_override=host:port&scheme=http&region=...`).
Other schemes pyarrow opens by URI (gs://, abfs://, hdfs://) go through the same code.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.fs as pafs

from pipelines.publish.catalog import CATALOG
from pipelines.publish.database import SQLITE_MEDIATYPE
from pipelines.publish.package import PARQUET_MEDIATYPE
from pipelines.publish.release import LATEST
from pipelines.publish.versions import parse_version
from pipelines.util import json_bytes, sha256_file, write_atomic

TRANSFER_THREADS = 8
"""Objects moved at once: object stores are latency-bound, so a few requests in flight pay."""

_CHUNK = 1 << 20
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_VERSION = re.compile(r"\d+\.\d+\.\d+")
_ZIP = re.compile(r"kamerbrieven-(\d+\.\d+\.\d+)\.zip")
_DESCRIPTOR = "datapackage.json"
MEDIA_TYPES = {
    ".parquet": PARQUET_MEDIATYPE,
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".md": "text/markdown; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".zip": "application/zip",
    ".sqlite": SQLITE_MEDIATYPE,
}
"""The media type of each kind of file published, as the bucket and the local server give it."""
_IMMUTABLE = "public, max-age=31536000, immutable"
_REVALIDATE = "no-cache"

Listing = dict[str, tuple[int, int | None]]
"""Objects under a prefix: path relative to the prefix -> (size, last-modified in ns)."""


class StorageError(RuntimeError):
    """An object store could not be read or written, or a change was refused; says which."""


def is_remote(location: str) -> bool:
    """Whether a `--raw`/`--out` value is a URI (`s3://bucket/prefix`) rather than a folder."""
    return _URI.match(location) is not None


def show(location: str, name: str) -> str:
    """`name` inside a folder or URI as the user wrote it, for messages."""
    if is_remote(location):
        return f"{location.rstrip('/')}/{name}"
    return str(Path(location) / name)


def _mirror_folder(cache_dir: Path, kind: str, key: str) -> Path:
    """The local mirror of one prefix: named by a hash, so any URI gives a plain folder name."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return cache_dir / "remote" / f"{kind}-{digest}"


class _Mirror:
    """A remote prefix and its local mirror, with what is known about both.

    The state file beside the mirror records, per path, the object's size, last-modified time and
    sha256 as last seen, and the local file's size, mtime and sha256, so unchanged objects are
    neither downloaded nor uploaded again and unchanged local files are not hashed again.
    """

    def __init__(self, uri: str, folder: Path) -> None:
        self.uri = uri
        self.folder = folder
        self._state_path = folder.parent / f"{folder.name}.json"
        self._partial = folder.parent / f"{folder.name}.partial"
        self._fs: pafs.FileSystem | None = None
        self._root = ""
        state = _read_json(self._state_path) or {}
        self._remote: dict[str, list] = state.get("remote", {})
        self._local: dict[str, list] = state.get("local", {})

    def _open(self) -> pafs.FileSystem:
        """The filesystem behind the URI, opened once; a missing bucket is an error up front."""
        if self._fs is not None:
            return self._fs
        try:
            fs, root = pafs.FileSystem.from_uri(self.uri)
            root = root.rstrip("/")
            bucket = root.split("/")[0]
            missing = bucket and fs.get_file_info(bucket).type != pafs.FileType.Directory
        except (OSError, ValueError) as exc:
            raise StorageError(f"cannot open {self.uri}: {exc}") from exc
        if not root:
            raise StorageError(f"{self.uri} names no bucket")
        if missing:
            raise StorageError(f"bucket {bucket} of {self.uri} does not exist")
        self._fs, self._root = fs, root
        return fs

    def _key(self, rel: str) -> str:
        return f"{self._root}/{rel}"

    def _list(self, under: str = "", recursive: bool = True) -> tuple[Listing, list[str]]:
        """Files below `under` (relative paths, hidden ones left out) and the folders directly in
        it when not recursive."""
        fs = self._open()
        base = self._key(under).rstrip("/")
        selector = pafs.FileSelector(base, recursive=recursive, allow_not_found=True)
        try:
            infos = fs.get_file_info(selector)
        except OSError as exc:
            raise StorageError(f"cannot list {self.uri}: {exc}") from exc
        files: Listing = {}
        folders = []
        for info in infos:
            rel = info.path[len(self._root) + 1 :]
            parts = rel.split("/")
            if any(part in ("", ".", "..") for part in parts):
                raise StorageError(f"object {info.path} in {self.uri} cannot be a file name")
            if _hidden(rel):
                continue
            if info.type == pafs.FileType.File:
                files[rel] = (info.size, info.mtime_ns)
            elif info.type == pafs.FileType.Directory:
                folders.append(rel)
        return files, folders

    def _local_sha(self, rel: str) -> str | None:
        """sha256 of the mirror's file, hashed again only when its size or mtime changed."""
        path = self.folder / rel
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        known = self._local.get(rel)
        if known and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
            return known[2]
        digest = sha256_file(path)
        self._local[rel] = [stat.st_size, stat.st_mtime_ns, digest]
        return digest

    def _remote_sha(self, rel: str, listing: Listing) -> str | None:
        """sha256 of an object as last transferred, if it has not changed since."""
        known = self._remote.get(rel)
        current = listing.get(rel)
        if known and current and current[1] is not None and (known[0], known[1]) == current:
            return known[2]
        return None

    def _local_files(self) -> list[str]:
        """Every file in the mirror, relative, leaving out hidden ones (locks, staging)."""
        files = []
        for path in self.folder.rglob("*") if self.folder.is_dir() else []:
            rel = path.relative_to(self.folder).as_posix()
            if path.is_file() and not _hidden(rel):
                files.append(rel)
        return sorted(files)

    def _fetch(self, rels: Iterable[str], listing: Listing) -> list[str]:
        """Download every object of `rels` the mirror does not hold as it is; return those."""
        stale = [
            rel
            for rel in sorted(rels)
            if (known := self._remote_sha(rel, listing)) is None or known != self._local_sha(rel)
        ]
        shutil.rmtree(self._partial, ignore_errors=True)
        self._partial.mkdir(parents=True, exist_ok=True)
        try:
            with ThreadPoolExecutor(TRANSFER_THREADS) as pool:
                for rel, digest in pool.map(self._download, stale):
                    stat = (self.folder / rel).stat()
                    if stat.st_size != listing[rel][0]:
                        raise StorageError(f"{self._key(rel)} changed while it was downloaded")
                    self._local[rel] = [stat.st_size, stat.st_mtime_ns, digest]
                    self._remote[rel] = [*listing[rel], digest]
        except OSError as exc:
            raise StorageError(f"cannot read {self.uri}: {exc}") from exc
        finally:
            shutil.rmtree(self._partial, ignore_errors=True)
        return stale

    def _learn(self, rels: list[str], listing: Listing) -> None:
        """Hash objects whose content is not known (without keeping them), so that push can
        tell which it must upload; after the first pull on a machine they are known."""
        unknown = [rel for rel in rels if self._remote_sha(rel, listing) is None]
        try:
            with ThreadPoolExecutor(TRANSFER_THREADS) as pool:
                for rel, digest in zip(unknown, pool.map(self._hash_object, unknown), strict=True):
                    self._remote[rel] = [*listing[rel], digest]
        except OSError as exc:
            raise StorageError(f"cannot read {self.uri}: {exc}") from exc

    def _hash_object(self, rel: str) -> str:
        digest = hashlib.sha256()
        with self._open().open_input_stream(self._key(rel), compression=None) as source:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def _download(self, rel: str) -> tuple[str, str]:
        path = self.folder / rel
        digest = hashlib.sha256()
        fd, temp = tempfile.mkstemp(dir=self._partial)
        try:
            fs = self._open()
            with (
                os.fdopen(fd, "wb") as out,
                fs.open_input_stream(self._key(rel), compression=None) as source,
            ):
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            os.chmod(temp, 0o644)
            path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return rel, digest.hexdigest()

    def _prune(self, keep: Callable[[str], bool]) -> None:
        """Delete the mirror's files `keep` rejects, then folders left empty."""
        for rel in self._local_files():
            if not keep(rel):
                (self.folder / rel).unlink()
                self._local.pop(rel, None)
        folders = [p for p in self.folder.rglob("*") if p.is_dir()]
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            if not _hidden(folder.relative_to(self.folder).as_posix()) and not any(
                folder.iterdir()
            ):
                folder.rmdir()

    def _save(self, listing: Listing) -> None:
        """Write the state file, forgetting objects and files that no longer exist."""
        remote = {rel: self._remote[rel] for rel in sorted(listing) if rel in self._remote}
        local = {rel: self._local[rel] for rel in self._local_files() if rel in self._local}
        self._state_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self._state_path, json_bytes({"remote": remote, "local": local}))


class RawMirror(_Mirror):
    """Raw letters in a bucket, mirrored into a folder the refresh reads like `raw/`."""

    def __init__(self, uri: str, cache_dir: Path, out: str) -> None:
        super().__init__(uri, self.folder_for(uri, cache_dir, out))

    @staticmethod
    def folder_for(uri: str, cache_dir: Path, out: str) -> Path:
        """The mirror's folder, without reading its state.

        One mirror per raw prefix and output, so two refreshes into different outputs (each
        holding its own output's lock) never rewrite the same mirror under each other.
        """
        return _mirror_folder(cache_dir, "raw", f"{uri}\0{out}")

    def pull(self) -> list[str]:
        """Make the mirror equal to the prefix; return the paths downloaded.

        A prefix holding no objects is an error, as a missing raw folder is.
        """
        listing, _ = self._list()
        if not listing:
            raise StorageError(f"{self.uri} holds no objects")
        try:
            fetched = self._fetch(listing, listing)
            self._prune(lambda rel: rel in listing)
        finally:
            self._save(listing)
        return fetched


@dataclass
class Pushed:
    """What one push changed in the bucket, in the order it happened."""

    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


class OutputMirror(_Mirror):
    """A published folder in a bucket, mirrored so the refresh builds the next release locally."""

    def __init__(self, uri: str, cache_dir: Path) -> None:
        super().__init__(uri, self.folder_for(uri, cache_dir))
        self._listing: Listing | None = None
        self._published: set[str] = set()
        self._pulled_path = self.folder.parent / f"{self.folder.name}.pulled.json"

    @staticmethod
    def folder_for(uri: str, cache_dir: Path) -> Path:
        """The mirror's folder, without reading its state."""
        return _mirror_folder(cache_dir, "out", uri)

    def _list_releases(self) -> Listing:
        """The objects a release consists of: top-level files, release folders and `latest/`.

        Anything else under the prefix (a raw/ folder kept beside it, say) is left alone.
        """
        listing, folders = self._list(recursive=False)
        for folder in folders:
            if folder == LATEST or _VERSION.fullmatch(folder):
                listing.update(self._list(folder)[0])
        return dict(sorted(listing.items()))

    def pull(self) -> None:
        """Fill the mirror with the bucket's published state, as far as a refresh reads it."""
        listing = self._list_releases()
        try:
            catalog = {}
            if CATALOG in listing:
                self._fetch([CATALOG], listing)
                catalog = _read_json(self.folder / CATALOG)
            if not isinstance(catalog, dict):
                # Without its catalog, which releases are published is unknown: refuse rather
                # than risk writing over one.
                raise StorageError(f"{self.uri}/{CATALOG} is not a readable catalog")
            self._published = {v["version"] for v in catalog.get("versions", [])}
            newest = max(self._published, key=parse_version, default=None)
            wanted = {rel for rel in listing if self._wanted(rel, newest)}
            self._fetch(wanted, listing)
            self._prune(lambda rel: rel in wanted or rel.startswith(f"{LATEST}/"))
            self._copy_latest(newest)
            self._learn([rel for rel in listing if rel.startswith(f"{LATEST}/")], listing)
        finally:
            self._save(listing)
        self._listing = listing
        pulled = {"listing": listing, "published": sorted(self._published)}
        write_atomic(self._pulled_path, json_bytes(pulled))

    def resume(self) -> OutputMirror:
        """Take up the state of the last `pull` of this mirror, for a `push` in another process.

        A Dagster run pulls in the step that stages the release and pushes in the step that
        publishes it, which the multiprocess executor runs in separate processes.
        """
        pulled = _read_json(self._pulled_path)
        if not isinstance(pulled, dict):
            raise StorageError(f"push to {self.uri} before pull")
        self._listing = {rel: tuple(entry) for rel, entry in pulled["listing"].items()}
        self._published = set(pulled["published"])
        return self

    def _wanted(self, rel: str, newest: str | None) -> bool:
        """Whether a refresh needs this object in the mirror.

        Older published releases are immutable and only their datapackage.json is read (to find
        them); a release newer than the catalog's newest was never finished and is left out, and
        `latest/` is rebuilt from the newest release rather than trusted, since an interrupted
        push may have left it mixed.
        """
        top, _, rest = rel.partition("/")
        if not rest:
            archive = _ZIP.fullmatch(top)
            return archive is None or self._unlisted_older(archive.group(1), newest)
        if top == LATEST:
            return False
        if top in self._published:
            return top == newest or rest == _DESCRIPTOR
        return self._unlisted_older(top, newest)

    def _unlisted_older(self, version: str, newest: str | None) -> bool:
        """A release the catalog does not list but older than its newest: kept, and the refresh
        adds it to the catalog, as it would in a local folder."""
        published = version in self._published
        return (
            not published and newest is not None and parse_version(version) < parse_version(newest)
        )

    def _copy_latest(self, newest: str | None) -> None:
        """Make `latest/` a copy of the newest published release, as promotion leaves it."""
        latest = self.folder / LATEST
        if newest is None:
            shutil.rmtree(latest, ignore_errors=True)
            return
        source = self.folder / newest
        if not (source / _DESCRIPTOR).is_file():
            raise StorageError(f"{self.uri}: {CATALOG} names {newest}, but {newest}/ is missing")
        names = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()}
        for name in sorted(names):
            if self._local_sha(f"{LATEST}/{name}") != self._local_sha(f"{newest}/{name}"):
                _copy_atomic(source / name, latest / name)
        for rel in self._local_files():
            if rel.startswith(f"{LATEST}/") and rel.removeprefix(f"{LATEST}/") not in names:
                (self.folder / rel).unlink()

    def push(self) -> Pushed:
        """Upload what the refresh changed in the mirror, in an order that keeps readers safe.

        First every new object of a release folder and its zip (invisible until catalog.json
        names them), then `latest/` with its datapackage.json last, then objects no longer in
        `latest/` are deleted, then the top-level files with catalog.json last. Raises
        StorageError before uploading anything if the bucket changed since `pull` (someone else
        published) or if a release catalog.json lists would be rewritten.
        """
        if self._listing is None:
            raise StorageError("push before pull")
        listing = self._list_releases()
        if listing != self._listing:
            raise StorageError(
                f"{self.uri} changed while the refresh ran (another refresh publishing?); "
                "nothing was uploaded"
            )
        local = self._local_files()
        changed = [rel for rel in local if self._local_sha(rel) != self._remote_sha(rel, listing)]
        frozen = sorted({_release_of(rel) for rel in changed} & self._published)
        if frozen:
            raise StorageError(
                f"refusing to rewrite published release {', '.join(frozen)} in {self.uri}; "
                "nothing was uploaded"
            )
        latest = f"{LATEST}/"
        descriptor = f"{latest}{_DESCRIPTOR}"
        gone = (
            [r for r in listing if r.startswith(latest) and r not in local]
            if descriptor in local
            else []
        )
        phases = [
            [r for r in changed if _release_of(r) is not None],
            [r for r in changed if r.startswith(latest) and r != descriptor],
            [r for r in changed if r == descriptor],
            [r for r in changed if "/" not in r and _release_of(r) is None and r != CATALOG],
            [r for r in changed if r == CATALOG],
        ]  # fmt: skip
        pushed = Pushed()
        try:
            with ThreadPoolExecutor(TRANSFER_THREADS) as pool:
                for rels in phases[:3]:
                    pushed.uploaded += list(pool.map(self._upload, rels))
                for rel in gone:
                    self._open().delete_file(self._key(rel))
                    pushed.deleted.append(rel)
                for rels in phases[3:]:
                    pushed.uploaded += list(pool.map(self._upload, rels))
        except OSError as exc:
            raise StorageError(f"upload to {self.uri} failed: {exc}") from exc
        finally:
            # What was uploaded is remembered even after a failure; if the bucket cannot even be
            # listed now, the next push just uploads those objects again.
            with suppress(OSError, StorageError):
                self._record(pushed)
        self._pulled_path.unlink(missing_ok=True)  # the next push needs a pull of its own
        return pushed

    def _upload(self, rel: str) -> str:
        suffix = Path(rel).suffix
        metadata = {
            "Content-Type": MEDIA_TYPES.get(suffix, "application/octet-stream"),
            "Cache-Control": _IMMUTABLE if _release_of(rel) else _REVALIDATE,
        }
        fs = self._open()
        with (
            (self.folder / rel).open("rb") as source,
            fs.open_output_stream(self._key(rel), compression=None, metadata=metadata) as out,
        ):
            while chunk := source.read(_CHUNK):
                out.write(chunk)
        return rel

    def _record(self, pushed: Pushed) -> None:
        """Remember the uploaded objects as the bucket now lists them, so they count as
        unchanged next time."""
        listing = self._list_releases()
        for rel in pushed.uploaded:
            known = self._local.get(rel)
            if rel in listing and known and listing[rel][0] == known[0]:
                self._remote[rel] = [*listing[rel], known[2]]
        self._save(listing)
        self._listing = listing


def _release_of(rel: str) -> str | None:
    """The version a release folder's file or a release zip belongs to, or None."""
    top, _, rest = rel.partition("/")
    if rest:
        return top if _VERSION.fullmatch(top) else None
    archive = _ZIP.fullmatch(top)
    return archive.group(1) if archive else None


def _hidden(rel: str) -> bool:
    """Hidden paths are never transferred: the raw scan skips them, and in the output mirror
    they are the refresh's locks and staging folder."""
    return any(part.startswith(".") for part in rel.split("/"))


def _copy_atomic(source: Path, target: Path) -> None:
    """Copy a file through a temporary one and os.replace, as promotion's writes are."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
    os.close(fd)
    try:
        shutil.copyfile(source, temp)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class Locations:
    """Where a refresh reads raw letters, keeps its cache and publishes, and how it gets there.

    `raw` and `out` are folders or bucket URIs; a URI is worked on through a local mirror under
    `cache`. Every run goes through here (the CLI's and the schedule's alike): the raw mirror is
    pulled before parsing, the output mirror under the publish lock before the latest release is
    read, and the new release pushed once it is published.
    """

    raw: str
    out: str
    cache: Path

    @property
    def raw_folder(self) -> Path:
        """The folder parsed: `raw`, or its mirror."""
        if is_remote(self.raw):
            return RawMirror.folder_for(self.raw, self.cache, self.out)
        return Path(self.raw)

    @property
    def out_folder(self) -> Path:
        """The folder releases are written into: `out`, or its mirror."""
        if is_remote(self.out):
            return OutputMirror.folder_for(self.out, self.cache)
        return Path(self.out)

    @property
    def refresh_lock(self) -> Path:
        """Held for a whole refresh, so a second one started on the same output is refused."""
        return self.out_folder / ".refresh.lock"

    @property
    def publish_lock(self) -> Path:
        """Held while reading or writing the output folder, so two runs never interleave."""
        return self.out_folder / ".publish.lock"

    def location(self, name: str) -> str:
        """Where `name` in the output is published: under the bucket URI, or as a local path."""
        if is_remote(self.out):
            return show(self.out, name)
        return str((self.out_folder / name).resolve())

    def pull_raw(self) -> None:
        """Bring the raw mirror up to date with its bucket, when `raw` is one."""
        if is_remote(self.raw):
            RawMirror(self.raw, self.cache, self.out).pull()

    def pull_out(self) -> None:
        """Bring the output mirror up to date with its bucket, when `out` is one."""
        if is_remote(self.out):
            OutputMirror(self.out, self.cache).pull()

    def push_out(self) -> Pushed | None:
        """Upload what this run published to the bucket `out` names, if it is one; the pull
        may have happened in another process (another step of the run)."""
        if is_remote(self.out):
            return OutputMirror(self.out, self.cache).resume().push()
        return None
