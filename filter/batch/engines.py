"""Engines: where tasks run. ``local`` = in this process or on joblib's loky pool; ``dask`` = a Dask cluster.

Both take the same tasks from the planner and run the very same :func:`filter.batch.worker.run_task`, so
outputs, errors and resuming are identical record for record; they differ only in how a dead worker is
found out. Both keep ~2 tasks per worker in flight, so memory does not grow with the input.

Why futures and not ``dask.dataframe.read_json``/``read_csv`` for Dask: Dask's readers raise on the first
malformed line or bad row, and their partitions do not match our chunks. Workers load the model once:
``client.run`` warms every worker that is up, and a per-process cache keyed by the model location covers
workers that join later. Paths are sent, not data, for text files, so a remote scheduler needs the input
and output folders on a filesystem all workers share. Dask is an optional extra
(``pip install 'article-filter[dask]'``) and is imported only here, when asked for.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import Any

from .job import BatchJob, ModelSpec, UsageError
from .records import ChunkTask, Task, TaskResult
from .worker import failed_task, run_task, run_task_here, warm_worker

__all__ = ["check_engine", "execute", "execute_dask", "execute_local"]


def check_engine(engine: str) -> None:
    """A missing optional extra is a usage error, reported before anything is written."""
    if engine == "dask":
        _import_distributed()


def execute(
    job: BatchJob, tasks: Iterable[Task], *, engine: str, jobs: int, scheduler: str | None
) -> Iterator[TaskResult]:
    if engine == "dask":
        return execute_dask(job, tasks, scheduler=scheduler, n_workers=jobs)
    return execute_local(job, tasks, jobs)


# --------------------------------------------------------------------------------------------- local
def _task_crashed(job: BatchJob, task: Task, exc: BaseException) -> TaskResult:
    """A task that raised instead of returning (a bug, an unpicklable value): its documents fail, run goes on."""
    return failed_task(job, task, "TaskFailed", f"processing failed: {type(exc).__name__}: {exc}")


def _worker_died(job: BatchJob, task: Task) -> TaskResult:
    return failed_task(
        job,
        task,
        "WorkerDied",
        "the worker process died while handling this document's task (killed, e.g. out of memory); "
        "rerun to retry it, perhaps with a smaller --batch-size",
    )


def _loky_init(spec: ModelSpec, parent: int | None = None) -> int:
    """Loky worker initializer: die with the parent process (Linux), then load the model.

    Without this a worker of a run killed with SIGKILL lingers, blocked on its pipe, until loky's idle
    timeout (minutes). ``PR_SET_PDEATHSIG`` makes the kernel send it SIGKILL when its parent goes. A parent
    that died *before* the worker got here sends nothing (the signal is armed too late), so the worker then
    compares its parent pid with ``parent`` and leaves at once: that race is the likely reason
    ``test_killed_run_leaves_no_workers_behind`` saw a worker outlive its parent twice under load.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl: workers time out instead
            pass
        if parent is not None and os.getppid() != parent:
            os._exit(1)  # the run that started this worker is gone
    return warm_worker(spec)


def _execute_here(job: BatchJob, tasks: Iterable[Task]) -> Iterator[TaskResult]:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):  # scoped: the caller's own thread settings come back afterwards
        for t in tasks:
            try:
                res = run_task_here(job, t)
            except Exception as exc:  # noqa: BLE001 - this task's documents fail, the run goes on
                res = _task_crashed(job, t, exc)
            yield res


def execute_local(job: BatchJob, tasks: Iterable[Task], jobs: int) -> Iterator[TaskResult]:
    """Run tasks in this process (jobs=1) or on a loky pool, keeping only ~2 tasks per worker in flight.

    A task that raises fails its own documents. A worker that dies breaks the whole pool, and every task in
    flight then reports the same error, so those tasks are rerun one at a time on a fresh pool: the one that
    kills its worker again is recorded as failed (``WorkerDied``) and the others finish normally.
    """
    it = iter(tasks)
    first = list(itertools.islice(it, 2))
    tasks = itertools.chain(first, it)
    if jobs <= 1 or len(first) < 2:  # one task: starting worker processes would cost more than it saves
        yield from _execute_here(job, tasks)
        return
    yield from _LokyRun(job, jobs).run(tasks)


class _LokyRun:
    """One run on joblib's reusable loky pool: the tasks in flight, and those suspected of killing a worker."""

    def __init__(self, job: BatchJob, jobs: int) -> None:
        from joblib.externals.loky.process_executor import BrokenProcessPool

        self.job = job
        self.jobs = jobs
        self.broken = BrokenProcessPool
        self.inflight: dict[Future[TaskResult], Task] = {}
        self.suspects: list[Task] = []

    def executor(self) -> Any:
        from joblib.externals.loky import get_reusable_executor

        return get_reusable_executor(
            max_workers=self.jobs, initializer=_loky_init, initargs=(self.job.model, os.getpid())
        )

    def run(self, tasks: Iterable[Task]) -> Iterator[TaskResult]:
        ex = self.executor()
        try:
            for t in tasks:
                try:
                    self.inflight[ex.submit(run_task, self.job, t)] = t
                except self.broken:
                    self.suspects.append(t)
                while self.inflight and (len(self.inflight) >= 2 * self.jobs or self.suspects):
                    yield from self.collect_some()
                if self.suspects:
                    yield from self.isolate()
                    ex = self.executor()
            while self.inflight:
                yield from self.collect_some()
            yield from self.isolate()
        except BaseException:
            for f in self.inflight:
                f.cancel()
            ex.shutdown(wait=False, kill_workers=True)
            raise

    def collect_some(self) -> Iterator[TaskResult]:
        """Wait for at least one task in flight; the results of those done (a broken pool makes suspects)."""
        done, _ = wait(set(self.inflight), return_when=FIRST_COMPLETED)
        for f in done:
            task = self.inflight.pop(f)
            try:
                yield f.result()
            except self.broken:
                self.suspects.append(task)
            except Exception as exc:  # noqa: BLE001 - this task's documents fail, the run goes on
                yield _task_crashed(self.job, task, exc)

    def isolate(self) -> Iterator[TaskResult]:
        """Rerun the tasks that were in flight when a worker died, one at a time, to find the culprit."""
        while self.suspects:
            task = self.suspects.pop(0)
            try:
                yield self.executor().submit(run_task, self.job, task).result()
            except self.broken:
                yield _worker_died(self.job, task)
            except Exception as exc:  # noqa: BLE001
                yield _task_crashed(self.job, task, exc)


# ---------------------------------------------------------------------------------------------- dask
def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise UsageError(
            f"--engine dask needs Dask, an optional extra: pip install 'article-filter[dask]' ({exc})"
        ) from None
    return distributed


def execute_dask(
    job: BatchJob, tasks: Iterable[Task], *, scheduler: str | None = None, n_workers: int = 2
) -> Iterator[TaskResult]:
    """Results of ``tasks`` computed on Dask, as they complete, with ~2 tasks per worker in flight.

    Without ``scheduler`` a ``LocalCluster`` of ``n_workers`` single-threaded worker processes is started
    (single-threaded because the model's feature code holds the GIL) and closed at the end.
    """
    distributed = _import_distributed()
    cluster = None
    if scheduler:
        client = distributed.Client(scheduler)
    else:
        cluster = distributed.LocalCluster(
            n_workers=max(1, n_workers), threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = distributed.Client(cluster)
    run = _DaskRun(job, distributed, client)
    try:
        yield from run.run(tasks)
    finally:
        run.cancel()
        client.close()
        if cluster is not None:
            cluster.close()


class _DaskRun:
    """One run on a Dask client: futures in flight, their tasks, and the tasks suspected of killing workers."""

    def __init__(self, job: BatchJob, distributed: Any, client: Any) -> None:
        self.job = job
        self.distributed = distributed
        self.client = client
        self.inflight: set[Any] = set()
        self.tasks_of: dict[Any, Task] = {}
        self.suspects: list[Task] = []

    def run(self, tasks: Iterable[Task]) -> Iterator[TaskResult]:
        self.client.run(warm_worker, self.job.model)
        n = max(1, len(self.client.scheduler_info().get("workers", {})))
        window = 2 * n
        ac = self.distributed.as_completed()
        count = 0
        for task in tasks:
            ac.add(self.submit(task))
            count += 1
            while count >= window:
                count -= 1
                res = self.result(next(ac))
                if res is not None:
                    yield res
        for done in ac:
            res = self.result(done)
            if res is not None:
                yield res
        for task in self.suspects:
            fut = self.submit(task)
            self.distributed.wait(fut)
            res = self.result(fut, last_try=True)
            assert res is not None
            yield res

    def cancel(self) -> None:
        for f in self.inflight:
            if not f.done():
                f.cancel()

    def submit(self, task: Task) -> Any:
        # Chunks carry their rows: scatter them straight to a worker instead of through the graph.
        arg = self.client.scatter(task, hash=False) if isinstance(task, ChunkTask) else task
        fut = self.client.submit(run_task, self.job, arg, pure=False)
        self.tasks_of[fut] = task
        self.inflight.add(fut)
        return fut

    def result(self, fut: Any, last_try: bool = False) -> TaskResult | None:
        """The task's result; a task that raised fails its own documents.

        A task whose workers kept dying (``KilledWorker``) may only have been queued beside the task that
        kills them, so it is kept aside and rerun alone at the end; only if it kills a worker on its own
        is it recorded as failed (``WorkerDied``).
        """
        self.inflight.discard(fut)  # drop our reference so the worker can free the result
        task = self.tasks_of.pop(fut)
        try:
            res: TaskResult = fut.result()
            return res
        except self.distributed.KilledWorker:
            if not last_try:
                self.suspects.append(task)
                return None
            return failed_task(
                self.job,
                task,
                "WorkerDied",
                "the Dask workers running this document's task died (killed, e.g. out of memory); "
                "rerun to retry it, perhaps with a smaller --batch-size",
            )
        except Exception as exc:  # noqa: BLE001 - this task's documents fail, the run goes on
            return _task_crashed(self.job, task, exc)
