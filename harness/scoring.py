"""Scoring a system's summaries, in this process or across the machine's cores.

Scoring one document is independent of every other, so the pairs are cut into chunks and handed
to a process pool (``concurrent.futures``, the ``forkserver`` start method: workers come from a
clean process, never from a parent that has loaded torch and its threads). The fork server
imports the metrics' modules once per run (they cost seconds: rouge-score loads nltk and scipy),
and each worker, forked from it, receives the metrics once through the pool's initializer and
scores its chunks with the same function the single-process path calls, so the numbers are
identical whatever ``scoring.workers`` is.

Every document gets a ``Future``: ``.result()`` returns its ``(numbers, tables)`` or raises that
document's own exception, so a metric that fails on one document fails that document only, in
whatever way the caller handles it, exactly as without a pool.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import pickle
import resource
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from harness.errors import UsageError
from harness.types import Document, Metric

ScoreFn = Callable[[Mapping[str, Metric], Document, str], Any]

# Below this many pairs per worker a pool costs more than it saves: with rouge-score the fork
# server's imports cost 2.1-2.3 CPU-s (257 MiB), about what scoring 250 real-size pairs costs
# (8.6 CPU-ms each, bench/bench_corpus.py).
MIN_PAIRS_PER_WORKER = 250
CHUNKS_PER_WORKER = 8  # small enough to balance uneven documents, large enough to amortize IPC

_worker_metrics: Mapping[str, Metric] | None = None
# What the pools' workers used. getrusage cannot see it: the workers are the fork server's
# children, not this process's. CPU counts from each worker's fork (the server's imports are
# not in it); stages.py adds it to the stage that ran the pool.
pool_usage = {"cpu_s": 0.0, "peak_rss_mib": 0.0}


def check_workers(workers: Any) -> int | None:
    """``scoring.workers`` as given, or a UsageError naming the setting."""
    if workers is None or (
        isinstance(workers, int) and not isinstance(workers, bool) and workers >= 1
    ):
        return workers
    raise UsageError(f"scoring.workers={workers!r}: must be a whole number of at least 1, or null")


def resolve_workers(workers: int | None, pairs: int) -> int:
    """``workers`` as set, or for None one per core the pairs can keep busy (at least one)."""
    if check_workers(workers) is not None:
        return workers
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, pairs // MIN_PAIRS_PER_WORKER))


def score_all(
    score: ScoreFn,
    metrics: Mapping[str, Metric],
    pairs: Sequence[tuple[Document, str]],
    workers: int | None = 1,
) -> list[Future]:
    """One finished Future per (document, summary) pair, in order.

    ``score(metrics, doc, summary)`` must be a module-level function (workers import it by name).
    """
    workers = resolve_workers(workers, len(pairs))
    if workers == 1 or len(pairs) < 2:
        return [_outcome(score, metrics, doc, summary) for doc, summary in pairs]
    size = max(1, math.ceil(len(pairs) / (workers * CHUNKS_PER_WORKER)))
    chunks = [pairs[i : i + size] for i in range(0, len(pairs), size)]
    context = multiprocessing.get_context("forkserver")
    # Read when the server starts (the first pool of the process): later pools fork from it.
    context.set_forkserver_preload(
        sorted({score.__module__, *(type(m).__module__ for m in metrics.values())})
    )
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(metrics,)
    ) as pool:
        done = list(pool.map(_score_chunk, [score] * len(chunks), chunks))
    cpu_by_worker: dict[int, float] = {}
    for pid, cpu, rss, _ in done:  # each worker's CPU so far, at the end of each of its chunks
        cpu_by_worker[pid] = max(cpu, cpu_by_worker.get(pid, 0.0))
        pool_usage["peak_rss_mib"] = max(pool_usage["peak_rss_mib"], rss)
    pool_usage["cpu_s"] += sum(cpu_by_worker.values())
    return [_future(*outcome) for *_, outcomes in done for outcome in outcomes]


def _init_worker(metrics: Mapping[str, Metric]) -> None:
    global _worker_metrics
    _worker_metrics = metrics


def _score_chunk(score: ScoreFn, chunk: Sequence[tuple[Document, str]]) -> tuple:
    """The worker's pid, CPU seconds and peak RSS (MiB), and ``(result, None)`` or
    ``(None, exception)`` per pair: a failure stays with its document."""
    out = []
    for doc, summary in chunk:
        try:
            out.append((score(_worker_metrics, doc, summary), None))
        except Exception as e:
            out.append((None, _picklable(e)))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    return os.getpid(), time.process_time(), rss, out


def _picklable(e: Exception) -> Exception:
    """The exception itself, or its type and message where it cannot cross processes."""
    try:
        pickle.loads(pickle.dumps(e))
        return e
    except Exception:
        return RuntimeError(f"{type(e).__name__}: {e}")


def _outcome(score: ScoreFn, metrics: Mapping[str, Metric], doc: Document, summary: str) -> Future:
    try:
        return _future(score(metrics, doc, summary), None)
    except Exception as e:
        return _future(None, e)


def _future(result: Any, error: Exception | None) -> Future:
    future: Future = Future()
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)
    return future
