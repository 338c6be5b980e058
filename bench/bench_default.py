"""Wall time of the default benchmark (what `make bench` runs), end to end.

Runs the real `summbench` command REPEAT times, each with a fresh generation cache and run folder,
and prints the wall time of each run and the per-system seconds from run.json. The target: under
60 s on a 2-core machine once .venv exists.

    .venv/bin/python bench/bench_default.py [--repeat 3] [overrides ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUMMBENCH = Path(sys.executable).parent / "summbench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("overrides", nargs="*")
    args = parser.parse_args()
    walls = []
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "run"
            command = [
                str(SUMMBENCH),
                *args.overrides,
                f"hydra.run.dir={out}",
                f"cache_path={Path(tmp) / 'cache.sqlite'}",
                "progress=false",
            ]
            start = time.perf_counter()
            subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
            walls.append(time.perf_counter() - start)
            systems = json.loads((out / "run.json").read_text())["systems"]
            per_system = ", ".join(f"{n} {s['seconds']:.2f}s" for n, s in systems.items())
            print(f"run {i + 1}: {walls[-1]:.1f} s wall ({per_system})")
    print(
        f"wall time over {len(walls)} runs: median {statistics.median(walls):.1f} s, "
        f"min {min(walls):.1f} s, max {max(walls):.1f} s"
    )


if __name__ == "__main__":
    main()
