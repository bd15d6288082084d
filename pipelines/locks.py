"""Exclusive file locks that keep two refreshes from writing the same output folder at once."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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
