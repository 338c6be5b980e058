"""Results tables: leaderboards with bootstrap intervals, paired comparisons, and report.html.

Every aggregate of summbench is computed here, once: ``harness.run`` writes a run's leaderboard
and report with these functions, ``summbench-report`` merges runs and sweeps with them, and
``summbench-check`` gates the same means. One module per job:

- ``runs``: finding and reading run folders (a damaged file is an error naming file and line);
- ``stats``: means, bootstrap intervals, the sign-flip permutation test;
- ``tables``: leaderboards, merging runs, Markdown and CSV;
- ``compare``: ``--compare A B``, the paired test;
- ``charts``: the chart, each measure on its own fixed axis;
- ``page`` and ``html``: report.html from Jinja2 templates (``templates/``);
- ``cli``: the ``summbench-report`` command.
"""

from harness.report.charts import axis_range, chart_png
from harness.report.cli import main
from harness.report.compare import Comparison, Selector, compare, comparison_markdown
from harness.report.html import render_html, write_report, write_run_report
from harness.report.runs import (
    ROW_KEYS,
    Run,
    find_runs,
    job_overrides,
    load_run,
    read_jsonl,
    reference_readers,
    run_of,
)
from harness.report.stats import (
    ALPHA,
    CONFIDENCE,
    RESAMPLES,
    SEED,
    Estimate,
    bootstrap_interval,
    estimate,
    mean,
    sign_flip_p_value,
    smallest_p_value,
)
from harness.report.tables import (
    Merged,
    best,
    leaderboard,
    load_runs,
    markdown,
    measures_of,
    merge,
    write_leaderboard,
)

__all__ = [
    "ALPHA",
    "CONFIDENCE",
    "RESAMPLES",
    "ROW_KEYS",
    "SEED",
    "Comparison",
    "Estimate",
    "Merged",
    "Run",
    "Selector",
    "axis_range",
    "best",
    "bootstrap_interval",
    "chart_png",
    "compare",
    "comparison_markdown",
    "estimate",
    "find_runs",
    "job_overrides",
    "leaderboard",
    "load_run",
    "load_runs",
    "main",
    "markdown",
    "mean",
    "measures_of",
    "merge",
    "read_jsonl",
    "reference_readers",
    "render_html",
    "run_of",
    "sign_flip_p_value",
    "smallest_p_value",
    "write_leaderboard",
    "write_report",
    "write_run_report",
]
