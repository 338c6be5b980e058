"""Reading text files, sentence splitting and word counting, shared by the whole harness.

NLTK's punkt data cannot be downloaded here, so sentences come from pysbd, a rule-based splitter
that ships its rules (Sadvilkar & Neumann 2020, "PySBD: Pragmatic Sentence Boundary
Disambiguation"). Line breaks are hard boundaries: web captures put headings and paragraphs on
lines of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from itertools import islice, pairwise
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


# pysbd locates each sentence by searching the text from its start, and each abbreviation by a
# substitution over the whole text, so its cost grows with the square of a line's length (40 KB on
# one line took 5 s, 1 MB did not finish in 14 minutes). Long lines are therefore read through a
# window: the sentences that end well before the window's end are kept, and the window moves to
# where the last of them ends. pysbd's rules look a few words ahead; list items ("3. ...") are
# numbered against the items before them, so the window also shows pysbd the text just before it.
WINDOW = 2000  # characters pysbd reads at once, besides the context before them
MARGIN = 500  # a sentence ending this close to the window's end is split again with what follows


@cache
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def _boundaries(line: str, left: int, start: int, stop: int) -> list[int]:
    """Where pysbd ends sentences in ``line[start:stop]``, reading from ``left`` on."""
    return [left + s.end for s in _segmenter().segment(line[left:stop]) if left + s.end > start]


def segment_line(line: str, window: int = WINDOW, margin: int = MARGIN) -> Iterator[str]:
    """pysbd's sentences of one line, in time linear in its length; unstripped.

    A run of ``window`` characters without a sentence boundary is cut at the window's end.
    """
    if len(line) <= window:
        yield from (s.sent for s in _segmenter().segment(line))
        return
    left = start = 0  # the window starts at a sentence boundary up to ``margin`` before ``start``
    while len(line) - start > window:
        ends = _boundaries(line, left, start, start + window)
        kept = [e for e in ends if e <= start + window - margin] or ends[:-1] or [start + window]
        cuts = [start, *kept]
        yield from (line[a:b] for a, b in pairwise(cuts))
        start = cuts[-1]
        left = next(c for c in cuts if c >= start - margin)
    ends = _boundaries(line, left, start, len(line))
    yield from (line[a:b] for a, b in pairwise([start, *ends]))


def iter_sentences(text: str) -> Iterator[str]:
    """Sentences in order: every line, then pysbd within the line."""
    for line in text.splitlines():
        if line.strip():
            yield from (s.strip() for s in segment_line(line) if s.strip())


@cache
def split_sentences(text: str, limit: int | None = None) -> tuple[str, ...]:
    """The text's sentences, or its first ``limit``; computed once per text."""
    return tuple(islice(iter_sentences(text), limit))


def one_sentence_per_line(text: str) -> str:
    """The form rougeLsum expects: sentences separated by newlines."""
    return "\n".join(split_sentences(text))


WORD = re.compile(r"\S+")  # a word of a word budget


def count_words(text: str) -> int:
    """Whitespace-delimited words, the unit of a word budget."""
    return len(WORD.findall(text))


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
