"""``summbench-report``: merge run folders and sweep folders into one report."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from harness.errors import UsageError
from harness.report.compare import compare, comparison_markdown
from harness.report.html import write_report
from harness.report.tables import load_runs, markdown


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
