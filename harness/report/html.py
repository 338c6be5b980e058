"""report.html: one file a reader opens in a browser, rendered from Jinja2 templates
(``harness/report/templates``): the leaderboard, the chart, the comparison, the unsupported
figures, every document with every summary and its figures marked in place, the per-document
scores and each run's configuration."""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path
from typing import Any

import jinja2

from harness.report import page
from harness.report.charts import chart_png
from harness.report.compare import Comparison, comparison_markdown, signed
from harness.report.runs import Run, path_labels
from harness.report.tables import Merged, best, fmt, key_columns, merge, write_leaderboard

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).parent / "templates"
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no "<" can close it."""
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def render_html(
    merged: Merged,
    comparison: tuple[str, list[Comparison]] | None = None,
    chunks_outside: bool = False,
    data: page.PageData | None = None,
) -> str:
    """The report page; document chunks inline unless ``chunks_outside``."""
    data = data or page.build(merged)
    labels = path_labels(merged.runs)
    min_n = min(r["n"] for r in merged.rows)
    context = {
        "merged": merged,
        "measures": merged.measures,
        "key_columns": key_columns(merged.rows),
        "leaderboard": page.leaderboard_rows(
            merged, best(merged.rows, merged.measures, merged.reads_references)
        ),
        "readers": sorted(merged.reads_references),
        "min_n": min_n,
        "chart": base64.b64encode(
            chart_png(merged.rows, merged.measures, merged.reads_references)
        ).decode(),
        "comparison": _comparison(comparison),
        "runs": [
            {
                "label": labels[r.path],
                "folder": str(r.path),
                "scores": len(r.scores),
                "failures": "; ".join(r.failures) or "none",
                "settings": sorted(r.settings.items()),
            }
            for r in merged.runs
        ],
        "data_json": script_json(data.data),
        "chunks": [] if chunks_outside else [script_json(c) for c in data.chunks],
        "chunks_outside": chunks_outside,
        "css": (TEMPLATES / "report.css").read_text(encoding="utf-8"),
        "script": (TEMPLATES / "report.js").read_text(encoding="utf-8"),
    }
    return _env.get_template("report.html.j2").render(context)


def _comparison(comparison: tuple[str, list[Comparison]] | None) -> dict | None:
    if comparison is None:
        return None
    title, comps = comparison
    rows = [
        [c.measure, c.n, fmt(c.mean_a), fmt(c.mean_b), signed(c.difference),
         "–" if c.low is None else f"[{signed(c.low)}, {signed(c.high)}]",
         "–" if c.p_value is None else f"{c.p_value:.3g}", c.verdict]
        for c in comps
    ]  # fmt: skip
    return {"title": title, "rows": rows}


def write_report(
    merged: Merged,
    out_dir: Path,
    comparison: tuple[str, list[Comparison]] | None = None,
    leaderboard: bool = True,
) -> Path:
    """leaderboard.md, leaderboard.csv (unless a run wrote its own), report.html (and
    comparison.md) in out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if leaderboard:
        write_leaderboard(merged.rows, list(merged.measures), out_dir)
    if comparison is not None:
        (out_dir / "comparison.md").write_text(comparison_markdown(*comparison), encoding="utf-8")
    data = page.build(merged)
    outside = page.write_chunks(data, out_dir)
    path = out_dir / "report.html"
    path.write_text(render_html(merged, comparison, outside, data), encoding="utf-8")
    return path


def write_run_report(run: Run, out_dir: Path) -> Path:
    """A run's own report.html (and report_files/ for a large one) in ``out_dir``, from the
    records the run holds in memory (harness.run stages it with the run's other files)."""
    return write_report(merge([run]), out_dir, leaderboard=False)
