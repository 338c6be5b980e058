"""``summbench-check``: the regression gate between a run and a committed baseline.

The baseline (``results/baseline.json``) holds every (system, prompt, dataset) row's n and the
mean of each measure, as ``harness.report`` computes them, and each measure's direction. The
check compares a run with it, measure by measure, and fails when a score moved in its worse
direction by more than its tolerance. Tolerances live in ``conf/check.yaml`` (absolute, per
measure and per system; ``default`` 1e-9 holds deterministic systems to their exact scores), so a
sampled model can be given slack without loosening the gate for everything else.

The idea is lm-evaluation-harness's and HELM's regression tests on stored scores, made
direction-aware and explicit about rows that appear or disappear.

Exit status: 0 nothing got worse beyond tolerance; 1 something did, or a baseline row is missing
from the run; 2 unusable input (missing or corrupt baseline or tolerances, a folder without
scores, an older run format).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import ROOT
from harness.errors import UsageError
from harness.report import ROW_KEYS, Merged, load_runs

FORMAT = 1
TOLERANCES = ROOT / "conf" / "check.yaml"
REGENERATE = (
    "make baseline (summbench hydra.run.dir=results/runs/gate progress=false && "
    "summbench-check --baseline results/baseline.json --update results/runs/gate)"
)

Row = tuple[str, str, str]


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Tolerances:
    """How far each score may move in its worse direction: absolute, in the measure's units.

    The most specific setting wins: ``systems[system][measure]``, then ``systems[system]``
    (a number, or its ``default``), then ``measures[measure]``, then ``default``.
    """

    default: float = 1e-9
    measures: Mapping[str, float] | None = None
    systems: Mapping[str, Any] | None = None

    def of(self, system: str, measure: str) -> float:
        per_system = (self.systems or {}).get(system)
        if isinstance(per_system, Mapping):
            if measure in per_system:
                return per_system[measure]
            if "default" in per_system:
                return per_system["default"]
        elif per_system is not None:
            return per_system
        return (self.measures or {}).get(measure, self.default)


def load_tolerances(path: Path) -> Tolerances:
    from omegaconf import OmegaConf

    if not path.is_file():
        raise UsageError(f"{path}: no such tolerance file")
    try:
        data = OmegaConf.to_container(OmegaConf.load(path), resolve=True) or {}
    except Exception as e:
        raise UsageError(f"{path}: not valid YAML ({str(e).splitlines()[0]})") from None
    if not isinstance(data, dict) or set(data) - {"default", "measures", "systems"}:
        raise UsageError(f"{path}: expected the keys default, measures and systems")

    def number(value: Any, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise UsageError(f"{path}: {where}: expected a number >= 0, got {value!r}")
        return float(value)

    systems: dict[str, Any] = {}
    for name, value in (data.get("systems") or {}).items():
        if isinstance(value, dict):
            systems[name] = {m: number(v, f"systems.{name}.{m}") for m, v in value.items()}
        else:
            systems[name] = number(value, f"systems.{name}")
    return Tolerances(
        default=number(data.get("default", 1e-9), "default"),
        measures={m: number(v, f"measures.{m}") for m, v in (data.get("measures") or {}).items()},
        systems=systems,
    )


@dataclass(frozen=True)
class Baseline:
    measures: dict[str, bool]
    rows: dict[Row, dict[str, Any]]  # row -> {"n": int, "scores": {measure: float | None}}


def snapshot(merged: Merged) -> dict[str, Any]:
    """The baseline file's content for a run: JSON floats round-trip exactly."""
    rows = [
        {
            **{k: r[k] for k in ROW_KEYS},
            "n": r["n"],
            "scores": {m: r[m].mean for m in merged.measures},
        }
        for r in merged.rows
    ]
    return {"format": FORMAT, "regenerate": REGENERATE, "measures": merged.measures, "rows": rows}


def load_baseline(path: Path) -> Baseline:
    if not path.is_file():
        raise UsageError(f"{path}: no such baseline (write one with --update RUN_DIR)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise UsageError(f"{path}: corrupt baseline (not JSON); regenerate: {REGENERATE}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise UsageError(f"{path}: baseline format {found!r}, expected {FORMAT}; regenerate it")
    try:
        rows = {}
        for r in data["rows"]:
            key = tuple(str(r[k]) for k in ROW_KEYS)
            scores = {str(m): None if v is None else float(v) for m, v in r["scores"].items()}
            rows[key] = {"n": int(r["n"]), "scores": scores}
        measures = {str(k): None if v is None else bool(v) for k, v in data["measures"].items()}
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise UsageError(f"{path}: corrupt baseline ({type(e).__name__}: {e})") from None
    return Baseline(measures, rows)


# --------------------------------------------------------------------------- the check


@dataclass(frozen=True)
class Change:
    """One entry of the table of what moved."""

    row: Row
    measure: str
    baseline: float | None
    current: float | None
    tolerance: float | None
    status: str
    fails: bool


def check(baseline: Baseline, merged: Merged, tolerances: Tolerances) -> list[Change]:
    """Every score that differs from the baseline, and every row or measure that came or went."""
    if any("run" in r for r in merged.rows):
        raise UsageError(
            "the same (system, prompt, dataset) appears in several runs; gate one run at a time"
        )
    current = {tuple(r[k] for k in ROW_KEYS): r for r in merged.rows}
    directions = {**baseline.measures, **merged.measures}
    changes: list[Change] = []
    for row, base in baseline.rows.items():
        now = current.get(row)
        if now is None:
            changes.append(Change(row, "(row)", None, None, None, "missing from the run", True))
            continue
        if now["n"] != base["n"]:
            fewer = now["n"] < base["n"]
            status = "documents lost" if fewer else "documents added"
            changes.append(Change(row, "n", base["n"], now["n"], None, status, fewer))
        for m, b in base["scores"].items():
            if directions.get(m, True) is None:  # a diagnostic (extractiveness): never gated
                continue
            c = now[m].mean if m in now else None
            changes.extend(_score_change(row, m, b, c, directions.get(m, True), tolerances))
    for row, now in current.items():
        if row not in baseline.rows:
            changes.append(Change(row, "(row)", None, None, None, "new, not in baseline", False))
        else:
            for m in merged.measures:
                new = m not in baseline.rows[row]["scores"] and directions.get(m) is not None
                if new and now[m].mean is not None:
                    changes.append(Change(row, m, None, now[m].mean, None, "new measure", False))
    return changes


def _score_change(
    row: Row, m: str, base: float | None, now: float | None, up: bool, tolerances: Tolerances
) -> list[Change]:
    if base is None and now is None or base == now:
        return []
    if now is None:
        return [Change(row, m, base, None, None, "missing from the run", True)]
    if base is None:
        return [Change(row, m, None, now, None, "new value", False)]
    tol = tolerances.of(row[0], m)
    worse_by = (base - now) if up else (now - base)
    if worse_by > tol or math.isnan(now):
        status, fails = "worse", True
    elif worse_by < 0:
        status, fails = "better", False
    else:
        status, fails = "worse within tolerance", False
    return [Change(row, m, base, now, tol, status, fails)]


def _num(value: float | None) -> str:
    if value is None:
        return "–"
    return str(value) if isinstance(value, int) else f"{value:.6f}"


def table(changes: Sequence[Change]) -> str:
    header = (
        "system | prompt | dataset | measure | baseline | current | change | tolerance | status"
    )
    lines = [f"| {header} |", "|---|---|---|---|---:|---:|---:|---:|---|"]
    for c in changes:
        delta = (
            f"{c.current - c.baseline:+.3g}"
            if c.current is not None and c.baseline is not None
            else "–"
        )
        tol = "–" if c.tolerance is None else f"{c.tolerance:.3g}"
        status = f"**{c.status}**" if c.fails else c.status
        lines.append(
            f"| {' | '.join(c.row)} | {c.measure} | {_num(c.baseline)} | {_num(c.current)} "
            f"| {delta} | {tol} | {status} |"
        )
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="summbench-check",
        description="Compare a run with the stored baseline: exit 0 when no score got worse "
        "beyond its tolerance, 1 when one did (or a baseline row is missing), 2 on unusable "
        "input.",
    )
    parser.add_argument(
        "runs",
        nargs="+",
        type=Path,
        metavar="RUN_DIR",
        help="the run folder (or sweep folder) to check",
    )
    parser.add_argument("--baseline", type=Path, required=True, metavar="JSON")
    parser.add_argument(
        "--tolerances",
        type=Path,
        default=TOLERANCES,
        metavar="YAML",
        help=f"per-measure and per-system tolerances (default: {TOLERANCES})",
    )
    parser.add_argument(
        "--update", action="store_true", help="rewrite the baseline from the run, on purpose"
    )
    args = parser.parse_args(argv)
    try:
        merged = load_runs(args.runs)
        if args.update:
            return _update(args.baseline, merged)
        tolerances = load_tolerances(args.tolerances)
        baseline = load_baseline(args.baseline)
        changes = check(baseline, merged, tolerances)
    except UsageError as e:
        print(f"summbench-check: error: {e}", file=sys.stderr)
        return 2
    for problem in merged.problems:
        print(f"summbench-check: warning: {problem}", file=sys.stderr)
    checked = sum(len(r["scores"]) for r in baseline.rows.values())
    if changes:
        print(table(changes), end="")
    failed = [c for c in changes if c.fails]
    # The plain closing line CI systems read as a test count: one check per baseline score.
    print(f"gate: {max(checked - len(failed), 0)} passed, {len(failed)} failed")
    if failed:
        names = "; ".join(
            f"{'/'.join(c.row)} {c.measure}"
            + (f" {_num(c.baseline)} -> {_num(c.current)}" if c.baseline is not None else "")
            + ("" if c.status == "worse" else f" ({c.status})")
            for c in failed[:5]
        ) + (f"; and {len(failed) - 5} more (see the table)" if len(failed) > 5 else "")
        print(f"summbench-check: FAILED against {args.baseline}: {names}", file=sys.stderr)
        return 1
    moved = f", {len(changes)} moved within tolerance or improved" if changes else ", none moved"
    print(f"summbench-check: ok: {checked} scores checked against {args.baseline}{moved}")
    return 0


def _update(path: Path, merged: Merged) -> int:
    if merged.problems:
        raise UsageError(
            f"refusing to --update {path} from an incomplete run: {merged.problems[0]}"
        )
    failures = [f for run in merged.runs for f in run.failures]
    if failures:
        raise UsageError(
            f"refusing to --update {path}: {len(failures)} generations failed ({failures[0]})"
        )
    if any("run" in r for r in merged.rows):
        raise UsageError("the same (system, prompt, dataset) appears in several runs")
    if path.is_file():
        try:
            old = check(load_baseline(path), merged, Tolerances(default=0.0))
            if old:
                print(f"summbench-check: what --update changes in {path}:")
                print(table(old), end="")
        except UsageError as e:
            print(f"summbench-check: replacing an unusable baseline ({e})", file=sys.stderr)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(snapshot(merged), indent=2, ensure_ascii=False) + "\n")
    print(f"summbench-check: wrote {path} ({len(merged.rows)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
