"""The Hydra app behind ``summbench`` (harness/__main__.py answers ``--help`` before this loads).

Kept thin: it composes the config with Hydra (harness/__main__.py has checked the overrides) and
calls ``run.run``. Bad input ends in one line on stderr and exit status 2; failed generations and
metrics that failed on a document (both recorded in the run folder) end in exit status 1.

Nothing heavy is imported here: ``--cfg job`` and a bad override answer before datasets, pandas,
torch or transformers load (``harness.run`` is imported once Hydra has parsed the command line and
a run is to happen; tests/test_startup.py pins it).
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import sys
import time
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from harness import ROOT, register_resolvers
from harness.errors import UsageError

log = logging.getLogger("summbench")
register_resolvers()
# Set once a job starts: the heavy libraries are loaded from then on (see `_leave`).
_job_started = False


def _exit(status: int) -> None:
    """Exit with ``status``; in a sweep, only end the job.

    A SystemExit in one job of a sweep would kill the others (joblib re-raises it in the
    launcher): the job's folder records what failed, and the sweep's report (harness.callbacks)
    sets the exit status.
    """
    if HydraConfig.get().mode != RunMode.MULTIRUN:
        sys.exit(status)


@hydra.main(version_base="1.3", config_path=str(ROOT / "conf"), config_name="config")
def _app(cfg: DictConfig) -> None:
    global _job_started
    _job_started = True
    gc.enable()  # off while the command line was answered (harness/__main__.py)
    from harness.run import run  # heavy (datasets, pandas): only once a run is to happen

    out_dir = Path(HydraConfig.get().runtime.output_dir)
    started = time.time()
    try:
        stats = run(cfg, out_dir)
    except UsageError as e:
        print(f"summbench: error: {e}", file=sys.stderr)
        return _exit(2)
    except (KeyboardInterrupt, Terminated) as e:
        # run() has published the systems that finished; a stop ends a sweep too.
        status, what = (130, "Ctrl-C") if isinstance(e, KeyboardInterrupt) else (e.code, "SIGTERM")
        print(f"summbench: stopped by {what}; {_kept(out_dir, started)}", file=sys.stderr)
        sys.exit(status)
    board = out_dir / "leaderboard.md"
    if board.exists():
        print(board.read_text(encoding="utf-8"), end="")
    made = ", ".join(f"{n} {s.documents - s.cache_hits}/{s.cache_hits}" for n, s in stats.items())
    print(f"Generations (new/cached): {made}")
    print(f"Run folder: {out_dir}")
    failed = {name: s for name, s in stats.items() if s.failures}
    if failed:
        counts = ", ".join(f"{n}: {s.failures} of {s.documents}" for n, s in failed.items())
        print(
            f"summbench: {sum(s.failures for s in failed.values())} generations failed "
            f"({counts}); see generations.jsonl, and re-run to retry only those",
            file=sys.stderr,
        )
    scoring = sum(s.metric_failures for s in stats.values())
    if scoring:
        print(
            f"summbench: {scoring} metric scores failed; see metric_errors in "
            "scores.jsonl (the other scores and the leaderboard are written)",
            file=sys.stderr,
        )
    if failed or scoring:
        _exit(1)


class Terminated(SystemExit):
    """A SIGTERM (a SLURM time limit, `kill`, CI cancelling): ends the run like Ctrl-C does.

    A SystemExit, so that no `except Exception` in a backend takes it for a failed document.
    """


def _terminate(signum: int, frame: object) -> None:
    raise Terminated(128 + signum)


def _kept(out_dir: Path, started: float) -> str:
    """What a run stopped early left in its folder: the run.json it wrote, if it wrote one."""
    import json

    info_path = out_dir / "run.json"
    try:
        fresh = info_path.stat().st_mtime >= started  # not the one of an earlier run
        info = json.loads(info_path.read_text(encoding="utf-8")) if fresh else {}
        systems = info["systems"] if fresh else None
    except (OSError, ValueError, KeyError, TypeError):
        systems = None
    if not systems:
        return f"no system had finished, so {out_dir} is as it was"
    if info.get("finished") is True:  # stopped in the report step: every result is in place
        if "report.html" in (info.get("files") or []):
            return f"every system had finished: {out_dir} holds the whole run"
        return (
            f"every system had finished: {out_dir} holds all their results, but no "
            f"report.html (summbench-report {out_dir} writes it)"
        )
    return f"{out_dir} keeps the systems that finished: {', '.join(systems)}"


def main() -> None:
    """Runs the Hydra app on ``sys.argv``, whose overrides harness.__main__ has checked."""
    # Model loading and dataset reading bars are noise beside the run's own progress. Environment
    # variables rather than the libraries' switches, which would import them (a second or more)
    # before the command line is read; a user's own setting wins.
    os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # transformers reads this one
    # A SIGTERM ends the run like Ctrl-C does, through its `finally`: the systems already done
    # are published.
    signal.signal(signal.SIGTERM, _terminate)
    try:
        _app()
    except KeyboardInterrupt:  # before or after a run: nothing of a run to keep
        print("summbench: stopped by Ctrl-C", file=sys.stderr)
        _leave(130)
    except SystemExit as e:
        if not _job_started:
            raise
        _leave(e.code)
    if _job_started:
        _leave(0)


def _leave(code: int | str | None) -> None:
    """Ends the process as ``sys.exit(code)`` would, without tearing down every module once a
    job has run: unloading torch, transformers and sentence-transformers took 1.4 CPU-s in one
    measurement, a tenth of a run on the seeds. What an exit must do still happens: the atexit
    handlers (logging's flush and close, multiprocessing's clean-up of the scoring pool) and
    flushed output. Before any job (``--help``, a bad override) it is a plain ``sys.exit``."""
    if not _job_started:
        sys.exit(code)
    import atexit  # (its _run_exitfuncs: what the interpreter's own exit calls first)

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # as sys.exit does with a message
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
