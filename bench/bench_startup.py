"""Start-up cost of `summbench --help`, `--cfg job` and a bad override, against `python -c pass`.

Each command runs REPEAT times in a fresh process; for each, the CPU time (user + system) and the
peak RSS come from ``os.wait4`` on that process alone. Printed as medians and as ratios to
`python -c pass` measured in the same run (the machine is shared: read the ratios). The target:
at most 10 times `python -c pass`. A one-setting Hydra app (written to a temporary folder) is
measured too: it is the floor any Hydra command line pays.

    .venv/bin/python bench/bench_startup.py [--repeat 5] [--repo DIR]

`--repo` runs another checkout's `harness` (e.g. a worktree of main, for before and after).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "summbench --help": [sys.executable, "-m", "harness", "--help"],
    "summbench --cfg job": [sys.executable, "-m", "harness", "--cfg", "job"],
    "summbench model=nope": [sys.executable, "-m", "harness", "model=nope"],
    "summbench nosuchkey=1": [sys.executable, "-m", "harness", "nosuchkey=1"],
}
MINIMAL_HYDRA_APP = """
import hydra

@hydra.main(version_base="1.3", config_path="conf", config_name="config")
def app(cfg):
    pass

app()
"""


def minimal_hydra_commands(folder: Path) -> dict[str, list[str]]:
    (folder / "conf").mkdir()
    (folder / "conf" / "config.yaml").write_text("setting: 1\n")
    (folder / "app.py").write_text(MINIMAL_HYDRA_APP)
    app = [sys.executable, str(folder / "app.py")]
    return {
        "minimal Hydra app --help": [*app, "--help"],
        "minimal Hydra app --cfg job": [*app, "--cfg", "job"],
    }


def measure(command: list[str], repo: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MiB) of one run of ``command`` in ``repo``."""
    start = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(repo)}
    proc = subprocess.Popen(
        command, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--repo", type=Path, default=ROOT)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        commands = {**COMMANDS, **minimal_hydra_commands(Path(tmp))}
        for _ in range(args.repeat):  # interleaved, so load changes hit every command alike
            for name, command in commands.items():
                results.setdefault(name, []).append(measure(command, args.repo.resolve()))
    medians = {
        n: [statistics.median(r[i] for r in runs) for i in range(3)] for n, runs in results.items()
    }
    _, base_cpu, base_rss = medians["python -c pass"]
    print("| command | wall s | CPU s | peak RSS MiB | CPU ratio | RSS ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (wall, cpu, rss) in medians.items():
        ratios = f"{cpu / base_cpu:.1f}x | {rss / base_rss:.1f}x"
        print(f"| {name} | {wall:.3f} | {cpu:.3f} | {rss:.0f} | {ratios} |")


if __name__ == "__main__":
    main()
