"""Sentence splitting and word counting shared by summarizers and metrics.

NLTK's punkt data cannot be downloaded here, so sentences come from pysbd, a rule-based splitter
that ships its rules (Sadvilkar & Neumann 2020, "PySBD: Pragmatic Sentence Boundary
Disambiguation"). Line breaks are hard boundaries: web captures put headings and paragraphs on
lines of their own.
"""

from __future__ import annotations

import re
from functools import cache

import pysbd


@cache
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


@cache
def split_sentences(text: str) -> tuple[str, ...]:
    """Split text into sentences: every line, then pysbd within the line."""
    sentences: list[str] = []
    for line in text.splitlines():
        if line.strip():
            sentences.extend(s.strip() for s in _segmenter().segment(line) if s.strip())
    return tuple(sentences)


def one_sentence_per_line(text: str) -> str:
    """The form rougeLsum expects: sentences separated by newlines."""
    return "\n".join(split_sentences(text))


_WORD = re.compile(r"\S+")


def count_words(text: str) -> int:
    """Whitespace-delimited words, the unit of a word budget."""
    return len(_WORD.findall(text))


def truncate_words(text: str, limit: int) -> str:
    """The first ``limit`` words of text, keeping its line breaks."""
    out, seen = [], 0
    for line in text.splitlines():
        words = line.split()
        if seen + len(words) > limit:
            words = words[: limit - seen]
        if words:
            out.append(" ".join(words))
        seen += len(words)
        if seen >= limit:
            break
    return "\n".join(out)
