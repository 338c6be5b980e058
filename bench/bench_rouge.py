"""ROUGE, sentence splitting and centroid: summbench's code against the alternative, same run.

1. ROUGE: pairs per CPU-second over real (references, summary) pairs from SummEdits
   (tests/data/figures-dev), stemming on and off: a plain rouge-score ``score_multi`` loop on the
   raw texts; summbench's metric as it was (rouge-score after splitting both sides into sentences);
   summbench's metric now (rouge-score-rs after the same splitting); a plain rouge-score-rs loop.
   The sentence cache is emptied before each, so every one splits what it reads.
2. Splitting: CPU-seconds to split a news text on one line of 10, 20, 40 and 1000 KB, pysbd
   directly (as the harness did) and ``split_sentences`` now. pysbd is quadratic, so by default it
   is not run above 40 KB (``--pysbd-max-kb``).
3. Centroid: CPU-seconds to summarize the seeds and 200 documents (SummEdits sources and the seeds,
   cycled) one encode call per document (as before, through ``rank``) and grouped across
   documents (``summarize``), with the model loaded once for both.

    .venv/bin/python bench/bench_rouge.py [--pairs N] [--skip-centroid] [--pysbd-max-kb 40]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from itertools import cycle, islice

import pysbd
import rouge_score_rs
from rouge_score import rouge_scorer

from harness import ROOT
from harness.metrics.rouge import ROUGE_TYPES, Rouge
from harness.text import one_sentence_per_line, split_sentences
from harness.types import Budget, Document, Request

DEV_SET = ROOT / "tests" / "data" / "figures-dev" / "summedits_numbers.jsonl"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def dev_rows() -> list[dict]:
    return [json.loads(line) for line in DEV_SET.read_text().splitlines()]


def dev_pairs() -> list[tuple[tuple[str, ...], str]]:
    """Each summary against its source; each original against its source; each summary against
    its source, original and two other summaries of the same source (as in tests/test_rouge.py)."""
    rows = dev_rows()
    summaries = defaultdict(list)
    for row in rows:
        summaries[row["source"]].append(row["summary"])
    pairs = []
    for row in rows:
        source, summary, original = row["source"], row["summary"], row.get("original_summary")
        pairs.append(((source,), summary))
        if original:
            pairs.append(((source,), original))
        others = [s for s in summaries[source] if s != summary][:2]
        pairs.append(((source, *([original] if original else []), *others), summary))
    return pairs


def cpu(fn) -> float:
    split_sentences.cache_clear()
    start = time.process_time()
    fn()
    return time.process_time() - start


def bench_rouge(pairs: list, use_stemmer: bool) -> None:
    types = list(ROUGE_TYPES)
    old = rouge_scorer.RougeScorer(types, use_stemmer=use_stemmer)
    rs = rouge_score_rs.RougeScorer(types, use_stemmer=use_stemmer)
    metric = Rouge(use_stemmer=use_stemmer)
    docs = [(Document(str(i), "", refs), pred) for i, (refs, pred) in enumerate(pairs)]

    def split(texts):
        return [one_sentence_per_line(t) for t in texts]

    runs = {
        "rouge-score loop (raw text)": lambda: [old.score_multi(r, p) for r, p in pairs],
        "summbench before (split + rouge-score)": lambda: [
            old.score_multi(split(r), one_sentence_per_line(p)) for r, p in pairs
        ],
        "summbench now (split + rouge-score-rs)": lambda: [metric.score(d, p) for d, p in docs],
        "rouge-score-rs loop (raw text)": lambda: [rs.score_multi(r, p) for r, p in pairs],
    }
    seconds = {name: cpu(fn) for name, fn in runs.items()}
    base = len(pairs) / seconds["rouge-score loop (raw text)"]
    print(f"\nROUGE, {len(pairs)} pairs, stemming {'on' if use_stemmer else 'off'}")
    print("| scorer | CPU s | pairs per CPU-s | vs rouge-score loop |\n|---|---:|---:|---:|")
    for name, s in seconds.items():
        print(f"| {name} | {s:.2f} | {len(pairs) / s:,.0f} | {len(pairs) / s / base:.1f}x |")


def news_line(size: int) -> str:
    line = " ".join(" ".join(p.read_text().splitlines()) for p in SEEDS)
    return (line * (size // len(line) + 1))[:size]


def bench_splitting(pysbd_max_kb: int) -> None:
    segmenter = pysbd.Segmenter(language="en", clean=False)
    segmenter.segment(news_line(5_000))  # compile pysbd's rules outside the timings
    print("\nSplitting one line of news text (CPU s)")
    print("| size | pysbd directly | split_sentences | ratio |\n|---|---:|---:|---:|")
    for kb in (10, 20, 40, 1000):
        line = news_line(kb * 1000)
        after = cpu(lambda line=line: split_sentences(line))
        if kb <= pysbd_max_kb:
            before = cpu(lambda line=line: segmenter.segment(line))
            print(f"| {kb} KB | {before:.2f} | {after:.2f} | {before / after:.1f}x |")
        else:
            print(f"| {kb} KB | not run (> --pysbd-max-kb) | {after:.2f} | |")


def bench_centroid() -> None:
    from harness.summarizers.embedding import CentroidSummarizer
    from harness.summarizers.extractive import fill_budget

    centroid = CentroidSummarizer()
    budget = Budget("words", 60)
    seeds = [p.read_text() for p in SEEDS]
    articles = list(dict.fromkeys(r["source"] for r in dev_rows())) + seeds
    print("\nCentroid (CPU s, model loaded once for both; 60-word budget)")
    print("| documents | one encode per document | grouped | ratio | same summaries |")
    print("|---|---:|---:|---:|---|")
    for name, texts in (("4 seeds", seeds), ("200 documents", list(islice(cycle(articles), 200)))):
        reqs = [Request(Document(str(i), t), "", t, budget) for i, t in enumerate(texts)]
        before, after = [], {}

        def one_by_one(reqs=reqs, out=before):
            for r in reqs:
                sentences = split_sentences(r.doc.text, centroid.max_sentences)
                out.append(fill_budget(sentences, centroid.rank(sentences), budget))

        def grouped(reqs=reqs, out=after):
            out.update((i, g.summary) for i, g in centroid.summarize(reqs))

        old, new = cpu(one_by_one), cpu(grouped)
        same = before == [after[i] for i in range(len(reqs))]
        print(f"| {name} | {old:.2f} | {new:.2f} | {old / new:.2f}x | {same} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=0, help="use the first N pairs (0: all)")
    parser.add_argument("--pysbd-max-kb", type=int, default=40)
    parser.add_argument("--skip-centroid", action="store_true")
    args = parser.parse_args()
    pairs = dev_pairs()[: args.pairs or None]
    for use_stemmer in (True, False):
        bench_rouge(pairs, use_stemmer)
    bench_splitting(args.pysbd_max_kb)
    if not args.skip_centroid:
        bench_centroid()


if __name__ == "__main__":
    main()
