"""ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum (Lin 2004) with rouge-score-rs.

rouge-score-rs is a Rust implementation of Google's rouge-score, which replicates ROUGE-1.5.5 with
its Porter stemmer (``-m``); it gives the same scores (the tests check it against rouge-score on
thousands of real pairs) about a hundred times faster. Several references are combined as
``score_multi`` does: for each ROUGE type, the reference with the highest F1 wins, and its
precision, recall and F1 are reported together. rougeLsum reads one sentence per line; both sides
are split with the harness's offline sentence splitter first, since ``split_summaries=True`` needs
NLTK data that cannot be downloaded here.
"""

from __future__ import annotations

from typing import Any

from rouge_score_rs import RougeScorer

from harness.text import one_sentence_per_line
from harness.types import Document

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")


class Rouge:
    """F1 under the canonical names (``rouge1`` ...); ``_precision`` and ``_recall`` beside them."""

    def __init__(self, rouge_types: tuple[str, ...] = ROUGE_TYPES, use_stemmer: bool = True):
        self.rouge_types = tuple(rouge_types)
        self.higher_is_better = {t: True for t in self.rouge_types}
        self._scorer = RougeScorer(list(self.rouge_types), use_stemmer=use_stemmer)

    def score(self, doc: Document, prediction: str) -> dict[str, Any]:
        if not doc.references:
            return {}
        scores = self._scorer.score_multi(
            [one_sentence_per_line(r) for r in doc.references], one_sentence_per_line(prediction)
        )
        out: dict[str, Any] = {}
        for t in self.rouge_types:
            out[t] = scores[t].fmeasure
            out[f"{t}_precision"] = scores[t].precision
            out[f"{t}_recall"] = scores[t].recall
        return out
