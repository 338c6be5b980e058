"""Figure fidelity throughput on the public development set, in CPU time.

- pairs per CPU-second: every (source, summary) pair through ``check_pair`` and ``json.dumps``,
  what ``summbench-figures --pairs`` does per line, starting with an empty extraction cache (a
  source shared by several summaries is extracted once, as in a real --pairs run);
- articles per CPU-second: every distinct source through ``extract``, none cached.

CPU time (``time.process_time``) rather than wall time, because the machine is shared; each figure
is the best of ``--repeat`` passes in one process (the first pass also fills the word caches).

    .venv/bin/python bench/bench_figures_speed.py [--repeat 3] [--profile pairs|articles]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from harness.metrics.figures import FigureFidelity, extract
from harness.metrics.figures_cli import check_pair

DEV_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "figures-dev"
DEV_SET = DEV_SET / "summedits_numbers.jsonl"


def dev_rows(path: Path = DEV_SET) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _check_pairs(rows: Sequence[dict]) -> None:
    metric = FigureFidelity()
    extract.cache_clear()
    for row in rows:
        json.dumps(check_pair(metric, row["source"], row["summary"], row.get("references", [])))


def _extract_articles(texts: Sequence[str]) -> None:
    extract.cache_clear()
    for text in texts:
        extract(text)


def _per_cpu_second(work: Callable[[], None], count: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return count / best


def pairs_per_cpu_second(rows: Sequence[dict], repeat: int = 3) -> float:
    """(source, summary) pairs checked per CPU-second through the --pairs path."""
    return _per_cpu_second(lambda: _check_pairs(rows), len(rows), repeat)


def articles_per_cpu_second(texts: Sequence[str], repeat: int = 3) -> float:
    """Full articles through ``extract`` per CPU-second, nothing cached."""
    return _per_cpu_second(lambda: _extract_articles(texts), len(texts), repeat)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--profile", choices=["pairs", "articles"], help="cProfile one pass instead")
    args = p.parse_args()
    rows = dev_rows()
    sources = list(dict.fromkeys(row["source"] for row in rows))
    if args.profile:
        import cProfile
        import pstats

        work = {"pairs": lambda: _check_pairs(rows), "articles": lambda: _extract_articles(sources)}
        work[args.profile]()  # warm the word caches, as the timed passes are
        profiler = cProfile.Profile()
        profiler.runcall(work[args.profile])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return
    pairs = pairs_per_cpu_second(rows, args.repeat)
    articles = articles_per_cpu_second(sources, args.repeat)
    print(f"dev set: {len(rows)} pairs, {len(sources)} distinct sources")
    print(f"pairs per CPU-second (--pairs path): {pairs:,.0f}")
    print(f"articles per CPU-second (extract):   {articles:,.0f}")


if __name__ == "__main__":
    main()
