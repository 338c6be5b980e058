"""The run folder: a run's outputs are written aside and replace the folder's old ones as a set.

A run writes into ``<run folder>/.summbench-staging/`` and, when it ends (finished, failed late,
or stopped by SIGTERM or Ctrl-C with at least one system done), moves its files into the run
folder and removes every file the previous run listed in its ``run.json`` that it did not write
itself. So a folder holds the outputs of exactly one run, and a re-run that fails before it
finished anything (a bad setting, a model that cannot load) leaves the previous outputs as they
were. Each file is moved with ``os.replace`` (atomic on one file system), ``run.json`` last.

Hydra's own copies of the invocation (``hydra.output_subdir`` points into the staging folder, see
conf/config.yaml) travel with the outputs: ``.hydra/`` describes the run whose outputs the folder
holds. A folder without outputs keeps the attempt's ``.hydra/``, which names a failed sweep job.

Light on purpose (no heavy imports): ``CheckRunFolder`` runs in Hydra's callbacks, before the job.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from harness.errors import UsageError

STAGING = ".summbench-staging"
HYDRA_SUBDIR = ".hydra"
# What runs wrote before run.json listed its files: removed when a new run replaces them.
LEGACY_OUTPUTS = (
    "generations.jsonl",
    "scores.jsonl",
    "unsupported_figures.csv",
    "unsupported_figures.jsonl",
    "leaderboard.csv",
    "leaderboard.md",
    "report.html",
    "report_files",
    "documents.jsonl",
    "figures.csv",
    "figures.jsonl",
    "config.yaml",
    "run.json",
)
# report.html and its folder of document chunks (a large run's): one owns the other.
REPORT_FILES = ("report.html", "report_files")


def check_folder(path: Path, name: str) -> None:
    """Raises UsageError (starting with ``name``) unless ``path`` is, or can be made, a folder
    this process can write in."""
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"{name}: {existing} is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        # Permissions alone do not tell (read-only mounts, ACLs): try it.
        tempfile.TemporaryFile(dir=path).close()
    except OSError as e:
        raise UsageError(f"{name}: cannot write in {path} ({e.strerror})") from None


class CheckRunFolder(Callback):
    """Refuses an unusable run or sweep folder in one line, before Hydra creates it."""

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        self._check(Path(config.hydra.run.dir), "hydra.run.dir")

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        self._check(Path(config.hydra.sweep.dir), "hydra.sweep.dir")

    @staticmethod
    def _check(path: Path, setting: str) -> None:
        try:
            check_folder(path, f"{setting}={path}")
        except UsageError as e:
            print(f"summbench: error: {e}", file=sys.stderr)
            sys.exit(2)


def owned_files(folder: Path) -> list[str]:
    """The files the run in ``folder`` wrote, as its run.json lists them."""
    try:
        files = json.loads((folder / "run.json").read_text(encoding="utf-8"))["files"]
    except FileNotFoundError:
        return []
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return list(LEGACY_OUTPUTS)  # an older or damaged run.json: what runs used to write
    # Names only: a damaged list must not reach outside the folder (nor name the folder itself).
    return [
        f
        for f in files
        if isinstance(f, str) and f == Path(f).name and f not in ("..", STAGING, HYDRA_SUBDIR)
    ]


class RunFolder:
    """Where a run writes (``staging``), and the step that puts its files in place as one set."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.staging = self.path / STAGING
        try:
            check_folder(self.path, f"run folder {self.path}")
            self.staging.mkdir(exist_ok=True)
            # Left by a run killed while moving its files; Hydra's copies are this run's own.
            for stale in self.staging.iterdir():
                if stale.name != HYDRA_SUBDIR:
                    remove_entry(stale)
        except OSError as e:
            raise UsageError(f"run folder {self.path}: cannot write in it ({e.strerror})") from None

    def publish(self, files: Iterable[str]) -> None:
        """Moves the staged ``files`` (run.json among them) into place; drops the old run's."""
        files = list(files)
        old = set(owned_files(self.path))
        if "report.html" in old:  # its folder too, which runs before this one did not list
            old.add("report_files")
        with _signals_held():  # a second Ctrl-C or SIGTERM must not leave two runs' files mixed
            self._move_hydra_copies()
            for name in sorted(files, key=lambda f: f == "run.json"):  # run.json last
                if (self.staging / name).is_dir():
                    remove_entry(self.path / name)  # os.replace cannot replace a full folder
                os.replace(self.staging / name, self.path / name)
                old.discard(name)
            for name in old:
                remove_entry(self.path / name)
            shutil.rmtree(self.staging, ignore_errors=True)

    def discard(self) -> None:
        """Leaves the folder as it was: the run finished nothing."""
        if not (self.path / "run.json").exists():
            self._move_hydra_copies()  # the only record of what was attempted here
        shutil.rmtree(self.staging, ignore_errors=True)

    def _move_hydra_copies(self) -> None:
        staged = self.staging / HYDRA_SUBDIR
        if staged.is_dir():
            remove_entry(self.path / HYDRA_SUBDIR)
            os.replace(staged, self.path / HYDRA_SUBDIR)


@contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM that arrive in the block are delivered right after it."""
    caught: list[int] = []
    try:
        previous = {
            s: signal.signal(s, lambda number, _frame: caught.append(number))
            for s in (signal.SIGINT, signal.SIGTERM)
        }
    except ValueError:  # not the main thread, where Python delivers signals: nothing to hold
        previous = {}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        for number in caught[:1]:
            signal.raise_signal(number)  # now, to the handler the run had


def remove_entry(path: Path) -> None:
    """Removes a file or a folder, if there is one."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
