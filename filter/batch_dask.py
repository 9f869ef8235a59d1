"""``--engine dask``: the same units of work as the local engine, run on a Dask cluster.

Why futures and not ``dask.dataframe.read_json``/``read_csv``: Dask's readers raise on the first malformed
line or bad row, and their partitions do not match our chunks. Here the main process reads and chunks the
inputs exactly as the local engine does (:mod:`filter.batch`) and submits each unit as a task running the
very same :func:`filter.batch.run_task`, so outputs, errors and resuming are identical record for record.
Workers load the model once: ``client.run`` warms every worker that is up, and a per-process cache keyed
by the model location covers workers that join later. Paths are sent, not data, for text files, so a
remote scheduler needs the input and output folders on a filesystem all workers share.

Dask is an optional extra (``pip install 'article-filter[dask]'``) and is imported only here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .batch import BatchJob, ChunkTask, Task, TaskResult, UsageError, failed_task, run_task, warm_worker

__all__ = ["execute_dask"]


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
    inflight: set[Any] = set()
    tasks_of: dict[Any, Task] = {}
    suspects: list[Task] = []

    def submit(task: Task) -> Any:
        # Chunks carry their rows: scatter them straight to a worker instead of through the graph.
        arg = client.scatter(task, hash=False) if isinstance(task, ChunkTask) else task
        fut = client.submit(run_task, job, arg, pure=False)
        tasks_of[fut] = task
        inflight.add(fut)
        return fut

    def result(fut: Any, last_try: bool = False) -> TaskResult | None:
        """The task's result; a task that raised fails its own documents.

        A task whose workers kept dying (``KilledWorker``) may only have been queued beside the task that
        kills them, so it is kept aside and rerun alone at the end; only if it kills a worker on its own
        is it recorded as failed (``WorkerDied``).
        """
        inflight.discard(fut)  # drop our reference so the worker can free the result
        task = tasks_of.pop(fut)
        try:
            res: TaskResult = fut.result()
            return res
        except distributed.KilledWorker:
            if not last_try:
                suspects.append(task)
                return None
            return failed_task(
                job,
                task,
                "WorkerDied",
                "the Dask workers running this document's task died (killed, e.g. out of memory); "
                "rerun to retry it, perhaps with a smaller --batch-size",
            )
        except Exception as exc:  # noqa: BLE001 - this task's documents fail, the run goes on
            return failed_task(job, task, "TaskFailed", f"processing failed: {type(exc).__name__}: {exc}")

    try:
        client.run(warm_worker, job.model)
        n = max(1, len(client.scheduler_info().get("workers", {})))
        window = 2 * n
        ac = distributed.as_completed()
        count = 0
        for task in tasks:
            ac.add(submit(task))
            count += 1
            while count >= window:
                count -= 1
                res = result(next(ac))
                if res is not None:
                    yield res
        for done in ac:
            res = result(done)
            if res is not None:
                yield res
        for task in suspects:
            fut = submit(task)
            distributed.wait(fut)
            res = result(fut, last_try=True)
            assert res is not None
            yield res
    finally:
        for f in inflight:
            if not f.done():
                f.cancel()
        client.close()
        if cluster is not None:
            cluster.close()
