"""report.html: one file a reader opens in a browser, rendered from Jinja2 templates
(``harness/report/templates``): the leaderboard, the chart, the comparison, the unsupported
figures, every document with every summary and its figures marked in place, the per-document
scores and each run's configuration."""

from __future__ import annotations

import base64
import json
import logging
import os
from pathlib import Path
from typing import Any

import jinja2

from harness.report import page
from harness.report.charts import chart_png
from harness.report.compare import Comparison, comparison_markdown, signed
from harness.report.runs import path_labels
from harness.report.tables import Merged, best, fmt, key_columns, load_runs, write_leaderboard

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


def write_run_report(out_dir: Path, bench: Any) -> None:
    """A run's own report.html beside its leaderboard, once its files are in place: with the
    documents it read (``documents.jsonl``), and in run.json the systems that read the
    references and these two files among the run's own (``files``).

    A report that cannot be written is a warning: the run's results are already on disk.
    """
    try:
        with open(out_dir / "documents.jsonl", "w", encoding="utf-8") as f:
            for d in bench.documents:
                record = {"doc_id": d.id, "dataset": bench.dataset, "text": d.text,
                          "references": list(d.references)}  # fmt: skip
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        info = json.loads((out_dir / "run.json").read_text(encoding="utf-8"))
        info["reads_references"] = _readers(out_dir / "config.yaml")
        _replace_json(out_dir / "run.json", info)
        write_report(load_runs([out_dir]), out_dir, leaderboard=False)
        # Listed only once written: run.json never names a file that is not there.
        info["files"] = sorted({*info.get("files", []), "documents.jsonl", "report.html"})
        _replace_json(out_dir / "run.json", info)
    except Exception as e:  # never lose a finished run to its report
        log.warning("no report.html for %s: %s: %s", out_dir, type(e).__name__, e)


def _readers(config: Path) -> list[str]:
    """The selected summarizers whose class says ``reads_references = True`` (the oracle): they
    see the references, a ceiling and never a competitor. The run imported the classes."""
    from hydra.utils import get_class
    from omegaconf import OmegaConf

    found = []
    for name, node in (OmegaConf.load(config).get("model") or {}).items():
        try:
            if getattr(get_class(node["_target_"]), "reads_references", False):
                found.append(str(node.get("label") or name))  # the system's name in results
        except Exception:  # not a class we can name: not a reader
            continue
    return found


def _replace_json(path: Path, value: Any) -> None:
    staged = path.with_suffix(".json.tmp")
    staged.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
    os.replace(staged, path)  # never seen half-written
