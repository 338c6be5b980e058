"""Figure fidelity: flagging quality on public and own labelled data, and throughput.

Public development set (tests/data/figures-dev/summedits_numbers.jsonl, SummEdits number edits,
see its README): a summary is *flagged* when the check reports any of its figures unsupported;
label 1 (an edited number made it inconsistent) should be flagged, label 0 should not. Reported
per domain and overall: precision, recall and F1 of flagging, beside the value-set check computed
in the same run (flag a summary when any number in it, digits or number word, is absent from its
source: the fifteen-line baseline every figure check has to beat).

Own labelled set (tests/data/figures/labelled.jsonl, written with the rules, so an upper bound):
every summary figure is labelled supported or not. A labelled figure counts as flagged when any
figure the metric extracts overlapping its span is unsupported; an extracted figure with no label
that the metric flags is a false flag. Also reported per summary, beside the value-set check.

Throughput, in CPU seconds (``time.process_time``): pairs per CPU-second of what
``summbench-figures --pairs`` does per line on the development set, with every pair paying for
its source (the extraction cache is cleared) and as one --pairs run goes (each distinct source
read once); the value-set check's pairs per CPU-second beside them, for a ratio measured on the
same machine state; articles extracted per CPU-second on the development set's sources (about
2.2 KB), on the seeds (about 5.8 KB) and on bench/make_corpus.py's real-size articles; and the
time one 1 MB text takes (it grows in proportion to the length).

    .venv/bin/python bench/bench_figures.py [--show-errors] [--domain D] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from harness.metrics.figures import FigureFidelity, extract
from harness.metrics.figures_cli import check_pair

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
DEV = DATA / "figures-dev" / "summedits_numbers.jsonl"
LABELLED = DATA / "figures" / "labelled.jsonl"
MIN_DOMAIN_ROWS = 40  # domains smaller than this are listed but carry no target

# ---------------------------------------------------------------------------------------------
# The value-set check: the baseline from the development set's README.

_SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen twenty")  # fmt: skip
_NUMBER_WORDS = {w: float(i) for i, w in enumerate(_SMALL.split())}  # noqa: SIM905
_NUMBER_WORDS.update(
    thirty=30.0, forty=40.0, fifty=50.0, sixty=60.0, seventy=70.0, eighty=80.0, ninety=90.0,
    hundred=1e2, thousand=1e3, million=1e6, billion=1e9,
)  # fmt: skip


def _as_number(digits: str) -> float | str:
    try:
        return float(digits.replace(",", ""))
    except ValueError:
        return digits  # "2025.03.26": compared as written


def value_set(text: str) -> set[float | str]:
    """Every number in a text: digit strings (thousands commas dropped) and number words."""
    out = {_as_number(m) for m in re.findall(r"\d+(?:[.,]\d+)*", text)}
    out.update(_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS)
    return out


def value_set_flags(source: str, summary: str) -> bool:
    return bool(value_set(summary) - value_set(source))


# ---------------------------------------------------------------------------------------------
# Scores


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def summary_scores(rows: list[dict], flags: Callable[[dict], bool]) -> dict[str, float]:
    tp = fp = fn = 0
    for row in rows:
        flagged = flags(row)
        tp += flagged and row["label"] == 1
        fp += flagged and row["label"] == 0
        fn += not flagged and row["label"] == 1
    return prf(tp, fp, fn)


def fmt(s: dict[str, float]) -> str:
    return f"P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}"


def dev_table(rows: list[dict], metric: FigureFidelity) -> list[tuple[str, int, dict, dict]]:
    """(domain, rows, check scores, value-set scores) per domain, then overall."""
    flagged = {
        id(r): any(not c.supported for c in metric.check(r["source"], r["summary"])) for r in rows
    }
    domains = sorted(
        {r["domain"] for r in rows}, key=lambda d: -sum(r["domain"] == d for r in rows)
    )
    out = []
    for domain in [*domains, "overall"]:
        part = [r for r in rows if domain in ("overall", r["domain"])]
        ours = summary_scores(part, lambda r: flagged[id(r)])
        base = summary_scores(part, lambda r: value_set_flags(r["source"], r["summary"]))
        out.append((domain, len(part), ours, base))
    return out


def print_dev_table(table: list[tuple[str, int, dict, dict]]) -> None:
    print(f"{'domain':12} {'rows':>5}   {'figure check':27}   {'value-set check':27}")
    for domain, n, ours, base in table:
        mark = ""
        if domain != "overall" and n >= MIN_DOMAIN_ROWS and ours["f1"] < base["f1"]:
            mark = "  < value-set"
        print(f"{domain:12} {n:5}   {fmt(ours)}   {fmt(base)}{mark}")


# ---------------------------------------------------------------------------------------------
# Errors, for --show-errors


def describe(check) -> str:
    f = check.figure
    if check.supported:
        return f"{f.text!r} ok = {check.match.text!r}"
    near = check.nearest.text if check.nearest else None
    return f"{f.text!r} {check.reason}, nearest {near!r}"


def edited_figures(row: dict, checks: list) -> list[str]:
    """The verdicts on the digit-bearing words the edit introduced (the set's own criterion)."""
    before = set(re.findall(r"\S*\d\S*", row.get("original_summary") or ""))
    out = []
    for m in re.finditer(r"\S*\d\S*", row["summary"]):
        if m.group() in before:
            continue
        hits = [c for c in checks if c.figure.start < m.end() and m.start() < c.figure.end]
        out.append(f"{m.group()!r}: " + (", ".join(map(describe, hits)) or "not read as a figure"))
    return out or ["(no digit edited)"]


def show_dev_errors(rows: list[dict], metric: FigureFidelity) -> None:
    """False flags with every rejected figure; misses with the figures the edit introduced."""
    for r in rows:
        checks = metric.check(r["source"], r["summary"])
        flagged = any(not c.supported for c in checks)
        if flagged == (r["label"] == 1):
            continue
        if flagged:
            why = [describe(c) for c in checks if not c.supported]
            print(f"FALSE FLAG {r['id']}: {'; '.join(why)}")
        else:
            print(f"MISSED {r['id']}: {'; '.join(edited_figures(r, checks))}")
        print(f"    summary: {r['summary']}")
        if not flagged and r.get("original_summary"):
            print(f"    original: {r['original_summary']}")


def labelled_figures(metric: FigureFidelity, rows: list[dict], show: bool = False) -> dict:
    """Figure-level flagging on the own labelled set (see the module docstring)."""
    tp = fp = fn = 0
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
            tp += flagged and not label["supported"]
            fp += flagged and label["supported"]
            fn += not flagged and not label["supported"]
            if show and flagged == label["supported"]:
                why = "; ".join(describe(checks[k]) for k in hits) or "(no figure read)"
                kind = "FALSE FLAG" if flagged else "MISSED"
                print(f"{kind} {row['id']}: {label['text']!r}: {why}")
        for k, c in enumerate(checks):
            if k not in used and not c.supported:
                fp += 1
                if show:
                    print(f"FALSE FLAG (unlabelled) {row['id']}: {describe(c)}")
    return prf(tp, fp, fn)


# ---------------------------------------------------------------------------------------------
# Throughput


def cpu_rate(items: list, work: Callable, repeat: int) -> float:
    """Items per CPU-second, best of ``repeat`` passes (the machine is shared and noisy)."""
    best = 0.0
    for _ in range(repeat):
        start = time.process_time()
        for item in items:
            work(item)
        best = max(best, len(items) / max(time.process_time() - start, 1e-9))
    return best


def full_articles() -> dict[str, list[str]]:
    """Articles of the size the target means: the seeds (about 5.8 KB) and bench/make_corpus.py's
    real-size articles (500-800 words; only where its SummEdits file is)."""
    root = Path(__file__).resolve().parents[1]
    out = {"seeds": [p.read_text(encoding="utf-8") for p in sorted((root / "seeds").glob("*.txt"))]}
    sys.path.insert(0, str(root / "bench"))
    from make_corpus import SUMMEDITS, corpus

    if SUMMEDITS.exists():
        out["make_corpus.py articles"] = [row["document"] for row in corpus(300)]
    return out


def throughput(rows: list[dict], repeat: int) -> None:
    metric = FigureFidelity()

    def pair(r: dict) -> None:
        extract.cache_clear()  # every pair pays for its source, as if all were distinct
        json.dumps(check_pair(metric, r["source"], r["summary"], []), ensure_ascii=False)

    def pair_cached(r: dict) -> None:  # as --pairs runs: a source seen before is not re-read
        json.dumps(check_pair(metric, r["source"], r["summary"], []), ensure_ascii=False)

    def pairs_cached() -> float:
        best = 0.0
        for _ in range(repeat):
            extract.cache_clear()
            best = max(best, cpu_rate(rows, pair_cached, 1))
        return best

    def article(text: str) -> None:
        extract.cache_clear()
        extract(text)

    sources = list(dict.fromkeys(r["source"] for r in rows))
    pairs = cpu_rate(rows, pair, repeat)
    cached = pairs_cached()
    baseline = cpu_rate(rows, lambda r: value_set_flags(r["source"], r["summary"]), repeat)
    print(f"--pairs path: {pairs:,.0f} pairs per CPU-second, each pair reading its source")
    print(f"  {cached:,.0f} with each distinct source read once, as one --pairs run does")
    print(
        f"value-set check: {baseline:,.0f} pairs per CPU-second "
        f"(figure check / value-set = {pairs / baseline:.3f})"
    )
    sets = {"development-set sources": sources * 10, **full_articles()}
    for name, texts in sets.items():
        rate = cpu_rate(texts * max(1, 300 // len(texts)), article, repeat)
        size = sum(map(len, texts)) / len(texts) / 1000
        print(f"extraction, {name} ({size:.1f} KB on average): {rate:,.0f} articles per CPU-second")
    long_text = "\n\n".join(sets.get("make_corpus.py articles") or sets["seeds"] * 50)
    long_text = (long_text * (1_000_000 // len(long_text) + 1))[:1_000_000]
    start = time.process_time()
    article(long_text)
    print(f"extraction, one 1 MB text: {time.process_time() - start:.2f} CPU-seconds")


# ---------------------------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-errors", action="store_true", help="list false flags and misses")
    ap.add_argument("--domain", help="development-set domain for --show-errors (default all)")
    ap.add_argument("--repeat", type=int, default=3, help="throughput passes (best is kept)")
    ap.add_argument("--no-speed", action="store_true", help="skip the throughput measurements")
    args = ap.parse_args()
    dev, own = read_jsonl(DEV), read_jsonl(LABELLED)
    metric = FigureFidelity()

    print(f"development set (SummEdits number edits): {len(dev)} summaries")
    print_dev_table(dev_table(dev, metric))
    options = {"no_rounding": {"rounding": False}, "no_entity_binding": {"entity_binding": False}}
    for name, kw in options.items():
        ours = dev_table(dev, FigureFidelity(**kw))[-1][2]
        print(f"  option {name}: overall {fmt(ours)}")

    print(f"\nown labelled set (an upper bound): {len(own)} summaries")
    figures = labelled_figures(metric, own)
    print(f"figures ({figures['tp'] + figures['fn']} unsupported): {fmt(figures)}")
    for r in own:
        r["label"] = int(any(not f["supported"] for f in r["figures"]))
    ours = summary_scores(
        own, lambda r: any(not c.supported for c in metric.check(r["source"], r["summary"]))
    )
    base = summary_scores(own, lambda r: value_set_flags(r["source"], r["summary"]))
    print(f"summaries: figure check {fmt(ours)}   value-set check {fmt(base)}")

    if args.show_errors:
        print("\nerrors on the development set:")
        show_dev_errors([r for r in dev if args.domain in (None, r["domain"])], metric)
        print("\nerrors on the own labelled set:")
        labelled_figures(metric, own, show=True)
    if not args.no_speed:
        print()
        throughput(dev, args.repeat)


if __name__ == "__main__":
    main()
