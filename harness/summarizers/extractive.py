"""Extractive baselines: lead, random and the greedy ROUGE oracle, and the budget they share.

Every extractive system ranks the document's sentences and hands the ranking to ``fill_budget``,
which takes sentences in rank order while they fit the budget and returns them in document order.
The oracle follows the greedy procedure of Nallapati et al. (2017, SummaRuNNer) and Liu & Lapata
(2019, BertSum): add the sentence that most raises the mean of ROUGE-1 and ROUGE-2 F1 against the
best-matching reference; stop when nothing raises it or the budget is full.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from rouge_score import tokenizers

# rouge-score's own n-gram counting, so the oracle optimizes exactly what the metric measures
# (private helpers; rouge-score is pinned).
from rouge_score.rouge_scorer import _create_ngrams, _score_ngrams

from harness.text import count_words, split_sentences, truncate_words
from harness.types import Budget, Generation, Request


def fill_budget(
    sentences: Sequence[str], ranking: Iterable[int], budget: Budget, skip_overflow: bool = True
) -> str:
    """Join the best-ranked sentences that fit the budget, in document order.

    A sentence that would overflow a word budget is skipped in favour of later, shorter ones
    (or, with ``skip_overflow=False``, ends the selection); if not even the top sentence fits, it
    is cut to the budget.
    """
    ranking = list(ranking)
    chosen: list[int] = []
    if budget.unit == "sentences":
        chosen = ranking[: budget.size]
    else:
        used = 0
        for i in ranking:
            n = count_words(sentences[i])
            if used + n <= budget.size:
                chosen.append(i)
                used += n
            elif not skip_overflow:
                break
        if not chosen and ranking:
            return truncate_words(sentences[ranking[0]], budget.size)
    return "\n".join(sentences[i] for i in sorted(chosen))


class Lead:
    """The longest prefix of sentences within the budget: the classic news baseline (lead-k)."""

    def summarize(self, requests: Sequence[Request]) -> Iterable[tuple[int, Generation]]:
        for i, r in enumerate(requests):
            sentences = split_sentences(r.doc.text)
            ranking = range(len(sentences))
            yield i, Generation(fill_budget(sentences, ranking, r.budget, skip_overflow=False))


class RandomSentences:
    """Random sentences with a fixed seed: the floor."""

    def __init__(self, seed: int = 0):
        self.seed = seed

    def summarize(self, requests: Sequence[Request]) -> Iterable[tuple[int, Generation]]:
        for i, r in enumerate(requests):
            sentences = split_sentences(r.doc.text)
            # Seeded per document, so a document's summary does not depend on its neighbours.
            ranking = list(range(len(sentences)))
            random.Random(f"{self.seed}:{r.doc.id}").shuffle(ranking)
            yield i, Generation(fill_budget(sentences, ranking, r.budget))


class Oracle:
    """Greedy extractive oracle against the references: the upper bound papers report."""

    reads_references = True  # a ceiling: the report sets it apart and never marks it best

    def __init__(self, use_stemmer: bool = True):
        self._tokenizer = tokenizers.DefaultTokenizer(use_stemmer=use_stemmer)

    def summarize(self, requests: Sequence[Request]) -> Iterable[tuple[int, Generation]]:
        for i, r in enumerate(requests):
            sentences = split_sentences(r.doc.text)
            if not r.doc.references:
                yield i, Generation("", skipped="no references: nothing for the oracle to select")
                continue
            yield i, Generation(fill_budget(sentences, self._rank(sentences, r), r.budget))

    def _rank(self, sentences: Sequence[str], request: Request) -> list[int]:
        tokens = [self._tokenizer.tokenize(s) for s in sentences]
        refs = [self._tokenizer.tokenize(ref) for ref in request.doc.references]
        ref_grams = [(_create_ngrams(t, 1), _create_ngrams(t, 2)) for t in refs]

        def gain(selection: list[int]) -> float:
            picked = [tok for j in selection for tok in tokens[j]]
            uni, bi = _create_ngrams(picked, 1), _create_ngrams(picked, 2)
            return max(
                (_score_ngrams(r1, uni).fmeasure + _score_ngrams(r2, bi).fmeasure) / 2
                for r1, r2 in ref_grams
            )

        chosen: list[int] = []
        words, best = 0, 0.0
        limit = request.budget.size
        while True:
            if request.budget.unit == "sentences":
                fits = range(len(sentences)) if len(chosen) < limit else []
            else:
                fits = [
                    j for j in range(len(sentences)) if words + count_words(sentences[j]) <= limit
                ]
            candidates = [j for j in fits if j not in chosen]
            scored = [(gain(chosen + [j]), -j) for j in candidates]
            if not scored or max(scored)[0] <= best:
                break
            best, neg_j = max(scored)
            chosen.append(-neg_j)
            words += count_words(sentences[-neg_j])
        return chosen
