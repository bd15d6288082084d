"""Replacing a published folder in one step, so readers never see it missing or half-written."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_libc = ctypes.CDLL(None, use_errno=True)
_renameat2 = getattr(_libc, "renameat2", None)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2(RENAME_EXCHANGE); False if unsupported."""
    if _renameat2 is None:
        return False
    result = _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def replace_dir(fresh: Path, target: Path, backup_dir: Path) -> None:
    """Put the folder `fresh` in the place of `target`.

    Where the kernel can swap two folders in one step it does, and `target` is never missing.
    Elsewhere the old folder is first moved into `backup_dir` (on the same filesystem), which is
    where `restore_backup` finds it if the process dies before the new folder is in place.
    """
    if not target.exists():
        os.replace(fresh, target)
        return
    if exchange(fresh, target):
        shutil.rmtree(fresh)
        return
    backup = Path(tempfile.mkdtemp(prefix="old-", dir=backup_dir))
    os.replace(target, backup / target.name)
    os.replace(fresh, target)
    shutil.rmtree(backup)


def restore_backup(target: Path, backup_dir: Path) -> bool:
    """After a crash inside `replace_dir`, put the old folder back if `target` is missing."""
    if target.exists():
        return False
    backups = sorted(backup_dir.glob(f"old-*/{target.name}"))
    if not backups:
        return False
    os.replace(backups[-1], target)
    return True
