"""A stable hash of everything the figure check produces, to prove a speed-up changed nothing.

Hashed: every figure ``extract`` returns (with its versioned names and list lengths) for every
source and summary of the development set (tests/data/figures-dev), of the own labelled set
(tests/data/figures/labelled.jsonl), the seeds and their references, bench/make_corpus.py's
real-size articles and one long text made of them all; and every record ``summbench-figures``
writes for each pair (supported or not, reason, matching and nearest source figure, the scores),
under each of the metric's option sets, and for three long pairs (``big_pair``: many summary
figures against a source of thousands, where support goes through its index; one summary of
figures and names mostly unsupported). Run it on two
versions of the code: equal hashes, equal output.

    PYTHONPATH=. .venv/bin/python bench/figures_identity.py [--corpus 200] [--verbose]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path

from harness.metrics.figures import FigureFidelity, extract
from harness.metrics.figures_cli import check_pair

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "figures-dev" / "summedits_numbers.jsonl"
LABELLED = ROOT / "tests" / "data" / "figures" / "labelled.jsonl"
OPTIONS = {
    "default": {},
    "rounding": {"rounding": True},
    "no_rounding": {"rounding": False},
    "no_entity_binding": {"entity_binding": False},
    "strict_qualifiers": {"strict_qualifiers": True},
    "rel_tol_0.05": {"rel_tol": 0.05},
}


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _seed_pairs() -> list[tuple[str, str, list[str]]]:
    """(seed, summary, references): each reference file as the summary, all as references."""
    out = []
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        refs = [
            p.read_text(encoding="utf-8")
            for p in sorted((ROOT / "references" / seed.stem).glob("*.txt"))
        ]
        source = seed.read_text(encoding="utf-8")
        out.extend((source, ref, refs) for ref in refs)
    return out


def corpus_articles(documents: int) -> list[dict]:
    """bench/make_corpus.py's articles (none when its SummEdits file is not here)."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from make_corpus import SUMMEDITS, corpus

    return list(corpus(documents)) if SUMMEDITS.exists() and documents else []


def big_pair(source_figures: int, summary_figures: int, offset: int = 0) -> tuple[str, str]:
    """One long source and one long summary: development-set sources joined until they hold
    ``source_figures`` figures, and its summaries (consistent and edited, every seventh from
    ``offset``) joined until they hold ``summary_figures``."""
    rows = _jsonl(DEV)
    sources = list(dict.fromkeys(r["source"] for r in rows))
    parts, count = [], 0
    while count < source_figures:
        parts.append(sources[len(parts) % len(sources)])
        count += len(extract(parts[-1]))
    summaries, stated = [], 0
    while stated < summary_figures:
        summaries.append(rows[(offset + 7 * len(summaries)) % len(rows)]["summary"])
        stated += len(extract(summaries[-1]))
    return "\n\n".join(parts), "\n\n".join(summaries)


def unsupported_summary(sentences: int) -> str:
    """A summary of figures and versioned names mostly not in any source (deterministic)."""
    rnd = random.Random(sentences)
    return " ".join(
        f"Item {k} cost ${rnd.randint(100, 99999) / 100:.2f} million,"
        f" up {rnd.randint(1, 999) / 10}% in {rnd.randint(1990, 2030)},"
        f" {rnd.randint(2, 9)} times more than Model {k % 7}."
        for k in range(sentences)
    )


def pairs(documents: int) -> list[tuple[str, str, list[str]]]:
    dev, own = _jsonl(DEV), _jsonl(LABELLED)
    out = [(r["source"], r["summary"], []) for r in dev]
    out += [(r["source"], r["original_summary"], []) for r in dev if r.get("original_summary")]
    out += [(r["source"], r["summary"], []) for r in own]
    out += _seed_pairs()
    out += [(r["document"], r["summary"], [r["summary"]]) for r in corpus_articles(documents)]
    return out


def _digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=repr).encode()).hexdigest()


def extraction_hash(texts: list[str]) -> str:
    h = hashlib.sha256()
    for text in texts:
        figures = extract(text)
        h.update(
            _digest(
                [
                    [f.as_dict() for f in figures],
                    [f.as_dict() for f in figures.names],
                    [f.as_dict() for f in figures.lists],
                ]
            ).encode()
        )
    return h.hexdigest()


def checks_hash(all_pairs: list[tuple[str, str, list[str]]], options: dict) -> str:
    metric = FigureFidelity(**options)
    h = hashlib.sha256()
    for source, summary, refs in all_pairs:
        h.update(_digest(check_pair(metric, source, summary, refs)).encode())
    return h.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=int, default=200, help="make_corpus.py articles to include")
    args = ap.parse_args()
    all_pairs = pairs(args.corpus)
    texts = list(dict.fromkeys(t for s, m, refs in all_pairs for t in (s, m, *refs)))
    long_text = "\n\n".join(texts)  # one long text: offsets, sentences and names at scale
    parts = {"extraction": extraction_hash([*texts, long_text])}
    for name, options in OPTIONS.items():
        parts[f"checks/{name}"] = checks_hash(all_pairs, options)
    big = [big_pair(3000, 200), big_pair(1000, 300, offset=3)]
    big.append((big[0][0], unsupported_summary(40)))
    big_pairs = [(source, summary, [summary]) for source, summary in big]
    for name, options in OPTIONS.items():
        parts[f"checks-long/{name}"] = checks_hash(big_pairs, options)
    for name, value in parts.items():
        print(f"{name:30} {value[:16]}")
    print(f"{'overall':30} {_digest(parts)[:16]}  ({len(all_pairs)} pairs, {len(texts) + 1} texts)")


if __name__ == "__main__":
    main()
