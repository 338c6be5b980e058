"""Build the pieces a config names, run every summarizer over the documents, score and write.

``build(cfg)`` and ``run(cfg, out_dir)`` are the only callers of ``hydra.utils.instantiate``;
``__main__`` wraps them in ``@hydra.main`` and tests call them with a config from
``hydra.compose``. A run folder holds:

- ``generations.jsonl``: one line per document and system: the summary, its prompt, any error;
- ``scores.jsonl``: one line per scored document and system, one number per metric;
- one ``<table>.csv``/``.jsonl`` per table a metric returns (``unsupported_figures``);
- ``leaderboard.csv`` and ``leaderboard.md``: systems × mean metrics;
- ``config.yaml`` (the resolved config) and ``run.json`` (measures, timings, cache hits, failures).

Outputs are written system by system, so a run that fails late keeps what it already produced.
"""

from __future__ import annotations

import csv
import json
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hydra.errors import InstantiationException
from hydra.utils import instantiate
from omegaconf import DictConfig, OmegaConf
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from harness import report
from harness.cache import GenerationCache, cache_key
from harness.errors import UsageError, first_line
from harness.prompts import PromptTemplate
from harness.scoring import check_workers, pool_usage, score_all
from harness.stages import Stages
from harness.text import count_words
from harness.types import Document, Generation, Metric, Request, Summarizer

log = logging.getLogger(__name__)

ROW_IDS = ("doc_id", "system", "prompt", "dataset")
OUTPUTS = ("generations.jsonl", "scores.jsonl", "leaderboard.csv", "leaderboard.md", "run.json")


@dataclass
class Benchmark:
    """Everything a run needs except the summarizers, which load one at a time."""

    dataset: str
    documents: list[Document]
    prompt: PromptTemplate
    metrics: dict[str, Metric]
    systems: dict[str, DictConfig]

    @property
    def measures(self) -> dict[str, bool]:
        """Every leaderboard column and whether higher is better."""
        return {k: v for m in self.metrics.values() for k, v in m.higher_is_better.items()}


@dataclass
class SystemStats:
    documents: int = 0
    failures: int = 0
    cache_hits: int = 0
    seconds: float = 0.0  # generating
    score_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


def _instantiate(node: Any, setting: str) -> Any:
    """Hydra's instantiate with the cause of a failure in one line, naming the setting."""
    try:
        return instantiate(node)
    except InstantiationException as e:
        cause = e.__cause__ or e
        if isinstance(cause, UsageError):
            raise cause from None
        raise UsageError(f"{setting}: {first_line(cause)}") from None
    except UsageError:
        raise
    except Exception as e:
        raise UsageError(f"{setting}: {first_line(e)}") from None


def build(cfg: DictConfig) -> Benchmark:
    # Imported here: datasets is heavy, and scoring workers import this module for `score`.
    from harness.data import to_documents

    if not cfg.model:
        raise UsageError("model: no summarizer selected")
    for name, node in cfg.model.items():
        if not isinstance(node, Mapping) or "_target_" not in node:
            raise UsageError(f"model.{name}: not a summarizer config (no _target_)")
    source = _instantiate(cfg.dataset, "dataset")
    documents = to_documents(source.load())
    if not documents:
        raise UsageError(f"dataset {source.name!r}: no documents")
    metrics = {name: _instantiate(node, f"metrics.{name}") for name, node in cfg.metrics.items()}
    return Benchmark(
        dataset=source.name,
        documents=documents,
        prompt=_instantiate(cfg.prompt, "prompt"),
        metrics=metrics,
        systems=dict(cfg.model),
    )


def generate(
    summarizer: Summarizer,
    requests: Sequence[Request],
    cache: GenerationCache | None,
    stats: SystemStats,
    progress: tqdm | None = None,
) -> list[Generation]:
    """Generations for every request, from the cache where it has them.

    Each new generation is stored as soon as the summarizer yields it.
    """
    identity = getattr(summarizer, "identity", None)
    use_cache = cache is not None and identity is not None
    keys = [cache_key(identity, r) for r in requests] if use_cache else []
    results: list[Generation | None] = [None] * len(requests)
    if use_cache:
        for i, key in enumerate(keys):
            results[i] = cache.get(key)
        stats.cache_hits = sum(g is not None for g in results)
        if progress is not None:
            progress.update(stats.cache_hits)
    pending = [i for i, g in enumerate(results) if g is None]
    if pending:
        for j, generation in summarizer.summarize([requests[i] for i in pending]):
            i = pending[j]
            results[i] = generation
            if use_cache:
                cache.put(keys[i], generation, identity)
            if progress is not None:
                progress.update(1)
    missing = [requests[i].doc.id for i, g in enumerate(results) if g is None]
    if missing:
        raise RuntimeError(f"summarizer returned no generation for {', '.join(missing)}")
    return results  # type: ignore[return-value]


def score(metrics: Mapping[str, Metric], doc: Document, summary: str) -> tuple[dict, dict]:
    """Numbers for scores.jsonl, and the rows of any tables the metrics return."""
    numbers: dict[str, Any] = {"words": count_words(summary)}
    tables: dict[str, list[dict]] = {}
    for metric in metrics.values():
        for key, value in metric.score(doc, summary).items():
            if isinstance(value, list):
                tables[key] = value
            else:
                numbers[key] = value
    return numbers, tables


class RunWriter:
    """Appends each system's records to the run folder as soon as that system is done."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        # A run into a folder used before replaces what it writes, and touches nothing else.
        for stale in OUTPUTS:
            (out_dir / stale).unlink(missing_ok=True)
        self._tables: dict[str, list[dict]] = {}

    def append_jsonl(self, name: str, records: Sequence[dict]) -> None:
        with open(self.out_dir / name, "a", encoding="utf-8") as f:
            for record in records:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")

    def append_table(self, name: str, rows: Sequence[dict]) -> None:
        """Adds rows to ``<name>.jsonl`` and rewrites ``<name>.csv`` with every row so far."""
        if name not in self._tables:
            self._tables[name] = []
            (self.out_dir / f"{name}.jsonl").unlink(missing_ok=True)
        self._tables[name].extend(rows)
        self.append_jsonl(f"{name}.jsonl", rows)
        every = self._tables[name]
        columns = list(dict.fromkeys([*ROW_IDS, *(k for row in every for k in row)]))
        with open(self.out_dir / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=columns)
            writer.writeheader()
            writer.writerows({k: _cell(row.get(k)) for k in columns} for row in every)

    def write_json(self, name: str, value: Any) -> None:
        (self.out_dir / name).write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def _cell(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def _system_records(
    name: str,
    bench: Benchmark,
    requests: Sequence[Request],
    generations: Sequence[Generation],
    scored: Iterator[Future],
) -> Iterator[tuple[dict, dict | None, dict]]:
    """(generation record, score record or None, tables) per document, in dataset order.

    ``scored`` holds the outcome of ``score`` for each generation without an error, in order.
    """
    base = {"system": name, "prompt": bench.prompt.name, "dataset": bench.dataset}
    for request, generation in zip(requests, generations, strict=True):
        ids = {"doc_id": request.doc.id, **base}
        record = {
            **ids,
            "summary": generation.summary,
            "error": generation.error,
            "warnings": list(generation.warnings),
            "prompt_system": bench.prompt.system,
            "prompt_user": bench.prompt.user,
            "budget": f"{request.budget.size} {request.budget.unit}",
        }
        if generation.error is not None:
            yield record, None, {}
            continue
        numbers, tables = next(scored).result()
        rows = {k: [{**ids, **row} for row in v] for k, v in tables.items()}
        yield record, {**ids, **numbers}, rows


def run(cfg: DictConfig, out_dir: Path) -> dict[str, SystemStats]:
    """Run every selected summarizer and write the run folder; returns per-system stats."""
    workers = check_workers(OmegaConf.select(cfg, "scoring.workers", default=1))
    stages = Stages()
    pool_cpu_before = pool_usage["cpu_s"]
    with stages("load"):
        bench = build(cfg)
        requests = [bench.prompt.render(doc) for doc in bench.documents]
    writer = RunWriter(out_dir)
    (out_dir / "config.yaml").write_text(OmegaConf.to_yaml(cfg, resolve=True))
    cache = GenerationCache(cfg.cache_path) if cfg.cache else None
    all_scores: list[dict] = []
    stats: dict[str, SystemStats] = {}
    try:
        for name, node in bench.systems.items():
            summarizer = _instantiate(node, f"model.{name}")
            st = stats[name] = SystemStats(documents=len(requests))
            start = time.perf_counter()
            # Log lines go above the bar instead of through it.
            with (
                stages("generate"),
                logging_redirect_tqdm(),
                tqdm(
                    total=len(requests),
                    desc=name,
                    unit="doc",
                    leave=False,
                    disable=None if cfg.progress else True,  # None: on a terminal only
                ) as bar,
            ):
                generations = generate(summarizer, requests, cache, st, bar)
            st.seconds = time.perf_counter() - start
            del summarizer  # free a model's memory before the next one loads
            start = time.perf_counter()
            with stages("score"):
                done = zip(requests, generations, strict=True)
                pairs = [(r.doc, g.summary) for r, g in done if g.error is None]
                scored = iter(score_all(score, bench.metrics, pairs, workers))
            st.score_seconds = time.perf_counter() - start
            records, scores, tables = [], [], {}
            for record, numbers, rows in _system_records(
                name, bench, requests, generations, scored
            ):
                records.append(record)
                if numbers is None:
                    st.failures += 1
                    st.errors.append(f"{record['doc_id']}: {record['error']}")
                else:
                    scores.append(numbers)
                for key, value in rows.items():
                    tables.setdefault(key, []).extend(value)
            with stages("write"):
                writer.append_jsonl("generations.jsonl", records)
                writer.append_jsonl("scores.jsonl", scores)
                for key, rows in tables.items():
                    writer.append_table(key, rows)
            all_scores.extend(scores)
    finally:
        if cache is not None:
            cache.close()
        writer.write_json(
            "run.json",
            {
                "dataset": bench.dataset,
                "prompt": bench.prompt.name,
                "documents": len(bench.documents),
                "measures": bench.measures,
                "systems": {n: s.__dict__ for n, s in stats.items()},
                # Seconds and peak MiB per stage (the leaderboard, written next, is not in).
                "stages": stages.as_dict(),
                # Included in the stages; getrusage of this process does not see it.
                "scoring_pool_cpu_s": round(pool_usage["cpu_s"] - pool_cpu_before, 3),
            },
        )
        if all_scores:
            rows = report.leaderboard(all_scores, list(bench.measures))
            report.write_leaderboard(rows, list(bench.measures), out_dir)
    return stats
