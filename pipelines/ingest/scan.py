"""The raw folder as ingest sees it: its entries, the names they get in the data, and what is
refused unread (links out of the folder, special files, files over the size limit).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import time
from pathlib import Path

from pipelines import settings
from pipelines.formats.detect import detect_format
from pipelines.model import SOURCE_PRECEDENCE
from pipelines.util import source_fingerprint, write_atomic


def scan_raw(raw_dir: Path) -> list[Path]:
    """Every entry below `raw_dir` that is not a folder, in a stable order; hidden ones skipped.

    Symlinks and special files (FIFOs, sockets, devices) are listed too, without looking at what
    they lead to, so that ingest can report each one it will not read by name; only real folders
    are descended into. Nothing here follows a link, so a symlink loop cannot hide a folder.
    """
    found: list[Path] = []
    folders = [raw_dir]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                listed = [(entry.name, _is_folder(entry))
                          for entry in entries if not entry.name.startswith(".")]  # fmt: skip
        except OSError:  # a missing or unreadable folder lists nothing, as with Path.rglob
            continue
        for name, is_folder in listed:
            (folders if is_folder else found).append(folder / name)
    return sorted(found)


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def relative_name(path: Path, raw_dir: Path) -> str:
    """The provenance path recorded in the data: relative to the raw folder, forward slashes.

    Names that are not valid UTF-8 keep their odd bytes as backslash escapes, so every name can
    be written to Parquet and CSV.
    """
    text, prefix = str(path), os.path.join(str(raw_dir), "")
    name = text[len(prefix) :] if text.startswith(prefix) else path.relative_to(raw_dir).as_posix()
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


_SPECIAL_FILES = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a folder",
}


class Refusals:
    """Why an entry of the raw folder must not be read at all (a broken link, outside the raw
    folder, not a regular file, too large), or None; each directory is resolved once.

    A file that is not itself a symlink lies where its folder resolves to, so only symlinks
    (and each folder, once) go through `os.path.realpath`, which walks every part of the path.
    """

    def __init__(self, raw_dir: Path) -> None:
        self.root = os.path.realpath(raw_dir)
        self._inside = os.path.join(self.root, "")
        self._folders: dict[str, str] = {}

    def __call__(self, path: Path) -> str | None:
        info = os.lstat(path)
        link = stat.S_ISLNK(info.st_mode)
        if link:
            try:
                info = os.stat(path)
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    return "symlink loop: the link leads back to itself"
                return f"broken symlink ({exc.strerror or exc})"
            real = os.path.realpath(path)
        else:
            folder, name = os.path.split(str(path))
            if folder not in self._folders:
                self._folders[folder] = os.path.realpath(folder or os.curdir)
            real = os.path.join(self._folders[folder], name)
        if real != self.root and not real.startswith(self._inside):
            return "symlink pointing outside the raw folder"
        if not stat.S_ISREG(info.st_mode):
            kind = _SPECIAL_FILES.get(stat.S_IFMT(info.st_mode), "not a regular file")
            return f"{'symlink to ' if link else ''}{kind}; only regular files are read"
        if info.st_size > settings.MAX_FILE_BYTES:
            return (
                f"file is {info.st_size} bytes, over the limit of {settings.MAX_FILE_BYTES} "
                "(KAMERBRIEVEN_MAX_FILE_BYTES)"
            )
        return None


def read_regular(path: Path | str) -> bytes:
    """The bytes of a regular file; anything else raises `OSError` without blocking.

    Opened without waiting (a FIFO put in place of a file after the scan would otherwise block
    the read forever) and checked on the open descriptor, so what is read is what was checked.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return handle.read()


def content_key(path: Path, record: Path | None = None) -> tuple[str, int]:
    """The cache key of a raw file (its SHA-256, and that of its metadata.xml `record` if any)
    and its rank in `SOURCE_PRECEDENCE` (unknown formats last), from one read of the file."""
    data = read_regular(path)
    digest = hashlib.sha256(data)
    if record is not None:
        digest.update(b"\0metadata.xml\0" + read_regular(record))
    found = detect_format(data)
    rank = SOURCE_PRECEDENCE.index(found) if found else len(SOURCE_PRECEDENCE)
    return digest.hexdigest(), rank


KEY_CODE = ("model.py", "formats/detect.py", "ingest/scan.py")
"""The code a content key and rank come from: a change to it makes the recorded keys stale."""
RACY_NS = 2_000_000_000
"""A file changed this close before its stat was recorded may change again within the same
timestamp tick without its stat showing it (two seconds: the coarsest filesystems' tick); its
recorded key is not trusted, and it is read again next time."""

Signature = tuple[int, ...]


def _signature(path: Path, record: Path | None) -> Signature:
    """What changes when a file's bytes do: size, modification and change times, inode; of the
    file and its metadata record."""
    signature: tuple[int, ...] = ()
    for part in (path, record) if record is not None else (path,):
        info = os.stat(part)
        signature += (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    return signature


class ContentKeys:
    """Content keys of raw files, taken from the last run where a file's stat is unchanged.

    Reading and hashing every file of an unchanged folder was most of a scheduled refresh's
    planning. A file whose size, times and inode are those recorded last run, and that was not
    changed just before they were recorded (`RACY_NS`), has the bytes it had: its key and rank
    are reused without a read, as `git status` trusts its index. Kept in `folder` (the parse
    cache), replaced whole by `save`; without a folder every file is read.
    """

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / "content-keys.json" if folder is not None else None
        self.started = time.time_ns()
        self.current: dict[str, list] = {}
        self.previous: dict[str, list] = {}
        self.read = 0
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8")) if self.path else {}
            if stored.get("code") == source_fingerprint(KEY_CODE):
                trusted_before = stored["recorded_ns"] - RACY_NS
                self.previous = {
                    name: entry
                    for name, entry in stored["files"].items()
                    if max(entry[0][1::4] + entry[0][2::4]) < trusted_before
                }
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            self.previous = {}

    def __call__(self, path: Path, name: str, record: Path | None = None) -> tuple[str, int]:
        """The content key and format rank of the raw file `path`, recorded as `name`."""
        signature = _signature(path, record)
        entry = self.previous.get(name)
        if entry is not None and tuple(entry[0]) == signature:
            key, rank = entry[1], entry[2]
        else:
            key, rank = content_key(path, record)
            self.read += 1
        self.current[name] = [list(signature), key, rank]
        return key, rank

    def save(self) -> None:
        """Record this run's keys for the next one."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        stored = {"code": source_fingerprint(KEY_CODE), "recorded_ns": self.started,
                  "files": dict(sorted(self.current.items()))}  # fmt: skip
        write_atomic(self.path, json.dumps(stored, separators=(",", ":")).encode())
