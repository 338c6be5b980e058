"""Whole-corpus cost: wall time, CPU time and peak RSS per stage, and whether it grows linearly.

Builds real-size articles with bench/make_corpus.py (deterministic) and runs the real
`summbench` command on them, each run with a fresh cache and run folder:

- `model=lead` on 1,000, 3,000 and 10,000 documents (the metrics' cost at scale: lead is cheap);
- the default suite (six systems) on 1,000 documents.

Per stage (load, generate, score, write) the figures come from the run's run.json (`stages`: CPU
includes the scoring pool's workers); the totals from `os.wait4` on the whole command, plus the
pool's workers (run.json's `scoring_pool_cpu_s`; the fork server's imports are not counted).

Targets (issue 11): 10,000 documents with model=lead under 60 CPU-seconds of scoring and under
1.5 GB peak RSS; the default suite on 1,000 documents under 5 minutes. The machine is shared:
read CPU seconds, and wall times only beside each other.

    .venv/bin/python bench/bench_corpus.py [--sizes 1000 3000 10000] [--suite-size 1000]
        [--workers 1] [--work DIR] [overrides ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import write_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("load", "generate", "score", "write")


def run_summbench(corpus: Path, folder: Path, overrides: list[str]) -> dict:
    """Runs summbench on ``corpus``; its run.json stages plus whole-process totals."""
    command = [
        sys.executable,
        "-m",
        "harness",
        "dataset=hf",
        f"dataset.path={corpus}",
        f"hydra.run.dir={folder / 'run'}",
        f"cache_path={folder / 'cache.sqlite'}",
        "progress=false",
        *overrides,
    ]
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{' '.join(command)} failed:\n{stderr.decode(errors='replace')[-3000:]}")
    result = json.loads((folder / "run" / "run.json").read_text())
    stages = result.get("stages", {})
    result["total"] = {
        "wall_s": wall,
        # Linux: includes the children it waited for, not the scoring pool's workers (children
        # of the fork server), which run.json reports.
        "cpu_s": usage.ru_utime + usage.ru_stime + result.get("scoring_pool_cpu_s", 0.0),
        "peak_rss_mib": max(
            [usage.ru_maxrss / 1024, *(s["peak_rss_mib"] for s in stages.values())]
        ),
    }
    return result


def row(label: str, documents: int, result: dict) -> str:
    stages = result.get("stages", {})
    cells = []
    for stage in STAGES:
        s = stages.get(stage)
        cells.append(f"{s['wall_s']:.1f} / {s['cpu_s']:.1f}" if s else "–")
    total = result["total"]
    score_cpu = stages.get("score", {}).get("cpu_s")
    per_1k = f"{score_cpu / documents * 1000:.1f}" if score_cpu is not None else "–"
    return (
        f"| {label} | {documents} | {' | '.join(cells)} | {total['wall_s']:.1f} | "
        f"{total['cpu_s']:.1f} | {total['peak_rss_mib']:.0f} | {per_1k} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 3000, 10000])
    parser.add_argument("--suite-size", type=int, default=1000, help="0: skip the default suite")
    parser.add_argument("--workers", default="1", help="scoring.workers (a number or null)")
    parser.add_argument("--work", type=Path, help="keep corpora and run folders here")
    parser.add_argument("overrides", nargs="*", help="more summbench overrides for every run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        overrides = [f"scoring.workers={args.workers}", *args.overrides]
        plan = [("model=lead", n, ["model=lead"]) for n in args.sizes]
        if args.suite_size:
            plan.append(("default suite", args.suite_size, []))
        print(f"scoring.workers={args.workers}; cells: wall s / CPU s")
        print(
            "| run | docs | load | generate | score | write | total wall s | total CPU s "
            "| peak RSS MiB | score CPU s per 1k docs |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for label, documents, extra in plan:
            corpus = work / f"corpus_{documents}.jsonl"
            if not corpus.exists():
                write_corpus(corpus, documents)
            folder = work / f"{label.replace(' ', '_').replace('=', '_')}_{documents}"
            result = run_summbench(corpus, folder, [*extra, *overrides])
            (work / f"{folder.name}.json").write_text(json.dumps(result, indent=2))
            print(row(label, documents, result), flush=True)


if __name__ == "__main__":
    main()
