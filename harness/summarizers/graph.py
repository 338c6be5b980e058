"""Graph-based extractive summarizers from sumy: TextRank (Mihalcea & Tarau 2004) and LexRank
(Erkan & Radev 2004), or any other sumy algorithm named by its class.

sumy's default tokenizer needs NLTK's punkt data, which cannot be downloaded here, so the document
model is built from the harness's own sentences (pysbd) and a regex word tokenizer. sumy returns
only its top-k sentences; the full ranking, which a word budget needs, is read from the ratings
each sumy summarizer hands to ``_get_best_sentences``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from hydra.utils import get_class
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.utils import get_stop_words

from harness.summarizers.extractive import MAX_SENTENCES, fill_budget, sentence_cap
from harness.text import split_sentences
from harness.types import Generation, Request

_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")


class _WordTokenizer:
    """The part of sumy's tokenizer interface a document model uses."""

    language = "english"

    @staticmethod
    def to_words(text: str) -> list[str]:
        return _WORD.findall(text)


class SumySummarizer:
    """Ranks sentences with a sumy algorithm, named by its class's import path."""

    def __init__(
        self, algorithm: str, language: str = "english", max_sentences: int = MAX_SENTENCES
    ):
        self._algorithm = get_class(algorithm)(Stemmer(language))
        self._algorithm.stop_words = get_stop_words(language)
        self.max_sentences = sentence_cap(max_sentences)

    def summarize(self, requests: Sequence[Request]) -> Iterable[tuple[int, Generation]]:
        for i, r in enumerate(requests):
            sentences = split_sentences(r.doc.text, self.max_sentences)
            yield i, Generation(fill_budget(sentences, self.rank(sentences), r.budget))

    def rank(self, sentences: Sequence[str]) -> list[int]:
        tokenizer = _WordTokenizer()
        nodes = [Sentence(s, tokenizer) for s in sentences]
        document = ObjectDocumentModel([Paragraph(nodes)])
        ratings: dict = {}

        def capture(_sentences, _count, rating, *args, **kwargs):
            ratings.update(rating if isinstance(rating, dict) else {s: rating(s) for s in nodes})
            return ()

        self._algorithm._get_best_sentences = capture
        self._algorithm(document, len(nodes))
        # Highest rating first; ties go to the earlier sentence.
        return sorted(range(len(nodes)), key=lambda j: (-ratings.get(nodes[j], 0.0), j))
