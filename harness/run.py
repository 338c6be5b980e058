"""Build the pieces a config names, run every summarizer over the documents, score and write.

``build(cfg)`` and ``run(cfg, out_dir)`` are the only callers of ``hydra.utils.instantiate``;
``harness.app`` wraps them in ``@hydra.main`` and tests call them with a config from
``hydra.compose``. A run folder holds:

- ``generations.jsonl``: one line per document and system: the summary, its prompt, any error;
- ``scores.jsonl``: one line per scored document and system, one number per metric;
- one ``<table>.csv``/``.jsonl`` per table a metric returns (``unsupported_figures``);
- ``leaderboard.csv`` and ``leaderboard.md``: systems × mean metrics;
- ``config.yaml`` (the resolved config) and ``run.json`` (measures, timings, cache hits, failures,
  and the list of these files: the run owns exactly those).

Nothing is written before every setting and summarizer is checked. The files are written aside
and moved into the folder together when the run ends (harness.run_writer), also when it fails
late or is stopped: a run keeps the systems it finished, and never mixes its files with an
earlier run's.
"""

from __future__ import annotations

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

from harness import provenance, register_resolvers
from harness.budget import hold_to_budget
from harness.cache import GenerationCache, cache_key
from harness.errors import UsageError, first_line
from harness.prompts import PromptTemplate
from harness.run_writer import RunWriter, publish_run
from harness.scoring import check_workers, pool_usage, score_all
from harness.stages import Stages
from harness.text import count_words
from harness.types import Document, Generation, Metric, Request, Summarizer

log = logging.getLogger(__name__)
# A config composed elsewhere (hydra.compose in a test or a script) resolves ${root:} here too.
register_resolvers()


@dataclass
class Benchmark:
    """Everything a run needs except the summarizers, which load one at a time."""

    dataset: str
    documents: list[Document]
    prompt: PromptTemplate
    metrics: dict[str, Metric]
    summarizers: dict[str, Summarizer]  # by system name (``label``): what results show
    scoring_workers: int | None = 1
    model_keys: dict[str, str] = field(default_factory=dict)  # system name -> its model.<key>

    @property
    def measures(self) -> dict[str, bool]:
        """Every leaderboard column and whether higher is better."""
        return {k: v for m in self.metrics.values() for k, v in m.higher_is_better.items()}


@dataclass
class SystemStats:
    documents: int = 0
    failures: int = 0  # generations that failed
    metric_failures: int = 0  # documents a metric failed on (their errors are in ``errors``)
    cache_hits: int = 0
    seconds: float = 0.0  # generating
    score_seconds: float = 0.0
    skipped: int = 0  # documents the system cannot summarize (the oracle without references)
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
    """Every piece the config names, each checked: a bad setting is a UsageError naming it."""
    # Imported here: datasets is heavy, and scoring workers import this module for `score`.
    from harness.data import to_documents

    _check_settings(cfg)
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
    prompt = _instantiate(cfg.prompt, "prompt")
    # All of them now, so that a bad setting of the last one stops the run before it starts.
    # (Model weights load when a summarizer is first used.)
    summarizers = {key: _instantiate(node, f"model.{key}") for key, node in cfg.model.items()}
    keys = _system_names(cfg, summarizers)
    workers = OmegaConf.select(cfg, "scoring.workers", default=1)
    by_name = {name: summarizers[key] for name, key in keys.items()}
    return Benchmark(source.name, documents, prompt, metrics, by_name, workers, keys)


def _system_names(cfg: DictConfig, summarizers: Mapping[str, Summarizer]) -> dict[str, str]:
    """Each system's name (its model's ``label``, or its config key) -> its config key.

    A model config with a ``label`` setting gets the name written in, so config.yaml says it.
    """
    keys: dict[str, str] = {}
    for key, summarizer in summarizers.items():
        name = str(getattr(summarizer, "label", None) or key)
        if name in keys:
            raise UsageError(
                f"model.{key}: named {name!r} like model.{keys[name]}; two systems of one run "
                f"need two names (set model.{key}.label)"
            )
        keys[name] = key
        if "label" in cfg.model[key]:
            cfg.model[key].label = name
    return keys


def _check_settings(cfg: DictConfig) -> None:
    """The top-level settings, which no class checks."""
    for key in ("cache", "progress", "hold_budget"):
        if not isinstance(cfg.get(key), bool):
            raise UsageError(f"{key}={cfg.get(key)}: must be true or false")
    if cfg.cache and not isinstance(cfg.get("cache_path"), str):
        raise UsageError(f"cache_path={cfg.get('cache_path')}: must be a file path")
    check_workers(OmegaConf.select(cfg, "scoring.workers", default=1))


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
    """Numbers for scores.jsonl, and the rows of any tables the metrics return.

    A metric that fails on this document is recorded under ``metric_errors`` (metric name:
    error) and its numbers are left out; the other metrics and documents are still scored.
    """
    numbers: dict[str, Any] = {"words": count_words(summary)}
    tables: dict[str, list[dict]] = {}
    errors: dict[str, str] = {}
    for name, metric in metrics.items():
        try:
            result = dict(metric.score(doc, summary))
        except Exception as e:  # one document must not cost the run its other scores
            errors[name] = f"{type(e).__name__}: {e}"
            log.warning("metric %s failed on %s: %s", name, doc.id, errors[name])
            continue
        for key, value in result.items():
            if isinstance(value, list):
                tables[key] = value
            else:
                numbers[key] = value
    if errors:
        numbers["metric_errors"] = errors
    return numbers, tables


def _scored(generation: Generation) -> bool:
    return generation.error is None and generation.skipped is None


def _system_records(
    name: str,
    bench: Benchmark,
    requests: Sequence[Request],
    generations: Sequence[Generation],
    scored: Iterator[Future],
) -> Iterator[tuple[dict, dict | None, dict]]:
    """(generation record, score record or None, tables) per document, in dataset order.

    ``scored`` holds the outcome of ``score`` for each generation that is scored, in order.
    """
    base = {"system": name, "prompt": bench.prompt.name, "dataset": bench.dataset}
    for request, generation in zip(requests, generations, strict=True):
        ids = {"doc_id": request.doc.id, **base}
        record = {
            **ids,
            "summary": generation.summary,
            "error": generation.error,
            "warnings": [*generation.warnings, *filter(None, [generation.skipped])],
            "cut": generation.cut,  # "budget", "token_limit" or null (harness.budget)
            "prompt_system": bench.prompt.system,
            "prompt_user": bench.prompt.user,
            "budget": f"{request.budget.size} {request.budget.unit}",
        }
        if not _scored(generation):
            yield record, None, {}
            continue
        try:
            numbers, tables = next(scored).result()
        except Exception as e:  # e.g. a scoring worker that died: this document's error
            numbers, tables = {"metric_errors": {"scoring": f"{type(e).__name__}: {e}"}}, {}
        rows = {k: [{**ids, **row} for row in v] for k, v in tables.items()}
        yield record, {**ids, **numbers}, rows


def run(cfg: DictConfig, out_dir: Path) -> dict[str, SystemStats]:
    """Run every selected summarizer and write the run folder; returns per-system stats.

    Every setting and summarizer is checked (``build``) before the folder is touched. The
    systems that finish are published together when the run ends, also when it fails late or
    is stopped (SIGTERM, Ctrl-C); a run that finishes none leaves the folder as it was.
    """
    writer = RunWriter(out_dir)  # a folder aside: the run folder's files stay as they are
    stats: dict[str, SystemStats] = {}
    cache = None
    stages = Stages()
    pool_cpu_before = pool_usage["cpu_s"]
    finished = False  # True once every system is done: the gate's --update refuses a cut run
    try:
        with stages("load"):
            bench = build(cfg)
            requests = [bench.prompt.render(doc) for doc in bench.documents]
        cache = GenerationCache(cfg.cache_path) if cfg.cache else None
        (writer.dir / "config.yaml").write_text(OmegaConf.to_yaml(cfg, resolve=True))
        for name in list(bench.summarizers):
            # Popped, so a model's memory is freed before the next one loads.
            summarizer = bench.summarizers.pop(name)
            stats[name] = run_system(
                name,
                summarizer,
                bench,
                requests,
                cache,
                writer,
                cfg.progress,
                stages,
                hold_budget=cfg.hold_budget,
            )
        finished = True
    finally:
        if cache is not None:
            cache.close()
        if stats:
            systems = {name: cfg.model[key] for name, key in bench.model_keys.items()}
            ran_on = provenance.of_run(
                bench.dataset, bench.documents, bench.prompt, cfg.metrics, systems
            )
            more = {
                "finished": finished,
                "provenance": ran_on,
                # In the stages too; getrusage of this process cannot see the pool's workers.
                "scoring_pool_cpu_s": round(pool_usage["cpu_s"] - pool_cpu_before, 3),
            }
            publish_run(writer, bench, stats, more, stages, cfg)
        else:
            writer.discard()
    return stats


def run_system(
    name: str,
    summarizer: Summarizer,
    bench: Benchmark,
    requests: Sequence[Request],
    cache: GenerationCache | None,
    writer: RunWriter,
    progress: bool,
    stages: Stages,
    hold_budget: bool = True,
) -> SystemStats:
    """Generates, holds to the budget (harness.budget), scores and hands one system's records
    to the writer."""
    st = SystemStats(documents=len(requests))
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
            disable=None if progress else True,  # None: on a terminal only
        ) as bar,
    ):
        generations = generate(summarizer, requests, cache, st, bar)
    generations = hold_to_budget(generations, requests, hold_budget)
    st.seconds = time.perf_counter() - start
    start = time.perf_counter()
    with stages("score"):
        done = zip(requests, generations, strict=True)
        pairs = [(r.doc, g.summary) for r, g in done if _scored(g)]
        scored = iter(score_all(score, bench.metrics, pairs, bench.scoring_workers))
    st.score_seconds = time.perf_counter() - start
    records, scores, tables = [], [], {}
    for record, numbers, rows in _system_records(name, bench, requests, generations, scored):
        records.append(record)
        if record["error"] is not None:
            st.failures += 1
            st.errors.append(f"{record['doc_id']}: {record['error']}")
        elif numbers is None:
            st.skipped += 1
        else:
            scores.append(numbers)
            for metric, error in numbers.get("metric_errors", {}).items():
                st.metric_failures += 1
                st.errors.append(f"{record['doc_id']}: metric {metric}: {error}")
        for key, value in rows.items():
            tables.setdefault(key, []).extend(value)
    writer.append_jsonl("generations.jsonl", records)
    writer.append_jsonl("scores.jsonl", scores)
    for key, rows in tables.items():
        writer.append_table(key, rows)
    return st
