"""Start-up cost of `summbench --help`, `--cfg job` and a bad override, against `python -c pass`.

Each command runs REPEAT times in a fresh process; for each, the CPU time (user + system) and the
peak RSS come from ``os.wait4`` on that process alone. Printed as medians and as ratios to
`python -c pass` measured in the same run (the machine is shared: read the ratios). The target:
at most 10 times `python -c pass`. A one-setting Hydra app (written to a temporary folder) is
measured too: it is the floor any Hydra command line pays.

    .venv/bin/python bench/bench_startup.py [--repeat 5] [--repo DIR] [--against DIR]

`--repo` runs another checkout's `harness` (e.g. a worktree of main, for before and after);
`--against DIR` measures a second checkout in the same run, command by command alternately, and
adds its CPU ratios as a column (the fairest before and after on a shared machine).
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
    parser.add_argument("--against", type=Path, help="another checkout to measure alternately")
    args = parser.parse_args()
    repos = [args.repo.resolve(), *([args.against.resolve()] if args.against else [])]
    results: dict[tuple[str, Path], list] = {}
    with tempfile.TemporaryDirectory() as tmp:
        commands = {**COMMANDS, **minimal_hydra_commands(Path(tmp))}
        for _ in range(args.repeat):  # interleaved, so load changes hit every command alike
            for name, command in commands.items():
                for repo in repos:
                    results.setdefault((name, repo), []).append(measure(command, repo))
    medians = {
        key: [statistics.median(r[i] for r in runs) for i in range(3)]
        for key, runs in results.items()
    }
    base = {repo: medians[("python -c pass", repo)] for repo in repos}
    against = f" CPU ratio, {args.against.name} |" if args.against else ""
    print(f"| command | wall s | CPU s | peak RSS MiB | CPU ratio | RSS ratio |{against}")
    print("|---|---:|---:|---:|---:|---:|" + ("---:|" if args.against else ""))
    for name in commands:
        wall, cpu, rss = medians[(name, repos[0])]
        row = f"| {name} | {wall:.3f} | {cpu:.3f} | {rss:.0f} "
        row += f"| {cpu / base[repos[0]][1]:.1f}x | {rss / base[repos[0]][2]:.1f}x |"
        if args.against:
            row += f" {medians[(name, repos[1])][1] / base[repos[1]][1]:.1f}x |"
        print(row)


if __name__ == "__main__":
    main()
