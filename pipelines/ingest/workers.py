"""Worker processes that run one job at a time each within a time and a memory budget.

One raw file must never hold back a release, however it is made: a file that takes too long or
needs too much memory is given up on by name, its worker is killed and replaced, and the jobs
queued behind it go on. `concurrent.futures.ProcessPoolExecutor` cannot do that: it cannot stop
one task, and a worker that dies breaks the whole pool.

The memory budget is the worker's address-space limit (`RLIMIT_AS`), counted from what the
worker maps when it starts, so an allocation over budget fails at once with `MemoryError` and the
worker reports it instead of growing until the kernel steps in. The time budget is kept by a
thread of the calling process, which also reads results as soon as they are sent, so a worker
never waits on a busy reader.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Generic, TypeVar

try:
    import resource
except ImportError:  # not on Windows: the memory budget then goes unenforced
    resource = None

Job = TypeVar("Job")

POLL_SECONDS = 0.05
"""How often the keeper thread looks at the clock when no worker has anything to say."""


@dataclass(frozen=True)
class Budget:
    """What one job may use: wall-clock seconds and megabytes of memory beyond a fresh worker."""

    seconds: float
    memory_mb: int

    def over_time(self) -> str:
        return f"took longer than {self.seconds:g} s to parse (KAMERBRIEVEN_PARSE_TIMEOUT_SECONDS)"

    def over_memory(self) -> str:
        return f"needed more than {self.memory_mb} MB to parse (KAMERBRIEVEN_PARSE_MEMORY_MB)"


@dataclass(frozen=True)
class Failure:
    """A job that ended without an outcome of its own: over budget, or its worker died."""

    reason: str


def _mapped_bytes() -> int:
    """The address space this process maps now, from /proc (0 where there is none)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _limit_memory(memory_mb: int) -> None:
    """Cap this process's address space at what it maps now plus the budget.

    Without /proc the mapped size is unknown, and a cap from anything else (the resident size
    is far smaller) would refuse ordinary letters, so none is set there.
    """
    base = _mapped_bytes()
    if resource is None or not base:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = base + memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Have Linux kill this worker when the process that forked it dies.

    A refresh killed outright (SIGKILL, the OOM killer) cannot stop its workers; an orphan would
    go on parsing, and hold the locks it inherited with the fork (`exclusive` uses flock, which
    the forked worker shares), so the next refresh would be refused as if the dead one still
    ran. Elsewhere than Linux nothing is asked.
    """
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _serve(conn: Connection, work: Callable[[Job], bytes], budget: Budget, parent: int) -> None:
    """A worker: run the jobs of each chunk received, sending each outcome as it is ready.

    After a `MemoryError` the worker leaves (its heap may be in pieces); the keeper replaces it.
    """
    _die_with(parent)
    _limit_memory(budget.memory_mb)
    while (chunk := conn.recv()) is not None:
        for seq, job in chunk:
            try:
                outcome: bytes | Failure = work(job)
            except MemoryError:
                conn.send((seq, Failure(budget.over_memory())))
                return
            conn.send((seq, outcome))


class _Worker:
    """One worker process, the jobs sent to it and not yet answered, and since when it has been
    on the first of them."""

    def __init__(self, context, work: Callable, budget: Budget) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, work, budget, os.getpid()), daemon=True
        )
        self.process.start()
        child.close()
        self.queue: deque[int] = deque()
        self.since = time.monotonic()

    def send(self, chunk: list[tuple[int, object]]) -> None:
        if not self.queue:
            self.since = time.monotonic()
        self.queue.extend(seq for seq, _job in chunk)
        self.conn.send(chunk)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        self.conn.close()
        self.process.join(timeout=None if kill else 5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class BudgetPool(Generic[Job]):
    """Run `work` over jobs in worker processes and hand back the outcomes in job order.

    `work` runs in the worker and returns bytes (an outcome pickled there, so the caller
    decides what to do with it); a job over budget, or whose worker died, comes back as a
    `Failure` instead. At most `window` jobs past the one the caller waits for are in flight or
    finished, which bounds the outcomes held in memory.
    """

    def __init__(
        self,
        work: Callable[[Job], bytes],
        budget: Budget,
        workers: int = 1,
        chunk: int = 1,
        window: int = 64,
    ) -> None:
        self.work, self.budget = work, budget
        self.workers, self.chunk, self.window = max(1, workers), max(1, chunk), max(1, window)
        self.context = multiprocessing.get_context("fork")

    def run(self, jobs: Sequence[Job]) -> Iterator[bytes | Failure]:
        """The outcome of each job, in the order of `jobs`."""
        if not jobs:
            return
        run = _Run(self, jobs)
        try:
            for seq in range(len(jobs)):
                yield run.outcome(seq)
        finally:
            run.close()


class _Run:
    """One pass of a pool over its jobs: the keeper thread and what the caller waits on."""

    def __init__(self, pool: BudgetPool, jobs: Sequence) -> None:
        self.pool, self.jobs = pool, jobs
        self.pending: deque[int] = deque(range(len(jobs)))
        self.results: dict[int, bytes | Failure] = {}
        self.taken = 0
        self.changed = threading.Condition()
        self.closing = False
        self.error: BaseException | None = None
        count = min(pool.workers, len(jobs))
        self.workers = [_Worker(pool.context, pool.work, pool.budget) for _ in range(count)]
        self.keeper = threading.Thread(target=self._keep, name="budget-pool", daemon=True)
        self.keeper.start()

    def outcome(self, seq: int) -> bytes | Failure:
        with self.changed:
            self.taken = seq
            while seq not in self.results:
                if self.error is not None:
                    raise RuntimeError("the parse workers stopped") from self.error
                self.changed.wait()
            return self.results.pop(seq)

    def close(self) -> None:
        self.closing = True
        self.keeper.join()
        for worker in self.workers:
            worker.stop(kill=bool(worker.queue))

    def _keep(self) -> None:
        try:
            while not self.closing:
                self._dispatch()
                conns = {worker.conn: worker for worker in self.workers}
                for conn in wait(list(conns), timeout=POLL_SECONDS):
                    self._receive(conns[conn])
                self._enforce_time()
        except BaseException as exc:  # the caller must hear of it, not wait forever
            with self.changed:
                self.error = exc
                self.changed.notify_all()

    def _dispatch(self) -> None:
        limit = self.taken + self.pool.window
        for worker in list(self.workers):
            while (
                self.pending and self.pending[0] < limit and len(worker.queue) < 2 * self.pool.chunk
            ):
                chunk = []
                while self.pending and self.pending[0] < limit and len(chunk) < self.pool.chunk:
                    seq = self.pending.popleft()
                    chunk.append((seq, self.jobs[seq]))
                try:
                    worker.send(chunk)
                except OSError:  # it died since it was last heard from; the chunk is requeued
                    self._lost(worker)
                    break

    def _receive(self, worker: _Worker) -> None:
        if not self._drain(worker):
            self._lost(worker)

    def _drain(self, worker: _Worker) -> bool:
        """Take every outcome the worker has sent; False once its pipe is closed."""
        try:
            while worker.conn.poll():
                seq, outcome = worker.conn.recv()
                worker.queue.remove(seq)
                worker.since = time.monotonic()
                self._finish(seq, outcome)
        except (EOFError, OSError):
            return False
        return True

    def _lost(self, worker: _Worker) -> None:
        """A worker whose pipe closed: it crashed on the job it was on, or left between jobs
        (after reporting one out of memory). What it sent before is taken first, so the crash
        is blamed on the right job."""
        self._drain(worker)
        worker.process.join()
        code = worker.process.exitcode
        self._replace(worker, f"the parser crashed (exit code {code})" if code else None)

    def _enforce_time(self) -> None:
        now = time.monotonic()
        for worker in list(self.workers):
            if worker.queue and now - worker.since > self.pool.budget.seconds:
                worker.process.kill()
                worker.process.join()
                self._replace(worker, self.pool.budget.over_time())

    def _replace(self, worker: _Worker, reason: str | None) -> None:
        """Give the job the worker was on up with `reason`, requeue the rest, start another.

        Without a reason the worker left between jobs (after reporting one out of memory), so
        every job still queued on it is requeued.
        """
        worker.conn.close()
        self.workers.remove(worker)
        if worker.queue and reason is not None:
            self._finish(worker.queue.popleft(), Failure(reason))
        self.pending.extendleft(reversed(worker.queue))
        if self.pending or len(self.workers) == 0:
            self.workers.append(_Worker(self.pool.context, self.pool.work, self.pool.budget))

    def _finish(self, seq: int, outcome: bytes | Failure) -> None:
        with self.changed:
            self.results[seq] = outcome
            self.changed.notify_all()
