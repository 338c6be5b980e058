"""Start-up: the command line is answered before any heavy library is imported.

`summbench --help`, `--cfg job` and a bad override must not pay for datasets, pandas, torch or
transformers (seconds and ~200 MiB); they are imported once a run is to happen. `--help` and a bad
override are answered before Hydra and omegaconf are imported, too (harness/__main__.py). Timing
is bench/bench_startup.py's job; this checks which modules a fresh interpreter ends up with.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from harness import ROOT

HEAVY = ("torch", "transformers", "datasets", "pandas", "pyarrow", "sentence_transformers")
# Runs the real entry point in a fresh interpreter, then lists the heavy modules it imported.
PROBE = """
import json, sys
args, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sys.argv = ["summbench", *args]
from harness.__main__ import main
try:
    main()
except SystemExit:
    pass
print("HEAVY=" + json.dumps([m for m in heavy if m in sys.modules]), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [["--help"], ["--cfg", "job"], ["model=nope"], ["nosuchkey=1"]],
    ids=["help", "cfg-job", "bad-group-choice", "bad-key"],
)
def test_command_line_answers_without_heavy_imports(args):
    assert _imported(args, HEAVY) == []


@pytest.mark.parametrize(
    "args",
    [["--help"], ["model=lead", "-h"], ["model=nope"], ["nosuchkey=1"], ["model.lead.nope=1"]],
    ids=["help", "overrides-and-help", "bad-group-choice", "bad-key", "bad-model-setting"],
)
def test_help_and_bad_overrides_answer_before_hydra(args):
    assert _imported(args, ("hydra", "omegaconf")) == []


def _imported(args: list[str], modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` `summbench ARGS` imports, run in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args), json.dumps(list(modules))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    marker = [line for line in done.stderr.splitlines() if line.startswith("HEAVY=")]
    assert marker, done.stderr
    return json.loads(marker[-1][len("HEAVY=") :])


# A job's run, in place of harness.run.run: says whether the garbage collector is on.
GC_PROBE = """
import gc, sys
import harness.run

def run(cfg, out_dir):
    print("GC=" + str(gc.isenabled()), file=sys.stderr, flush=True)
    return {}

harness.run.run = run
sys.argv = ["summbench", "model=lead", "hydra.run.dir=" + sys.argv[1]]
from harness.__main__ import main
main()
"""


def test_the_garbage_collector_is_on_when_a_job_runs(tmp_path):
    # __main__ turns it off while the command line is answered; a run that kept it off would
    # hold every reference cycle it makes.
    done = subprocess.run(
        [sys.executable, "-c", GC_PROBE, str(tmp_path / "run")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "GC=True" in done.stderr.splitlines(), done.stderr


def test_the_command_line_resolves_the_repositorys_resolvers():
    # ${root:} and ${package_file:} are registered by harness.app, no longer on `import harness`:
    # `--cfg job --resolve` imports neither harness.run nor the tests' conftest.
    done = subprocess.run(
        [sys.executable, "-m", "harness", "--cfg", "job", "--resolve", "-p", "cache_path"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{ROOT}/results/cache/generations.sqlite"
