"""``--compare A B``: a paired test over the documents both sides were scored on: the mean
difference with a paired bootstrap interval, and the two-sided p-value of a sign-flip
permutation test (exact up to 16 documents). Pairing matters: the documents are shared, and an
unpaired test on paired data (lm-evaluation-harness's comparator) hides a consistent difference
under between-document variance.

Documents pair by id only within one dataset (a Hugging Face dataset's ids are row numbers);
across datasets they pair by their text, from the runs' ``documents.jsonl``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harness.errors import UsageError
from harness.report.runs import ROW_KEYS, document_digests
from harness.report.stats import (
    ALPHA,
    bootstrap_interval,
    mean,
    sign_flip_p_value,
    smallest_p_value,
)
from harness.report.tables import Merged, fmt


@dataclass(frozen=True)
class Selector:
    """``SYSTEM[/PROMPT[/DATASET]]``: the rows one side of a comparison stands for."""

    system: str
    prompt: str | None = None
    dataset: str | None = None

    @classmethod
    def parse(cls, text: str) -> Selector:
        parts = text.split("/")
        if not 1 <= len(parts) <= 3 or not all(parts):
            raise UsageError(
                f"--compare {text!r}: expected SYSTEM, SYSTEM/PROMPT or SYSTEM/PROMPT/DATASET"
            )
        return cls(*parts)

    def __str__(self) -> str:
        return "/".join(p for p in (self.system, self.prompt, self.dataset) if p)

    def matches(self, record: Mapping[str, Any]) -> bool:
        return all(getattr(self, k) is None or record[k] == getattr(self, k) for k in ROW_KEYS)


@dataclass(frozen=True)
class Comparison:
    """A − B on one measure over the documents both were scored on."""

    measure: str
    higher_is_better: bool | None
    n: int
    mean_a: float | None
    mean_b: float | None
    difference: float | None
    low: float | None
    high: float | None
    p_value: float | None
    verdict: str


def _verdict(a: str, b: str, diffs: Sequence[float], p: float, up: bool | None) -> str:
    p_min, diff = smallest_p_value(diffs), mean(diffs)
    if not any(diffs):
        return f"identical on all {len(diffs)} documents"
    if p_min > ALPHA:
        n, differ = len(diffs), sum(1 for x in diffs if x != 0)
        counted = f"n={n}" if differ == n else f"{differ} of {n} differ"
        return f"too few documents to conclude ({counted}: smallest reachable p is {p_min:.3g})"
    if p >= ALPHA:
        return f"no significant difference (p≥{ALPHA})"
    if up is None or diff == 0:
        return f"{a} {'higher' if diff > 0 else 'lower'} than {b}"
    return f"{a} {'better' if (diff > 0) == up else 'worse'} than {b}"


def compare(merged: Merged, a_text: str, b_text: str) -> tuple[str, list[Comparison]]:
    """Paired comparison of two selections over their shared documents, per measure.

    A side that names fewer fields takes the other's: ``lead/key_facts`` vs ``random`` compares
    random under key_facts too. Documents are paired on doc_id and on every field both sides
    leave open (``lead`` vs ``random`` pairs each prompt's documents with that prompt's).

    Returns a one-line description of the pairing and one Comparison per measure.
    """
    a, b = Selector.parse(a_text), Selector.parse(b_text)
    fill = {k: getattr(a, k) or getattr(b, k) for k in ("prompt", "dataset")}
    a = Selector(a.system, **{k: getattr(a, k) or fill[k] for k in fill})
    b = Selector(b.system, **{k: getattr(b, k) or fill[k] for k in fill})
    open_fields = [k for k in ("prompt", "dataset") if getattr(a, k) is None]
    sides = _sides(merged, (a, b), open_fields)
    shared = [u for u in sides[0] if u in sides[1]]
    if not shared:
        raise UsageError(f"--compare: {a} and {b} share no documents")
    out = []
    for m, up in merged.measures.items():
        # The resampled unit is the document: pairs of one document under several prompts are
        # not independent, so they are averaged into one pair per (dataset, doc_id) first.
        per_doc: dict[tuple, list[tuple[float, float]]] = {}
        for u in shared:
            x, y = sides[0][u].get(m), sides[1][u].get(m)
            if x is not None and y is not None:
                doc = (sides[0][u]["dataset"], sides[0][u]["doc_id"])
                per_doc.setdefault(doc, []).append((x, y))
        pairs = [(mean([x for x, _ in v]), mean([y for _, y in v])) for v in per_doc.values()]
        if not pairs:
            out.append(Comparison(m, up, 0, None, None, None, None, None, None, "no shared values"))
            continue
        diffs = [x - y for x, y in pairs]
        low, high = bootstrap_interval(diffs)
        p = sign_flip_p_value(diffs)
        diff = mean(diffs)
        out.append(
            Comparison(
                m,
                up,
                len(pairs),
                mean([x for x, _ in pairs]),
                mean([y for _, y in pairs]),
                diff,
                low,
                high,
                p,
                _verdict(str(a), str(b), diffs, p, up),
            )
        )
    documents = len({(sides[0][u]["dataset"], sides[0][u]["doc_id"]) for u in shared})
    return _pairing(a, b, open_fields, len(shared), documents, out), out


def _pairing(a, b, open_fields, pairs: int, documents: int, out: list[Comparison]) -> str:
    """One line on how the documents were paired, and whether n can conclude anything."""
    within = f", within each {' and '.join(open_fields)}" if open_fields else ""
    on = "doc_id" if a.dataset == b.dataset else "document text"
    text = f"{a} vs {b}: {pairs} pairs (paired on {on}{within})"
    if documents < pairs:
        text += f" over {documents} documents, averaged per document before testing"
    if all(c.p_value is None or c.verdict.startswith("too few") for c in out):
        n = max(c.n for c in out)
        text += (
            f". With n={n} nothing can be concluded: even if {a} beat {b} on every document, "
            f"the p-value would be {2 / 2**n:.3g}"
        )
    return text


def comparison_markdown(title: str, comparisons: Sequence[Comparison]) -> str:
    lines = [
        f"{title}. A − B with a 95% paired bootstrap interval; p from an exact "
        "sign-flip permutation test.",
        "",
        "| measure | n | A | B | A − B | 95% interval | p | verdict |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for c in comparisons:
        interval = f"[{signed(c.low)}, {signed(c.high)}]" if c.low is not None else "–"
        p = "–" if c.p_value is None else f"{c.p_value:.3g}"
        lines.append(
            f"| {c.measure} | {c.n} | {fmt(c.mean_a)} | {fmt(c.mean_b)} | "
            f"{signed(c.difference)} | {interval} | {p} | {c.verdict} |"
        )
    return "\n".join(lines) + "\n"


def signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.3f}"


def _sides(merged: Merged, selectors: Sequence[Selector], open_fields: Sequence[str]) -> list:
    """Each side's scores keyed by pairing unit: the open fields and the document, named by
    its id within one dataset and by its text across two."""
    a, b = selectors
    texts = None
    if a.dataset != b.dataset:
        texts = document_digests(merged.runs)
    sides = []
    for sel in selectors:
        units: dict[tuple, dict] = {}
        for s in merged.scores:
            if not sel.matches(s):
                continue
            doc = s["doc_id"] if texts is None else texts.get((s["dataset"], s["doc_id"]))
            if doc is None:
                raise UsageError(
                    f"--compare {a} {b}: different datasets pair by document text, and the "
                    f"run of {sel} did not record its documents (documents.jsonl); re-run it"
                )
            unit = (*(s[k] for k in open_fields), doc)
            if unit in units:
                raise UsageError(
                    f"--compare {sel}: document {s['doc_id']} was scored in "
                    "several runs; report those runs separately"
                )
            units[unit] = s
        if not units:
            rows = sorted({"/".join(s[k] for k in ROW_KEYS) for s in merged.scores})
            raise UsageError(f"--compare {sel}: no such rows (have: {', '.join(rows)})")
        sides.append(units)
    return sides
