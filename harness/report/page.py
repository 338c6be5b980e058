"""What report.html shows, as plain data for its Jinja template and its script.

The document view needs every document's article and references, every system's summary, and
each figure's offsets in the summary and in the article. For a large run that is tens of
megabytes, so documents go in chunks of CHUNK documents that the page parses (or, past
INLINE_LIMIT bytes, loads from ``report_files/``) only when a reader opens one of them; the
tables go as compact arrays the script pages through.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.report.runs import ROW_KEYS, Run, document_digests
from harness.report.tables import Merged, fmt, key_columns

CHUNK = 50
INLINE_LIMIT = 8_000_000  # bytes of document chunks kept inside report.html
DIGITS = 4  # scores in the page's tables: enough to sort and read, a third of repr's size


@dataclass(frozen=True)
class PageData:
    """The page's script data (small: always inline) and its document chunks (JSON texts)."""

    data: dict[str, Any]
    chunks: list[str]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _compact(value: Any) -> Any:
    return round(value, DIGITS) if isinstance(value, float) else value


def _variant_key(run_label: str | None, record: dict) -> tuple:
    return (record["system"], record["prompt"], run_label or "")


def build(merged: Merged) -> PageData:
    """Index, variants (one per system, prompt and run), tables and document chunks."""
    docs: dict[tuple, dict] = {}  # document key -> {id, dataset, text, references, summaries}
    variants: dict[tuple, int] = {}
    for run in merged.runs:
        keys = _document_keys(run)
        texts = {(d["dataset"], d["doc_id"]): d for d in run.documents}
        figures = _figures_by_summary(run.tables.get("figures", ()))
        for g in run.generations:
            key = tuple(g[k] for k in ROW_KEYS)
            doc = docs.get(keys(g))
            if doc is None:
                doc = docs[keys(g)] = _new_doc(texts.get((g["dataset"], g["doc_id"]), {}), g)
            v = variants.setdefault(
                _variant_key(merged.labels.get((run.path, key)), g), len(variants)
            )
            marks = figures.get((g["doc_id"], *key), [])
            doc["summaries"].append([v, g.get("summary") or "", g.get("error"), marks])
    order = list(docs)
    # Per document, its summaries' variants and unsupported counts: what the filters need
    # before a chunk is loaded.
    index = [
        [
            docs[k]["dataset"],
            docs[k]["id"],
            [[s[0], sum(not f[2] for f in s[3])] for s in docs[k]["summaries"]],
        ]
        for k in order
    ]
    chunks = [_json([docs[k] for k in order[i : i + CHUNK]]) for i in range(0, len(order), CHUNK)]
    position = {k: i for i, k in enumerate(order)}
    data = {
        "chunk": CHUNK,
        "variants": [
            {"system": s, "prompt": p, "run": r, "readsReferences": s in merged.reads_references}
            for s, p, r in variants
        ],
        "index": index,
        "scores": _scores_table(merged, position, variants),
        "unsupported": _unsupported_table(merged, position, variants),
    }
    return PageData(data, chunks)


def _document_keys(run: Run):
    """A record's document, named so that two runs' documents meet only when their texts do:
    two datasets may both be called ``hf`` and number their rows alike."""
    digests = document_digests([run])
    return lambda r: (r["dataset"], r["doc_id"], digests.get((r["dataset"], r["doc_id"])))


def _new_doc(found: dict, record: dict) -> dict:
    return {
        "id": record["doc_id"],
        "dataset": record["dataset"],
        "text": found.get("text"),
        "references": found.get("references") or [],
        "summaries": [],
    }


def _figures_by_summary(rows: Sequence[dict]) -> dict[tuple, list]:
    """(doc_id, system, prompt, dataset) -> [start, end, supported, reason, nearest, source,
    source_start, source_end] per figure, in summary order."""
    out: dict[tuple, list] = {}
    for f in rows:
        key = (f["doc_id"], *(f[k] for k in ROW_KEYS))
        out.setdefault(key, []).append(
            [f.get("start"), f.get("end"), bool(f.get("supported")), f.get("reason"),
             f.get("nearest"), f.get("source"), f.get("source_start"), f.get("source_end")]
        )  # fmt: skip
    return out


def _scores_table(merged: Merged, position: dict, variants: dict) -> dict:
    measures = [*merged.measures, "words"]
    rows = []
    for run in merged.runs:
        keys = _document_keys(run)
        for s in run.scores:
            label = merged.labels.get((run.path, tuple(s[k] for k in ROW_KEYS)))
            v = variants.get(_variant_key(label, s))
            rows.append(
                [position.get(keys(s)), v, s["doc_id"], *(_compact(s.get(m)) for m in measures)]
            )
    return {"measures": measures, "rows": rows}


def _unsupported_table(merged: Merged, position: dict, variants: dict) -> dict:
    """Every unsupported figure: [doc, variant, doc_id, text, reason, nearest, sentence]."""
    rows = []
    for run in merged.runs:
        keys = _document_keys(run)
        for f in run.tables.get("unsupported_figures", ()):
            label = merged.labels.get((run.path, tuple(f[k] for k in ROW_KEYS)))
            rows.append(
                [position.get(keys(f)),
                 variants.get((f["system"], f["prompt"], label or "")),
                 f["doc_id"], f.get("text"), f.get("reason"), f.get("nearest"), f.get("sentence")]
            )  # fmt: skip
    return {"rows": rows, "measured": any("figure_precision" in r.measures for r in merged.runs)}


def leaderboard_rows(merged: Merged, best: set) -> list[dict]:
    """The leaderboard for the template: systems that read the references after the others."""
    keys = key_columns(merged.rows)
    out = []
    for i, r in enumerate(merged.rows):
        cells = []
        for m in merged.measures:
            est = r[m]
            cells.append(
                {
                    "mean": fmt(est.mean),
                    "interval": None if est.mean is None else f"[{fmt(est.low)}, {fmt(est.high)}]",
                    "n": None if est.n == r["n"] else est.n,
                    "best": (i, m) in best,
                }
            )
        reader = r["system"] in merged.reads_references
        key_cells = [r.get(k, "") for k in keys]
        out.append(
            {"key_cells": key_cells, "cells": cells, "words": fmt(r["words"]), "reader": reader}
        )
    return sorted(out, key=lambda row: row["reader"])


def write_chunks(page: PageData, out_dir: Path) -> bool:
    """Past INLINE_LIMIT, the chunks go to report_files/ as scripts (file:// pages may load
    scripts, not fetch JSON); True when they did. Otherwise stale chunk files are removed."""
    folder = out_dir / "report_files"
    for old in folder.glob("docs-*.js") if folder.is_dir() else ():
        old.unlink()
    if sum(len(c) for c in page.chunks) <= INLINE_LIMIT:
        return False
    folder.mkdir(exist_ok=True)
    for i, chunk in enumerate(page.chunks):
        text = f"summbenchChunk({i},{chunk});\n"
        (folder / f"docs-{i}.js").write_text(text, encoding="utf-8")
    return True
