"""``summbench-check``: the regression gate between a run and a committed baseline.

The baseline (``harness.baseline``) holds every (system, prompt, dataset) row's n, the mean of
each measure, what the row ran on, and each measure's direction. The check compares a run with
it, measure by measure, and fails when a score moved in its worse direction by more than its
tolerance. Tolerances live in ``conf/check.yaml`` (absolute, per measure and per system;
``default`` 1e-9 holds deterministic systems to their exact scores), so a sampled model can be
given slack without loosening the gate for everything else.

The idea is lm-evaluation-harness's and HELM's regression tests on stored scores, made
direction-aware, explicit about rows that appear or disappear, and unable to mistake other data
or settings for a regression.

Exit status: 0 nothing got worse beyond tolerance; 1 something did, or a baseline row is missing
from the run; 2 unusable input (a missing or corrupt baseline, tolerance file or run folder, a
failed sweep job, a run that did not finish, a NaN score, a run on other data or settings, a
tolerance for a diagnostic). Diagnostics (measures with no direction, such as extractiveness) are
shown by the report and never gated: a NaN mean of one is a warning, not a failure.
"""

from __future__ import annotations

import argparse
import difflib
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import ROOT, provenance
from harness.baseline import (
    Baseline,
    Row,
    diagnostic_warnings,
    load_baseline,
    row_name,
    run_provenance,
    snapshot,
    write_baseline,
)
from harness.errors import UsageError
from harness.report import ROW_KEYS, Merged, load_runs

TOLERANCES = ROOT / "conf" / "check.yaml"
# Two scores this close are the same score computed in another order, not a change.
SAME = {"rel_tol": 1e-12, "abs_tol": 1e-12}


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
    path: Path | None = None

    def check_names(
        self, measures: Iterable[str], systems: Iterable[str], diagnostics: Iterable[str] = ()
    ) -> None:
        """A tolerance for a measure or system the baseline and run do not have is a typo
        that would silently leave the default in force, and one for a diagnostic (a measure
        with no direction) would never be used: UsageError naming its key."""
        measures, systems, diagnostics = list(measures), list(systems), set(diagnostics)
        keys = [(f"measures.{m}", m, measures) for m in self.measures or {}]
        for name, value in (self.systems or {}).items():
            keys.append((f"systems.{name}", name, systems))
            if isinstance(value, Mapping):
                keys += [(f"systems.{name}.{m}", m, [*measures, "default"]) for m in value]
        where = self.path or "tolerances"
        for key, name, known in keys:
            if key != f"systems.{name}" and name in diagnostics:
                raise UsageError(
                    f"{where}: {key}: {name} is a diagnostic (no better or worse direction), "
                    "which the gate never checks; remove its tolerance"
                )
            if name not in known:
                near = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean {near[0]}?" if near else f"known: {', '.join(known)}"
                raise UsageError(f"{where}: {key}: unknown name ({hint})")

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
        path=path,
    )


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


@dataclass(frozen=True)
class Outcome:
    changes: list[Change]
    compared: int  # scores present on both sides and compared with a tolerance

    @property
    def failed(self) -> list[Change]:
        return [c for c in self.changes if c.fails]


def same_ground(baseline: Baseline, ran_on: Mapping[Row, dict[str, Any]]) -> None:
    """UsageError when the run cannot be compared with the baseline: it shares no row with it,
    or a shared row ran on other data or settings (naming each difference)."""
    shared = [row for row in baseline.rows if row in ran_on]
    if not shared:
        differ = []
        for i, key in enumerate(ROW_KEYS):
            before = sorted({row[i] for row in baseline.rows})
            after = sorted({row[i] for row in ran_on})
            if before != after:
                differ.append(f"{key} {', '.join(before)} -> {', '.join(after)}")
        raise UsageError(
            "the run shares no (system, prompt, dataset) row with the baseline ("
            + ("; ".join(differ) or "no rows")
            + "): nothing to compare"
        )
    found: dict[str, list[str]] = {}
    for row in shared:
        for d in provenance.differences(baseline.rows[row]["provenance"], ran_on[row]):
            found.setdefault(d, []).append(row_name(row))
    if found:
        named = "; ".join(f"{d} [{', '.join(rows[:2])}]" for d, rows in list(found.items())[:4])
        raise UsageError(
            f"the run did not run on what the baseline did: {named}"
            + (f"; and {len(found) - 4} more" if len(found) > 4 else "")
            + ". Compare such runs with summbench-report --compare, or rewrite the baseline on "
            "purpose with --update"
        )


def check(baseline: Baseline, merged: Merged, tolerances: Tolerances) -> Outcome:
    """Every score that differs from the baseline, and every row or measure that came or went.
    Directions are the baseline's: the run under test does not get to say what is better."""
    if any("run" in r for r in merged.rows):
        raise UsageError(
            "the same (system, prompt, dataset) appears in several runs; gate one run at a time"
        )
    current = {tuple(r[k] for k in ROW_KEYS): r for r in merged.rows}
    changes: list[Change] = []
    compared = 0
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
            c = now[m].mean if m in now else None
            compared += b is not None and c is not None
            up = baseline.measures[m]
            changes.extend(_score_change(row, m, b, c, up, tolerances))
    for row, now in current.items():
        if row not in baseline.rows:
            changes.append(Change(row, "(row)", None, None, None, "new, not in baseline", False))
        else:
            for m, up in merged.measures.items():
                # A diagnostic (direction None, e.g. extractiveness) is never gated.
                new = m not in baseline.rows[row]["scores"] and up is not None
                if new and now[m].mean is not None:
                    changes.append(Change(row, m, None, now[m].mean, None, "new measure", False))
    return Outcome(changes, compared)


def _score_change(
    row: Row, m: str, base: float | None, now: float | None, up: bool, tolerances: Tolerances
) -> list[Change]:
    if base is None and now is None:
        return []
    if now is None:
        return [Change(row, m, base, None, None, "missing from the run", True)]
    if base is None:
        return [Change(row, m, None, now, None, "new value", False)]
    if math.isclose(base, now, **SAME):
        return []
    tol = tolerances.of(row[0], m)
    worse_by = (base - now) if up else (now - base)
    if worse_by > tol:
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


def _parser() -> argparse.ArgumentParser:
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
    parser.add_argument(
        "--drop-missing",
        action="store_true",
        help="with --update: drop baseline rows the run does not have (refused otherwise)",
    )
    return parser


def _load(runs: Sequence[Path]) -> tuple[Merged, dict[Row, dict[str, Any]]]:
    """The runs and what each row ran on; any unusable part of the input is a UsageError."""
    merged = load_runs(runs)
    if merged.problems:
        raise UsageError("unusable input: " + "; ".join(merged.problems))
    return merged, run_provenance(merged)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        merged, ran_on = _load(args.runs)
        if args.update:
            return _update(args.baseline, merged, ran_on, args.drop_missing)
        tolerances = load_tolerances(args.tolerances)
        baseline = load_baseline(args.baseline)
        tolerances.check_names(
            [*baseline.measures, *merged.measures],
            [*(r[0] for r in baseline.rows), *(r[0] for r in ran_on)],
            [m for m, up in merged.measures.items() if up is None and m not in baseline.measures],
        )
        same_ground(baseline, ran_on)
        outcome = check(baseline, merged, tolerances)
    except UsageError as e:
        print(f"summbench-check: error: {e}", file=sys.stderr)
        return 2
    for warning in [*merged.warnings, *diagnostic_warnings(merged)]:
        print(f"summbench-check: warning: {warning}", file=sys.stderr)
    return _verdict(outcome, args.baseline)


def _verdict(outcome: Outcome, path: Path) -> int:
    changes, failed = outcome.changes, outcome.failed
    if changes:
        print(table(changes), end="")
    # The plain closing line CI systems read as a test count: a score compared is a check, and
    # so is each row, measure or document count the run lost.
    worse = sum(1 for c in failed if c.baseline is not None and c.current is not None)
    print(f"gate: {outcome.compared - worse} passed, {len(failed)} failed")
    if failed:
        names = "; ".join(
            f"{row_name(c.row)} {c.measure}"
            + (f" {_num(c.baseline)} -> {_num(c.current)}" if c.baseline is not None else "")
            + ("" if c.status == "worse" else f" ({c.status})")
            for c in failed[:5]
        ) + (f"; and {len(failed) - 5} more (see the table)" if len(failed) > 5 else "")
        print(f"summbench-check: FAILED against {path}: {names}", file=sys.stderr)
        return 1
    moved = f", {len(changes)} moved within tolerance or improved" if changes else ", none moved"
    print(f"summbench-check: ok: {outcome.compared} scores checked against {path}{moved}")
    return 0


def _update(
    path: Path, merged: Merged, ran_on: dict[Row, dict[str, Any]], drop_missing: bool
) -> int:
    failures = [f for run in merged.runs for f in run.failures]
    if failures:
        raise UsageError(
            f"refusing to --update {path}: {len(failures)} generations failed ({failures[0]})"
        )
    if any("run" in r for r in merged.rows):
        raise UsageError("the same (system, prompt, dataset) appears in several runs")
    if path.is_file():
        try:
            old = load_baseline(path)
        except UsageError as e:
            print(f"summbench-check: replacing an unusable baseline ({e})", file=sys.stderr)
        else:
            _show_update(path, old, merged, ran_on, drop_missing)
    write_baseline(path, snapshot(merged, ran_on))
    print(f"summbench-check: wrote {path} ({len(merged.rows)} rows)")
    return 0


def _show_update(
    path: Path, old: Baseline, merged: Merged, ran_on: dict[Row, dict[str, Any]], drop: bool
) -> None:
    """Print what --update changes; refuse to drop baseline rows unless asked to."""
    missing = [row_name(row) for row in old.rows if row not in ran_on]
    if missing and not drop:
        raise UsageError(
            f"refusing to --update {path}: the run lacks {len(missing)} of its rows "
            f"({', '.join(missing[:4])}); pass --drop-missing to drop them"
        )
    changes = check(old, merged, Tolerances(default=0.0)).changes
    settings = {
        d
        for row in old.rows
        if row in ran_on
        for d in provenance.differences(old.rows[row]["provenance"], ran_on[row])
    }
    if changes or settings:
        print(f"summbench-check: what --update changes in {path}:")
        for d in sorted(settings):
            print(f"  ran on: {d}")
        print(table(changes), end="")


if __name__ == "__main__":
    sys.exit(main())
