"""Figure fidelity: flagging quality on the labelled set, and throughput of the --pairs path.

Quality: every summary figure in tests/data/figures/labelled.jsonl is labelled supported or not.
A labelled figure counts as flagged when any figure the metric extracts overlapping its span is
unsupported; an extracted figure with no label that the metric flags is a false flag. Reported:
precision, recall and F1 of flagging unsupported figures, and the share of supported figures
flagged (false-flag rate), for the default options and the alternatives.

Speed: pairs/s of ``check_pair`` (what ``summbench-figures --pairs`` does per line) on generated
news-like pairs, each with its own source (no cache hits) and, separately, with sources shared
by several summaries (as when many systems summarize the same documents).

    .venv/bin/python bench/bench_figures.py [--pairs 3000] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from harness.metrics.figures import FigureFidelity, extract
from harness.metrics.figures_cli import check_pair

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "figures" / "labelled.jsonl"


def evaluate_flags(metric: FigureFidelity, rows: list[dict], show: bool = False) -> dict:
    tp = fp = fn = tn = 0
    for row in rows:
        checks = metric.check(row["source"], row["summary"])
        used = set()
        for label in row["figures"]:
            hits = [
                k
                for k, c in enumerate(checks)
                if c.figure.start < label["end"] and label["start"] < c.figure.end
            ]
            used.update(hits)
            flagged = any(not checks[k].supported for k in hits)
            if label["supported"]:
                fp += flagged
                tn += not flagged
            else:
                tp += flagged
                fn += not flagged
            if show and flagged == label["supported"]:
                why = [(checks[k].figure.text, checks[k].reason) for k in hits]
                print(
                    f"  {'FALSE FLAG' if flagged else 'MISSED'} {row['id']}: "
                    f"{label['text']!r} {why}"
                )
        for k, c in enumerate(checks):
            if k not in used and not c.supported:
                fp += 1
                if show:
                    print(f"  FALSE FLAG (unlabelled) {row['id']}: {c.figure.text!r} {c.reason}")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    supported = fp + tn
    return {
        "unsupported": tp + fn,
        "supported": tn + fp - 0,
        "flag_precision": round(precision, 4),
        "flag_recall": round(recall, 4),
        "flag_f1": round(f1, 4),
        "false_flag_rate": round(fp / supported, 4) if supported else 0.0,
    }


_ENTITIES = ["Acme Corp", "Globex", "Initech", "Umbrella Group", "Hooli", "Vandelay Industries"]


def make_pairs(n: int, seed: int = 0, shared: int = 1) -> list[dict]:
    """News-like sources (~250 words, ~20 figures) with summaries that copy or alter figures."""
    rng = random.Random(seed)
    pairs, source = [], ""
    for i in range(n):
        if i % shared == 0:
            sentences = []
            for _ in range(12):
                e = rng.choice(_ENTITIES)
                sentences.append(
                    rng.choice(
                        [
                            f"{e} said revenue rose {rng.randint(1, 60)}% to "
                            f"${rng.randint(2, 900)}.{rng.randint(1, 9)} billion in "
                            f"{rng.randint(2015, 2025)}, beating forecasts by a wide margin.",
                            f"The company employs over {rng.randint(1, 99)},{rng.randint(100, 999)}"
                            f" people in {rng.randint(3, 40)} countries and plans to hire about "
                            f"{rng.randint(100, 5000)} engineers over the next three years.",
                            f"Shares of {e} fell {rng.randint(1, 20)}.{rng.randint(0, 9)} percent "
                            f"on February {rng.randint(1, 28)}, wiping {rng.randint(1, 99)} billion"
                            f" yuan off its value, while rival profits rose by "
                            f"{rng.randint(5, 25)}% and {rng.randint(5, 25)}%, respectively.",
                            f"Analysts at {e} expect margins to widen by two percentage points "
                            f"within six consecutive quarters as the Model 3 and H20 lines ramp.",
                        ]
                    )
                )
            source = " ".join(sentences)
        figs = extract(source)
        parts = []
        for f in rng.sample(figs, min(4, len(figs))):
            text = f.text if rng.random() < 0.7 else f.text.replace("1", "7").replace("2", "3")
            parts.append(f"{rng.choice(_ENTITIES)} reported {text} in the period.")
        pairs.append({"id": i, "source": source, "summary": " ".join(parts), "references": []})
    return pairs


def throughput(pairs: list[dict]) -> float:
    metric = FigureFidelity()
    extract.cache_clear()
    start = time.perf_counter()
    for p in pairs:
        json.dumps(check_pair(metric, p["source"], p["summary"], p["references"]))
    return len(pairs) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=3000)
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args()
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    seeds = [r for r in rows if r["id"].startswith("seed-")]
    news = [r for r in rows if not r["id"].startswith("seed-")]
    print(f"labelled set: {len(rows)} summaries, {sum(len(r['figures']) for r in rows)} figures")
    options = {
        "default": {},
        "rounding": {"rounding": True},
        "strict_qualifiers": {"strict_qualifiers": True},
        "no_entity_binding": {"entity_binding": False},
    }
    for name, kw in options.items():
        metric = FigureFidelity(**kw)
        show = args.show_errors and name == "default"
        print(f"{name:18} all   {evaluate_flags(metric, rows, show)}")
        print(f"{'':18} news  {evaluate_flags(metric, news)}")
        print(f"{'':18} seeds {evaluate_flags(metric, seeds)}")
    real = [{**r, "references": []} for r in rows] * max(1, args.pairs // len(rows))
    start = time.perf_counter()
    metric = FigureFidelity()
    for r in real:
        extract.cache_clear()  # every pair pays for its source, as if all were distinct
        json.dumps(check_pair(metric, r["source"], r["summary"], r["references"]))
    rate = len(real) / (time.perf_counter() - start)
    print(f"throughput (labelled news pairs, no cache): {rate:,.0f} pairs/s over {len(real)} pairs")
    for shared in (1, 10):
        pairs = make_pairs(args.pairs, shared=shared)
        rate = throughput(pairs)
        label = "a new source per pair" if shared == 1 else f"each source shared by {shared}"
        print(f"throughput ({label}): {rate:,.0f} pairs/s over {len(pairs)} pairs")


if __name__ == "__main__":
    main()
