"""A corpus of real-size articles for whole-corpus benchmarks, built offline and deterministically.

The four seeds are too few to show what a run over a test split costs, and no news corpus can be
downloaded here. So each article is composed from real text: it opens with the paragraphs of one
source (a seed article, or a SummEdits earnings-call summary or sales e-mail, from
/work/shared/data/figures-dev/summedits_numbers.jsonl; its dialogue domains read nothing like
news) and goes on with paragraphs drawn from the others until it reaches its length, 500 to 800
words as news articles on CNN/DailyMail run (cut at a sentence). Paragraphs of up to three
sentences are separated by blank lines, and figures are dense, as in the seeds. The reference is
three sentences of the article, one per line as
CNN/DailyMail highlights are: its first sentence and two more from its first half (news puts the
point first); it is extractive, which changes ROUGE's values, not its cost.

Rows are ``{"id", "document", "summary"}``: `summbench dataset=hf dataset.path=FILE` reads them
with the default field names. The same seed gives the same file.

    .venv/bin/python bench/make_corpus.py --documents 1000 --out corpus.jsonl [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

from omegaconf import OmegaConf

from harness import ROOT
from harness.data import clean_text

SUMMEDITS = Path("/work/shared/data/figures-dev/summedits_numbers.jsonl")
DOMAINS = ("ectsum", "sales_email")
MIN_WORDS, MAX_WORDS = 500, 800
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“$0-9])")


def _paragraphs(text: str) -> list[str]:
    """A text's sentences (lines of 8 words or more) regrouped into paragraphs of up to three."""
    lines = [line.strip() for line in text.splitlines() if len(line.split()) >= 8]
    lines = [line for line in lines if not line.startswith("Subject:")]  # e-mail headers
    sentences = [s for line in lines for s in _SENTENCE.split(line) if s.strip()]
    return [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]


def _seed_sources() -> list[list[str]]:
    """The seeds, boilerplate dropped as the seeds dataset drops it."""
    conf = OmegaConf.load(ROOT / "conf" / "dataset" / "seeds.yaml")
    return [
        _paragraphs(clean_text(path.read_text(encoding="utf-8"), conf.drop_lines, True))
        for path in sorted((ROOT / "seeds").glob("*.txt"))
    ]


def _summedits_sources(path: Path) -> list[list[str]]:
    """Each distinct SummEdits source of the prose domains."""
    seen: dict[str, None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["domain"] in DOMAINS:
            seen.setdefault(row["source"], None)
    return [p for p in map(_paragraphs, seen) if p]


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def compose(rng: random.Random, sources: list[list[str]]) -> tuple[str, str]:
    """One (article, reference)."""
    target = rng.randint(MIN_WORDS, MAX_WORDS)
    opening = rng.choice(sources)
    paragraphs = list(opening[: rng.randint(1, 3)])
    pool = [p for s in sources if s is not opening for p in s]
    while _words(paragraphs) < target:
        paragraphs.append(rng.choice(pool))
    last = _SENTENCE.split(paragraphs.pop())
    while last and _words(paragraphs) + len(" ".join(last).split()) > MAX_WORDS:
        last.pop()  # cut the last paragraph at a sentence, within the length
    if last:
        paragraphs.append(" ".join(last))
    sentences = [s for p in paragraphs for s in _SENTENCE.split(p) if len(s.split()) >= 6]
    first_half = sentences[1 : max(3, len(sentences) // 2)]
    picked = sorted(rng.sample(range(len(first_half)), min(2, len(first_half))))
    reference = [sentences[0], *(first_half[i] for i in picked)]
    return "\n\n".join(paragraphs), "\n".join(reference)


def corpus(documents: int, seed: int = 0, summedits: Path = SUMMEDITS) -> Iterator[dict]:
    sources = _seed_sources() + _summedits_sources(summedits)
    rng = random.Random(seed)
    for i in range(documents):
        article, reference = compose(rng, sources)
        yield {"id": f"doc{i:05d}", "document": article, "summary": reference}


def write_corpus(out: Path, documents: int, seed: int = 0) -> Path:
    with open(out, "w", encoding="utf-8") as f:
        for row in corpus(documents, seed):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write_corpus(args.out, args.documents, args.seed)
    rows = [json.loads(line) for line in args.out.read_text(encoding="utf-8").splitlines()]
    words = sorted(len(r["document"].split()) for r in rows)
    print(
        f"{args.out}: {len(rows)} articles, words min {words[0]}, "
        f"median {words[len(words) // 2]}, max {words[-1]}"
    )


if __name__ == "__main__":
    main()
