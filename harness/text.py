"""Reading text files, sentence splitting and word counting, shared by the whole harness.

NLTK's punkt data cannot be downloaded here, so sentences come from pysbd, a rule-based splitter
that ships its rules (Sadvilkar & Neumann 2020, "PySBD: Pragmatic Sentence Boundary
Disambiguation"). Line breaks are hard boundaries: web captures put headings and paragraphs on
lines of their own.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pysbd

from harness.errors import UsageError


def read_text(path: Path) -> str:
    """A UTF-8 text file that must not be empty; a clear error otherwise."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UsageError(f"{path}: cannot read ({e.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise UsageError(f"{path}:{line}: not UTF-8 (byte {e.start})") from None
    if not text.strip():
        raise UsageError(f"{path}: empty file")
    return text


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
