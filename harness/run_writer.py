"""Writing a run's files: the records collected per system, staged aside, then the leaderboard,
report.html and run.json, moved into the run folder as one set (harness.run_folder).

``RunWriter`` collects; ``publish_run`` writes and publishes what the systems that finished
produced. The report is an extra beside the results: it never costs a finished run.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omegaconf import DictConfig, OmegaConf

from harness import report
from harness.run_folder import HYDRA_SUBDIR, REPORT_FILES, RunFolder, remove_entry
from harness.stages import Stages

if TYPE_CHECKING:
    from harness.run import Benchmark, SystemStats

log = logging.getLogger(__name__)

ROW_IDS = ("doc_id", "system", "prompt", "dataset")


class RunWriter:
    """Collects the records of each finished system; writes them aside and moves them in at once.

    Nothing reaches the run folder before ``publish`` (see harness.run_folder): a run that
    finishes no system leaves the folder's previous outputs as they were (``discard``).
    """

    def __init__(self, out_dir: Path):
        self.folder = RunFolder(out_dir)
        self.dir = self.folder.staging  # where files go before they are published
        self._jsonl: dict[str, list[dict]] = {"generations.jsonl": [], "scores.jsonl": []}
        self._tables: dict[str, list[dict]] = {}

    def append_jsonl(self, name: str, records: Sequence[dict]) -> None:
        self._jsonl.setdefault(name, []).extend(records)

    def records(self, name: str) -> list[dict]:
        return self._jsonl.get(name, [])

    def append_table(self, name: str, rows: Sequence[dict]) -> None:
        """Rows for ``<name>.jsonl`` and ``<name>.csv``."""
        self._tables.setdefault(name, []).extend(rows)

    def write_json(self, name: str, value: Any) -> None:
        (self.dir / name).write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n")

    def write_records(self, stages: Stages) -> None:
        """The JSON-lines and CSV files of the records collected so far, in the staging folder."""
        with stages("write"):
            for name, records in self._jsonl.items():
                _write_jsonl(self.dir / name, records)
            for name, rows in self._tables.items():
                _write_jsonl(self.dir / f"{name}.jsonl", rows)
                _write_csv(self.dir / f"{name}.csv", rows)

    def tables(self) -> dict[str, list[dict]]:
        return self._tables

    def publish(self, info: dict[str, Any], stages: Stages) -> None:
        """Writes ``run.json`` (``info``, the stages and the list of what the run owns: every
        file staged, and report_files/ when the report has one), and moves them into the run
        folder in place of the previous run's."""
        staged = {p.name for p in self.dir.iterdir() if p.name != HYDRA_SUBDIR}
        files = sorted(staged | {"run.json"})
        # Seconds and peak MiB per stage (the leaderboard is in `write`, report.html in `report`).
        self.write_json("run.json", {**info, "stages": stages.as_dict(), "files": files})
        self.folder.publish(files)

    def discard(self) -> None:
        self.folder.discard()


def _write_jsonl(path: Path, records: Sequence[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def _write_csv(path: Path, rows: Sequence[dict]) -> None:
    columns = list(dict.fromkeys([*ROW_IDS, *(k for row in rows for k in row)]))
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows({k: _cell(row.get(k)) for k in columns} for row in rows)


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def publish_run(
    writer: RunWriter,
    bench: Benchmark,
    stats: Mapping[str, SystemStats],
    more: dict[str, Any],
    stages: Stages,
    cfg: DictConfig,
) -> None:
    """The records, leaderboard and report.html of the systems that finished, staged, then
    moved into place with run.json as one set.

    The report is an extra beside the results: one that fails is a warning, and a stop during it
    (Ctrl-C, SIGTERM) leaves it out, publishes the results, and is raised again afterwards
    (``harness.app`` says the results are complete and the report missing).
    """
    documents = [
        {"doc_id": d.id, "dataset": bench.dataset, "text": d.text, "references": list(d.references)}
        for d in bench.documents
    ]  # the texts the report shows; summbench-report reads them back
    writer.append_jsonl("documents.jsonl", documents)
    writer.write_records(stages)
    scores = writer.records("scores.jsonl")
    if scores:
        with stages("write"):
            rows = report.leaderboard(scores, list(bench.measures))
            report.write_leaderboard(rows, list(bench.measures), writer.dir)
    info = {
        "dataset": bench.dataset,
        "prompt": bench.prompt.name,
        "documents": len(bench.documents),
        "measures": bench.measures,
        "systems": {n: s.__dict__ for n, s in stats.items()},
        "reads_references": report.reference_readers(cfg.model),
        **more,  # whether the run finished, what it ran on, the scoring pool's CPU
    }
    stop = _write_report(writer, info, cfg, stages) if scores else None
    writer.publish(info, stages)
    if stop is not None:
        raise stop


def _write_report(
    writer: RunWriter, info: dict[str, Any], cfg: DictConfig, stages: Stages
) -> BaseException | None:
    """report.html into the staging folder from the records in memory; the stop that cut it
    short, if one did (its partial files are removed: no half-written report is published)."""
    try:
        with stages("report"):
            run = report.run_of(
                writer.folder.path,
                info,
                OmegaConf.to_container(cfg, resolve=True),
                writer.records("scores.jsonl"),
                writer.tables(),
                writer.records("generations.jsonl"),
                writer.records("documents.jsonl"),
            )
            report.write_run_report(run, writer.dir)
        return None
    except Exception as e:  # never lose a finished run to its report
        log.warning("no report.html for %s: %s: %s", writer.folder.path, type(e).__name__, e)
        stop = None
    except BaseException as e:  # KeyboardInterrupt, SIGTERM's Terminated: raised after publishing
        stop = e
    for name in REPORT_FILES:  # what a cut-short report left: never published half-written
        remove_entry(writer.dir / name)
    return stop
