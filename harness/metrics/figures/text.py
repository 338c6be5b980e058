"""Reading the text: encoding repair, tokens and sentences (:class:`Text`), and the stop words."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from itertools import accumulate, compress, count
from operator import sub

from .encoding import repair, to_original

# sumy's English stop words, read from its data file (importing sumy.utils pulls in requests).
# fmt: off
STOP = frozenset(
    (files("sumy") / "data" / "stopwords" / "english.txt").read_text("utf-8").split()
)
_ABBREVIATIONS = frozenset([
    "inc", "co", "corp", "ltd", "plc", "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs",
    "jr", "sr", "gov", "sen", "rep", "gen", "col", "lt", "sgt", "u.s", "e.g", "i.e", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "est",
    "approx", "fig",
])
# fmt: on
_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATIONS))


# Tokens: words, dotted ids and versions ("2025.03.26", "1.2.3"), numbers ("1,234.5") and any
# other single character. Words come first (they are most tokens); no two kinds can start at the
# same character. Each token is read with the blank before it, so that one findall (no groups: one
# string per token) reads a whole text and the lengths give the offsets; lstrip() removes exactly
# the blank, as \s and str.isspace() are the same test and no token starts with a blank.
# (Possessive: a word never gives back letters, and the engine keeps no states to try it.)
# A run of letters is read as ASCII letters first, then any letters: the same run, but the
# engine tests an ASCII range much faster than the letter class (a fifth of the tokenizer's time).
_LETTERS = r"(?:[a-zA-Z]++[^\W\d_]*+|[^\W\d_]++)"
_WORD = rf"{_LETTERS}(?:['’]{_LETTERS})?+(?:-{_LETTERS})*+"
_ID = r"\d+(?:\.\d+){2,}"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_TOKENS = re.compile(rf"\s*+(?:{_WORD}|{_ID}|{_NUM}|\S)")

NUM, WORD, SYM, ID = 0, 1, 2, 3


_LONGEST_NUMBER = 40  # characters; far above any quantity, far below int()'s 4,300-digit limit


class _Kinds(dict):
    """The kind of each token, worked out once per distinct token from its first character."""

    def __missing__(self, token: str) -> int:
        first = token[0]
        if first.isdecimal():  # what \d matches: a number, or an id with two points or more
            # (or a run too long to be a quantity: a serial, a hash, a pasted digit dump)
            kind = ID if token.count(".") >= 2 or len(token) > _LONGEST_NUMBER else NUM
        elif first.isalnum() or len(token) > 1:  # \w but not \d or "_": a word
            kind = WORD
        else:
            kind = SYM
        self[token] = kind
        return kind


_KINDS = _Kinds()


def kind_of(token: str) -> int:
    """The kind of a token (NUM, WORD, SYM or ID), as prepare() reads it."""
    return _KINDS[token]


class _Stripped(dict):
    """Each distinct token as read (with the blank before it) without its blank, made once: the
    tokens are then shared strings whose hashes are already known, which makes the lookups of
    their kinds and lower cases cheaper, and no string is made per token."""

    def __missing__(self, found: str) -> str:
        token = self[found] = found.lstrip()
        return token


_STRIPPED = _Stripped()


class _Lower(dict):
    """Each distinct token in lower case, made once: the lowered words are then shared strings
    whose hashes are already known, which makes the set lookups on them cheaper."""

    def __missing__(self, token: str) -> str:
        low = self[token] = token.lower()
        return low


_LOWER = _Lower()


@dataclass
class Text:
    """A text prepared for extraction: repaired, tokenized, split into sentences."""

    original: str
    text: str
    anchors: tuple[tuple[tuple[int, int], ...], ...]
    types: list[int]
    words: list[str]
    lows: list[str]  # the words in lower case
    starts: list[int]
    ends: list[int]
    sentence_starts: list[int]
    sentence_ends: list[int]
    names: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)  # by sentence
    sentences: dict[int, str] = field(default_factory=dict)  # sentence_at, by sentence index
    slices: dict[tuple[int, int], str] = field(default_factory=dict)  # original_between's

    def glued(self, i: int) -> bool:
        """Token i touches token i-1."""
        return i > 0 and self.starts[i] == self.ends[i - 1]

    def sentence_of(self, pos: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.sentence_starts, pos) - 1
        k = max(k, 0)
        return self.sentence_starts[k], self.sentence_ends[k]

    def sentence_at(self, pos: int) -> str:
        """The sentence around a position, stripped: one string per sentence, shared by all its
        figures (a text with no sentence break would otherwise be copied once per figure)."""
        k = max(bisect.bisect_right(self.sentence_starts, pos) - 1, 0)
        if k not in self.sentences:
            self.sentences[k] = self.text[self.sentence_starts[k] : self.sentence_ends[k]].strip()
        return self.sentences[k]

    def original_between(self, a: int, b: int) -> str:
        """The text as given between two offsets of the repaired text: one string per span,
        shared by all who ask (each member of a list of thousands holds the list's text)."""
        if (a, b) not in self.slices:
            start, end = self.span(a, b)
            self.slices[a, b] = self.original[start:end]
        return self.slices[a, b]

    def span(self, a: int, b: int) -> tuple[int, int]:
        if not self.anchors:
            return a, b  # nothing was repaired: offsets are those of the text as given
        return to_original(a, self.anchors), to_original(b, self.anchors)


_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9$€£¥])|\n+")
# The same boundaries, as a pattern that opens with one character class: the engine then scans
# for that class fast, while it tries the alternation above at every character.
_BOUNDARY_FAST = re.compile(
    r"[.!?\n](?:(?<=[.!?])[.!?]*[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9$€£¥])|(?<=\n)\n*)"
)


def _boundaries(text: str) -> Iterator[re.Match]:
    """What ``_BOUNDARY.finditer(text)`` finds."""
    return _BOUNDARY_FAST.finditer(text)


_WORD_CHARS = re.compile(r"[\w.]*")


def _sentences(text: str) -> tuple[list[int], list[int]]:
    """Sentence spans by a fast rule (pysbd is too slow for thousands of pairs a second)."""
    starts: list[int] = []
    ends: list[int] = []
    start, size = 0, len(text)
    backwards = text[::-1]  # the word before a period, read by one regex match from its end
    for m in _boundaries(text):
        dot, after = m.span()
        mark = text[dot]
        if mark == ".":
            # The run of word characters and periods before the period, within the sentence;
            # one longer than any abbreviation with no period in it ends the sentence.
            back = size - dot
            run = min(_WORD_CHARS.match(backwards, back).end() - back, dot - start)
            if run <= _LONGEST_ABBREVIATION or text.find(".", dot - run, dot) >= 0:
                word = text[dot - run : dot].lower()
                if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or "." in word:
                    continue
        # (A sentence that opens with no blank is not blank: no copy of it is stripped.)
        if (dot > start and not text[start].isspace()) or text[start:dot].strip():
            starts.append(start)
            ends.append(dot if mark == "\n" else dot + 1)
        start = after
    if text[start:].strip() or not starts:
        starts.append(start)
        ends.append(len(text.rstrip()))
    return starts, ends


def prepare(text: str) -> Text:
    """The text repaired, tokenized and split into sentences."""
    fixed, anchors = repair(text)
    if len(_STRIPPED) > 500_000:
        _STRIPPED.clear()  # a long run's vocabulary: keep the memory bounded
        _KINDS.clear()
        _LOWER.clear()
    found = _TOKENS.findall(fixed)
    words = list(map(_STRIPPED.__getitem__, found))
    ends = list(accumulate(map(len, found)))
    starts = list(map(sub, ends, map(len, words)))
    types = list(map(_KINDS.__getitem__, words))
    s_starts, s_ends = _sentences(fixed)
    lows = list(map(_LOWER.__getitem__, words))
    return Text(text, fixed, anchors, types, words, lows, starts, ends, s_starts, s_ends)


class WordClass:
    """The words that pass a test, each distinct word tested once per process: the answers are
    kept in two sets, so that a text's words are sorted by set operations, and in a dict, so that
    the positions of the members among a text's tokens are found in one pass in C."""

    def __init__(self, test: Callable[[str], bool]):
        self.test = test
        self.seen: set[str] = set()
        self.members: set[str] = set()
        self.answers = _Answers(test)

    def among(self, words: set[str]) -> set[str]:
        """The members among ``words``."""
        if not words <= self.seen:
            new = words - self.seen
            if len(self.seen) > 500_000:  # a long run's vocabulary: keep the memory bounded
                self.seen.clear()
                self.members.clear()
                new = words
            self.members.update(w for w in new if self.test(w))
            self.seen |= new
        return words & self.members

    def positions(self, words: Sequence[str], first: int = 0) -> list[int]:
        """The indexes of the members among ``words`` (a text's tokens, in order, the first at
        index ``first``)."""
        if len(self.answers) > 500_000:
            self.answers.clear()  # a long run's vocabulary: keep the memory bounded
        return list(compress(count(first), map(self.answers.__getitem__, words)))


class _Answers(dict):
    """A test's answer for each word asked about, worked out on the first ask."""

    def __init__(self, test: Callable[[str], bool | int]):
        super().__init__()
        self.test = test

    def __missing__(self, word: str) -> bool | int:
        answer = self[word] = self.test(word)  # a bool, or flags (see extraction._TOKEN_CLASSES)
        return answer


def lower_at(t: Text, i: int) -> str:
    return t.lows[i] if 0 <= i < len(t.lows) else ""


def suffix_at(t: Text, j: int) -> tuple[str | None, int]:
    """A letter or symbol suffix glued to the number ending at token j: (suffix, its token)."""
    k = j + 1
    if k < len(t.words) and t.glued(k) and t.types[k] in (WORD, SYM):
        return t.words[k], k
    return None, j
