"""The refresh lock: a second refresh is refused, and a dead holder leaves no stale lock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.util import LockBusy, exclusive


def test_second_holder_is_refused_with_the_holders_pid(tmp_path: Path) -> None:
    lock = tmp_path / "x.lock"
    with exclusive(lock, "refresh"):
        code = f"""
from pathlib import Path
from pipelines.util import exclusive, LockBusy
try:
    with exclusive(Path({str(lock)!r}), "refresh"):
        print("acquired")
except LockBusy as exc:
    print(exc)
"""
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert done.stdout.strip() == f"another refresh is running (pid {os.getpid()}, lock {lock})"


def test_lock_is_free_again_after_the_holder_exits(tmp_path: Path) -> None:
    lock = tmp_path / "x.lock"
    code = f"""
import os
from pathlib import Path
from pipelines.util import exclusive
with exclusive(Path({str(lock)!r}), "refresh"):
    os._exit(1)
"""
    subprocess.run([sys.executable, "-c", code], check=False)
    with exclusive(lock, "refresh"):
        assert lock.exists()


def test_waiting_gives_up_after_the_timeout(tmp_path: Path) -> None:
    lock = tmp_path / "x.lock"
    code = f"""
import time
from pathlib import Path
from pipelines.util import exclusive
with exclusive(Path({str(lock)!r}), "publish"):
    print("held", flush=True)
    time.sleep(5)
"""
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with (
            pytest.raises(LockBusy, match="another publish is running"),
            exclusive(lock, "publish", wait_seconds=0.5),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
