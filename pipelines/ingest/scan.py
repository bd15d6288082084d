"""The raw folder as ingest sees it: its entries, the names they get in the data, and what is
refused unread (links out of the folder, special files, files over the size limit).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

from pipelines import settings
from pipelines.formats.detect import detect_format
from pipelines.model import SOURCE_PRECEDENCE


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
