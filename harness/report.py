"""Leaderboards: systems × mean metrics, as CSV, Markdown and a printed table."""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path

ROW_KEYS = ("system", "prompt", "dataset")


def _mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def leaderboard(scores: Sequence[dict], measures: Sequence[str]) -> list[dict]:
    """One row per (system, prompt, dataset), in first-seen order: n and each measure's mean.

    A measure undefined for a document (None or absent) is left out of that measure's mean.
    """
    groups: dict[tuple, list[dict]] = {}
    for s in scores:
        groups.setdefault(tuple(s[k] for k in ROW_KEYS), []).append(s)
    rows = []
    for key, group in groups.items():
        row = dict(zip(ROW_KEYS, key, strict=True))
        row["n"] = len(group)
        for m in [*measures, "words"]:
            row[m] = _mean([s[m] for s in group if s.get(m) is not None])
        rows.append(row)
    return rows


def _fmt(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.4f}"
    return str(value)


def markdown(rows: Sequence[dict], measures: Sequence[str]) -> str:
    columns = [*ROW_KEYS, "n", *measures, "words"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_fmt(r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def write_leaderboard(rows: Sequence[dict], measures: Sequence[str], out_dir: Path) -> None:
    columns = [*ROW_KEYS, "n", *measures, "words"]
    with open(out_dir / "leaderboard.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    (out_dir / "leaderboard.md").write_text(markdown(rows, measures), encoding="utf-8")
