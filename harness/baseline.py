"""The gate's baseline file, and what the gate must know of a run before trusting its scores.

The baseline (``results/baseline.json``) holds every (system, prompt, dataset) row's n, the mean
of each measure (as ``harness.report`` computes it), what the row ran on (``harness.provenance``)
and each measure's direction. It is the contract: the gate takes directions from it, never from
the run under test.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import provenance
from harness.errors import UsageError
from harness.report import ROW_KEYS, Merged, Run

FORMAT = 2
REGENERATE = (
    "make baseline (summbench hydra.run.dir=results/runs/gate progress=false && "
    "summbench-check --baseline results/baseline.json --update results/runs/gate)"
)

Row = tuple[str, str, str]


@dataclass(frozen=True)
class Baseline:
    measures: dict[str, bool]
    # row -> {"n": int, "scores": {measure: float | None}, "provenance": {...}}
    rows: dict[Row, dict[str, Any]]


def row_name(row: Row) -> str:
    return "/".join(row)


# --------------------------------------------------------------------------- the run side


def _run_info(run: Run) -> dict[str, Any]:
    path = run.path / "run.json"
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise UsageError(f"{path}: unreadable ({type(e).__name__})") from None
    if not isinstance(info, dict) or "finished" not in info or "provenance" not in info:
        raise UsageError(f"{path}: older run format (no 'finished' or 'provenance'); re-run it")
    if info["finished"] is not True:
        raise UsageError(
            f"{path}: the run did not finish (stopped by a signal or an error); re-run it"
        )
    return info


def _check_counts(run: Run, info: dict[str, Any]) -> None:
    """Every document run.json says was scored has its line in scores.jsonl: a file cut at a
    line boundary reads as valid JSON Lines, so only this count tells it from fewer documents."""
    lines = Counter(s["system"] for s in run.scores)
    for system, stats in (info.get("systems") or {}).items():
        try:
            scored = int(stats["documents"]) - int(stats["failures"]) - int(stats.get("skipped", 0))
        except (KeyError, TypeError, ValueError):
            continue
        if lines[system] != scored:
            raise UsageError(
                f"{run.path / 'scores.jsonl'}: {lines[system]} lines for {system} where "
                f"run.json counts {scored} scored documents (damaged or truncated after line "
                f"{len(run.scores)})"
            )


def run_provenance(merged: Merged) -> dict[Row, dict[str, Any]]:
    """What each row of the runs ran on; UsageError for a run that did not finish, an older
    run format, a damaged scores.jsonl or a NaN mean."""
    out: dict[Row, dict[str, Any]] = {}
    for run in merged.runs:
        info = _run_info(run)
        _check_counts(run, info)
        for row in dict.fromkeys(tuple(s[k] for k in ROW_KEYS) for s in run.scores):
            try:
                out[row] = provenance.of_row(info["provenance"], row[0])
            except (KeyError, TypeError):
                raise UsageError(
                    f"{run.path / 'run.json'}: no provenance for system {row[0]}; re-run it"
                ) from None
    for row, m, value in _not_finite(merged):
        if merged.measures[m] is not None:  # a diagnostic's: diagnostic_warnings
            raise UsageError(
                f"{row_name(row)} {m}: mean is {value} (a metric returned a non-number); "
                "the gate refuses it"
            )
    return out


def diagnostic_warnings(merged: Merged) -> list[str]:
    """A NaN or infinite mean of a diagnostic (direction None): the gate never checks a
    diagnostic, nor keeps it in the baseline, so it is a warning, not a failure."""
    return [
        f"{row_name(row)} {m}: mean is {value} (a diagnostic, not gated)"
        for row, m, value in _not_finite(merged)
        if merged.measures[m] is None
    ]


def _not_finite(merged: Merged) -> list[tuple[Row, str, float]]:
    return [
        (tuple(r[k] for k in ROW_KEYS), m, r[m].mean)
        for r in merged.rows
        for m in merged.measures
        if r[m].mean is not None and not math.isfinite(r[m].mean)
    ]


# --------------------------------------------------------------------------- the file


def snapshot(merged: Merged, ran_on: dict[Row, dict[str, Any]]) -> dict[str, Any]:
    """The baseline file's content for a run: JSON floats round-trip exactly. Diagnostics
    (direction None) are left out: the gate never holds them."""
    gated = {m: up for m, up in merged.measures.items() if up is not None}
    rows = []
    for r in merged.rows:
        row = tuple(r[k] for k in ROW_KEYS)
        rows.append(
            {
                **{k: r[k] for k in ROW_KEYS},
                "n": r["n"],
                "scores": {m: r[m].mean for m in gated},
                "provenance": ran_on[row],
            }
        )
    return {"format": FORMAT, "regenerate": REGENERATE, "measures": gated, "rows": rows}


def write_baseline(path: Path, content: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # allow_nan=False: the standard JSON a baseline is, never the NaN token.
    text = json.dumps(content, indent=2, ensure_ascii=False, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")


def _refuse_constant(token: str) -> float:
    raise ValueError(f"{token} is not a score")


def load_baseline(path: Path) -> Baseline:
    if not path.is_file():
        raise UsageError(f"{path}: no such baseline (write one with --update RUN_DIR)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_refuse_constant)
    except ValueError as e:  # JSONDecodeError, bad UTF-8, NaN or Infinity
        raise UsageError(f"{path}: corrupt baseline ({e}); regenerate: {REGENERATE}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise UsageError(
            f"{path}: baseline format {found!r}, expected {FORMAT}; regenerate: {REGENERATE}"
        )
    try:
        measures = {str(k): v for k, v in data["measures"].items()}
        for k, v in measures.items():
            if not isinstance(v, bool):  # a diagnostic (null) or a typo must not be gated
                raise UsageError(
                    f"{path}: measure {k} has direction {v!r}, not true or false; "
                    f"regenerate: {REGENERATE}"
                )
        rows = {}
        for r in data["rows"]:
            key = tuple(str(r[k]) for k in ROW_KEYS)
            scores = {str(m): None if v is None else float(v) for m, v in r["scores"].items()}
            unknown = set(scores) - set(measures)
            if unknown:
                raise ValueError(f"{row_name(key)}: {sorted(unknown)[0]} has no direction")
            if not isinstance(r["provenance"], dict):
                raise TypeError(f"{row_name(key)}: provenance is not an object")
            rows[key] = {"n": int(r["n"]), "scores": scores, "provenance": r["provenance"]}
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise UsageError(f"{path}: corrupt baseline ({type(e).__name__}: {e})") from None
    return Baseline(measures, rows)
