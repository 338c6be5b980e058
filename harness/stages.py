"""Where a run's time and memory go: wall and CPU seconds and peak RSS per stage.

CPU counts this process, its finished children and the scoring pool's workers (which report
their own use: harness.scoring.pool_usage), so a stage that fans out across cores shows its whole
cost. Peak RSS is the largest of this process, a child or a worker so far, read at the end of
each stage: it only grows, which shows the stage that raised it. Cheap enough to run always (a
few system calls per stage), and written to run.json.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager

from harness.scoring import pool_usage


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers = pool_usage["cpu_s"]
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + workers


def peak_rss_mib() -> float:
    """Peak resident memory of this process, its largest finished child or a pool worker."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Linux: KiB
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own / 1024, children / 1024, pool_usage["peak_rss_mib"])


class Stages:
    """Accumulates ``wall_s`` and ``cpu_s`` per named stage; ``with stages("score"): ...``."""

    def __init__(self) -> None:
        self.totals: dict[str, dict[str, float]] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), _cpu_seconds()
        try:
            yield
        finally:
            entry = self.totals.setdefault(name, {"wall_s": 0.0, "cpu_s": 0.0})
            entry["wall_s"] += time.perf_counter() - wall
            entry["cpu_s"] += _cpu_seconds() - cpu
            entry["peak_rss_mib"] = peak_rss_mib()

    def as_dict(self) -> dict[str, dict[str, float]]:
        return {name: {k: round(v, 3) for k, v in e.items()} for name, e in self.totals.items()}


def throughput(done: int, seconds: float) -> str:
    """Documents per second for a log line, or seconds per document when under one a second
    (a slow model would otherwise show "0.00 docs/s")."""
    if done <= 0 or seconds <= 0:
        return f"{done} docs"
    rate = done / seconds
    return f"{rate:.2f} docs/s" if rate >= 1 else f"{seconds / done:.1f} s/doc"
