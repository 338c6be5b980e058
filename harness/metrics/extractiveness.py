"""Extractiveness: how much of a summary is copied from its article (Grusky, Naaman and Artzi
2018, "Newsroom", section 4.1), as HELM, lighteval and SummEval report it.

The summary's *extractive fragments* are found greedily, as the paper's ``Fragments`` class
(github.com/lil-lab/newsroom, ``newsroom/analyze/fragments.py``) does: from each summary token,
take the longest run of tokens that also appears, in order, in the article; skip past it; a
token found nowhere is skipped alone. Then, with |S| summary tokens and |A| article tokens:

- ``extractive_coverage`` = sum |f| / |S|: the share of summary tokens inside a fragment;
- ``extractive_density``  = sum |f|^2 / |S|: the mean length of the fragment each token is in;
- ``extractive_compression`` = |A| / |S|.

Tokens are lower-cased words, numbers and punctuation marks, close to the spaCy tokens the
paper uses (spaCy is not a dependency here). These are diagnostics: a reader sees whether a
system copies, but copying is neither better nor worse, so they carry no direction (``None``)
and are never gated nor marked best.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from harness.types import Document

_TOKEN = re.compile(r"\w+(?:[-'’.,]\w+)*|[^\w\s]")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def fragments(summary: Sequence[str], article: Sequence[str]) -> list[tuple[int, int]]:
    """The greedy extractive fragments of ``summary`` in ``article`` as (summary start, length).

    Equivalent to the paper's scan of every article position, but visits only the positions
    where the summary token occurs, so it costs little on long articles.
    """
    positions: dict[str, list[int]] = {}
    for j, token in enumerate(article):
        positions.setdefault(token, []).append(j)
    found = []
    i = 0
    while i < len(summary):
        best, next_j = 0, 0
        for j in positions.get(summary[i], ()):
            if j < next_j:  # inside the match just measured: the paper's scan jumps past it
                continue
            k = 0
            while (
                i + k < len(summary) and j + k < len(article) and summary[i + k] == article[j + k]
            ):
                k += 1
            best = max(best, k)
            next_j = j + k
        if best:
            found.append((i, best))
        i += max(best, 1)
    return found


def extractiveness(summary: str, article: str) -> dict[str, float | None]:
    s, a = tokenize(summary), tokenize(article)
    if not s:
        return {k: None for k in MEASURES}
    lengths = [n for _, n in fragments(s, a)]
    return {
        "extractive_coverage": sum(lengths) / len(s),
        "extractive_density": sum(n * n for n in lengths) / len(s),
        "extractive_compression": len(a) / len(s),
    }


MEASURES = ("extractive_coverage", "extractive_density", "extractive_compression")


class Extractiveness:
    """Coverage, density and compression of a summary against its article; diagnostics."""

    def __init__(self) -> None:
        self.higher_is_better: dict[str, bool | None] = dict.fromkeys(MEASURES)

    def score(self, doc: Document, prediction: str) -> dict[str, Any]:
        return extractiveness(prediction, doc.text)
