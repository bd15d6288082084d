"""Generic helpers every stage shares: hashing, atomic writes, JSON layout, locks, progress."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


def prinsjesdag(year: int) -> date:
    """The third Tuesday of September, the day a vergaderjaar (parliamentary year) opens: the
    calendar both the harvester (where a backfill starts) and extraction (a vergaderjaar from a
    date) go by."""
    first = date(year, 9, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 14)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks so large tables do not sit in memory twice."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and os.replace: never half a file.

    The temporary name is the writer's process and thread, unique among concurrent writers
    without the cost of `tempfile.mkstemp`, which showed in reading a large folder into the cache.
    """
    temp = path.with_name(f".{path.name}-{os.getpid()}-{threading.get_native_id()}.tmp")
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def source_fingerprint(parts: tuple[str, ...]) -> str:
    """SHA-256 (16 hex digits) over the source of `parts`: files and folders of this package.

    What a cache keys on, so a change to any rule invalidates its entries without anyone having
    to remember to bump a number.
    """
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for part in parts:
        path = root / part
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:16]


def json_bytes(data: Any) -> bytes:
    """The project's JSON layout: indented, UTF-8, newline at the end."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


class LockBusy(RuntimeError):
    """Another process holds the lock; the message says which and for what."""


@contextmanager
def exclusive(path: Path, purpose: str, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold an exclusive lock on `path` for the duration of the block.

    The operating system releases the lock when the holder dies, so a killed refresh never
    leaves a stale lock behind. With `wait_seconds` the caller waits that long for the holder to
    finish before giving up with `LockBusy`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(handle, 64, 0).decode(errors="replace").strip() or "?"
                    raise LockBusy(
                        f"another {purpose} is running (pid {holder}, lock {path})"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(handle, 0)
        os.pwrite(handle, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(handle)


class ProgressBar:
    """A bar advanced by one each time it is called; its total may grow as it becomes known
    (a harvest learns each source's count from its first listing page)."""

    def __init__(self, progress: Progress, task: TaskID, total: int | None) -> None:
        self._progress = progress
        self._task = task
        self._total = total

    def __call__(self, *_: object) -> None:
        self._progress.advance(self._task)

    def grow(self, more: int) -> None:
        """Add `more` to the total (an unknown total becomes `more`)."""
        self._total = (self._total or 0) + more
        self._progress.update(self._task, total=self._total)


@contextmanager
def progress_bar(description: str, total: int | None, show: bool = True) -> Iterator[ProgressBar]:
    """Yield a bar to advance by calling it; a no-op when stderr is not a terminal or `show`
    is false."""
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=console, transient=True,
                  disable=not (show and console.is_terminal)) as progress:  # fmt: skip
        yield ProgressBar(progress, progress.add_task(description, total=total), total)
