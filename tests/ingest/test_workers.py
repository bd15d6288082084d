"""The budget pool: real worker processes, really killed and replaced."""

from __future__ import annotations

import os
import time

import pytest

from pipelines.ingest.workers import Budget, BudgetPool, Failure

BUDGET = Budget(seconds=1.5, memory_mb=256)


def _work(job: str) -> bytes:
    """Jobs named for what they do: most answer at once, some misbehave."""
    if job == "hang":
        time.sleep(600)
    if job == "swell":
        block = bytearray(1024 * 1024 * 1024)
        return bytes(block[:1])
    if job == "crash":
        os._exit(3)
    return f"done {job} in {os.getpid()}".encode()


def _run(jobs: list[str], workers: int, chunk: int = 2) -> list[bytes | Failure]:
    return list(BudgetPool(_work, BUDGET, workers=workers, chunk=chunk, window=8).run(jobs))


def test_outcomes_come_back_in_job_order_from_several_workers() -> None:
    jobs = [str(n) for n in range(40)]
    outcomes = _run(jobs, workers=2)
    assert [o.split()[1].decode() for o in outcomes] == jobs
    assert len({o.split()[-1] for o in outcomes}) == 2, "both workers took jobs"


@pytest.mark.parametrize("workers", [1, 2])
def test_a_job_over_time_is_given_up_and_the_rest_go_on(workers: int) -> None:
    started = time.monotonic()
    outcomes = _run(["a", "hang", "b", "c", "d", "e"], workers=workers)
    assert outcomes[1] == Failure(
        "took longer than 1.5 s to parse (KAMERBRIEVEN_PARSE_TIMEOUT_SECONDS)"
    )
    assert [o.split()[1] for i, o in enumerate(outcomes) if i != 1] == [
        b"a",
        b"b",
        b"c",
        b"d",
        b"e",
    ]
    assert time.monotonic() - started < 30, "the hanging worker was killed, not waited for"


def test_a_job_over_memory_is_given_up_and_its_worker_replaced() -> None:
    outcomes = _run(["a", "swell", "b", "c"], workers=1, chunk=4)
    assert outcomes[1] == Failure("needed more than 256 MB to parse (KAMERBRIEVEN_PARSE_MEMORY_MB)")
    pids = [o.split()[-1] for i, o in enumerate(outcomes) if i != 1]
    assert pids[0] != pids[1] == pids[2], "the jobs after the swelling one ran in a new worker"


def test_a_crashing_worker_costs_only_its_job() -> None:
    outcomes = _run(["a", "crash", "b", "crash", "c"], workers=2, chunk=1)
    assert outcomes[1] == outcomes[3] == Failure("the parser crashed (exit code 3)")
    assert [outcomes[i].split()[1] for i in (0, 2, 4)] == [b"a", b"b", b"c"]


def test_many_crashes_never_stop_the_run() -> None:
    """Chunks sent to a worker that has just died (its pipe broken before its end is read)
    go to the next one; every crash is blamed on its own job only."""
    jobs = ["crash" if n % 3 == 1 else str(n) for n in range(90)]
    outcomes = _run(jobs, workers=2, chunk=1)
    for job, outcome in zip(jobs, outcomes, strict=True):
        if job == "crash":
            assert outcome == Failure("the parser crashed (exit code 3)")
        else:
            assert outcome.split()[1].decode() == job


def test_no_jobs_start_no_workers() -> None:
    assert _run([], workers=2) == []


HOLDER = """
import os, sys, time
from pathlib import Path
from pipelines.ingest.workers import Budget, BudgetPool
from pipelines.util import exclusive

def slow(job):
    time.sleep(60)
    return b"late"

with exclusive(Path(sys.argv[1]), "refresh"):
    pool = BudgetPool(slow, Budget(120, 2048), workers=2, chunk=1, window=4)
    print(os.getpid(), flush=True)
    list(pool.run([1, 2]))
"""


def test_workers_die_with_a_killed_refresh_and_free_its_lock(tmp_path) -> None:
    """A refresh killed outright leaves no worker behind holding the flock it was forked with."""
    import signal
    import subprocess
    import sys

    import psutil

    from pipelines.util import exclusive

    lock = tmp_path / ".refresh.lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(lock)], stdout=subprocess.PIPE)
    parent = psutil.Process(int(holder.stdout.readline()))
    deadline = time.monotonic() + 30
    while len(parent.children()) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = parent.children()
    assert len(workers) == 2
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == [] and len(gone) == 2
    with exclusive(lock, "refresh"):  # raises LockBusy while an orphan holds the lock
        assert lock.read_text() == str(os.getpid())
