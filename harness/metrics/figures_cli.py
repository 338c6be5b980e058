"""``summbench-figures``: check the figures of summaries against their sources.

One summary: ``summbench-figures --source S --summary T [--reference R ...] [--json]`` prints a
readable report (or one JSON object). Many: ``summbench-figures --pairs FILE.jsonl`` reads lines
``{"id", "source", "summary", "references"?}`` and prints one JSON object per line: ``id``,
``figures`` (each with ``text``, ``supported`` and the details) and the scores. A bad line is
reported on stderr as ``FILE:LINE: reason`` and skipped, and so is a pair the check fails on;
the others are still checked, and the exit status is 1 when any line was bad or failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from harness.errors import UsageError
from harness.metrics.figures import FigureFidelity, figure_record
from harness.text import read_text

PROG = "summbench-figures"


def check_pair(metric: FigureFidelity, source: str, summary: str, refs: Sequence[str]) -> dict:
    numbers, checks = metric.score_texts(source, summary, refs)
    return {"figures": [figure_record(c) for c in checks], **numbers}


def _pair_line(raw: bytes) -> tuple[Any, str, str, list[str]]:
    """Parse one --pairs line; ValueError with the reason when it is malformed."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"not UTF-8 (byte {e.start} of the line)") from None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise ValueError(f"not JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    if obj.get("id") is None:
        raise ValueError("'id' missing")
    for key in ("source", "summary"):
        if not isinstance(obj.get(key), str):
            raise ValueError(f"'{key}' missing or not a string")
    refs = obj.get("references", [])
    if isinstance(refs, str):
        refs = [refs]
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise ValueError("'references' must be a list of strings")
    return obj.get("id"), obj["source"], obj["summary"], refs


def run_pairs(path: str, metric: FigureFidelity, out: TextIO, err: TextIO) -> int:
    """Check every line of a --pairs file; returns the number of bad lines (or 1 if unreadable)."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise UsageError(f"{path}: cannot read ({e.strerror})") from None
    if not data.strip():
        raise UsageError(f"{path}: empty file")
    bad = 0
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            pair_id, source, summary, refs = _pair_line(raw)
        except ValueError as e:
            print(f"{PROG}: error: {path}:{number}: {e}", file=err)
            bad += 1
            continue
        try:
            record = {"id": pair_id, **check_pair(metric, source, summary, refs)}
        except Exception as e:  # a bug on one pair must not lose the pairs after it
            print(
                f"{PROG}: error: {path}:{number}: cannot check ({type(e).__name__}: {e})", file=err
            )
            bad += 1
            continue
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return bad


def _fmt(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.3f}"


def report(record: dict) -> str:
    """The readable report for one summary."""
    lines = []
    for f in record["figures"]:
        if f["supported"]:
            lines.append(f"  ok   {f['text']!r} ({f['kind']}) = source {f['source']!r}")
        else:
            near = f", nearest {f['nearest']!r}" if f["nearest"] else ""
            lines.append(f"  FAIL {f['text']!r} ({f['kind']}): {f['reason']}{near}")
            lines.append(f"       in: {f['sentence']}")
    if not record["figures"]:
        lines.append("  (no figures in the summary)")
    lines.append(
        f"precision {_fmt(record['figure_precision'])} "
        f"({record['figure_supported']}/{record['figure_count']} supported), "
        f"recall {_fmt(record['figure_recall'])} "
        f"({record['figure_reference_stated']}/{record['figure_reference_count']} "
        f"reference figures stated), F1 {_fmt(record['figure_f1'])}"
    )
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG, description="Check that the figures a summary states are in its source."
    )
    p.add_argument("--source", help="the source text (a UTF-8 file)")
    p.add_argument("--summary", help="the summary (a UTF-8 file)")
    p.add_argument("--reference", action="append", default=[], help="a reference (repeatable)")
    p.add_argument("--pairs", help="JSONL: one {id, source, summary, references?} per line")
    p.add_argument("--json", action="store_true", help="print JSON instead of a report")
    p.add_argument("--rel-tol", type=float, default=0.0, help="relative value tolerance")
    p.add_argument(
        "--rounding",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="accept a source figure rounded to the digits the summary shows (default: on)",
    )
    p.add_argument("--strict-qualifiers", action="store_true", help="reject dropped hedges")
    p.add_argument("--no-entity-binding", action="store_true", help="ignore whose figure it is")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    try:
        if args.rel_tol < 0:
            raise UsageError(f"--rel-tol must be >= 0, got {args.rel_tol}")
        metric = FigureFidelity(
            rel_tol=args.rel_tol,
            rounding=args.rounding,
            strict_qualifiers=args.strict_qualifiers,
            entity_binding=not args.no_entity_binding,
        )
        if args.pairs:
            if args.source or args.summary or args.reference:
                raise UsageError("--pairs cannot be combined with --source/--summary/--reference")
            return 1 if run_pairs(args.pairs, metric, sys.stdout, sys.stderr) else 0
        if not args.source or not args.summary:
            raise UsageError("give --source and --summary, or --pairs")
        source, summary = read_text(Path(args.source)), read_text(Path(args.summary))
        refs = [read_text(Path(r)) for r in args.reference]
    except UsageError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    record = check_pair(metric, source, summary, refs)
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        print(report(record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
