"""Where a run's time and memory go: wall and CPU seconds and peak RSS per stage.

CPU counts this process, its finished children and the scoring pool's workers (which report
their own use: harness.scoring.pool_usage), so a stage that fans out across cores shows its whole
cost. Peak RSS is the largest of this process, a child or a worker since the run began, read at
the end of each stage: it only grows within a run, which shows the stage that raised it, and
starts again with the next run in the same process (a sweep with the basic launcher). Cheap
enough to run always (a few system calls per stage), and written to run.json.
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


def _own_peak_kib() -> float:
    """This process's peak resident memory (KiB) since the last ``_reset_own_peak``: Linux's
    VmHWM, which ``_reset_own_peak`` can lower (ru_maxrss only grows for the process's life)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1])
    except OSError:
        pass
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # Linux: KiB


def _reset_own_peak() -> None:
    """The peak back to the memory in use now (Linux: writing 5 to /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:  # not Linux, or not allowed: the peak stays the process's own
        pass


def _children_peak_kib() -> float:
    return float(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def peak_rss_mib(since: dict[str, float] | None = None) -> float:
    """Peak resident memory of this process, its largest finished child or a pool worker;
    with ``since`` (``Stages.start``) only what a run has raised since it began."""
    own, children = _own_peak_kib(), _children_peak_kib()
    if since is not None and children <= since["children_kib"]:
        children = 0.0  # no child of this run went above an earlier one's peak
    return max(own / 1024, children / 1024, pool_usage["peak_rss_mib"])


class Stages:
    """Accumulates ``wall_s`` and ``cpu_s`` per named stage; ``with stages("score"): ...``.

    One per run: peak RSS counts from its creation, also when several runs share a process
    (the sweeps of Hydra's basic launcher run every job in one process).
    """

    def __init__(self) -> None:
        self.totals: dict[str, dict[str, float]] = {}
        _reset_own_peak()
        pool_usage["peak_rss_mib"] = 0.0  # the pools of earlier runs are gone
        self.start = {"children_kib": _children_peak_kib()}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), _cpu_seconds()
        try:
            yield
        finally:
            entry = self.totals.setdefault(name, {"wall_s": 0.0, "cpu_s": 0.0})
            entry["wall_s"] += time.perf_counter() - wall
            entry["cpu_s"] += _cpu_seconds() - cpu
            entry["peak_rss_mib"] = peak_rss_mib(self.start)

    def as_dict(self) -> dict[str, dict[str, float]]:
        return {name: {k: round(v, 3) for k, v in e.items()} for name, e in self.totals.items()}


def throughput(done: int, seconds: float) -> str:
    """Documents per second for a log line, or seconds per document when under one a second
    (a slow model would otherwise show "0.00 docs/s")."""
    if done <= 0 or seconds <= 0:
        return f"{done} docs"
    rate = done / seconds
    return f"{rate:.2f} docs/s" if rate >= 1 else f"{seconds / done:.1f} s/doc"
