"""Results tables: leaderboards with bootstrap intervals, paired comparisons, and report.html.

Every aggregate of summbench is computed here, once: ``harness.run`` writes a run's leaderboard
with these functions, ``summbench-report`` merges runs and sweeps with them, and
``summbench-check`` gates the same means.

- A leaderboard row is a (system, prompt, dataset) of one run: n, and for each measure the mean
  over documents with a 95% percentile bootstrap interval (Efron & Tibshirani 1993, ch. 13),
  resampling documents with a fixed seed, so two reports of the same runs are identical.
- Rows from different runs are never averaged together: when the same (system, prompt, dataset)
  appears in several runs, each keeps its own row, labelled by its run folder, and the report says
  so in a warning (silently mixed runs in merged tables are a complaint HELM's users raised).
- ``--compare A B`` is a paired test over the documents both were scored on: the mean difference
  with a paired bootstrap interval, and the two-sided p-value of a sign-flip permutation test
  (exact up to 16 documents; Good 2005, "Permutation, Parametric and Bootstrap Tests"). Pairing
  matters: the documents are shared, and an unpaired test on paired data (lm-evaluation-harness's
  comparator) hides a consistent difference under between-document variance.
"""

from __future__ import annotations

import argparse
import base64
import csv
import html
import io
import json
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from harness.errors import UsageError

ROW_KEYS = ("system", "prompt", "dataset")
CONFIDENCE = 0.95
RESAMPLES = 2000
SEED = 0
ALPHA = 0.05
EXACT_PERMUTATION_MAX_N = 16
PERMUTATIONS = 20000
TABLE_ORDER = ("doc_id", "system", "prompt", "dataset", "text", "reason", "nearest", "sentence")


# --------------------------------------------------------------------------- statistics


@dataclass(frozen=True)
class Estimate:
    """A mean over documents with its bootstrap interval; ``None`` throughout when n is 0."""

    mean: float | None
    low: float | None
    high: float | None
    n: int


def mean(values: Sequence[float]) -> float | None:
    # fsum: the mean must not depend on summation order, since the gate holds it to 1e-9.
    return math.fsum(values) / len(values) if values else None


def bootstrap_interval(
    values: Sequence[float],
    confidence: float = CONFIDENCE,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> tuple[float, float]:
    """The percentile bootstrap interval of the mean of ``values``.

    Each call draws from its own generator seeded with ``seed``, so a row's interval does not
    depend on which other rows are in the report.
    """
    v = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    means = v[rng.integers(0, len(v), size=(resamples, len(v)))].mean(axis=1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)


def estimate(values: Sequence[float]) -> Estimate:
    if not values:
        return Estimate(None, None, None, 0)
    low, high = bootstrap_interval(values)
    return Estimate(mean(values), low, high, len(values))


# --------------------------------------------------------------------------- run folders


@dataclass(frozen=True)
class Run:
    """What the report needs of one run folder."""

    path: Path
    measures: dict[str, bool]
    scores: tuple[dict, ...]
    tables: dict[str, tuple[dict, ...]] = field(default_factory=dict)
    metrics_config: str | None = None
    failures: tuple[str, ...] = ()
    overrides: tuple[str, ...] = ()


def _read_jsonl(path: Path) -> list[dict]:
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"{path}: cannot read ({e.__class__.__name__})") from None
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            # A job killed mid-write leaves a partial last line; anything else is corruption.
            if i == len(lines):
                continue
            raise UsageError(f"{path}:{i}: not JSON") from None
        if not isinstance(record, dict):
            raise UsageError(f"{path}:{i}: not a JSON object")
        records.append(record)
    return records


def load_run(path: Path) -> Run:
    """Read a run folder written by ``harness.run``; a UsageError names what is wrong."""
    info_path = path / "run.json"
    if not info_path.is_file():
        raise UsageError(f"{path}: no run.json (not a run folder, or the run died before scoring)")
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise UsageError(f"{info_path}: corrupt (not JSON)") from None
    measures = info.get("measures") if isinstance(info, dict) else None
    if not isinstance(measures, dict):
        raise UsageError(f"{info_path}: older run format (no 'measures'); re-run it")
    scores_path = path / "scores.jsonl"
    if not scores_path.is_file():
        raise UsageError(f"{path}: no scores.jsonl (every generation failed, or the run died)")
    scores = _read_jsonl(scores_path)
    for i, s in enumerate(scores, 1):
        missing = [k for k in ("doc_id", *ROW_KEYS) if k not in s]
        if missing:
            raise UsageError(f"{scores_path}:{i}: older format (no {', '.join(missing)}); re-run")
    if not scores:
        raise UsageError(f"{scores_path}: empty (no document was scored)")
    tables = {}
    for table_path in sorted(path.glob("*.jsonl")):
        if table_path.name not in ("scores.jsonl", "generations.jsonl"):
            tables[table_path.stem] = tuple(_read_jsonl(table_path))
    failures = tuple(
        f"{name}: {error}"
        for name, stats in (info.get("systems") or {}).items()
        for error in (stats.get("errors") or [])
    )
    config = path / "config.yaml"
    return Run(
        path=path,
        measures={str(k): bool(v) for k, v in measures.items()},
        scores=tuple(scores),
        tables=tables,
        metrics_config=_metrics_config(config) if config.is_file() else None,
        failures=failures,
        overrides=job_overrides(path),
    )


def _metrics_config(path: Path) -> str | None:
    """The run's ``metrics`` settings, to tell whether two runs scored alike."""
    from omegaconf import OmegaConf

    try:
        node = OmegaConf.load(path).get("metrics")
    except Exception:  # a damaged config.yaml only costs the cross-run check
        return None
    return None if node is None else OmegaConf.to_yaml(node)


def job_overrides(path: Path) -> tuple[str, ...]:
    """The command-line overrides Hydra recorded for a run or a sweep's job (``.hydra/``)."""
    from omegaconf import OmegaConf

    try:
        return tuple(str(o) for o in OmegaConf.load(path / ".hydra" / "overrides.yaml"))
    except Exception:  # not run by Hydra, or the file is damaged: only a label is lost
        return ()


def _distinct_overrides(overrides: Sequence[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Each job's overrides that differ between jobs: what tells the jobs of a sweep apart."""
    common = set.intersection(*(set(o) for o in overrides)) if overrides else set()
    return [tuple(o for o in job if o not in common) for job in overrides]


def _job_number(p: Path) -> int:
    return int(p.name)


def find_runs(paths: Iterable[Path]) -> tuple[list[Run], list[str]]:
    """The usable runs under each path (a run folder or a sweep folder), and what is unusable.

    A sweep folder (Hydra's ``multirun.yaml`` beside job folders ``0/``, ``1/`` ...) contributes
    every job that finished. A folder or job that cannot be read is reported, not fatal: the
    usable parts are still merged (the caller fails when nothing is usable).
    """
    runs: list[Run] = []
    problems: list[str] = []
    for path in paths:
        path = Path(path)
        if not path.is_dir():
            problems.append(f"{path}: no such folder")
            continue
        if (path / "run.json").exists() or (path / "scores.jsonl").exists():
            try:
                runs.append(load_run(path))
            except UsageError as e:
                problems.append(str(e))
            continue
        jobs = sorted(
            (p for p in path.iterdir() if p.is_dir() and p.name.isdigit()), key=_job_number
        )
        if not jobs and not (path / "multirun.yaml").exists():
            problems.append(
                f"{path}: neither a run folder (no run.json) nor a sweep folder (no multirun.yaml)"
            )
            continue
        if not jobs:
            problems.append(f"{path}: sweep has no job folders")
        distinct = _distinct_overrides([job_overrides(j) for j in jobs])
        for job, varying in zip(jobs, distinct, strict=True):
            try:
                runs.append(load_run(job))
            except UsageError as e:
                what = f" ({' '.join(varying)})" if varying else ""
                problems.append(f"job {job.name}{what} failed or is unfinished: {e}")
    return runs, problems


# --------------------------------------------------------------------------- leaderboard


def measures_of(runs: Sequence[Run]) -> dict[str, bool]:
    """Every measure of the runs, in first-seen order, with its direction."""
    out: dict[str, bool] = {}
    for run in runs:
        for k, v in run.measures.items():
            out.setdefault(k, v)
    return out


def _labels(runs: Sequence[Run]) -> dict[Path, str]:
    """Short distinct names for run folders: the shortest path suffix that tells them apart,
    and for a sweep's jobs the overrides that set them apart ("3 (prompt.budget.size=40)")."""
    paths = [r.path.resolve() for r in runs]
    names = {r.path: str(r.path) for r in runs}
    for depth in range(1, max((len(p.parts) for p in paths), default=1) + 1):
        labels = {p: "/".join(p.parts[-depth:]) for p in paths}
        if len(set(labels.values())) == len(paths):
            names = {r.path: labels[r.path.resolve()] for r in runs}
            break
    for run, varying in zip(runs, _distinct_overrides([r.overrides for r in runs]), strict=True):
        if run.overrides and varying:
            names[run.path] += f" ({' '.join(varying)})"
    return names


def leaderboard(scores: Sequence[dict], measures: Sequence[str]) -> list[dict]:
    """One row per (system, prompt, dataset[, run]) in first-seen order: n and an Estimate per
    measure (plus ``words``, the mean summary length).

    A measure undefined for a document (None or absent) is left out of that measure's mean, and
    its Estimate's n says so. Records carrying a ``run`` key are grouped by it too.
    """
    groups: dict[tuple, list[dict]] = {}
    for s in scores:
        groups.setdefault((*(s[k] for k in ROW_KEYS), s.get("run")), []).append(s)
    rows = []
    for key, group in groups.items():
        row: dict[str, Any] = dict(zip(ROW_KEYS, key, strict=False))
        if key[-1] is not None:
            row["run"] = key[-1]
        row["n"] = len(group)
        for m in measures:
            row[m] = estimate([s[m] for s in group if s.get(m) is not None])
        row["words"] = mean([s["words"] for s in group if s.get("words") is not None])
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Merged:
    """Runs merged into one table, with what a reader must be told about the merge."""

    runs: tuple[Run, ...]
    measures: dict[str, bool]
    scores: tuple[dict, ...]
    rows: tuple[dict, ...]
    warnings: tuple[str, ...]
    problems: tuple[str, ...] = ()  # folders left out (failed jobs); also among the warnings


def merge(runs: Sequence[Run], problems: Sequence[str] = ()) -> Merged:
    """All runs' scores in one leaderboard, keeping rows of different runs apart when they clash.

    When a (system, prompt, dataset) was scored in more than one run, its rows are labelled by
    run folder (a ``run`` column) instead of being pooled: the runs may differ in anything the
    row key does not show (budget, model settings, code version).
    """
    labels = _labels(runs)
    owners: dict[tuple, list[Path]] = {}
    for run in runs:
        for key in dict.fromkeys(tuple(s[k] for k in ROW_KEYS) for s in run.scores):
            owners.setdefault(key, []).append(run.path)
    clashes = {k: v for k, v in owners.items() if len(v) > 1}
    warnings = list(problems)
    for key, paths in clashes.items():
        warnings.append(
            f"{'/'.join(key)} was scored in {len(paths)} runs "
            f"({', '.join(labels[p] for p in paths)}): kept as separate rows, labelled by run"
        )
    configs = {r.metrics_config for r in runs if r.metrics_config is not None}
    if len(configs) > 1:
        warnings.append(
            "the runs scored with different metric settings (config.yaml 'metrics'): "
            "their rows are not comparable"
        )
    directions = {}
    for run in runs:
        for m, up in run.measures.items():
            if directions.setdefault(m, up) != up:
                warnings.append(f"{m}: the runs disagree on its direction (higher or lower)")
    scores = []
    for run in runs:
        for s in run.scores:
            key = tuple(s[k] for k in ROW_KEYS)
            scores.append({**s, "run": labels[run.path]} if key in clashes else s)
    measures = measures_of(runs)
    rows = leaderboard(scores, list(measures))
    return Merged(
        tuple(runs), measures, tuple(scores), tuple(rows), tuple(warnings), tuple(problems)
    )


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3f}"


def _cell(est: Estimate, n: int) -> str:
    """``mean [low, high]``, and the measure's own n when some documents had no value."""
    if est.mean is None:
        return "–"
    text = f"{_fmt(est.mean)} [{_fmt(est.low)}, {_fmt(est.high)}]"
    return text if est.n == n else f"{text} (n={est.n})"


def _key_columns(rows: Sequence[dict]) -> list[str]:
    return [*ROW_KEYS, *(["run"] if any("run" in r for r in rows) else []), "n"]


def markdown(rows: Sequence[dict], measures: Sequence[str]) -> str:
    """The leaderboard as a Markdown table: each measure as ``mean [95% interval]``."""
    keys = _key_columns(rows)
    lines = [
        "| " + " | ".join([*keys, *measures, "words"]) + " |",
        "|" + "---|" * len(keys) + "---:|" * (len(measures) + 1),
    ]
    for r in rows:
        cells = [str(r.get(k, "")) for k in keys]
        cells += [_cell(r[m], r["n"]) for m in measures]
        cells.append(_fmt(r["words"]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_leaderboard(rows: Sequence[dict], measures: Sequence[str], out_dir: Path) -> None:
    """``leaderboard.md`` and ``leaderboard.csv`` (mean, interval bounds and n per measure)."""
    keys = _key_columns(rows)
    columns = [*keys, *(f"{m}{s}" for m in measures for s in ("", "_low", "_high", "_n")), "words"]
    with open(out_dir / "leaderboard.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for r in rows:
            line: list[Any] = [r.get(k, "") for k in keys]
            for m in measures:
                est = r[m]
                line += [_csv_number(est.mean), _csv_number(est.low), _csv_number(est.high), est.n]
            writer.writerow([*line, _csv_number(r["words"])])
    (out_dir / "leaderboard.md").write_text(markdown(rows, measures), encoding="utf-8")


def _csv_number(value: float | None) -> str:
    return "" if value is None else repr(value)


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class Selector:
    """``SYSTEM[/PROMPT[/DATASET]]``: the rows one side of a comparison stands for."""

    system: str
    prompt: str | None = None
    dataset: str | None = None

    @classmethod
    def parse(cls, text: str) -> Selector:
        parts = text.split("/")
        if not 1 <= len(parts) <= 3 or not all(parts):
            raise UsageError(
                f"--compare {text!r}: expected SYSTEM, SYSTEM/PROMPT or SYSTEM/PROMPT/DATASET"
            )
        return cls(*parts)

    def __str__(self) -> str:
        return "/".join(p for p in (self.system, self.prompt, self.dataset) if p)

    def matches(self, record: Mapping[str, Any]) -> bool:
        return all(getattr(self, k) is None or record[k] == getattr(self, k) for k in ROW_KEYS)


@dataclass(frozen=True)
class Comparison:
    """A − B on one measure over the documents both were scored on."""

    measure: str
    higher_is_better: bool | None
    n: int
    mean_a: float | None
    mean_b: float | None
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None
    verdict: str


def sign_flip_p_value(differences: Sequence[float]) -> float:
    """Two-sided p-value of the paired sign-flip permutation test of mean(differences) = 0.

    Under the null each paired difference is as likely negative as positive. Exact (all 2**n
    sign patterns) up to EXACT_PERMUTATION_MAX_N documents, else PERMUTATIONS seeded draws.
    """
    d = np.asarray(differences, dtype=float)
    n = len(d)
    observed = abs(d.mean())
    if n <= EXACT_PERMUTATION_MAX_N:
        signs = 1 - 2 * ((np.arange(2**n)[:, None] >> np.arange(n)) & 1)
    else:
        signs = np.random.default_rng(SEED).choice([-1.0, 1.0], size=(PERMUTATIONS, n))
    # A relative slack, so float noise does not split ties (e.g. the identity pattern itself).
    extreme = int((np.abs((signs * d).mean(axis=1)) >= observed * (1 - 1e-9) - 1e-15).sum())
    if n <= EXACT_PERMUTATION_MAX_N:
        return extreme / 2**n
    return (extreme + 1) / (PERMUTATIONS + 1)


def smallest_p_value(differences: Sequence[float]) -> float:
    """The smallest p-value the sign-flip test can give these documents: 2 / 2**m, where m
    counts the non-zero differences (the observed pattern and its mirror are always extreme)."""
    m = sum(1 for x in differences if x != 0)
    return 1.0 if m == 0 else min(1.0, 2 / 2**m)


def _verdict(a: str, b: str, diffs: Sequence[float], p: float, up: bool | None) -> str:
    p_min, diff = smallest_p_value(diffs), mean(diffs)
    if not any(diffs):
        return f"identical on all {len(diffs)} documents"
    if p_min > ALPHA:
        n, differ = len(diffs), sum(1 for x in diffs if x != 0)
        counted = f"n={n}" if differ == n else f"{differ} of {n} differ"
        return f"too few documents to conclude ({counted}: smallest reachable p is {p_min:.3g})"
    if p >= ALPHA:
        return f"no significant difference (p≥{ALPHA})"
    if up is None or diff == 0:
        return f"{a} {'higher' if diff > 0 else 'lower'} than {b}"
    return f"{a} {'better' if (diff > 0) == up else 'worse'} than {b}"


def compare(merged: Merged, a_text: str, b_text: str) -> tuple[str, list[Comparison]]:
    """Paired comparison of two selections over their shared documents, per measure.

    A side that names fewer fields takes the other's: ``lead/key_facts`` vs ``random`` compares
    random under key_facts too. Documents are paired on doc_id and on every field both sides
    leave open (``lead`` vs ``random`` pairs each prompt's documents with that prompt's).

    Returns a one-line description of the pairing and one Comparison per measure.
    """
    a, b = Selector.parse(a_text), Selector.parse(b_text)
    fill = {k: getattr(a, k) or getattr(b, k) for k in ("prompt", "dataset")}
    a = Selector(a.system, **{k: getattr(a, k) or fill[k] for k in fill})
    b = Selector(b.system, **{k: getattr(b, k) or fill[k] for k in fill})
    open_fields = [k for k in ("prompt", "dataset") if getattr(a, k) is None]
    sides = []
    for sel in (a, b):
        units: dict[tuple, dict] = {}
        for s in merged.scores:
            if sel.matches(s):
                unit = (*(s[k] for k in open_fields), s["doc_id"])
                if unit in units:
                    raise UsageError(
                        f"--compare {sel}: document {s['doc_id']} was scored in "
                        "several runs; report those runs separately"
                    )
                units[unit] = s
        if not units:
            rows = sorted({"/".join(s[k] for k in ROW_KEYS) for s in merged.scores})
            raise UsageError(f"--compare {sel}: no such rows (have: {', '.join(rows)})")
        sides.append(units)
    shared = [u for u in sides[0] if u in sides[1]]
    if not shared:
        raise UsageError(f"--compare: {a} and {b} share no documents")
    out = []
    for m, up in merged.measures.items():
        # The resampled unit is the document: pairs of one document under several prompts are
        # not independent, so they are averaged into one pair per (dataset, doc_id) first.
        per_doc: dict[tuple, list[tuple[float, float]]] = {}
        for u in shared:
            x, y = sides[0][u].get(m), sides[1][u].get(m)
            if x is not None and y is not None:
                doc = (sides[0][u]["dataset"], sides[0][u]["doc_id"])
                per_doc.setdefault(doc, []).append((x, y))
        pairs = [(mean([x for x, _ in v]), mean([y for _, y in v])) for v in per_doc.values()]
        if not pairs:
            out.append(Comparison(m, up, 0, None, None, None, None, None, None, "no shared values"))
            continue
        diffs = [x - y for x, y in pairs]
        low, high = bootstrap_interval(diffs)
        p = sign_flip_p_value(diffs)
        diff = mean(diffs)
        out.append(
            Comparison(
                m,
                up,
                len(pairs),
                mean([x for x, _ in pairs]),
                mean([y for _, y in pairs]),
                diff,
                low,
                high,
                p,
                _verdict(str(a), str(b), diffs, p, up),
            )
        )
    within = f", within each {' and '.join(open_fields)}" if open_fields else ""
    documents = len({(sides[0][u]["dataset"], sides[0][u]["doc_id"]) for u in shared})
    text = f"{a} vs {b}: {len(shared)} pairs (paired on doc_id{within})"
    if documents < len(shared):
        text += f" over {documents} documents, averaged per document before testing"
    if all(c.p_value is None or c.verdict.startswith("too few") for c in out):
        n = max(c.n for c in out)
        text += (
            f". With n={n} nothing can be concluded: even if {a} beat {b} on every document, "
            f"the p-value would be {2 / 2**n:.3g}"
        )
    return text, out


def comparison_markdown(title: str, comparisons: Sequence[Comparison]) -> str:
    lines = [
        f"{title}. A − B with a 95% paired bootstrap interval; p from an exact "
        "sign-flip permutation test.",
        "",
        "| measure | n | A | B | A − B | 95% interval | p | verdict |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for c in comparisons:
        interval = f"[{_signed(c.low)}, {_signed(c.high)}]" if c.low is not None else "–"
        p = "–" if c.p_value is None else f"{c.p_value:.3g}"
        lines.append(
            f"| {c.measure} | {c.n} | {_fmt(c.mean_a)} | {_fmt(c.mean_b)} | "
            f"{_signed(c.difference)} | {interval} | {p} | {c.verdict} |"
        )
    return "\n".join(lines) + "\n"


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.3f}"


# --------------------------------------------------------------------------- report.html

_CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328;
       margin: 2rem auto; max-width: 1300px; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem;
     border-bottom: 1px solid #d0d7de; padding-bottom: .3rem; }
.meta, .note { color: #59636e; } .note { font-size: 12.5px; }
.warn { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: .6rem 1rem; }
.warn li { margin: .2rem 0; }
table { border-collapse: collapse; margin: .6rem 0; font-variant-numeric: tabular-nums; }
th, td { padding: .3rem .6rem; border-bottom: 1px solid #e6e9ed; text-align: left;
         vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; position: sticky; top: 0; }
td.num { text-align: right; white-space: nowrap; } td.num b { color: #1a7f37; }
.scroll { overflow-x: auto; }
.ci { color: #8c959f; font-size: 12px; } td.text { max-width: 34rem; }
img { max-width: 100%; } details summary { cursor: pointer; color: #0969da; margin: .4rem 0; }
mark { background: #ffebe9; color: #82071e; padding: 0 .15rem; border-radius: 3px; }
code { background: #f6f8fa; padding: 0 .25rem; border-radius: 4px; }
"""


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _row_label(row: Mapping[str, Any], varying: Sequence[str]) -> str:
    return " · ".join(str(row[k]) for k in ("system", *varying) if row.get(k) is not None)


def _varying(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The row keys besides system that differ between rows (worth showing in labels)."""
    return [k for k in ("prompt", "dataset", "run") if len({r.get(k) for r in rows}) > 1]


def chart_png(rows: Sequence[dict], measures: Mapping[str, bool]) -> bytes:
    """Each measure's means with their intervals, one panel per measure, rows top to bottom."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(measures)
    cols = min(4, len(names))
    panels = math.ceil(len(names) / cols)
    varying = _varying(rows)
    labels = [_row_label(r, varying) for r in rows]
    systems = list(dict.fromkeys(r["system"] for r in rows))
    colours = {s: plt.get_cmap("tab10")(i % 10) for i, s in enumerate(systems)}
    fig, axes = plt.subplots(
        panels,
        cols,
        figsize=(3.3 * cols, 0.32 * len(rows) + 1.1)
        if panels == 1
        else (3.3 * cols, (0.32 * len(rows) + 1.1) * panels),
        squeeze=False,
        sharey=True,
    )
    y = np.arange(len(rows))[::-1]
    for i, ax in enumerate(axes.flat):
        if i >= len(names):
            ax.set_visible(False)
            continue
        m = names[i]
        for yi, row in zip(y, rows, strict=True):
            est = row[m]
            if est.mean is None:
                continue
            ax.errorbar(
                est.mean,
                yi,
                xerr=[[est.mean - est.low], [est.high - est.mean]],
                fmt="o",
                color=colours[row["system"]],
                capsize=3,
                markersize=5,
            )
        arrow = "↑" if measures[m] else "↓"
        ax.set_title(f"{m} {arrow}", fontsize=10)
        if all(row[m].mean is None for row in rows):
            ax.text(0.5, 0.5, "no values", transform=ax.transAxes, ha="center", color="#8c959f")
        ax.grid(axis="x", color="#e6e9ed")
        ax.set_axisbelow(True)
        ax.tick_params(labelsize=8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    axes[0][0].set_yticks(y, labels)
    axes[0][0].set_ylim(-0.7, len(rows) - 0.3)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _best(rows: Sequence[dict], measures: Mapping[str, bool]) -> set[tuple[int, str]]:
    """(row index, measure) of the best mean within each (prompt, dataset)."""
    best = set()
    for m, up in measures.items():
        groups: dict[tuple, list[int]] = {}
        for i, r in enumerate(rows):
            if r[m].mean is not None:
                groups.setdefault((r["prompt"], r["dataset"]), []).append(i)
        for idx in groups.values():
            top = (max if up else min)(rows[i][m].mean for i in idx)
            winners = {(i, m) for i in idx if rows[i][m].mean == top}
            if len(winners) < len(idx):  # a tie across the group marks nothing
                best |= winners
    return best


def _html_table(columns: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[str]) -> str:
    head = "".join(f"<th>{_esc(c)}</th>" for c in columns)
    body = []
    for cells in rows:
        tds = []
        for c, cell in zip(columns, cells, strict=True):
            cls = "num" if c in numeric else "text" if c in ("sentence", "text") else ""
            tds.append(f'<td class="{cls}">{cell}</td>' if cls else f"<td>{cell}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    return (
        f"<div class=scroll><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _leaderboard_html(merged: Merged) -> str:
    rows, measures = merged.rows, merged.measures
    keys = _key_columns(rows)
    best = _best(rows, measures)
    lines = []
    for i, r in enumerate(rows):
        cells = [_esc(r.get(k, "")) for k in keys]
        for m in measures:
            est = r[m]
            if est.mean is None:
                cells.append("–")
                continue
            n = "" if est.n == r["n"] else f" n={est.n}"
            mean_text = f"<b>{_fmt(est.mean)}</b>" if (i, m) in best else _fmt(est.mean)
            cells.append(
                f"{mean_text}<br><span class=ci>[{_fmt(est.low)}, {_fmt(est.high)}]{n}</span>"
            )
        cells.append(_fmt(r["words"]))
        lines.append(cells)
    columns = [*keys, *(f"{m} {'↑' if up else '↓'}" for m, up in measures.items()), "words"]
    table = _html_table(columns, lines, {"n", *columns[len(keys) :]})
    return table


def _records_html(records: Sequence[dict], columns: Sequence[str], numeric: set[str]) -> str:
    def cell(value: Any) -> str:
        if isinstance(value, _Markup):
            return value
        return _fmt(value) if isinstance(value, float) else _esc(value)

    return _html_table(columns, ([cell(r.get(c)) for c in columns] for r in records), numeric)


def _figure_rows(figures: Sequence[dict]) -> list[dict]:
    """The unsupported figures with each one marked in its sentence."""
    out = []
    for f in figures:
        sentence, text = _esc(f.get("sentence")), _esc(f.get("text"))
        if text and text in sentence:
            sentence = sentence.replace(text, f"<mark>{text}</mark>", 1)
        out.append({**f, "sentence": _Markup(sentence)})
    return out


class _Markup(str):
    """Text already escaped for HTML."""


def render_html(merged: Merged, comparison: tuple[str, list[Comparison]] | None = None) -> str:
    """The self-contained report: leaderboard, chart, comparison, unsupported figures, scores."""
    labels = _labels(merged.runs)
    measures = merged.measures
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        "<meta name=viewport content='width=device-width, initial-scale=1'>",
        f"<title>summbench report</title><style>{_CSS}</style></head><body>",
        "<h1>summbench report</h1>",
        f"<p class=meta>{len(merged.runs)} run{'s' if len(merged.runs) != 1 else ''}, "
        f"{len(merged.rows)} rows, {len(merged.scores)} scored summaries. "
        "Each cell: mean over documents <span class=ci>[95% bootstrap interval]</span>; "
        "best per prompt and dataset in bold.</p>",
    ]
    if merged.warnings:
        items = "".join(f"<li>{_esc(w)}</li>" for w in merged.warnings)
        parts.append(f"<div class=warn><b>Read this first</b><ul>{items}</ul></div>")
    parts += ["<h2>Leaderboard</h2>", _leaderboard_html(merged)]
    min_n = min(r["n"] for r in merged.rows)
    if min_n < 10:
        parts.append(
            f"<p class=note>With n={min_n} documents a percentile bootstrap interval "
            "is rough and too narrow; it shows spread, not a guarantee.</p>"
        )
    png = base64.b64encode(chart_png(merged.rows, measures)).decode()
    parts += [
        "<h2>Systems on each metric</h2>",
        f"<img alt='means with 95% intervals per metric' src='data:image/png;base64,{png}'>",
    ]
    if comparison is not None:
        title, comps = comparison
        cols = ["measure", "n", "A", "B", "A − B", "95% interval", "p", "verdict"]
        rows = [
            [
                _esc(c.measure),
                str(c.n),
                _fmt(c.mean_a),
                _fmt(c.mean_b),
                _signed(c.difference),
                "–" if c.low is None else f"[{_signed(c.low)}, {_signed(c.high)}]",
                "–" if c.p_value is None else f"{c.p_value:.3g}",
                _esc(c.verdict),
            ]
            for c in comps
        ]
        parts += [
            "<h2>Comparison</h2>",
            f"<p>{_esc(title)}. A − B with a paired bootstrap "
            "interval; p from a sign-flip permutation test.</p>",
            _html_table(cols, rows, {"n", "A", "B", "A − B", "95% interval", "p"}),
        ]
    parts.append("<h2>Unsupported figures</h2>")
    figures = [
        {**row, **({"run": labels[run.path]} if "run" in _key_columns(merged.rows) else {})}
        for run in merged.runs
        for row in run.tables.get("unsupported_figures", ())
    ]
    if figures:
        cols = [c for c in (*TABLE_ORDER, "run") if any(c in f for f in figures)]
        cols += [
            c
            for c in dict.fromkeys(k for f in figures for k in f)
            if c not in cols and c not in ("start", "end")
        ]
        parts += [
            f"<p class=note>{len(figures)} figures stated in a summary that its article "
            "does not support.</p>",
            _records_html(_figure_rows(figures), cols, set()),
        ]
    elif any("figure_precision" in r.measures for r in merged.runs):
        parts.append("<p>Every figure in every summary is supported by its article.</p>")
    else:
        parts.append("<p class=note>These runs did not measure figure fidelity.</p>")
    keys = ["doc_id", *ROW_KEYS, *(["run"] if "run" in _key_columns(merged.rows) else [])]
    cols = [*keys, *measures, "words"]
    parts += [
        "<h2>Per-document scores</h2>",
        f"<details><summary>{len(merged.scores)} scored summaries</summary>",
        _records_html(merged.scores, cols, {*measures, "words"}),
        "</details>",
        "<h2>Runs</h2>",
    ]
    run_rows = [
        [
            _esc(labels[r.path]),
            _esc(r.path),
            _esc(len(r.scores)),
            _esc("; ".join(r.failures) or "none"),
        ]
        for r in merged.runs
    ]
    parts += [
        _html_table(["run", "folder", "scores", "failed generations"], run_rows, {"scores"}),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def write_report(
    merged: Merged, out_dir: Path, comparison: tuple[str, list[Comparison]] | None = None
) -> Path:
    """leaderboard.md, leaderboard.csv, report.html (and comparison.md) in out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    write_leaderboard(merged.rows, list(merged.measures), out_dir)
    if comparison is not None:
        (out_dir / "comparison.md").write_text(comparison_markdown(*comparison), encoding="utf-8")
    path = out_dir / "report.html"
    path.write_text(render_html(merged, comparison), encoding="utf-8")
    return path


def load_runs(paths: Sequence[Path]) -> Merged:
    """find_runs + merge; UsageError when no folder is usable (``merged.problems`` lists the
    folders left out otherwise)."""
    runs, problems = find_runs(paths)
    if not runs:
        raise UsageError("no usable run: " + "; ".join(problems or ["nothing found"]))
    return merge(runs, problems)


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """``summbench-report``: exit 0 when every folder was usable, 1 when the report leaves
    out unusable parts (a failed job), 2 on bad input."""
    parser = argparse.ArgumentParser(
        prog="summbench-report",
        description="Merge run folders and sweep folders into one leaderboard with 95% bootstrap "
        "intervals: leaderboard.md, leaderboard.csv and report.html.",
    )
    parser.add_argument(
        "runs",
        nargs="+",
        type=Path,
        metavar="RUN_DIR",
        help="run folders and multirun sweep folders",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="where the report goes (default: the single folder given)",
    )
    parser.add_argument(
        "--compare",
        nargs=2,
        metavar=("A", "B"),
        help="paired test of A against B: SYSTEM[/PROMPT[/DATASET]] each",
    )
    args = parser.parse_args(argv)
    try:
        if args.out is None and len(args.runs) > 1:
            raise UsageError("--out DIR is needed when merging several folders")
        merged = load_runs(args.runs)
        comparison = compare(merged, *args.compare) if args.compare else None
        path = write_report(merged, args.out or args.runs[0], comparison)
    except UsageError as e:
        print(f"summbench-report: error: {e}", file=sys.stderr)
        return 2
    print(markdown(merged.rows, list(merged.measures)), end="")
    if comparison is not None:
        print()
        print(comparison_markdown(*comparison), end="")
    for warning in merged.warnings:
        print(f"summbench-report: warning: {warning}", file=sys.stderr)
    print(f"Report: {path}")
    return 1 if merged.problems else 0


if __name__ == "__main__":
    sys.exit(main())
