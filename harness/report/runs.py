"""Finding and reading run folders: a run folder as ``harness.run`` writes it, or a sweep
folder (Hydra's ``multirun.yaml`` beside job folders ``0/``, ``1/`` ...).

A damaged file (a line cut short or not JSON) is a :class:`DamagedFile` naming the file and
line: a report that silently dropped the rest of a file would misstate what was run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import DamagedFile, UsageError

ROW_KEYS = ("system", "prompt", "dataset")
# Files of a run folder that are not tables of a metric.
RUN_FILES = ("scores.jsonl", "generations.jsonl", "documents.jsonl")
# Settings that change where or how fast a run goes, not what it measures.
NOT_SETTINGS = ("cache", "cache_path", "progress")


@dataclass(frozen=True)
class Run:
    """What the report needs of one run folder."""

    path: Path
    measures: dict[str, bool | None]  # None: a diagnostic, shown but never gated nor "best"
    scores: tuple[dict, ...]
    tables: dict[str, tuple[dict, ...]] = field(default_factory=dict)
    metrics_config: str | None = None
    failures: tuple[str, ...] = ()
    overrides: tuple[str, ...] = ()
    settings: dict[str, str] = field(default_factory=dict)  # flattened config.yaml
    generations: tuple[dict, ...] = ()
    documents: tuple[dict, ...] = ()
    reads_references: tuple[str, ...] = ()  # systems whose summaries read the references


def document_digests(runs: Iterable[Run]) -> dict[tuple[str, str], str]:
    """A digest of each document's text by (dataset, doc_id): documents of two runs are the
    same document only when their texts are (two datasets may both be called ``hf`` and
    number their rows alike)."""
    return {
        (d["dataset"], d["doc_id"]): hashlib.sha256(d["text"].encode()).hexdigest()
        for run in runs
        for d in run.documents
    }


def read_jsonl(path: Path) -> list[dict]:
    """Every record of a JSON-lines file; DamagedFile names the first line that is not one."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise DamagedFile(f"{path}: cannot read ({e.__class__.__name__})") from None
    records = []
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise DamagedFile(f"{path}:{i}: damaged line (not JSON; cut short?)") from None
        if not isinstance(record, dict):
            raise DamagedFile(f"{path}:{i}: damaged line (not a JSON object)")
        records.append(record)
    return records


def _read_info(path: Path) -> dict:
    info_path = path / "run.json"
    if not info_path.is_file():
        raise UsageError(f"{path}: no run.json (not a run folder, or the run died before scoring)")
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise DamagedFile(f"{info_path}: corrupt (not JSON)") from None
    if not isinstance(info, dict) or not isinstance(info.get("measures"), dict):
        raise UsageError(f"{info_path}: older run format (no 'measures'); re-run it")
    return info


def load_run(path: Path) -> Run:
    """Read a run folder written by ``harness.run``; a UsageError names what is wrong."""
    info = _read_info(path)
    scores_path = path / "scores.jsonl"
    if not scores_path.is_file():
        raise UsageError(f"{path}: no scores.jsonl (every generation failed, or the run died)")
    scores = read_jsonl(scores_path)
    for i, s in enumerate(scores, 1):
        missing = [k for k in ("doc_id", *ROW_KEYS) if k not in s]
        if missing:
            raise UsageError(f"{scores_path}:{i}: older format (no {', '.join(missing)}); re-run")
    if not scores:
        raise UsageError(f"{scores_path}: empty (no document was scored)")
    tables = {
        p.stem: read_jsonl(p) for p in sorted(path.glob("*.jsonl")) if p.name not in RUN_FILES
    }
    optional = {n: path / n for n in ("generations.jsonl", "documents.jsonl")}
    return run_of(
        path,
        info,
        _load_config(path / "config.yaml"),
        scores,
        tables,
        *(read_jsonl(p) if p.is_file() else [] for p in optional.values()),
    )


def run_of(
    path: Path,
    info: Mapping[str, Any],
    config: Mapping[str, Any],
    scores: Sequence[dict],
    tables: Mapping[str, Sequence[dict]],
    generations: Sequence[dict] = (),
    documents: Sequence[dict] = (),
) -> Run:
    """A Run from its records: read from a folder (``load_run``), or as the run holds them in
    memory when it writes its own report (harness.run), so both see the same thing."""
    failures = tuple(
        f"{name}: {error}"
        for name, stats in (info.get("systems") or {}).items()
        for error in (stats.get("errors") or [])
    )
    return Run(
        path=path,
        measures={str(k): None if v is None else bool(v) for k, v in info["measures"].items()},
        scores=tuple(scores),
        tables={name: tuple(rows) for name, rows in tables.items()},
        metrics_config=json.dumps(config.get("metrics"), sort_keys=True) if config else None,
        failures=failures,
        overrides=job_overrides(path),
        settings=_flatten({k: v for k, v in config.items() if k not in NOT_SETTINGS}),
        generations=tuple(generations),
        documents=tuple(documents),
        reads_references=tuple(info.get("reads_references") or _oracles(config)),
    )


def reference_readers(models: Mapping) -> list[str]:
    """The selected summarizers (config ``model``) whose class says ``reads_references = True``
    (the oracle): they see the references, a ceiling and never a competitor."""
    from hydra.utils import get_class

    found = []
    for name, node in (models or {}).items():
        try:
            if getattr(get_class(node["_target_"]), "reads_references", False):
                found.append(str(node.get("label") or name))  # the system's name in results
        except Exception:  # not a class we can name: not a reader
            continue
    return found


def _oracles(config: Mapping) -> list[str]:
    """Runs that predate ``reads_references`` in run.json: the oracle is the one such system."""
    models = config.get("model") or {}
    return [
        name
        for name, node in models.items()
        if isinstance(node, Mapping) and str(node.get("_target_", "")).endswith(".Oracle")
    ]


def _load_config(path: Path) -> dict:
    """The run's resolved config.yaml as plain data ({} when absent or damaged: only labels and
    the cross-run metric check are lost)."""
    if not path.is_file():
        return {}
    from omegaconf import OmegaConf

    try:
        data = OmegaConf.to_container(OmegaConf.load(path), resolve=False)
    except Exception:
        return {}
    return data if isinstance(data, dict) else {}


def _flatten(data: Mapping, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in data.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping) and v:
            out.update(_flatten(v, key + "."))
        else:
            out[key] = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
    return out


def job_overrides(path: Path) -> tuple[str, ...]:
    """The command-line overrides Hydra recorded for a run or a sweep's job (``.hydra/``)."""
    from omegaconf import OmegaConf

    try:
        return tuple(str(o) for o in OmegaConf.load(path / ".hydra" / "overrides.yaml"))
    except Exception:  # not run by Hydra, or the file is damaged: only a label is lost
        return ()


def distinct_overrides(overrides: Sequence[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Each job's overrides that differ between jobs: what tells the jobs of a sweep apart."""
    common = set.intersection(*(set(o) for o in overrides)) if overrides else set()
    return [tuple(o for o in job if o not in common) for job in overrides]


def find_runs(paths: Iterable[Path]) -> tuple[list[Run], list[str]]:
    """The usable runs under each path (a run folder or a sweep folder), and what is unusable.

    A sweep contributes every job that finished; a job that cannot be read is reported, not
    fatal (the caller fails when nothing is usable). A damaged file is always fatal.
    """
    runs: list[Run] = []
    problems: list[str] = []
    for path in map(Path, paths):
        if not path.is_dir():
            problems.append(f"{path}: no such folder")
            continue
        if (path / "run.json").exists() or (path / "scores.jsonl").exists():
            try:
                runs.append(load_run(path))
            except DamagedFile:
                raise
            except UsageError as e:
                problems.append(str(e))
            continue
        jobs = sorted((p for p in path.iterdir() if p.is_dir() and p.name.isdigit()), key=_num)
        if not jobs and not (path / "multirun.yaml").exists():
            problems.append(
                f"{path}: neither a run folder (no run.json) nor a sweep folder (no multirun.yaml)"
            )
            continue
        if not jobs:
            problems.append(f"{path}: sweep has no job folders")
        distinct = distinct_overrides([job_overrides(j) for j in jobs])
        for job, varying in zip(jobs, distinct, strict=True):
            try:
                runs.append(load_run(job))
            except DamagedFile:
                raise
            except UsageError as e:
                what = f" ({' '.join(varying)})" if varying else ""
                problems.append(f"job {job.name}{what} failed or is unfinished: {e}")
    return runs, problems


def _num(p: Path) -> int:
    return int(p.name)


def path_labels(runs: Sequence[Run]) -> dict[Path, str]:
    """Short distinct names for run folders: the shortest path suffix that tells them apart."""
    paths = [r.path.resolve() for r in runs]
    for depth in range(1, max((len(p.parts) for p in paths), default=1) + 1):
        labels = {p: "/".join(p.parts[-depth:]) for p in paths}
        if len(set(labels.values())) == len(paths):
            return {r.path: labels[r.path.resolve()] for r in runs}
    return {r.path: str(r.path) for r in runs}


def differing_settings(runs: Sequence[Run], system: str) -> dict[Path, str]:
    """What sets each run apart from the others for one system's rows: the settings (prompt,
    budget, dataset, that system's model settings, metrics) whose values differ, as
    ``key=value``; empty when the configs agree."""

    # The system's config key: its name, or the key whose `label` names it (hf_chat, openai).
    prefixes = {f"model.{system}."} | {
        k[: -len("label")] for r in runs for k, v in r.settings.items()
        if k.startswith("model.") and k.endswith(".label") and v == system
    }  # fmt: skip

    def relevant(key: str) -> bool:
        return not key.startswith("model.") or key.startswith(tuple(prefixes))

    def short(key: str) -> str:
        prefix = next((p for p in prefixes if key.startswith(p)), None)
        return "model." + key[len(prefix) :] if prefix else key

    keys = sorted({k for r in runs for k in r.settings if relevant(k)})
    varying = [k for k in keys if len({r.settings.get(k) for r in runs}) > 1]
    return {
        r.path: " ".join(f"{short(k)}={_clip(r.settings.get(k, '–'))}" for k in varying)
        for r in runs
    }


def _clip(value: Any, width: int = 40) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
