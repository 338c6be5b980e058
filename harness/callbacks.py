"""The Hydra callback that writes a sweep's merged report when ``summbench -m ...`` ends.

Hydra's callback API (``hydra.experimental.callback.Callback``, registered under
``hydra.callbacks`` in conf/config.yaml) runs ``on_multirun_end`` in the launching process once
every job has returned, whatever the launcher (basic, joblib, submitit). It writes
``leaderboard.md``, ``leaderboard.csv`` and ``report.html`` into the sweep folder, next to
Hydra's ``multirun.yaml``, exactly as ``summbench-report SWEEP_DIR`` would.

Hydra skips ``on_multirun_end`` when a job failed (the sweeper re-raises the job's exception and
the process exits), so the callback also registers an exit hook at the start of the sweep: the
finished jobs are still merged and the failed ones named.
"""

from __future__ import annotations

import atexit
import gc
import logging
import sys
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from harness.errors import UsageError

log = logging.getLogger(__name__)


class SweepReport(Callback):
    """Merges the job folders of a multirun sweep into one report in the sweep folder."""

    def __init__(self) -> None:
        self._sweep_dir: Path | None = None

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        # The collector is off while the command line is answered (harness/__main__.py); a
        # launcher whose jobs run in other processes never starts one here to turn it on.
        gc.enable()
        # Resolved now: ${now:...} in the sweep dir must name the folder the sweep writes.
        self._sweep_dir = Path(config.hydra.sweep.dir)
        atexit.register(self._write, ended="the sweep stopped early")

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        status = self._write()
        # Hydra would exit 0: the sweep's status is the report's (1: a job failed, 2: none ran).
        if status:
            sys.exit(status)

    def _write(self, ended: str | None = None) -> int:
        sweep_dir, self._sweep_dir = self._sweep_dir, None
        if sweep_dir is None:  # already written (on_multirun_end ran before the exit hook)
            return 0
        from harness import report

        try:
            merged = report.load_runs([sweep_dir])
            path = report.write_report(merged, sweep_dir)
        except UsageError as e:
            print(f"summbench: error: no sweep report: {e}", file=sys.stderr)
            return 2
        except Exception as e:  # the jobs' own folders are intact; only the merge is lost
            print(f"summbench: error: no sweep report: {type(e).__name__}: {e}", file=sys.stderr)
            return 2
        print(report.markdown(merged.rows, list(merged.measures)), end="")
        for warning in merged.warnings:
            print(f"summbench: warning: {warning}", file=sys.stderr)
        failures = sum(len(r.failures) for r in merged.runs)
        if failures:
            print(
                f"summbench: {failures} generations failed; see the jobs' generations.jsonl",
                file=sys.stderr,
            )
        if ended:
            print(f"summbench: {ended}; the report covers the jobs that finished", file=sys.stderr)
        print(f"Sweep report: {path}")
        return 1 if failures or merged.problems else 0
