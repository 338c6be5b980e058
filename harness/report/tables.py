"""Leaderboards: one row per (system, prompt, dataset) of a run, n and each measure's mean
with its 95% bootstrap interval; Markdown and CSV.

Rows from different runs are never averaged together: when the same (system, prompt, dataset)
appears in several runs, each keeps its own row, labelled by what differs between those runs'
configurations (``prompt.budget.size=40``), and the report says so in a warning (silently mixed
runs in merged tables are a complaint HELM's users raised).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import UsageError
from harness.report.runs import (
    ROW_KEYS,
    Run,
    differing_settings,
    distinct_overrides,
    find_runs,
    path_labels,
)
from harness.report.stats import Estimate, estimate, mean


def measures_of(runs: Sequence[Run]) -> dict[str, bool | None]:
    """Every measure of the runs, in first-seen order, with its direction."""
    out: dict[str, bool] = {}
    for run in runs:
        for k, v in run.measures.items():
            out.setdefault(k, v)
    return out


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
    reads_references: frozenset[str] = frozenset()  # systems that are ceilings, never "best"
    labels: Mapping[tuple, str] = field(default_factory=dict)  # (run path, row key) -> label


def merge(runs: Sequence[Run], problems: Sequence[str] = ()) -> Merged:
    """All runs' scores in one leaderboard, keeping rows of different runs apart when they clash.

    When a (system, prompt, dataset) was scored in more than one run, its rows are labelled by
    run folder (a ``run`` column) instead of being pooled: the runs may differ in anything the
    row key does not show (budget, model settings, code version).
    """
    owners: dict[tuple, list[Run]] = {}
    for run in runs:
        for key in dict.fromkeys(tuple(s[k] for k in ROW_KEYS) for s in run.scores):
            owners.setdefault(key, []).append(run)
    labels = row_labels(runs, owners)
    warnings = list(problems)
    for key, owned in owners.items():
        if len(owned) > 1:
            warnings.append(
                f"{'/'.join(key)} was scored in {len(owned)} runs "
                f"({', '.join(labels[(r.path, key)] for r in owned)}): kept as separate rows, "
                "labelled by what differs between the runs"
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
            label = labels.get((run.path, tuple(s[k] for k in ROW_KEYS)))
            scores.append(s if label is None else {**s, "run": label})
    measures = measures_of(runs)
    rows = leaderboard(scores, list(measures))
    return Merged(
        tuple(runs),
        measures,
        tuple(scores),
        tuple(rows),
        tuple(warnings),
        tuple(problems),
        frozenset(s for r in runs for s in r.reads_references),
        labels,
    )


def fmt(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3f}"


def _cell(est: Estimate, n: int) -> str:
    """``mean [low, high]``, and the measure's own n when some documents had no value."""
    if est.mean is None:
        return "–"
    text = f"{fmt(est.mean)} [{fmt(est.low)}, {fmt(est.high)}]"
    return text if est.n == n else f"{text} (n={est.n})"


def key_columns(rows: Sequence[dict]) -> list[str]:
    return [*ROW_KEYS, *(["run"] if any("run" in r for r in rows) else []), "n"]


def markdown(rows: Sequence[dict], measures: Sequence[str]) -> str:
    """The leaderboard as a Markdown table: each measure as ``mean [95% interval]``."""
    keys = key_columns(rows)
    lines = [
        "| " + " | ".join([*keys, *measures, "words"]) + " |",
        "|" + "---|" * len(keys) + "---:|" * (len(measures) + 1),
    ]
    for r in rows:
        cells = [str(r.get(k, "")) for k in keys]
        cells += [_cell(r[m], r["n"]) for m in measures]
        cells.append(fmt(r["words"]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_leaderboard(rows: Sequence[dict], measures: Sequence[str], out_dir: Path) -> None:
    """``leaderboard.md`` and ``leaderboard.csv`` (mean, interval bounds and n per measure)."""
    keys = key_columns(rows)
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


def row_labels(runs: Sequence[Run], owners: Mapping[tuple, list[Run]]) -> dict[tuple, str]:
    """(run path, row key) -> label, for rows scored in several runs: the settings that differ
    between those runs; the sweep overrides, then the folder, when the configs agree."""
    folders = path_labels(runs)
    labels: dict[tuple, str] = {}
    for key, owned in owners.items():
        if len(owned) < 2:
            continue
        settings = differing_settings(owned, key[0])
        overrides = distinct_overrides([r.overrides for r in owned])
        names = {
            r.path: settings[r.path] or " ".join(varying)
            for r, varying in zip(owned, overrides, strict=True)
        }
        if len(set(names.values())) < len(owned):
            names = {r.path: folders[r.path] for r in owned}
        labels.update({(r.path, key): names[r.path] for r in owned})
    return labels


def best(rows: Sequence[dict], measures: Mapping[str, bool | None], excluded=()) -> set:
    """(row index, measure) of the best mean within each (prompt, dataset). Diagnostics (no
    direction) and systems that read the references (``excluded``) are never best."""
    found = set()
    for m, up in measures.items():
        if up is None:
            continue
        groups: dict[tuple, list[int]] = {}
        for i, r in enumerate(rows):
            if r[m].mean is not None and r["system"] not in excluded:
                groups.setdefault((r["prompt"], r["dataset"]), []).append(i)
        for idx in groups.values():
            top = (max if up else min)(rows[i][m].mean for i in idx)
            winners = {(i, m) for i in idx if rows[i][m].mean == top}
            if len(winners) < len(idx):  # a tie across the group marks nothing
                found |= winners
    return found


def load_runs(paths: Sequence[Path]) -> Merged:
    """find_runs + merge; UsageError when no folder is usable (``merged.problems`` lists the
    folders left out otherwise)."""
    runs, problems = find_runs(paths)
    if not runs:
        raise UsageError("no usable run: " + "; ".join(problems or ["nothing found"]))
    return merge(runs, problems)
