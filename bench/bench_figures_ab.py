"""Figure check speed of two checkouts, measured in one process, item by item, in CPU time.

The machine is shared and noisy, so the figure package of another checkout (``--base``, e.g. a
worktree of the commit before a speed-up) and of this one are copied under other names, imported
side by side, and timed alternately on each item: articles through ``extract`` (development-set
sources, the seeds, bench/make_corpus.py's real-size articles) and development-set pairs through
the ``--pairs`` path, every item reading its source (the extraction cache cleared), pairs
as one --pairs run goes (the cache cleared once per pass), and pairs with every text already
extracted (the checking alone). Each rate is the best of ``--rounds``; ``--big`` adds one 1 MB
text, the same with no sentence break, one list of 25,000 numbers, and the check (extraction
cached) of 500 summary figures against a source of 20,000.

    PYTHONPATH=. .venv/bin/python bench/bench_figures_ab.py --base ../wt-base [--rounds 5] [--big]
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from figures_identity import DEV, big_pair, corpus_articles  # noqa: E402

PACKAGE = Path("harness") / "metrics" / "figures"


def load(checkout: Path, name: str, into: Path):
    """The figures package of a checkout, imported as ``name`` (its imports are relative)."""
    shutil.copytree(checkout / PACKAGE, into / name)
    return importlib.import_module(name)


def article_work(pkg) -> Callable[[str], None]:
    def work(text: str) -> None:
        pkg.extract.cache_clear()
        pkg.extract(text)

    return work


def pair_work(pkg, first: dict | None = None, cached: bool = False) -> Callable[[dict], None]:
    """The --pairs path for one row; the extraction cache is cleared before each row, or only
    before ``first`` (each pass then reads each distinct source once, as one --pairs run does),
    or never (``cached``: every text is extracted in the warm-up, so only checking is timed)."""
    metric = pkg.FigureFidelity()

    def work(row: dict) -> None:
        if not cached and (first is None or row is first):
            pkg.extract.cache_clear()
        numbers, checks = metric.score_texts(row["source"], row["summary"], [])
        record = {"figures": [pkg.figure_record(c) for c in checks], **numbers}
        json.dumps(record, ensure_ascii=False)

    return work


def rates(items: list, base: Callable, new: Callable, rounds: int) -> tuple[float, float]:
    """Items per CPU-second of each, timed alternately item by item; best of ``rounds``."""
    for item in items[:3]:  # warm the word caches
        base(item)
        new(item)
    best = [0.0, 0.0]
    for _ in range(rounds):
        spent = [0.0, 0.0]
        for item in items:
            for k, work in enumerate((base, new)):
                start = time.process_time()
                work(item)
                spent[k] += time.process_time() - start
        best = [max(b, len(items) / max(s, 1e-9)) for b, s in zip(best, spent, strict=True)]
    return best[0], best[1]


def big_check(base, new) -> None:
    """500 summary figures against a source of 20,000, each text extracted beforehand."""
    source, summary = big_pair(20_000, 500)
    for name, pkg in (("base", base), ("new", new)):
        work = pair_work(pkg, cached=True)
        row = {"source": source, "summary": summary}
        work(row)  # extracts both texts (and checks once)
        start = time.process_time()
        work(row)
        figures = f"{len(pkg.extract(summary))} against {len(pkg.extract(source)):,}"
        print(f"check of {figures} figures, {name}: {time.process_time() - start:.2f} CPU-seconds")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=Path, required=True, help="the other checkout")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--big", action="store_true", help="also one 1 MB text")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sys.path.insert(0, tmp)
        base = load(args.base.resolve(), "figures_base", Path(tmp))
        new = load(ROOT, "figures_new", Path(tmp))
        rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
        sources = list(dict.fromkeys(r["source"] for r in rows))
        seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
        articles = [r["document"] for r in corpus_articles(300)]
        sets = {
            "articles: development-set sources": (sources * 3, article_work),
            "articles: seeds": (seeds * 15, article_work),
            "articles: make_corpus.py": (articles, article_work),
            "pairs, each reading its source": (rows, pair_work),
            "pairs, each distinct source read once": (rows, lambda p: pair_work(p, rows[0])),
            "pairs, extraction cached": (rows, lambda p: pair_work(p, cached=True)),
        }
        for name, (items, make) in sets.items():
            if items:
                a, b = rates(items, make(base), make(new), args.rounds)
                print(f"{name:38} base {a:8,.0f}/CPU-s   new {b:8,.0f}/CPU-s   x{b / a:.2f}")
        if args.big:
            big_check(base, new)
            text = "\n\n".join(articles or seeds * 200)
            text = (text * (1_000_000 // len(text) + 1))[:1_000_000]
            numbers = ", ".join(str(n % 97) for n in range(25_000))
            for label, big in (
                ("1 MB text", text),
                ("1 MB, no sentence break", re.sub(r"[.!?\n]", " ", text)),
                ("one list of 25,000 numbers (100 KB)", f"Scores: {numbers}."),
            ):
                for name, pkg in (("base", base), ("new", new)):
                    pkg.extract.cache_clear()
                    start = time.process_time()
                    pkg.extract(big)
                    print(f"{label}, {name}: {time.process_time() - start:.2f} CPU-seconds")


if __name__ == "__main__":
    main()
