"""Wall time of the default benchmark (what `make bench` runs), end to end.

Runs the real `summbench` command REPEAT times, each with a fresh generation cache and run folder,
and prints the wall time and CPU seconds (user + system, the command and its children) of each
run and the per-system seconds from run.json. The target: under 60 s on a 2-core machine once
.venv exists.

`--against DIR` runs another checkout's `harness` (a worktree of an older commit, with the same
venv) too, alternating with this one in each repeat so both meet the same load, and prints the
ratios of the medians (this checkout / DIR).

    .venv/bin/python bench/bench_default.py [--repeat 3] [--against DIR] [overrides ...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUMMBENCH = Path(sys.executable).parent / "summbench"


def one_run(repo: Path, overrides: list[str]) -> tuple[float, float, dict]:
    """Wall and CPU seconds of one run of the command from ``repo``, and its run.json."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run"
        command = [
            str(SUMMBENCH),
            *overrides,
            f"hydra.run.dir={out}",
            f"cache_path={Path(tmp) / 'cache.sqlite'}",
            "progress=false",
        ]
        env = {**os.environ, "PYTHONPATH": str(repo)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, cwd=repo, env=env, check=True, capture_output=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu, json.loads((out / "run.json").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--against", type=Path, help="another checkout to measure alternately")
    parser.add_argument("overrides", nargs="*")
    args = parser.parse_args()
    repos = {"this": ROOT, **({"against": args.against.resolve()} if args.against else {})}
    measured: dict[str, list[tuple[float, float]]] = {name: [] for name in repos}
    for i in range(args.repeat):
        for name, repo in repos.items():
            wall, cpu, info = one_run(repo, args.overrides)
            measured[name].append((wall, cpu))
            systems = info["systems"]
            per_system = ", ".join(f"{n} {s['seconds']:.2f}s" for n, s in systems.items())
            print(f"{name} run {i + 1}: {wall:.1f} s wall, {cpu:.1f} CPU-s ({per_system})")
    medians = {}
    for name, runs in measured.items():
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        medians[name] = statistics.median(walls), statistics.median(cpus)
        print(
            f"{name} ({repos[name]}): wall over {len(walls)} runs: median "
            f"{medians[name][0]:.1f} s, min {min(walls):.1f} s, max {max(walls):.1f} s; "
            f"CPU median {medians[name][1]:.1f} s"
        )
    if "against" in medians:
        wall_ratio = medians["this"][0] / medians["against"][0]
        cpu_ratio = medians["this"][1] / medians["against"][1]
        print(f"this / against: wall {wall_ratio:.2f}, CPU {cpu_ratio:.2f}")


if __name__ == "__main__":
    main()
